"""Named personas and a small community for every test.

Text fields carry a <script> canary so page tests also check escaping.
"""

import threading
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import close_old_connections

from community.models import Community, Grid, Membership, Organisation, User

CANARY = "<script>alert(1)</script>"
Role = Membership.Role


def pytest_collection_modifyitems(items):
    """Browser journeys last: Playwright holds an event loop that async tests must not meet. Tests with a
    Chromium of their own (the ``chromium`` fixture, closed after its module) go just before the journeys,
    whose Chromium lives until the session ends: two at once cannot run in one thread."""
    def order(item) -> int:
        if "/browser/" in str(item.path):
            return 2
        return 1 if "chromium" in getattr(item, "fixturenames", ()) else 0

    items.sort(key=order)


@pytest.fixture(scope="session", autouse=True)
def _fresh_ballot_box(django_db_setup, django_db_blocker):
    """The test database is made new for each run; so is the secret polls' ballot box file beside it."""
    from polls import services as poll_services

    with django_db_blocker.unblock():
        path = poll_services.box_path()
    for stale in (path, path.with_name(path.name + "-journal")):
        stale.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request as someone who reads Chinese or Tibetan leaves that
    language active in the thread (the user-language middleware activates it), which is no test's business."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache, rendered fragments in theirs: each test starts with none (the
    database's ids start again after a rollback, so a fragment kept from another test could match a key)."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


def live_regions(client, url) -> tuple[list[str], str]:
    """What a live page's script fetches after a live event (the X-Live-Refresh header): the ids of the
    top-level elements of the answer, and the answer."""
    from html.parser import HTMLParser

    response = client.get(url, headers={"X-Live-Refresh": "1"})
    assert response.status_code == 200 and "X-Live-Refresh" in response["Vary"], url
    html = response.content.decode()
    ids, depth = [], [0]

    class TopLevel(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if depth[0] == 0:
                ids.append(dict(attrs).get("id"))
            if tag not in ("input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"):
                depth[0] += 1

        def handle_endtag(self, tag):
            depth[0] -= 1

    TopLevel().feed(html)
    return ids, html


def make_user(email: str, name: str = "", *, verified: bool = True, **extra) -> User:
    user = User.objects.create_user(email, "correct horse battery", display_name=name, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


@pytest.fixture
def community(db) -> Community:
    return Community.objects.create(
        name=f"Canary Community {CANARY}", slug="canary", description=f"About us {CANARY}"
    )


@pytest.fixture
def grid(community) -> Grid:
    return Grid.objects.create(community=community, number=1, name=f"North {CANARY}", households=300)


@pytest.fixture
def other_grid(community) -> Grid:
    return Grid.objects.create(community=community, number=2, name="South", households=200)


@pytest.fixture
def organisation(community) -> Organisation:
    return Organisation.objects.create(
        community=community, name=f"Evergreen {CANARY}", kind=Organisation.Kind.PROPERTY_MANAGEMENT
    )


@pytest.fixture
def other_community(db) -> Community:
    return Community.objects.create(name="Elsewhere", slug="elsewhere")


@pytest.fixture
def other_community_grid(other_community) -> Grid:
    return Grid.objects.create(community=other_community, number=1, name="Far")


def _member(email, name, community, role, **where) -> User:
    user = make_user(email, name)
    Membership.objects.create(user=user, community=community, role=role, **where)
    return user


@pytest.fixture
def resident(grid) -> User:
    return _member("resident@test.org", f"Rita {CANARY}", grid.community, Role.RESIDENT, grid=grid, unit="B1-101")


@pytest.fixture
def resident_of_other_grid(other_grid) -> User:
    return _member("resident2@test.org", "Rob", other_grid.community, Role.RESIDENT, grid=other_grid)


@pytest.fixture
def grid_worker(grid) -> User:
    return _member("worker@test.org", "Wang", grid.community, Role.GRID_WORKER, grid=grid)


@pytest.fixture
def grid_worker_of_other_grid(other_grid) -> User:
    return _member("worker2@test.org", "Wu", other_grid.community, Role.GRID_WORKER, grid=other_grid)


@pytest.fixture
def chair(community) -> User:
    return _member("chair@test.org", "Chen", community, Role.COMMITTEE, position="chair")


@pytest.fixture
def moderator(community) -> User:
    return _member("moderator@test.org", "Mo", community, Role.MODERATOR)


@pytest.fixture
def org_rep(organisation) -> User:
    return _member("org@test.org", "Oscar", organisation.community, Role.ORG_REP, organisation=organisation)


@pytest.fixture
def outsider_chair(other_community) -> User:
    return _member("chair@elsewhere.org", "Eve", other_community, Role.COMMITTEE, position="chair")


@pytest.fixture
def newcomer(db) -> User:
    return make_user("newcomer@test.org", "Nina")


@pytest.fixture
def unverified(db) -> User:
    return make_user("unverified@test.org", "Uma", verified=False)


@pytest.fixture
def category(community):
    from issues.models import Category

    return Category.objects.create(community=community, name=f"Lifts {CANARY}")


@pytest.fixture
def issue(grid, category, resident, grid_worker):
    """An issue raised by the resident of grid 1, with private contact details."""
    from issues import services

    return services.raise_issue(
        resident, grid_id=grid.pk, category_id=category.pk, title=f"Lift broken {CANARY}",
        body=f"The lift in **B1** is stuck {CANARY}", location="Building 1 lobby",
        contact="+86 139 0000 1111", address="B1-101, Willow Court",
    )


def race(*calls):
    """Run the calls at the same moment in threads, each with its own connection."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            outcomes[i] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what we check
            outcomes[i] = error
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def database_url() -> str:
    """The test database as a URL, for a server process started by a test (it must share it)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] in ("config.sqlite", "django.db.backends.sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# Consultation fixtures (built in tests/consult/conftest.py), used by every app's tests.
@pytest.fixture
def consultation(chair, community):
    from tests.consult.conftest import new_consultation

    return new_consultation(chair, community, threshold=2)


@pytest.fixture
def proposal(consultation, resident):
    from consult import services as consult_services

    return consult_services.submit_proposal(resident, consultation_id=consultation.pk, title=f"Canteen {CANARY}",
                                    body=f"Lunch for the elderly {CANARY}")


@pytest.fixture
def run_tasks(transactional_db):
    """Run what waits in the task queue through the real worker, ``manage.py db_worker --batch``.

    In this process, so the test's settings (e.g. a failing mail server) apply; committed data
    (``transactional_db``), as the worker of a deployment sees it.
    """
    import io
    import signal

    from django.core.management import call_command

    def run() -> str:
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        out = io.StringIO()
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)
        return out.getvalue()

    return run
