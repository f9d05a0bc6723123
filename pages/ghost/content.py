"""A Ghost post's body as the site's body blocks.

Every post is turned into HTML first: Ghost's own `html` when the export has it, else its
`lexical` (Ghost 5) or `mobiledoc` (Ghost 3 and 4) rendered here, cards included. That HTML is
then read element by element into headings, paragraphs, quotes, images, embeds, tables and
code. Anything else is kept as rich text, which the body's fields clean to the editor's
allow-list (pages/fields.py) on the way into the database; what cannot be kept is named in a
note, never dropped without a word."""

import html as html_lib
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

GHOST_URL = "__GHOST_URL__"
HEADING_MAX, QUOTE_MAX, CAPTION_MAX, TITLE_MAX, ALT_MAX = 150, 600, 250, 150, 250
# Containers read through: what is inside them becomes blocks of its own.
CONTAINERS = {"div", "section", "article", "main", "header", "footer", "span", "center", "body"}
RICH_TEXT = {"p", "ul", "ol"}
INLINE = {"a", "b", "i", "strong", "em", "u", "s", "code", "small", "sub", "sup", "mark"}
DROPPED = {"script", "style", "noscript", "template", "object", "embed", "form", "svg", "math"}


@dataclass
class Body:
    """The blocks of a body, with images still named by their address (`src`): the importer
    turns each into an image of the library or, when the file is missing, a link."""

    blocks: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def esc(text):
    return html_lib.escape(text or "", quote=True)


# Ghost's stored formats, as HTML


def post_html(post):
    """(html, notes): the post's body as HTML, from the first format the export holds."""
    if post.html and post.html.strip():
        return post.html, []
    notes = []
    for name, render in (("lexical", lexical_html), ("mobiledoc", mobiledoc_html)):
        source = getattr(post, name)
        if not source:
            continue
        try:
            document = json.loads(source)
        except ValueError:
            notes.append(f"its {name} is not JSON: the body is empty")
            return "", notes
        return render(document, notes), notes
    return "", notes


