"""Markdown becomes safe HTML: formatting kept, raw HTML shown as text, scripts and dangerous links gone."""

import re
import time
from html.parser import HTMLParser

import pytest

from core.text import _render, render_markdown
from tests.security.xss import PAYLOADS


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


# Raw HTML is text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "shown"), [
    ("<b>bold</b> and <i>x</i>", "<p>&lt;b&gt;bold&lt;/b&gt; and &lt;i&gt;x&lt;/i&gt;</p>"),
    ("<div>\nA block\n</div>", "<p>&lt;div&gt;<br>\nA block<br>\n&lt;/div&gt;</p>"),
    ("<!-- a comment -->", "<p>&lt;!-- a comment --&gt;</p>"),
    ("<p onclick=alert(1)>", "<p>&lt;p onclick=alert(1)&gt;</p>"),
    ("```\n<b>in code</b>\n```", "<pre><code>&lt;b&gt;in code&lt;/b&gt;\n</code></pre>"),
    ("`<b>`", "<p><code>&lt;b&gt;</code></p>"),
    ("\\<b>", "<p>&lt;b&gt;</p>"),
])
def test_html_typed_by_a_resident_is_shown_as_text(source, shown):
    assert render_markdown(source) == shown


# The Markdown people write ------------------------------------------------------------------------


LINK = 'rel="nofollow noopener noreferrer ugc"'


@pytest.mark.parametrize(("source", "html"), [
    ("**Bold**, *soft*, ***both*** and ~~struck~~", "<p><strong>Bold</strong>, <em>soft</em>, "
                                                    "<strong><em>both</em></strong> and <s>struck</s></p>"),
    ("snake_case_name stays", "<p>snake_case_name stays</p>"),
    ("\\*not emphasis\\* and \\~~not struck~~", "<p>*not emphasis* and ~~not struck~~</p>"),
    ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
    ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
    ("Problems:\n- the lift\n- the lights", "<p>Problems:</p>\n<ul>\n<li>the lift</li>\n<li>the lights</li>\n</ul>"),
    ("Steps:\n1. call\n2. wait", "<p>Steps:</p>\n<ol>\n<li>call</li>\n<li>wait</li>\n</ol>"),
    ("We met in\n2024. It went well", "<p>We met in<br>\n2024. It went well</p>"),  # a typed break stays
    ("- a\n  - nested\n- b", "<ul>\n<li>a<ul>\n<li>nested</li>\n</ul>\n</li>\n<li>b</li>\n</ul>"),
    ("[a link](https://example.org \"Title\")", f'<p><a href="https://example.org" title="Title" {LINK}>a link</a></p>'),
    ("[ref][1]\n\n[1]: https://example.org", f'<p><a href="https://example.org" {LINK}>ref</a></p>'),
    ("<https://example.org>", f'<p><a href="https://example.org" {LINK}>https://example.org</a></p>'),
    ("<li@example.org>", f'<p><a href="mailto:li@example.org" {LINK}>li@example.org</a></p>'),
    ("see https://example.org", "<p>see https://example.org</p>"),
    ("use `a < b`", "<p>use <code>a &lt; b</code></p>"),
    ("```python\nprint(1)\n```", "<pre><code>print(1)\n</code></pre>"),
    ("    indented code", "<pre><code>indented code\n</code></pre>"),
    ("one  \ntwo\\\nthree\nfour", "<p>one<br>\ntwo<br>\nthree<br>\nfour</p>"),
    ("# Title\n\n## Part ##\n\nText\n---", "<h1>Title</h1>\n<h2>Part</h2>\n<h2>Text</h2>"),
    ("#3 building is noisy", "<p>#3 building is noisy</p>"),
    ("> quoted\n> more", "<blockquote>\n<p>quoted<br>\nmore</p>\n</blockquote>"),
    ("above\n\n---\n\nbelow", "<p>above</p>\n<hr>\n<p>below</p>"),
    ("| a | b |\n|:--|--:|\n| 1 | 2 |", '<table>\n<thead>\n<tr>\n<th align="left">a</th>\n<th align="right">b</th>\n'
                                        '</tr>\n</thead>\n<tbody>\n<tr>\n<td align="left">1</td>\n'
                                        '<td align="right">2</td>\n</tr>\n</tbody>\n</table>'),
    ("小区**电梯**维修，*请*注意。\n问题如下：\n1. 电梯坏了\n2. 路灯不亮",
     "<p>小区<strong>电梯</strong>维修，<em>请</em>注意。<br>\n问题如下：</p>\n<ol>\n<li>电梯坏了</li>\n<li>路灯不亮</li>\n</ol>"),
    ("# 标题\n见 <https://example.org/路径>", f'<h1>标题</h1>\n<p>见 <a href="https://example.org/%E8%B7%AF%E5%BE%84" '
                                            f'{LINK}>https://example.org/路径</a></p>'),
    ("[a](java\u200bscript:alert(1))", f'<p><a href="java%E2%80%8Bscript:alert(1)" {LINK}>a</a></p>'),
])
def test_the_markdown_people_write_keeps_its_meaning(source, html):
    assert render_markdown(source) == html


def test_a_minutes_draft_nests_tasks_under_their_agenda_item():
    draft = "1. **Parking** — Decided\n   Paint the lines\n   - Task: paint — Property office, 2031-01-01\n2. **Hall** — Deferred"
    parser = TagCollector()
    parser.feed(render_markdown(draft))
    assert [tag for tag, _attrs in parser.tags] == ["ol", "li", "strong", "br", "ul", "li", "li", "strong"]


def test_the_same_text_is_rendered_once_per_process():
    text = "A text rendered for the *cache* test"
    render_markdown(text)
    hits = _render.cache_info().hits
    assert render_markdown(text) == "<p>A text rendered for the <em>cache</em> test</p>"
    assert _render.cache_info().hits == hits + 1


# Shapes the parser is slow on ----------------------------------------------------------------------


@pytest.mark.parametrize("source", [
    "[" * 10000,                    # 14 s through the parser
    "``a`" * 2500 + "[" * 300,
    "```" + " " * 20000 + "x",     # 11 s
    "-\n" * 20000,                  # 10 s
    "#\n" * 20000,
    "".join("  " * depth + "- x\n" for depth in range(300)),  # deeper than the parser's recursion
])
def test_text_the_parser_would_take_seconds_over_is_shown_as_plain_text_at_once(source):
    _render.cache_clear()
    started = time.perf_counter()
    html = render_markdown(source)
    assert time.perf_counter() - started < 2
    assert html.startswith("<p>") and "<li>" not in html and "<h1>" not in html


def test_brackets_spread_over_paragraphs_still_render_as_markdown():
    source = "\n\n".join(f"[link {n}](https://example.org/{n})" for n in range(300))
    assert render_markdown(source).count("<a href=") == 300


def test_an_entity_for_a_control_character_shows_the_replacement_character():
    assert render_markdown("bell &#7; and &#14; [t](https://example.org \"&#14;\")") == (
        f'<p>bell \ufffd and \ufffd <a href="https://example.org" title="\ufffd" {LINK}>t</a></p>')


def test_no_payload_renders_to_a_character_xml_cannot_carry():
    for payload in PAYLOADS:
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", render_markdown(payload)), payload
