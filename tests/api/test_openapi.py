"""The API against its own OpenAPI document: generated requests, no server errors, answers as documented."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import token_for

# serial: schemathesis names its generated cases alike, and parallel workers would merge them into one
pytestmark = pytest.mark.serial

# Every built-in check but one: a well-formed request may still be refused by the rules (a second support,
# a ballot for a closed poll), and that refusal is a documented 400/403, not a failure.
EXCLUDED = [positive_data_acceptance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the WSGI handler must not close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def resident_token(resident):
    return token_for(resident)


# Loading the document needs no database: it is generated from the code.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, world, resident_token):
    """As a resident with a token of every scope: writes reach the services, reads see the world."""
    case.call_and_validate(headers={"Authorization": f"Bearer {resident_token}"}, excluded_checks=EXCLUDED)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_anonymous_callers_as_documented(case, world):
    case.call_and_validate(excluded_checks=EXCLUDED)
