"""The house's shape: every app module small enough to read in one sitting."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "audit", "community", "notifications", "ledger", "issues", "consult", "meetings", "polls",
        "insights", "api", "config"]
LIMIT = 500


def modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


@pytest.mark.parametrize("app", APPS)
def test_the_app_exists_with_python_modules(app):
    assert any(path.parts[len(ROOT.parts)] == app for path in modules())


def test_no_module_is_over_500_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert too_long == {}, f"split these into a package of smaller modules: {too_long}"
