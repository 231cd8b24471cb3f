"""Markdown to safe HTML: the one place user text becomes markup.

Raw HTML in the source is escaped by the parser (``html`` off), and the
rendered output is sanitised again with nh3 using an allowlist of tags,
attributes and link schemes, so neither parser quirks nor entity-encoded
``javascript:`` links get through.
"""

import re
from functools import lru_cache

import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "td": {"align"}, "th": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def whole_number(value) -> int | None:
    """A whole number from a form, a query string or a JSON frame; anything else ("x", "1.5", "²", true) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


def render_markdown(source: str) -> SafeString:
    """Render user Markdown to sanitised HTML."""
    return mark_safe(_render(source or ""))  # noqa: S308 - sanitised by nh3 in _render


@lru_cache(maxsize=4096)
def _render(source: str) -> str:
    """Pure, so kept: a page of 200 chat messages or 50 comments renders each text once per process."""
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: str, *, field: str, required: bool = True, limit: int = 5000) -> str:
    value = (value or "").strip()
    # Forms refuse NUL already; the API and Open311 reach here with raw text. Control characters other than
    # tab and line breaks are not text, and XML cannot carry them: one in a title took the Atom feeds down.
    if _CONTROL.search(value):
        raise ValidationError(_("%(field)s contains a character that is not allowed.") % {"field": field})
    if required and not value:
        raise ValidationError(_("%(field)s cannot be empty.") % {"field": field})
    if len(value) > limit:
        raise ValidationError(_("%(field)s has at most %(limit)s characters.") % {"field": field, "limit": limit})
    return value
