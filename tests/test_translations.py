"""Every user-facing string ships in Simplified Chinese, and the compiled catalogue is current."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = Path("locale/zh_Hans/LC_MESSAGES/django.po")
MO = PO.with_suffix(".mo")


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> Path:
    """Extract the strings of the code as it is now, merged into a copy of our catalogue."""
    for tool in ("xgettext", "msgmerge", "msgfmt", "msgattrib"):
        if not shutil.which(tool):
            pytest.fail(f"GNU gettext is needed for the translation checks ({tool} not found): "
                        "apt-get install gettext")
    copy = tmp_path_factory.mktemp("src") / "yishi"
    shutil.copytree(
        ROOT, copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "staticfiles", "tests", "bench", "*.mo", "__pycache__"),
    )
    env = {**os.environ, "DJANGO_DEBUG": "1", "YISHI_VAR_DIR": str(copy / "var")}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "zh_Hans", "--no-obsolete",
         "--ignore", "static/vendor/*"],
        cwd=copy, env=env, check=True, capture_output=True, timeout=120,
    )
    return copy / PO


def _entries(output: str) -> int:
    return output.count('\nmsgid "') + output.startswith('msgid "')


def test_every_string_is_translated_into_chinese(fresh_catalogue):
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(fresh_catalogue)],
        capture_output=True, text=True, check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(fresh_catalogue)],
        capture_output=True, text=True, check=True,
    ).stdout
    # The header entry (msgid "") always counts once in each listing.
    assert _entries(untranslated) <= 1, "untranslated strings — run `make messages`:\n" + untranslated
    assert _entries(fuzzy) <= 1, "fuzzy translations to review:\n" + fuzzy


def test_the_committed_catalogue_is_compiled_from_the_current_po(fresh_catalogue, tmp_path):
    subprocess.run(["msgfmt", "--check-format", "-o", str(tmp_path / "fresh.mo"), str(ROOT / PO)], check=True)
    with open(tmp_path / "fresh.mo", "rb") as fresh, open(ROOT / MO, "rb") as committed:
        assert gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(committed)._catalog, (
            "locale/…/django.mo is stale — run `make messages` and commit it"
        )
