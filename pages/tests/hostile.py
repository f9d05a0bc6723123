"""Hostile stored values, and how a test tells that a page or an answer would run one: shared by
the stored-payload tests in test_security.py and the browser probe
(test_stored_payloads_browser.py). Written apart from pages/fields.py on purpose: the gate is
judged by these rules, not by its own."""

import json
import re
from html.parser import HTMLParser

# Addresses no reader may be sent to, spelled the ways browsers still read as a script or
# another site: mixed case, leading spaces and control characters, a tab or newline inside,
# entities, protocol-relative and backslashed.
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \t javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    " VBScript:msgbox(1)",
    "//evil.example/",
    "\\\\evil.example/",
    "/\\evil.example/",
]
SAFE_URLS = [
    "https://example.org/a?b=1&c=2",
    "http://example.org/",
    "mailto:info@example.org",
    "tel:+442079460000",
    "/about/",
    "?page=2",
    "#main",
    "relative/path",
]
# Rich text no editor could have written: every way HTML runs script, and style.
HOSTILE_HTML = (
    '<p>Hello<script>alert("script")</script>'
    '<img src="x" onerror="alert(\'img\')">'
    "<a href=\"javascript:alert('href')\" onclick=\"alert('click')\">link one</a>"
    "<a href=\" JaVa&#x09;script:alert('entity')\">link two</a>"
    '<a href="data:text/html,<script>alert(1)</script>">link three</a>'
    "<iframe src=\"javascript:alert('frame')\"></iframe>"
    "<svg><script>alert('svg')</script></svg><svg onload=\"alert('onload')\"></svg>"
    "<style>body{display:none}</style>"
    '<b style="color:red" class="x" onmouseover="alert(\'b\')">bold</b>'
    "<object data=\"javascript:alert('object')\"></object>"
    '<form action="javascript:alert(\'form\')"><button formaction="javascript:alert(1)">'
    "go</button></form></p>"
)
WORDS_OF_HOSTILE_HTML = ["Hello", "link one", "link two", "link three", "bold"]

SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
FOLLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster"}
URL_METAS = {"og:url", "og:image", "twitter:image", "citation_pdf_url"}


def followable(address):
    """Whether a browser reading `address` (as an attribute's value, entities decoded) goes to
    http, https, mailto, tel or a path on the page's own site."""
    address = address.strip("".join(chr(c) for c in range(0x21)))
    address = re.sub(r"[\t\n\r]", "", address)
    if re.search(r"[\x00-\x1f\x7f]", address):
        return False
    scheme = SCHEME.match(address)
    if scheme:
        return scheme.group(1).lower() in FOLLOWED_SCHEMES
    return not address.replace("\\", "/").startswith("//")


class AddressFinder(HTMLParser):
    """Every address in a page that a browser would follow or load and that is not
    `followable`; scripts other than our static files and JSON data blocks; event handlers;
    and addresses inside JSON-LD."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.in_json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            kind = attrs.get("type") or ""
            self.in_json = kind.endswith("json")
            src = attrs.get("src") or ""
            if not (self.in_json or src.startswith("/static/")):
                self.found.append(f"<script {attrs}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value is not None and not followable(value):
                self.found.append(f"<{tag} {name}={value!r}>")
        meta = attrs.get("property") or attrs.get("name") if tag == "meta" else None
        if meta in URL_METAS and not followable(attrs.get("content") or ""):
            self.found.append(f"<meta {attrs}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_json = False

    def handle_data(self, data):
        if self.in_json:
            self.found += [f"JSON-LD {v!r}" for v in unfollowable_in_json(json.loads(data))]


def unfollowable_in_html(text):
    finder = AddressFinder()
    finder.feed(text)
    return finder.found


# The names addresses go by in JSON-LD and in the API's answers.
URL_KEYS = {
    "url",
    "href",
    "path",
    "item",
    "sameAs",
    "license",
    "contentUrl",
    "source_url",
    "repository_url",
    "licence_url",
    "csv",
    "json",
    "data_package",
    "html_url",
    "detail_url",
    "download_url",
}


def unfollowable_in_json(data, key=None):
    """Every address in JSON data (a value under one of URL_KEYS) a reader should not follow."""
    if isinstance(data, dict):
        return [v for name, value in data.items() for v in unfollowable_in_json(value, name)]
    if isinstance(data, list):
        return [v for value in data for v in unfollowable_in_json(value, key)]
    if key in URL_KEYS and isinstance(data, str) and data and not followable(data):
        return [data]
    return []
