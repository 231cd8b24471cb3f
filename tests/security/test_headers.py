"""Every page sends the security headers and carries no inline script or style.

The pages are walked on the demo data as the public, a resident, the committee chair, a grid worker
and staff in the Django admin. HSTS is sent only with the production settings, read in a fresh
process; that those settings pass ``manage.py check --deploy --fail-level WARNING`` is asserted in
tests/test_settings.py (test_production_settings_pass_the_deployment_check_without_warnings).
"""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.test_settings import PRODUCTION, ROOT

# Routes without parameters that are not HTML pages, or that only take a POST.
NOT_PAGES = {
    "outcomes/feed.atom": "Atom feed",
    "consultations/feed.atom": "Atom feed",
    "meetings/feed.atom": "Atom feed",
    "outcomes/decisions.csv": "CSV export",
    "issues/issues.csv": "CSV export",
    "polls/results.csv": "CSV export",
    "stats/rates.csv": "CSV export",
    "polls/verify.py": "the recount verifier, a Python script to download",
    "notifications/read": "POST only",
    "account/data.json": "a person's data as a JSON download",
    "i18n/setlang/": "POST only",
    "healthz": "plain-text probe",
    "favicon.ico": "redirect to a static file",
    "admin/autocomplete/": "JSON for the admin's select boxes",
    "admin/jsi18n/": "JavaScript catalogue",
    "admin/logout/": "POST only",
    "admin/password_change/done/": "reached after a password change, same template as the change form",
    "accounts/login/code/confirm/": "login by code is off: redirects to the login page",
    "accounts/password/set/": "only for an account without a password: redirects to the change form",
    "accounts/password/reset/key/done/": "reached after a reset by mail (tests/browser/test_membership_journey.py)",
    "accounts/inactive/": "reached by a deactivated account only",
}
# Ninja's page for the API: a full page whose scripts are all files of this site, so it needs no nonce.
WITHOUT_NONCE = {"/api/v1/docs"}
NOT_PAGES_PREFIXES = {
    "api/v1/": "JSON API (its interactive docs page, api/v1/docs, is walked)",
    "open311/v2/": "Open311 JSON and XML",
}
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


def pages() -> dict:
    """The pages to walk for each visitor (None: the public), on the demo data."""
    from community.models import Community, User
    from consult.models import Comment, Consultation
    from issues.models import Category, Issue
    from ledger.models import Decision, Task
    from meetings.models import Meeting
    from polls.models import Poll

    new = Issue.objects.filter(grid__number=1, status="new").first()
    handled = Issue.objects.filter(grid__number=1, status="in_progress", tier="routine").first()
    resolved = Issue.objects.filter(status="resolved").first()
    concluded, deliberating, collecting = (
        Consultation.objects.get(phase=phase) for phase in ("concluded", "deliberation", "collecting")
    )
    proposal = deliberating.proposals.order_by("-supports_count").first()
    comment = Comment.objects.filter(consultation=deliberating).first()
    past, upcoming, live_now = (Meeting.objects.get(status=s) for s in ("adjourned", "scheduled", "live"))
    open_poll = Poll.objects.get(status="open", kind="general")
    ranked = Poll.objects.get(method="ranked")
    community = Community.objects.get(slug="willow-lane")
    public = [
        "/", community.get_absolute_url(), "/c/willow-lane/grids/1/", "/issues/", resolved.get_absolute_url(),
        "/outcomes/", Decision.objects.first().get_absolute_url(), "/consultations/",
        concluded.get_absolute_url(), deliberating.get_absolute_url(), proposal.get_absolute_url(),
        f"/comments/{comment.pk}/", "/search/?q=canteen", "/stats/", "/stats/rates/", "/meetings/", past.get_absolute_url(),
        f"/meetings/{past.pk}/minutes-view", f"/meetings/{past.pk}/minutes-print", live_now.get_absolute_url(),
        "/polls/", ranked.get_absolute_url(), f"/polls/{ranked.pk}/recount/", open_poll.get_absolute_url(),
        "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/password/reset/done/",
        "/accounts/confirm-email/", "/api/v1/docs", "/admin/login/", ("/no-such-page/", 404),
    ]
    user = User.objects.get(email="resident@example.org")
    task, category = Task.objects.first(), Category.objects.first()
    return {
        None: public,
        "resident@example.org": [
            *public[:12], "/account/", "/account/tokens/", "/account/delete/", "/accounts/email/",
            "/accounts/password/change/",
            "/accounts/reauthenticate/", "/accounts/logout/", "/notifications/", "/issues/new", "/tasks/ours/",
            new.get_absolute_url(), f"/consultations/{collecting.pk}/propose", live_now.get_absolute_url(),
            upcoming.get_absolute_url(), open_poll.get_absolute_url(), "/c/willow-lane/join/",
            ("/consultations/new", 403),  # not theirs: the 403 page
        ],
        "committee@example.org": [
            "/", "/consultations/new", f"/consultations/{deliberating.pk}/edit", deliberating.get_absolute_url(),
            proposal.get_absolute_url(), "/c/willow-lane/moderation/", "/c/willow-lane/warnings/",
            "/c/willow-lane/requests/", "/issues/queue/", handled.get_absolute_url(), "/meetings/new",
            f"/meetings/agenda-from-issue?issue={new.pk}", live_now.get_absolute_url(), upcoming.get_absolute_url(),
            past.get_absolute_url(), "/polls/new", "/polls/new-owners", open_poll.get_absolute_url(),
        ],
        "gridworker@example.org": ["/issues/queue/", new.get_absolute_url(), handled.get_absolute_url()],
        "staff@example.org": [
            "/admin/", "/admin/issues/", "/admin/issues/issue/", "/admin/issues/issue/?q=lift",
            "/admin/community/grid/?community__id__exact=1", f"/admin/issues/issue/{new.pk}/change/",
            "/admin/community/community/add/", f"/admin/community/community/{community.pk}/change/",
            f"/admin/community/user/{user.pk}/change/", f"/admin/community/user/{user.pk}/password/",
            "/admin/community/user/add/", f"/admin/ledger/task/{task.pk}/change/",
            f"/admin/issues/category/{category.pk}/delete/", f"/admin/ledger/task/{task.pk}/history/",
            "/admin/community/membership/add/", "/admin/community/membershiprequest/", "/admin/auth/group/add/",
            "/admin/password_change/", *admin_lists_and_add_forms(),
        ],
    }


