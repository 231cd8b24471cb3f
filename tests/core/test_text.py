"""Markdown becomes safe HTML: formatting kept, scripts and dangerous links gone."""

from html.parser import HTMLParser

import pytest

from core.text import render_markdown


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def test_markdown_formatting_is_kept():
    html = render_markdown("**Bold** and *soft*\n\n- one\n- two\n\n[a link](https://example.org)")
    assert "<strong>Bold</strong>" in html and "<em>soft</em>" in html and "<li>one</li>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer ugc">a link</a>' in html


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<svg onload="alert(1)">',
    "[x](vbscript:msgbox(1))",
])
def test_scripts_and_dangerous_links_never_survive(source):
    """Escaped text is harmless; what matters is which tags, attributes and URLs come out."""
    parser = TagCollector()
    parser.feed(render_markdown(source))
    for tag, attrs in parser.tags:
        assert tag not in {"script", "iframe", "svg", "img", "object", "embed", "style"}, source
        for name, value in attrs:
            assert not name.startswith("on"), source
            if name in {"href", "src"}:
                assert (value or "").split(":")[0].lower() in {"http", "https", "mailto"}, source


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
