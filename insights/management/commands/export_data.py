"""Write the whole platform, rows and uploaded files, as one JSON document: the backup.

What is in it and what is not: see insights/backup.py. Restore it with `import_data`.
"""

import os

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from insights import backup


class Command(BaseCommand):
    help = gettext_lazy("Export every row and uploaded file as one JSON document, a backup for import_data.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help=gettext_lazy("Write to this file instead of standard output.")
        )

    def handle(self, *args, output=None, **options):
        document, missing = backup.export()
        text = backup.dumps(document)
        report = self.stdout if output else self.stderr  # standard output may be the backup itself
        for name in missing:
            report.write(self.style.WARNING(
                _("Missing from the media folder, not exported: %(name)s") % {"name": name}
            ))
        if output:
            # Written beside, then renamed: a backup cut short never looks like a whole one.
            # Only its owner reads it: it holds password hashes, contacts and addresses.
            partial = f"{output}.partial"
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w",
                           encoding="utf-8") as out:
                out.write(text)
            os.replace(partial, output)
        else:
            self.stdout.write(text)
        audit.record(None, "export.backup", community=None, rows=len(document["objects"]), files=len(document["files"]))
        report.write(_("Exported %(rows)d rows and %(files)d files.")
                     % {"rows": len(document["objects"]), "files": len(document["files"])})
