"""What every app's views share: turning a service's refusal into messages on a form."""

import csv

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse


def error_messages(error) -> list[str]:
    """The sentences a refusal carries, for a form or a flash message."""
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def attempt(form, call) -> bool:
    """Call a service with a valid form's data; if it refuses, put the reasons on the form (input kept)."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            form.add_error(None, message)
        return False
    return True


class _Echo:
    def write(self, value):
        return value


def csv_response(rows, filename: str) -> StreamingHttpResponse:
    """Rows (an iterable of lists, header first) streamed as a CSV download."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