def admin_lists_and_add_forms() -> list:
    """Every model's list in the admin, and its add form (refused where the admin allows no adding)."""
    from django.contrib import admin
    from django.test import RequestFactory

    from community.models import User

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(email="staff@example.org")
    found = []
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        found.append(reverse(f"{name}_changelist"))
        found.append((reverse(f"{name}_add"), 200 if model_admin.has_add_permission(request) else 403))
    return found


class Page(HTMLParser):
    """What a page carries that a strict Content Security Policy would block, or that needs the nonce."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.nonces, self.in_script = [], set(), False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        where = self.get_starttag_text()[:120]
        for name, value in attrs.items():
            if name == "style":
                self.problems.append(f"style attribute: {where}")
            elif name.startswith("on"):
                self.problems.append(f"event-handler attribute {name}: {where}")
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL: {where}")
        if tag == "style":
            self.problems.append(f"<style> element: {where}")
        if tag == "script":
            if "nonce" in attrs:
                self.nonces.add(attrs["nonce"])
            executable = (attrs.get("type") or "").strip().lower() in EXECUTABLE_SCRIPT_TYPES
            if executable and not attrs.get("src"):
                self.problems.append(f"inline <script>: {where}")
            if attrs.get("src") and not attrs["src"].startswith("/"):
                self.problems.append(f"script from elsewhere: {where}")
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "") and not attrs.get("href", "").startswith("/"):
            self.problems.append(f"stylesheet from elsewhere: {where}")


def policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def problems_of(response, *, nonce_needed: bool = True) -> list[str]:
    """Everything wrong with one HTML response's headers and markup.

    Django puts the nonce in the header only when the page used it: a fragment for htmx has none.
    """
    found = []
    csp = policy(response.headers.get("Content-Security-Policy", ""))
    script_src = csp.get("script-src", [])
    nonces = {v[len("'nonce-"):-1] for v in script_src if v.startswith("'nonce-")}
    full_page = b"<html" in response.content[:500]
    if script_src[:1] != ["'self'"] or len(nonces) > 1 or (full_page and nonce_needed and not nonces):
        found.append(f"script-src is not 'self' plus a nonce: {script_src}")
    for directive in ("script-src", "style-src", "default-src"):
        if {"'unsafe-inline'", "'unsafe-eval'"} & set(csp.get(directive, [])):
            found.append(f"{directive} allows unsafe sources: {csp[directive]}")
    if csp.get("style-src") != ["'self'"] or csp.get("object-src") != ["'none'"]:
        found.append(f"style-src or object-src not locked down: {csp}")
    if csp.get("frame-ancestors") != ["'none'"] and response.headers.get("X-Frame-Options") != "DENY":
        found.append("the page may be framed")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        found.append("no X-Content-Type-Options: nosniff")
    if response.headers.get("Referrer-Policy") not in ("same-origin", "strict-origin-when-cross-origin", "no-referrer"):
        found.append(f"Referrer-Policy is {response.headers.get('Referrer-Policy')!r}")
    if "Strict-Transport-Security" in response.headers:
        found.append("HSTS sent in development, over plain HTTP")
    page = Page()
    page.feed(response.content.decode())
    found += page.problems
    if page.nonces - nonces:
        found.append(f"scripts carry a nonce that is not the header's: {page.nonces - nonces}")
    return found


def with_status(page: str | tuple[str, int]) -> tuple[str, int]:
    """A page to walk and the status it answers: 200 unless given (the 404 and 403 pages are pages too)."""
    return page if isinstance(page, tuple) else (page, 200)


def walk(client, persona, paths, seen_nonces) -> list[str]:
    from community.models import User

    client.logout()
    if persona:
        client.force_login(User.objects.get(email=persona))
        # The token page asks for the password again: give it, then walk the form too.
        client.post("/accounts/reauthenticate/", {"password": "yishi-demo"})
    failures = []
    for path, expected in map(with_status, paths):
        response = client.get(path)
        who = persona or "anonymous"
        if response.status_code != expected:
            failures.append(f"{path} as {who}: status {response.status_code}, expected {expected}")
            continue
        assert response.headers["Content-Type"].startswith("text/html"), path
        nonce = policy(response.headers["Content-Security-Policy"]).get("script-src", [""])[-1]
        if nonce.startswith("'nonce-"):
            if nonce in seen_nonces:
                failures.append(f"{path} as {who}: a nonce was used twice")
            seen_nonces.add(nonce)
        problems = problems_of(response, nonce_needed=path not in WITHOUT_NONCE)
        failures += [f"{path} as {who}: {problem}" for problem in problems]
    return failures


@pytest.fixture
def demo(db):
    call_command("seed_demo", public_passwords_ok=True, verbosity=0)


def test_every_page_sends_the_security_headers_and_no_inline_script_or_style(demo, client):
    seen_nonces, failures = set(), []
    for persona, paths in pages().items():
        failures += walk(client, persona, paths, seen_nonces)
    assert not failures, "\n".join(failures)


def test_pages_showing_form_errors_carry_no_inline_script_or_style_either(demo, client):
    from community.models import User
    from issues.models import Issue

    client.force_login(User.objects.get(email="resident@example.org"))
    before = Issue.objects.count()
    failures = []
    for path, data in [("/issues/new", {"title": ""}), ("/account/", {"display_name": "x" * 500})]:
        response = client.post(path, data)
        assert response.status_code == 200, path
        assert b"errorlist" in response.content or b"error" in response.content, path
        failures += [f"POST {path}: {problem}" for problem in problems_of(response)]
    client.logout()
    response = client.post("/accounts/login/", {"login": "resident@example.org", "password": "wrong"})
    failures += [f"POST /accounts/login/: {problem}" for problem in problems_of(response)]
    assert Issue.objects.count() == before
    assert not failures, "\n".join(failures)


def routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern), pattern


def test_the_walk_covers_every_page_without_parameters(demo):
    """A new page without parameters must be walked above, or listed in NOT_PAGES with the reason."""
    walked = {resolve(path.split("?")[0]).route
              for paths in pages().values() for path, status in map(with_status, paths) if status != 404}
    missing = []
    for route, pattern in routes(get_resolver().url_patterns):
        if pattern.pattern.converters or "(?P<" in route:
            continue  # parameters: covered by the detail pages above where they are pages
        if route in NOT_PAGES or route.startswith(tuple(NOT_PAGES_PREFIXES)) and route != "api/v1/docs":
            continue
        if route not in walked:
            missing.append(route)
    assert not missing, f"pages nobody walks: {missing}"
    assert not set(NOT_PAGES) & walked, "a route is both walked and excluded"


def test_hsts_is_sent_only_with_the_production_settings_and_over_https(tmp_path):
    code = (
        "import json, config.asgi\n"  # as Daphne starts it
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from django.test import Client\n"
        "c = Client(headers={'host': 'yishi.example.org'})\n"
        "secure, plain = c.get('/accounts/login/', secure=True), c.get('/accounts/login/')\n"
        "print(json.dumps([secure.status_code, dict(secure.headers), plain.status_code, dict(plain.headers)]))\n"
    )
    env = {k: v for k, v in __import__("os").environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_"))}
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**env, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings", "YISHI_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    secure_status, secure, plain_status, plain = json.loads(result.stdout.strip().splitlines()[-1])
    assert secure_status == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert secure["X-Content-Type-Options"] == "nosniff" and secure["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in secure["Content-Security-Policy"]
    assert re.search(r"script-src 'self' 'nonce-[\w+/=-]+'", secure["Content-Security-Policy"])
    assert (plain_status, plain["Location"]) == (301, "https://yishi.example.org/accounts/login/")
    assert "Strict-Transport-Security" not in plain
