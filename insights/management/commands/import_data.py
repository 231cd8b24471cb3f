"""Restore a backup written by `export_data` into an empty, freshly migrated database.

Refuses, changing nothing, if the database holds any data of ours or was migrated differently
from the database the backup came from. All or nothing: on any error no row is kept and the
files already written are removed.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from insights import backup


class Command(BaseCommand):
    help = gettext_lazy("Import a backup written by export_data into an empty, freshly migrated database.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("The backup file."))

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as source:
                document = json.load(source)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}
            ) from error
        except ValueError as error:  # bad JSON or bad UTF-8: a damaged or truncated file
            raise CommandError(
                _("%(file)s is damaged or incomplete, nothing was changed: %(error)s")
                % {"file": file, "error": error}
            ) from error
        rows, files = backup.restore(document)
        audit.record(None, "export.restored", community=None, rows=rows, files=files)
        self.stdout.write(self.style.SUCCESS(
            _("Imported %(rows)d rows and %(files)d files.") % {"rows": rows, "files": files}
        ))
