"""The XSS proof's tools: the payloads, a person's browser tab on a test server, and what no page may do.

A tab fails the check when a payload ran (a dialog opened, ``window.__xss`` was set, the title changed) or
could run (an ``on*`` attribute, a ``javascript:``/``data:`` link, a script, frame or object the site did not
write, markup in rendered Markdown beyond what the sanitiser allows), or when the browser reported an error,
which is how it reports a Content Security Policy violation.
"""

import html
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.test import Client

from core.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
_CHARACTER = re.compile(r"⟨U\+([0-9A-F]{4,6})⟩")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def load_payloads() -> list[str]:
    """The payloads of ``xss_payloads.txt``, with its line breaks (⏎) and characters (⟨U+XXXX⟩) decoded."""
    payloads = []
    for line in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#:"):
            payloads.append(_CHARACTER.sub(lambda m: chr(int(m.group(1), 16)), line.replace("⏎", "\n")))
    return payloads


PAYLOADS = load_payloads()


def fitting(limit: int) -> list[str]:
    """The payloads a text field of at most ``limit`` characters takes (services strip the ends, and refuse
    control characters other than tabs and line breaks)."""
    return [p for p in PAYLOADS if 0 < len(p.strip()) <= limit and not _CONTROL.search(p)]


def one_line(limit: int) -> list[str]:
    """Payloads as display names: whitespace collapsed, as the profile service stores them; each once."""
    names = dict.fromkeys(" ".join(p.split()) for p in PAYLOADS)
    return [n for n in names if 0 < len(n) <= limit]


def documents(limit: int) -> list[str]:
    """All payloads in as few Markdown documents of at most ``limit`` characters as they fit in."""
    chunks, current = [], ""
    for payload in fitting(limit):
        joined = f"{current}\n\n{payload}" if current else payload
        if len(joined) > limit:
            chunks.append(current)
            joined = payload
        current = joined
    return [*chunks, current]


def session_cookie(user) -> str:
    """Signed in as the login page would: a session row in the shared database, and its cookie."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# What the page holds, read in the browser after the payloads had their chance to run.
INSPECT = r"""() => {
  const problems = [];
  const invisible = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/g;
  const bare = (value) => value.replace(invisible, "").toLowerCase();
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "background", "poster",
                         "srcset", "codebase", "code", "cite", "ping", "manifest", "lowsrc", "dynsrc"];
  const describe = (el) => el.outerHTML.slice(0, 160);
  for (const el of document.querySelectorAll("*")) {
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) problems.push("event handler " + name + ": " + describe(el));
      if (name === "srcdoc" || name === "style") problems.push(name + " attribute: " + describe(el));
      if (urlAttributes.includes(name) && /^(javascript|data|vbscript):/.test(bare(attribute.value))) {
        problems.push("dangerous " + name + ": " + describe(el));
      }
    }
  }
  // The site's own charts are the only SVG it writes (polls' results, the scorecards' months).
  const foreign = "iframe, frame, frameset, object, embed, applet, base, meta[http-equiv], style, math, template, " +
                  "noscript, svg:not(.bars, .months), input[type=image], link:not([href^='/static/'])";
  for (const el of document.querySelectorAll(foreign)) problems.push("element not the site's: " + describe(el));
  for (const script of document.scripts) {
    if (!(script.getAttribute("src") || "").startsWith("/static/")) problems.push("script: " + describe(script));
  }
  const allowed = new Set(%(allowed)s);
  for (const box of document.querySelectorAll(".markdown")) {
    for (const el of box.querySelectorAll("*")) {
      const tag = el.tagName.toLowerCase();
      const attributes = allowed.has(tag) ? %(attributes)s[tag] || [] : null;
      if (attributes === null) { problems.push("tag outside the allowlist: " + describe(el)); continue; }
      for (const attribute of el.attributes) {
        if (attributes.includes(attribute.name) || attribute.name === "rel") continue;
        problems.push("attribute outside the allowlist: " + describe(el));
      }
    }
  }
  return {problems, xss: typeof window.__xss, title: document.title.split(/\s+/).join(" ").trim(),
          text: document.body.innerText};
}""" % {
    "allowed": sorted(ALLOWED_TAGS),
    "attributes": {tag: sorted(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
}
# Pending timers, animations and focus events get their turn before the page is read.
SETTLE = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))"


class Tab:
    """A person's browser tab on one test server, watching for dialogs and browser errors."""

    def __init__(self, browser, base: str, user=None):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        if user is not None:
            self.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user),
                                       "url": base}])
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.csp_headers: set[bool] = set()
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"{m.text} ({self.page.url})"))
        self.page.on("pageerror", lambda e: self.errors.append(f"{e} ({self.page.url})"))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}({dialog.message!r}) on {self.page.url}")
        dialog.dismiss()

    def open(self, path: str) -> dict:
        """Load a page (a live one: no reload in between) and check it; returns what it shows."""
        response = self.page.goto(self.base + path)
        assert response.ok, f"{path}: HTTP {response.status}"
        self.csp_headers.add("content-security-policy" in response.headers)
        served = re.search(r"<title>(.*?)</title>", response.text(), re.S)  # none in a fragment
        return self.check(path, " ".join(html.unescape(served.group(1) if served else "").split()))

    def check(self, where: str, title: str) -> dict:
        self.page.evaluate(SETTLE)
        found = self.page.evaluate(INSPECT)
        assert not self.dialogs, f"{where}: a payload opened a dialog: {self.dialogs}"
        assert found["xss"] == "undefined", f"{where}: a payload set window.__xss"
        assert found["title"] == title, f"{where}: the title changed to {found['title']!r}"
        assert not found["problems"], f"{where}: {found['problems'][:10]}"
        assert not self.errors, f"{where}: the browser reported {self.errors[:5]}"
        return found

    def close(self) -> None:
        self.context.close()


class _Markup(HTMLParser):
    """Every tag and attribute of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def unsafe_markup(fragment: str) -> list[str]:
    """What in a feed's HTML goes beyond the sanitiser's allowlist, or links to a script or data URL."""
    parser = _Markup()
    parser.feed(fragment)
    problems = []
    for tag, attrs in parser.tags:
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name != "rel" and name not in ALLOWED_ATTRIBUTES.get(tag, ()):
                problems.append(f"<{tag} {name}>")
            bare = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if bare.startswith(("javascript:", "data:", "vbscript:")):
                problems.append(f"<{tag} {name}={value!r}>")
    return problems


def read_feed(body: bytes) -> list[tuple[str, str]]:
    """An Atom feed's entries as (title, HTML content): a feed that escaped badly does not parse."""
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(body)
    return [(entry.findtext(f"{atom}title") or "", entry.findtext(f"{atom}summary") or entry.findtext(f"{atom}content")
             or "") for entry in root.iter(f"{atom}entry")]
