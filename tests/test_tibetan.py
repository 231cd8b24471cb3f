"""Tibetan (བོད་ཡིག): every string of the pages a resident uses has its Tibetan, the catalogues keep their
placeholders and are compiled, and Django's and allauth's own strings on the sign-in pages are Tibetan too."""

import datetime
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import get_language_info

ROOT = Path(__file__).resolve().parent.parent
PO = Path("locale/bo/LC_MESSAGES/django.po")
EXTRA_PO = Path("locale-extra/bo/LC_MESSAGES/django.po")

# The templates of the pages a resident uses: home and grid, signing up and in, joining a grid, issues (raise,
# follow, rate), consultations (propose, support, comment), polls (vote, results), the meeting room as a
# participant, notifications and their mail, and the error pages.
RESIDENT_TEMPLATES = [
    "templates/base.html", "templates/400.html", "templates/403.html", "templates/404.html", "templates/413.html",
    "templates/429.html", "templates/500.html", "templates/confirm.html",
    "templates/community/account.html", "templates/community/account_delete.html",
    "templates/community/membership_request_form.html", "templates/community/email/",
    "templates/insights/community_detail.html", "templates/insights/grid_detail.html",
    "templates/insights/community_list.html", "templates/insights/home.html", "templates/insights/stats.html",
    "templates/includes/",
    "templates/issues/issue_detail.html", "templates/issues/issue_form.html", "templates/issues/issue_list.html",
    "templates/consult/consultation_detail.html", "templates/consult/consultation_list.html",
    "templates/consult/proposal_detail.html", "templates/consult/proposal_form.html", "templates/consult/search.html",
    "templates/polls/poll_detail.html", "templates/polls/poll_list.html", "templates/polls/includes/",
    "templates/meetings/meeting_detail.html", "templates/meetings/meeting_list.html", "templates/meetings/includes/",
    "templates/notifications/", "templates/ledger/outcomes.html", "templates/ledger/decision_detail.html",
]
# Staff-only parts of templates/includes/ may stay English.
STAFF_ONLY = ["templates/includes/moderate_form.html", "templates/includes/issue_action_form.html"]


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> Path:
    """The strings of the code as it is now, merged into a copy of the Tibetan catalogue."""
    for tool in ("xgettext", "msgmerge", "msgfmt", "msgattrib"):
        if not shutil.which(tool):
            pytest.fail(f"GNU gettext is needed for the translation checks ({tool} not found): apt-get install gettext")
    copy = tmp_path_factory.mktemp("src") / "yishi"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", "var", ".git", "node_modules", "staticfiles", "tests", "bench", "*.mo", "__pycache__", "fonts"))
    env = {**os.environ, "DJANGO_DEBUG": "1", "YISHI_VAR_DIR": str(copy / "var")}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "bo", "--no-obsolete", "--ignore", "static/vendor/*"],
        cwd=copy, env=env, check=True, capture_output=True, timeout=120,
    )
    return copy / PO


def untranslated_references(catalogue: Path) -> list[tuple[str, list[str]]]:
    """Each untranslated entry: its msgid and the files it comes from."""
    listing = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", str(catalogue)],
                             capture_output=True, text=True, check=True).stdout
    found = []
    for block in listing.split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        if msgid and msgid.group(1):
            files = [ref.rsplit(":", 1)[0] for line in re.findall(r"^#: (.*)$", block, re.M) for ref in line.split()]
            found.append((msgid.group(1), files))
    return found


def test_every_string_of_the_resident_pages_has_its_tibetan(fresh_catalogue):
    missing = [
        f"{msgid!r} ({', '.join(files)})" for msgid, files in untranslated_references(fresh_catalogue)
        if any(f.startswith(t) and f not in STAFF_ONLY for f in files for t in RESIDENT_TEMPLATES)
    ]
    assert not missing, "strings of resident pages without Tibetan — add them to locale/bo:\n" + "\n".join(missing)


@pytest.mark.parametrize("po", [PO, EXTRA_PO])
def test_the_tibetan_catalogues_keep_their_placeholders_and_are_compiled(po, tmp_path):
    subprocess.run(["msgfmt", "--check-format", "--check-header", "-o", str(tmp_path / "fresh.mo"), str(ROOT / po)],
                   check=True)
    with open(tmp_path / "fresh.mo", "rb") as fresh, open(ROOT / po.with_suffix(".mo"), "rb") as committed:
        fresh_catalogue, committed_catalogue = gettext.GNUTranslations(fresh), gettext.GNUTranslations(committed)
    assert fresh_catalogue._catalog == committed_catalogue._catalog, f"{po.with_suffix('.mo')} is stale: compile it"
    assert fresh_catalogue.plural(5) == 0  # nplurals=1; plural=0: one form for every number


def test_django_knows_tibetan_for_the_language_switcher():
    info = get_language_info("bo")
    assert (info["code"], info["name_local"], info["bidi"]) == ("bo", "བོད་ཡིག", False)


def test_dates_are_written_the_tibetan_way():
    with translation.override("bo"):
        assert date_format(datetime.date(2026, 12, 3), "DATE_FORMAT") == "སྤྱི་ལོ་2026 ཟླ་12 ཚེས་3"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_the_sign_in_pages_are_tibetan_down_to_django_and_allauth_strings(client, path):
    client.cookies["django_language"] = "bo"
    page = client.get(path).content.decode()
    assert '<html lang="bo">' in page
    assert "བོད་ཡིག་གི་ཡིག་སྒྱུར་འདི་གསར་པ་ཡིན།" in page  # the note inviting corrections
    text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", page, flags=re.S)
    english = {w for w in re.findall(r"[A-Za-z][A-Za-z’']+(?: [A-Za-z’']+)*", text)} - {"API", "English"}
    assert not english, f"English left on {path}: {sorted(english)}"


@pytest.mark.django_db
def test_a_form_error_from_django_reads_in_tibetan(client):
    client.cookies["django_language"] = "bo"
    page = client.post("/accounts/login/", {"login": "", "password": ""}).content.decode()
    assert "ས་སྟོང་འདི་ངེས་པར་དུ་འགེངས་དགོས།" in page  # "This field is required."
    assert "This field is required." not in page


def test_only_tibetan_pages_carry_the_note_and_other_readers_never_load_the_font(client, db):
    client.cookies["django_language"] = "en"
    page = client.get("/accounts/login/").content.decode()
    assert "translation-note" not in page
    css = (ROOT / "static/css/site.css").read_text()
    for face in re.findall(r"@font-face \{[^}]*Tibetan[^}]*\}", css):
        assert "unicode-range: U+0F00-0FFF" in face  # a page without Tibetan letters downloads nothing
