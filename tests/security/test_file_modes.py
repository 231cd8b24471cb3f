"""What the site writes to disk is readable by its own user only: var/ 0700, the database and its WAL 0600,
uploaded files 0600 in 0700 folders — whatever the umask."""

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

SCRIPT = textwrap.dedent("""
    import json, os, stat, sys
    os.umask(0o022)  # a usual umask: files would be 0644 if the site did nothing
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:  # a write while connected: the WAL and shared memory exist now
        cursor.execute("CREATE TABLE IF NOT EXISTS probe (x)")
        cursor.execute("INSERT INTO probe VALUES (1)")
        var = os.environ["YISHI_VAR_DIR"]
        modes = {name: oct(stat.S_IMODE(os.stat(os.path.join(var, name)).st_mode)) for name in sorted(os.listdir(var))}
    modes["."] = oct(stat.S_IMODE(os.stat(var).st_mode))
    print(json.dumps(modes))
""")


def test_the_database_its_wal_and_var_are_private(tmp_path):
    var = tmp_path / "var"
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update({"YISHI_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"})
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, env=environment,
                         cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 0, run.stderr[-2000:]
    modes = json.loads(run.stdout.strip().splitlines()[-1])
    assert modes["."] == "0o700"
    assert {"yishi.sqlite3", "yishi.sqlite3-wal", "yishi.sqlite3-shm", "secret_key"} <= set(modes), modes
    for name, mode in modes.items():
        if name != "." and not os.path.isdir(var / name):
            assert mode == "0o600", (name, mode)


def test_uploaded_files_are_private(grid, category, resident):
    from PIL import Image

    from issues import services

    os.umask(0o022)
    import io
    raw = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(raw, "PNG")
    issue = services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Gate", body="B",
                                 photos=[SimpleUploadedFile("gate.png", raw.getvalue(), content_type="image/png")])
    path = Path(issue.photos.get().image.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