def card_html(name, payload, notes):
    """One of Ghost's cards (the same names and fields in mobiledoc and lexical) as HTML."""
    payload = payload if isinstance(payload, dict) else {}
    if name == "markdown":
        return markdown_html(str(payload.get("markdown") or ""))
    if name == "html":
        return str(payload.get("html") or "")
    if name == "image":
        alt = payload.get("alt") or payload.get("altText") or ""
        caption = payload.get("caption") or ""
        return (
            f'<figure><img src="{esc(payload.get("src"))}" alt="{esc(alt)}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    if name == "gallery":
        images = "".join(
            f'<img src="{esc(i.get("src"))}" alt="{esc(i.get("alt") or "")}">'
            for i in payload.get("images") or []
            if isinstance(i, dict)
        )
        return f"<figure>{images}<figcaption>{payload.get('caption') or ''}</figcaption></figure>"
    if name in ("code", "codeblock"):
        return f"<pre><code>{esc(str(payload.get('code') or ''))}</code></pre>"
    if name == "embed":
        url = payload.get("url") or ""
        caption = payload.get("caption") or ""
        return (
            f'<figure class="kg-embed-card" data-url="{esc(url)}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    if name == "bookmark":
        metadata = payload.get("metadata") if isinstance(payload.get("metadata"), dict) else {}
        url = payload.get("url") or ""
        title = metadata.get("title") or url
        return f'<p><a href="{esc(url)}">{esc(title)}</a></p>'
    if name in ("hr", "horizontalrule"):
        return "<hr>"
    if name == "callout":
        return f"<div>{payload.get('calloutText') or ''}</div>"
    if name == "toggle":
        return (
            f"<p><b>{payload.get('heading') or ''}</b></p><div>{payload.get('content') or ''}</div>"
        )
    if name == "button":
        url, text = payload.get("url") or payload.get("buttonUrl"), payload.get("buttonText")
        return f'<p><a href="{esc(url or "")}">{esc(text or url or "")}</a></p>'
    notes.append(f"a '{str(name)[:30]}' card was left out: it holds nothing this site can show")
    return ""


def mobiledoc_html(document, notes):
    """Mobiledoc (Ghost 1 to 4) as HTML: its markup sections, lists, images and cards."""
    if not isinstance(document, dict):
        notes.append("its mobiledoc is not a document: the body is empty")
        return ""
    markups = document.get("markups") or []
    cards = document.get("cards") or []
    atoms = document.get("atoms") or []

    def markers_html(markers):
        out, open_tags = [], []
        for marker in markers or []:
            if not isinstance(marker, list) or len(marker) < 4:
                continue
            kind, opens, closes, value = marker[:4]
            for index in opens or []:
                markup = markups[index] if index < len(markups) else ["span"]
                tag = str(markup[0]).lower()
                attrs = markup[1] if len(markup) > 1 and markup[1] else []
                pairs = zip(attrs[::2], attrs[1::2], strict=False)
                attributes = "".join(f' {esc(str(k))}="{esc(str(v))}"' for k, v in pairs)
                out.append(f"<{tag}{attributes}>")
                open_tags.append(tag)
            if kind == 0:
                out.append(esc(str(value)))
            elif kind == 1 and isinstance(value, int) and value < len(atoms):
                atom = atoms[value]
                out.append("<br>" if atom[0] == "soft-return" else esc(str(atom[1] or "")))
            for _ in range(closes or 0):
                if open_tags:
                    out.append(f"</{open_tags.pop()}>")
        out.extend(f"</{tag}>" for tag in reversed(open_tags))
        return "".join(out)

    parts = []
    for section in document.get("sections") or []:
        if not isinstance(section, list) or not section:
            continue
        kind = section[0]
        if kind == 1:
            tag = str(section[1]).lower()
            tag = tag if re.fullmatch(r"h[1-6]|p|blockquote|aside|pull-quote", tag) else "p"
            tag = "blockquote" if tag in ("aside", "pull-quote") else tag
            parts.append(f"<{tag}>{markers_html(section[2])}</{tag}>")
        elif kind == 3:
            tag = "ol" if str(section[1]).lower() == "ol" else "ul"
            items = "".join(f"<li>{markers_html(item)}</li>" for item in section[2] or [])
            parts.append(f"<{tag}>{items}</{tag}>")
        elif kind == 2:
            parts.append(f'<img src="{esc(str(section[1]))}" alt="">')
        elif kind == 10 and isinstance(section[1], int) and section[1] < len(cards):
            name, payload = (cards[section[1]] + [{}])[:2]
            parts.append(card_html(name, payload, notes))
    return "".join(parts)


LEXICAL_FORMATS = [(1, "b"), (2, "i"), (8, "u"), (4, "s")]


def lexical_html(document, notes):
    """Lexical (Ghost 5) as HTML: its text nodes, links, lists, quotes and cards."""
    root = document.get("root") if isinstance(document, dict) else None
    if not isinstance(root, dict):
        notes.append("its lexical is not a document: the body is empty")
        return ""

    def children(node):
        return "".join(render(child) for child in node.get("children") or [])

    def render(node):
        if not isinstance(node, dict):
            return ""
        kind = node.get("type")
        if kind in ("text", "extended-text"):
            text = esc(str(node.get("text") or ""))
            fmt = node.get("format") if isinstance(node.get("format"), int) else 0
            for bit, tag in LEXICAL_FORMATS:
                if fmt & bit:
                    text = f"<{tag}>{text}</{tag}>"
            return text
        if kind == "linebreak":
            return "<br>"
        if kind in ("link", "autolink"):
            return f'<a href="{esc(str(node.get("url") or ""))}">{children(node)}</a>'
        if kind in ("paragraph", "extended-paragraph"):
            return f"<p>{children(node)}</p>"
        if kind in ("heading", "extended-heading"):
            tag = str(node.get("tag") or "h2")
            tag = tag if re.fullmatch(r"h[1-6]", tag) else "h2"
            return f"<{tag}>{children(node)}</{tag}>"
        if kind in ("quote", "aside", "extended-quote"):
            return f"<blockquote>{children(node)}</blockquote>"
        if kind == "list":
            tag = "ol" if node.get("listType") == "number" else "ul"
            return f"<{tag}>{children(node)}</{tag}>"
        if kind == "listitem":
            return f"<li>{children(node)}</li>"
        if kind == "root":
            return children(node)
        return card_html(kind, node, notes)

    return render(root)


# Markdown cards (no library: the handful of rules Ghost's editors use)

INLINE_RULES = [
    (re.compile(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)"), r'<img alt="\1" src="\2">'),
    (re.compile(r"\[([^\]]+)\]\(([^)\s]+)[^)]*\)"), r'<a href="\2">\1</a>'),
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), lambda m: f"<b>{m.group(1) or m.group(2)}</b>"),
    (
        re.compile(r"(?<![\w*])\*(?!\s)(.+?)\*|(?<!\w)_(?!\s)(.+?)_(?!\w)"),
        lambda m: f"<i>{m.group(1) or m.group(2)}</i>",
    ),
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
]


def markdown_inline(text):
    for pattern, replacement in INLINE_RULES:
        text = pattern.sub(replacement, text)
    return text


def markdown_html(source):
    """Markdown's blocks (headings, quotes, lists, fenced code, paragraphs) as HTML. Inline
    HTML passes through, as in Ghost; it is cleaned with the rest."""
    out, lines = [], source.replace("\r\n", "\n").split("\n")
    paragraph, items, list_tag, quote = [], [], None, []

    def flush():
        nonlocal list_tag
        if paragraph:
            out.append(f"<p>{markdown_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            out.append(f"<{list_tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{list_tag}>")
            items.clear()
            list_tag = None
        if quote:
            out.append(f"<blockquote>{markdown_inline(' '.join(quote))}</blockquote>")
            quote.clear()

    n = 0
    while n < len(lines):
        line = lines[n]
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            code = []
            n += 1
            while n < len(lines) and not lines[n].strip().startswith("```"):
                code.append(lines[n])
                n += 1
            out.append(f"<pre><code>{esc(chr(10).join(code))}</code></pre>")
        elif not stripped:
            flush()
        elif heading := re.match(r"^(#{1,6})\s+(.*?)\s*#*$", stripped):
            flush()
            level = len(heading.group(1))
            out.append(f"<h{level}>{markdown_inline(heading.group(2))}</h{level}>")
        elif stripped.startswith(">"):
            if paragraph or items:
                flush()
            quote.append(stripped.lstrip(">").strip())
        elif item := re.match(r"^([-*+]|\d+[.)])\s+(.*)$", stripped):
            tag = "ol" if item.group(1)[0].isdigit() else "ul"
            if paragraph or quote or (list_tag and list_tag != tag):
                flush()
            list_tag = tag
            items.append(markdown_inline(item.group(2)))
        elif re.fullmatch(r"([-*_])(\s*\1){2,}", stripped):
            flush()
            out.append("<hr>")
        else:
            if items or quote:
                flush()
            paragraph.append(stripped)
        n += 1
    flush()
    return "".join(out)


# HTML into blocks


def local_address(url):
    """Ghost 4 and 5 write their own site's address as __GHOST_URL__: a path here."""
    url = (url or "").strip()
    return url[len(GHOST_URL) :] or "/" if url.startswith(GHOST_URL) else url


def video_address(url):
    """An embedded player's address as the page address oEmbed knows (YouTube, Vimeo)."""
    parts = urlsplit(url if "//" in url else "")
    host = parts.netloc.lower()
    if host.endswith("youtube.com") or host.endswith("youtube-nocookie.com"):
        if parts.path.startswith("/embed/"):
            return f"https://www.youtube.com/watch?v={parts.path.split('/')[2]}"
        if "v" in parse_qs(parts.query):
            return f"https://www.youtube.com/watch?v={parse_qs(parts.query)['v'][0]}"
    if host == "player.vimeo.com" and parts.path.startswith("/video/"):
        return f"https://vimeo.com/{parts.path.split('/')[2]}"
    if url.startswith("//"):
        return "https:" + url
    return url


def shortened(text, limit, what, notes):
    text = " ".join((text or "").split())
    if len(text) > limit:
        notes.append(f"{what} cut to {limit} characters")
        return text[: limit - 1].rstrip() + "…"
    return text


class Reader:
    """Reads HTML into blocks; images wait in `Body.blocks` as {"type": "image", "src": ...}."""

    def __init__(self):
        self.body = Body()
        self.rich = []  # HTML waiting to become one paragraph block

    def note(self, text):
        self.body.notes.append(text)

    def flush(self):
        text = "".join(self.rich).strip()
        self.rich = []
        if BeautifulSoup(text, "html.parser").get_text().strip():
            self.body.blocks.append({"type": "paragraph", "value": text})

    def block(self, kind, value):
        self.flush()
        self.body.blocks.append({"type": kind, "value": value})

    def image(self, img, caption=""):
        src = local_address(img.get("src") or img.get("data-src") or "")
        if not src:
            self.note("an image with no address was left out")
            return
        alt = shortened(img.get("alt") or "", ALT_MAX, "an image's alt text", self.body.notes)
        caption = shortened(caption, CAPTION_MAX, "an image's caption", self.body.notes)
        self.flush()
        self.body.blocks.append({"type": "image", "src": src, "alt": alt, "caption": caption})

    def embed(self, url, title):
        url = video_address(local_address(url))
        if not url.startswith(("http://", "https://")):
            self.note("an embed with no web address was left out")
            return
        title = shortened(title, TITLE_MAX, "an embed's title", self.body.notes) or "Video"
        self.block("embed", {"embed": url, "title": title})

    def code(self, element):
        text = element.get_text()
        lines = "<br/>".join(esc(line) for line in text.strip("\n").split("\n"))
        self.note("a code block kept as plain text (the site has no code block)")
        self.block("paragraph", f"<p>{lines}</p>")

    def table(self, element):
        rows, header = [], False
        for n, row in enumerate(element.find_all("tr")):
            cells = row.find_all(["td", "th"])
            if n == 0 and cells and all(cell.name == "th" for cell in cells):
                header = True
            rows.append([" ".join(cell.get_text(" ").split()) for cell in cells])
        if not rows:
            return
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        caption = element.find("caption")
        self.block(
            "table",
            {
                "data": rows,
                "first_row_is_table_header": header,
                "first_col_is_header": False,
                "table_caption": shortened(
                    caption.get_text(" ") if caption else "", CAPTION_MAX, "a caption", []
                ),
            },
        )

    def quote(self, element):
        cite = element.find(["cite", "footer"])
        attribution = ""
        if cite is not None:
            attribution = shortened(cite.get_text(" "), 120, "a quote's attribution", [])
            cite.extract()
        text = " ".join(element.get_text(" ").split())
        if not text:
            return
        if len(text) > QUOTE_MAX:
            self.note(f"a quotation over {QUOTE_MAX} characters kept as a paragraph")
            self.rich.append(f"<p>{esc(text)}</p>")
            return
        self.block("quote", {"text": text, "attribution": attribution, "role": ""})

    def figure(self, element):
        caption_element = element.find("figcaption")
        caption = caption_element.get_text(" ") if caption_element else ""
        if element.get("data-url") is not None:
            self.embed(element["data-url"], caption)
            return
        frame = element.find("iframe")
        if frame is not None:
            self.embed(frame.get("src") or "", frame.get("title") or caption)
            return
        if element.find("table") is not None:
            self.table(element.find("table"))
            return
        if element.find("pre") is not None:
            self.code(element.find("pre"))
            return
        images = element.find_all("img")
        if images:
            for img in images:
                self.image(img, caption if len(images) == 1 else "")
            if len(images) > 1 and caption.strip():
                self.rich.append(f"<p>{esc(caption.strip())}</p>")
            return
        if caption_element is not None:
            caption_element.unwrap()
        self.read_children(element)

    def rich_element(self, element):
        for img in element.find_all("img"):
            img.extract()
            self.image(img)
        for frame in element.find_all("iframe"):
            frame.extract()
            self.embed(frame.get("src") or "", frame.get("title") or "")
        for tag, name in (("strong", "b"), ("em", "i")):
            for found in element.find_all(tag):
                found.name = name
        for link in element.find_all("a"):
            if link.get("href"):
                link["href"] = local_address(link["href"])
        if element.get_text(strip=True):
            self.rich.append(str(element))

    def read_children(self, element):
        for child in list(element.children):
            self.read(child)

    def read(self, node):
        if isinstance(node, Comment):
            return
        if isinstance(node, NavigableString):
            if str(node).strip():
                self.rich.append(f"<p>{esc(str(node).strip())}</p>")
            return
        if not isinstance(node, Tag):
            return
        name = node.name.lower()
        if name in DROPPED:
            self.note(f"a <{name}> element was left out")
        elif re.fullmatch(r"h[1-6]", name):
            text = shortened(node.get_text(" "), HEADING_MAX, "a heading", self.body.notes)
            if text:
                self.block("heading", {"text": text, "level": "h2" if name <= "h2" else "h3"})
        elif name in RICH_TEXT:
            self.rich_element(node)
        elif name == "blockquote":
            self.quote(node)
        elif name == "figure":
            self.figure(node)
        elif name == "img":
            self.image(node)
        elif name == "iframe":
            self.embed(node.get("src") or "", node.get("title") or "")
        elif name == "table":
            self.table(node)
        elif name == "pre":
            self.code(node)
        elif name == "br":
            return
        elif name == "hr":
            self.note("a divider (<hr>) was left out")
        elif name in ("video", "audio"):
            source = node.find("source")
            src = local_address(node.get("src") or (source.get("src") if source else "") or "")
            self.note(f"a <{name}> kept as a link to its file")
            self.rich.append(f'<p><a href="{esc(src)}">{esc(src)}</a></p>')
        elif name in CONTAINERS or name == "a" and node.find("img") is not None:
            self.read_children(node)
        elif name in INLINE:
            self.rich_element(BeautifulSoup(f"<p>{node}</p>", "html.parser").p)
        else:
            self.note(f"a <{name}> element kept as its text and links")
            self.read_children(node)

    def result(self):
        self.flush()
        return self.body


def html_blocks(html):
    """The body blocks for `html` (images pending, see Body) and notes on what changed."""
    reader = Reader()
    soup = BeautifulSoup(html or "", "html.parser")
    reader.read_children(soup)
    return reader.result()


def convert(post):
    """The post's body: blocks (images pending) and notes."""
    html, notes = post_html(post)
    body = html_blocks(html)
    body.notes[:0] = notes
    return body
