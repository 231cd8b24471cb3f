"""Markdown to safe HTML: the one place user text becomes markup.

Python-Markdown parses the text with raw HTML off: its raw-HTML block preprocessor and inline
pattern are taken out, so ``<b>`` typed by a resident reaches the page as the text ``<b>``. The
rendered output is sanitised again with nh3 using an allowlist of tags, attributes and link
schemes, so neither parser quirks nor entity-encoded ``javascript:`` links get through.
"""

import re
from functools import lru_cache
from urllib.parse import quote

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from markdown.blockprocessors import HashHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.nl2br import Nl2BrExtension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import SimpleTagInlineProcessor, SubstituteTagInlineProcessor
from mdx_better_lists import BetterListsExtension
from mdx_better_lists.extension import BetterParagraphProcessor

# The help under every box that takes formatted text, in plain words: most people never heard of Markdown.
WRITING_HELP = gettext_lazy(
    "Write as you would in a message; line breaks are kept. If you like: **two stars** around words make them "
    "bold, and lines starting with “- ” make a list.")

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "td": {"align"}, "th": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
URL_SAFE = ";/?:@&=+$,-_.!~*'()#%"  # kept as they are in a link target; anything else is percent-encoded
# Control characters other than tab and line breaks are not text, and XML (the Atom feeds) cannot carry them.
# Lone surrogates too: JSON (the API, the sockets) can carry "\\ud800", which no database can store as text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Python-Markdown takes time quadratic in some shapes of one block (lines without a blank one between):
# it looks for the end of a link or code span from every "[" and backtick (10,000 "[" take 14 s; its
# issue 798) and splits a block line by line (20,000 lines of "-" take 10 s); and a code fence followed by
# a long run of spaces makes its fenced-code pattern backtrack (10,000 spaces take 3 s). Text of such a
# shape, far from anything a person writes, is shown as plain paragraphs, as is text nested too deep for
# the parser's recursion.
MOST_BRACKETS_PER_BLOCK = 200
MOST_LINES_PER_BLOCK = 2000
_BLOCKS = re.compile(r"\n[ \t\r]*\n")
_BRACKETS = re.compile(r"[\[`]")
_SPACED_FENCE = re.compile(r"^ {0,3}(?:`{3,}+|~{3,}+)[^\n]*? {100}", re.MULTILINE)


def whole_number(value) -> int | None:
    """A whole number from a form, a query string or a JSON frame; anything else ("x", "1.5", "²", true) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    # Beyond 64 bits no database column holds it: not a number anyone means ("9" * 5000 included).
    return value if isinstance(value, int) and -(2**63) <= value < 2**63 else None


def render_markdown(source: str) -> SafeString:
    """Render user Markdown to sanitised HTML."""
    return mark_safe(_render(source or ""))  # noqa: S308 - sanitised by nh3 in _render


@lru_cache(maxsize=4096)
def _render(source: str) -> str:
    """Pure, so kept: a page of 200 chat messages or 50 comments renders each text once per process."""
    try:
        html = linebreaks(source, autoescape=True) if _costly(source) else _parser().convert(source)
    except RecursionError:
        html = linebreaks(source, autoescape=True)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        attribute_filter=_encode_link,
    )
    # An entity such as "&#14;" comes out as the character itself: it shows as the replacement character.
    return _CONTROL.sub("\ufffd", html)


def _encode_link(tag: str, attribute: str, value: str) -> str:
    """Link targets percent-encoded, as CommonMark does: an invisible or non-ASCII character stays visible.

    nh3 calls this after it has dropped links of schemes outside the allowlist.
    """
    return quote(value, safe=URL_SAFE) if attribute == "href" else value


def _costly(source: str) -> bool:
    """Whether the text has a shape Python-Markdown is slow on (see MOST_BRACKETS_PER_BLOCK)."""
    if _SPACED_FENCE.search(source):
        return True
    return any(len(_BRACKETS.findall(block)) > MOST_BRACKETS_PER_BLOCK or block.count("\n") >= MOST_LINES_PER_BLOCK
               for block in _BLOCKS.split(source))


def _parser() -> markdown.Markdown:
    """A new parser per text: a Markdown instance keeps state while it converts, so threads cannot share one.

    Building one costs less than rendering a short comment, and the cache above spares most renders.
    """
    return markdown.Markdown(extensions=[
        FencedCodeExtension(),
        TableExtension(use_align_attribute=True),
        Nl2BrExtension(),  # a line break typed is a line break shown, as anyone who never heard of Markdown expects
        # Lists as residents type them: straight after a line of text, nested by two spaces or more.
        BetterListsExtension(nested_indent=2, split_paragraph_lists=True, unordered_list_separation=False),
        _YishiMarkdown(),
    ])


class _SpacedHashHeader(HashHeaderProcessor):
    """A heading needs a space after its hashes, so "#3 building" stays a sentence."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:[ \t](?:\\.|[^\\#]|#+(?=[^#\n]))*?)?)#*(?:\n|$)")


class _Paragraph(BetterParagraphProcessor):
    """A list may start straight after a line of text, but a numbered one only at 1: "2024. It was" stays text."""

    LIST_MARKER_RE = re.compile(r"^[ ]{0,3}([*+-]|1\.)[ ]+")


class _YishiMarkdown(Extension):
    """Raw HTML off; and the Markdown residents wrote before: ~~struck~~ text, a backslash line break."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.parser.blockprocessors.register(_SpacedHashHeader(md.parser), "hashheader", 70)
        md.parser.blockprocessors.register(_Paragraph(md.parser), "paragraph", 10)
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"(~~)(?!~)(.+?)~~", "s"), "strikethrough", 55)
        md.inlinePatterns.register(SubstituteTagInlineProcessor(r"\\\n", "br"), "backslash_break", 185)
        md.ESCAPED_CHARS.extend(["~", "<"])


def max_length(model, name: str) -> int:
    """The most characters a model's text field holds: each limit is written once, on its model field."""
    return model._meta.get_field(name).max_length


def clean_text(value: str, *, field: str, required: bool = True, limit: int) -> str:
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
