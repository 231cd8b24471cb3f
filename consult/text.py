"""Markdown to safe HTML: the one place user text becomes markup.

Raw HTML in the source is escaped by the parser (``html`` off), and the
rendered output is sanitised again with nh3 using an allowlist of tags,
attributes and link schemes, so neither parser quirks nor entity-encoded
``javascript:`` links get through.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
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
