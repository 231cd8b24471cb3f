"""What every app's views share: turning a service's refusal into messages on a form, live pages, CSV."""

import csv
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

LIVE_HEADER = "X-Live-Refresh"  # sent by the page's script when a live event makes it fetch its regions again


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


def render_live(request, template: str, context: dict) -> HttpResponse:
    """A page whose regions change live: the whole page, or, when its script asks again after a live event,
    only those regions — its template's ``live`` partial, each region an element with its id."""
    live = request.headers.get(LIVE_HEADER) == "1"
    response = render(request, f"{template}#live" if live else template, context)
    patch_vary_headers(response, [LIVE_HEADER])
    return response


class _Echo:
    def write(self, value):
        return value


# A spreadsheet reads a cell starting with one of these as a formula (OWASP's list, and the full-width forms
# a Chinese input method types, which some spreadsheets read the same way).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_safe(cell):
    """A text cell a spreadsheet would run as a formula, prefixed with an apostrophe so it reads as text (the
    OWASP remedy); numbers, dates and every other cell unchanged."""
    return f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def csv_response(rows, filename: str) -> StreamingHttpResponse:
    """Rows (an iterable of lists, header first) streamed as a CSV download; every CSV the site gives goes
    through here, so no cell of it runs as a formula in a spreadsheet."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow([spreadsheet_safe(cell) for cell in row]) for row in rows),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass(frozen=True)
class Confirm:
    """An act that cannot be undone: the page that asks first says what will happen, in plain words."""

    title: str
    what: str
    button: str
    danger: bool = False


def confirm_page(request, confirm: Confirm, *, action: str, back_url: str, back_label: str,
                 fields: tuple = ()) -> HttpResponse:
    """Ask before an irreversible act; its button posts ``confirmed=1`` (and ``fields``) to ``action``. A page,
    not a script's dialog, so it works without JavaScript."""
    return render(request, "confirm.html", {
        "confirm": confirm, "action": action, "fields": fields, "back": {"url": back_url, "label": back_label}})


def confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirmed") == "1"
