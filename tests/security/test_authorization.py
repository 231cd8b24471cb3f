"""Every cell of the authorization matrix, performed over HTTP and the API as that role.

The world is built once for the module inside a transaction that is rolled back at the end; each
test runs in a savepoint of its own, so what one cell changes the next never sees. A refusal must
answer as the matrix says and leave every row of the database as it was; an allowed write must
change something. The WebSocket cells are in ``test_authorization_ws.py``.
"""

import pytest
from django.apps import apps
from django.contrib.messages import constants
from django.db import transaction
from django.forms import BaseForm
from django.test import Client
from django.test.utils import override_settings

from community import services
from community.models import ApiToken
from tests.security import matrix
from tests.security.matrix import ALLOW, API, HTTP, LOGIN, REAUTH, REDIRECT, REFUSED, ROLES
from tests.security.requests import API_KEY, API_READS, API_WRITES, HTTP_REQUESTS, PUBLIC_PAGES
from tests.security.world import build_world

pytestmark = pytest.mark.django_db
VOLATILE = {"last_login", "last_used_at"}  # stamped by signing in and by using a token


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media_root,
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world()
            w.media_root = media_root
            w.secrets = {role: services.create_api_token(user, name="All", scopes=list(ApiToken.Scope.values))[1]
                         for role, user in w.people.items()}
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _boxes() -> dict:
    from polls import services as poll_services
    from polls.models import Poll

    box = poll_services.ballot_box()
    return {key: box.dump(key) for key in Poll.objects.exclude(box_key="").values_list("box_key", flat=True)}


@pytest.fixture(autouse=True)
def _ballot_boxes_rolled_back_too(world):
    """The secret polls' ballot box is a file of its own, outside the transaction each cell is rolled back in:
    it is put back as it was after each cell (a vote or a close in one cell must not reach the next)."""
    kept = _boxes()
    yield
    from polls import services as poll_services

    box = poll_services.ballot_box()
    for key, dump in kept.items():
        box.drop(key)
        box.load(key, dump)


def snapshot() -> dict:
    """Every row of the platform's tables (and allauth's e-mail addresses), and every secret poll's ballot box,
    in a comparable form."""
    state = {"ballot boxes": _boxes()}
    for label in ("community", "notifications", "ledger", "issues", "consult", "meetings", "polls", "insights", "account"):
        for model in apps.get_app_config(label).get_models():
            fields = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE]
            state[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def client_for(w, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(w.people[role])
    return client


def _messages(response) -> list:
    """The messages this request added (a page that shows them moves them to the loaded ones)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    return [*getattr(storage, "_loaded_messages", []), *getattr(storage, "_queued_messages", [])]


def _form_errors(response) -> bool:
    """A form on the page (or in a dict of forms) carries errors: the action was refused with the reason."""
    values = [value for context in (response.context or []) for value in context.flatten().values()]
    values += [value for value in list(values) if isinstance(value, dict) for value in value.values()]
    return any(isinstance(value, BaseForm) and value.is_bound and value.errors for value in values) or any(
        isinstance(value, dict) and value.get("errors") for value in values)


def _told_why(response) -> bool:
    """A message above INFO, or an INFO without a success, or a form error on the page."""
    levels = {m.level for m in _messages(response)}
    if any(level >= constants.WARNING for level in levels):
        return True
    if constants.INFO in levels and constants.SUCCESS not in levels:
        return True
    return response.status_code == 200 and _form_errors(response)


def _why(response) -> str:
    return f"{response.get('Location', '')} {[str(m) for m in _messages(response)]}"


def observed(response, method: str) -> str:
    """What the client saw, in the matrix's words."""
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        if "/reauthenticate/" in location:
            return REAUTH
        if "/login/" in location:
            return LOGIN
        if _told_why(response):
            return REFUSED
        return ALLOW if method == "POST" else REDIRECT
    if status == 200:
        # A write that succeeds redirects (or, for htmx, answers with a success message); a POST that
        # shows a page again was refused, whether or not that page can show the reason.
        success = any(m.level == constants.SUCCESS for m in _messages(response))
        if response.get("Content-Type", "").startswith("application/json"):
            return ALLOW  # Open311 answers a write with JSON; its refusals are 4xx
        return REFUSED if method == "POST" and not success else ALLOW
    return str(status)


def _cases(table, exclude=()):
    return [pytest.param(key, role, id=f"{key} | {role}") for key in table if key not in exclude for role in ROLES]


@pytest.mark.parametrize(("key", "role"), _cases(HTTP, exclude={"GET public pages"}))
def test_http_cell(world, key, role, settings):
    settings.MEDIA_ROOT = world.media_root  # where the world's files were written
    request = HTTP_REQUESTS[key](world)
    if request.setup:
        request.setup(world, world.people.get(role))
    client = client_for(world, role)
    before = snapshot()
    send = client.post if request.method == "POST" else client.get
    data = {k: world.secrets.get(role, "") if v is API_KEY else v for k, v in request.data.items()}
    response = send(request.url, data, **request.headers)
    after = snapshot()
    expected = HTTP[key][role]
    got = observed(response, request.method)
    assert got == expected, f"{key} as {role}: got {got}, expected {expected} {response.status_code} {_why(response)}"
    if expected != ALLOW:
        assert changed_tables(before, after) == [], f"{key} as {role}: refused but changed the database"
    elif request.changes:
        assert changed_tables(before, after), f"{key} as {role}: allowed but changed nothing"


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_answer_everyone(world, role):
    client = client_for(world, role)
    answers = {url: client.get(url).status_code for url in PUBLIC_PAGES(world)}
    assert {url: code for url, code in answers.items() if code not in (200, 301)} == {}


@pytest.mark.parametrize(("key", "role"), _cases(API))
def test_api_cell(world, key, role):
    headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {world.secrets[role]}"}
    client = Client(enforce_csrf_checks=True)
    if key == matrix.API_PUBLIC_READ:
        answers = {path: client.get(path, **headers).status_code for path in API_READS(world)}
        assert {path: code for path, code in answers.items() if code != 200} == {}
        return
    request = API_WRITES[key](world)
    if request.setup:
        request.setup(world, world.people.get(role))
    before = snapshot()
    response = client.generic(request.method, request.url, request.body, content_type="application/json", **headers)
    after = snapshot()
    expected = API[key][role]
    got = ALLOW if response.status_code in (200, 201) else str(response.status_code)
    assert got == expected, f"{key} as {role}: got {got}, expected {expected} {response.content.decode()[:200]}"
    if expected != ALLOW:
        assert response.json()["message"]
        assert changed_tables(before, after) == [], f"{key} as {role}: refused but changed the database"
    elif request.changes:
        assert changed_tables(before, after), f"{key} as {role}: allowed but changed nothing"
