"""The whole platform as one JSON document, and back: the logic of `export_data` and `import_data`.

In it: the secret polls' ballot boxes; every row of consult, meetings, polls and the audit log — notifications and the "early warning sent"
bookkeeping included, so a restore neither loses nor repeats them; users with their password
hashes (API tokens are hashes too); allauth's email addresses and confirmations; auth groups; the
site. And every uploaded file a FileField of those rows names, base64-encoded, keyed by its
storage name.

Not in it: sessions (a restore signs everyone out; a backup file should not carry live logins),
the admin's log, content types and permissions (migrate creates them; rows name permissions by
natural key, so their ids may differ between databases).

The models are found through the app registry by label.

The document is built in memory, files included (base64 adds a third): plan for about three times
the media folder's size in free memory. For a community with many gigabytes of photos, back the
media folder up with the file system's tools and this document without it is the next step.
"""

import base64
import datetime
import json

import django
from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT, VERSION = "yishi-backup", 1
APPS = ["community", "notifications", "ledger", "issues", "consult", "meetings", "polls", "insights", "audit", "account"]
EXTRA_MODELS = ["auth.Group", "sites.Site"]
# Migrate creates the default site, so a fresh database already holds it: the import overwrites it.
PRESENT_WHEN_EMPTY = {"sites.Site"}


class Encoder(DjangoJSONEncoder):
    """Keeps microseconds (DjangoJSONEncoder cuts them to milliseconds): order by time survives."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def backup_models() -> list[type[models.Model]]:
    """The models backed up, those referred to by natural key first."""
    chosen = [m for label in APPS for m in apps.get_app_config(label).get_models()]
    chosen += [apps.get_model(label) for label in EXTRA_MODELS]
    by_app: dict = {}
    for model in chosen:
        by_app.setdefault(model._meta.app_config, []).append(model)
    return serializers.sort_dependencies(by_app.items(), allow_cycles=True)


def migration_state() -> dict[str, str]:
    """The latest applied migration of each app backed up (names sort by their number)."""
    labels = {model._meta.app_label for model in backup_models()}
    state: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app in labels:
            state[app] = max(state.get(app, name), name)
    return dict(sorted(state.items()))


def file_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def export() -> tuple[dict, list[str]]:
    """The document, and the storage names of referenced files that are missing from storage."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:  # one snapshot for every table
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        state = migration_state()
        rows = (obj for model in backup_models() for obj in model._base_manager.order_by("pk").iterator())
        objects = serializers.serialize("python", rows, use_natural_foreign_keys=True)
    files, missing = {}, []
    for row in objects:
        for name in (row["fields"][f] for f in file_fields(apps.get_model(row["model"]))):
            if not name or name in files or name in missing:
                continue
            if not default_storage.exists(name):
                missing.append(name)
                continue
            with default_storage.open(name, "rb") as stored:
                files[name] = base64.b64encode(stored.read()).decode("ascii")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "django": django.get_version(),
        "migrations": state,
        "objects": objects,
        "files": files,
        "ballot_boxes": _ballot_boxes(objects),
    }
    return document, missing


def _ballot_boxes(objects) -> dict:
    """Secret polls' ballot boxes (a file of their own, polls/box.py): per box, who voted and, apart and sorted,
    the ballots and receipts, which a restore puts back into random slots."""
    from polls.services import ballot_box

    keys = [row["fields"]["box_key"] for row in objects if row["model"] == "polls.poll" and row["fields"].get("box_key")]
    return {key: ballot_box().dump(key) for key in keys}


def occupied_models() -> list[str]:
    return [
        model._meta.label
        for model in backup_models()
        if model._meta.label not in PRESENT_WHEN_EMPTY and model._base_manager.exists()
    ]


def check_header(document) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CommandError(_("This is not a Yishi backup."))
    if document.get("version") != VERSION:
        raise CommandError(
            _("This backup has format version %(found)s; this Yishi reads version %(known)s.")
            % {"found": document.get("version"), "known": VERSION}
        )
    theirs, ours = document.get("migrations") or {}, migration_state()
    if theirs != ours:
        differences = "; ".join(
            _("%(app)s: backup %(theirs)s, database %(ours)s")
            % {"app": app, "theirs": theirs.get(app, "-"), "ours": ours.get(app, "-")}
            for app in sorted(set(theirs) | set(ours)) if theirs.get(app) != ours.get(app)
        )
        raise CommandError(
            _("The backup comes from a database at other migrations than this one; migrate both to "
              "the same version first. %(differences)s") % {"differences": differences}
        )


def restore(document) -> tuple[int, int]:
    """Load a document into an empty database, all or nothing. Returns (rows, files)."""
    try:
        return _restore(document)
    except CommandError:
        raise
    except Exception as error:  # anything wrong in the file: say what, having kept nothing
        raise CommandError(
            _("The backup could not be imported, nothing was changed: %(error)s") % {"error": error}
        ) from error


def _restore(document) -> tuple[int, int]:
    check_header(document)
    written: list[str] = []
    try:
        with transaction.atomic():
            if occupied := occupied_models():
                shown = ", ".join(occupied[:3]) + (", …" if occupied[3:] else "")
                raise CommandError(
                    _("The database already holds data (%(models)s). Import only into an empty, freshly "
                      "migrated database; nothing was changed.") % {"models": shown}
                )
            # Files first: an ImageField may read its file when the row is built.
            for name, data in document["files"].items():
                _put_file(name, base64.b64decode(data, validate=True), written)
            rows = _load_rows(document["objects"])
            _reset_sequences()
            _load_ballot_boxes(document.get("ballot_boxes") or {})
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return rows, len(written)


def _load_ballot_boxes(boxes: dict) -> None:
    from polls.services import ballot_box

    the_box = ballot_box()
    for key, dump in boxes.items():
        the_box.drop(key)  # a box left by an earlier attempt at this restore
        the_box.load(key, dump)


def _load_rows(objects) -> int:
    allowed = set(backup_models())
    deferred, count = [], 0
    for loaded in serializers.deserialize("python", objects, handle_forward_references=True):
        if type(loaded.object) not in allowed:
            raise CommandError(
                _("The backup holds rows of %(model)s, which are never backed up.")
                % {"model": loaded.object._meta.label}
            )
        loaded.save()
        count += 1
        if loaded.deferred_fields:
            deferred.append(loaded)
    for loaded in deferred:
        loaded.save_deferred_fields()
    return count


def _put_file(name: str, data: bytes, written: list[str]) -> None:
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            if stored.read() == data:
                return  # already there, e.g. the same media folder
        raise CommandError(
            _("%(name)s already exists in the media folder with other contents; move it away first.")
            % {"name": name}
        )
    saved = default_storage.save(name, ContentFile(data))
    written.append(saved)
    if saved != name:
        raise CommandError(_("The storage saved %(name)s under another name.") % {"name": name})


def _reset_sequences() -> None:
    """Rows came with their ids: move PostgreSQL's sequences past them (nothing to do on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), backup_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def dumps(document: dict) -> str:
    return json.dumps(document, cls=Encoder, ensure_ascii=False)
