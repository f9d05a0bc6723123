"""Small Ghost exports built in code, in the shapes Ghost 3, 4 and 5 write them (Settings → Labs
→ Export; compare ghost/core/test/utils/fixtures/export/ in Ghost's repository): the same
site in each, so that one test reads all three.

- Ghost 3: the body as `mobiledoc` only, one author per post as `author_id`, no `posts_authors`.
- Ghost 4: `mobiledoc` and the rendered `html`, with the site's own address as __GHOST_URL__.
- Ghost 5: `lexical` (no `html`, so that the lexical reading is what is tested), `posts_meta`
  with the feature image's alt text."""

import json
from io import BytesIO

from PIL import Image as PILImage

IMAGE_SRC = "__GHOST_URL__/content/images/2024/03/workshop.png"
FEATURE_SRC = "__GHOST_URL__/content/images/2024/03/feature.png"
MISSING_SRC = "__GHOST_URL__/content/images/2024/03/gone.png"
VERSIONS = {3: "3.42.9", 4: "4.48.9", 5: "5.82.0"}

USERS = [
    {"id": "u1", "name": "Ada Lovelace", "slug": "ada", "email": "ada@example.org", "bio": "Ada."},
    {"id": "u2", "name": "Grace Hopper", "slug": "grace", "email": "grace@example.org"},
]
TAGS = [
    {"id": "t1", "name": "Funding", "slug": "funding"},
    {"id": "t2", "name": "Open science", "slug": "open-science"},
    {"id": "t3", "name": "#es", "slug": "hash-es"},
    {"id": "t4", "name": "Report", "slug": "report"},
]


def png(size=(64, 48), colour=(11, 79, 108)):
    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def image_folder(root):
    """Ghost's content/images folder with the images the exports name (not gone.png)."""
    folder = root / "images" / "2024" / "03"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "workshop.png").write_bytes(png())
    (folder / "feature.png").write_bytes(png((80, 40), (200, 120, 0)))
    return root / "images"


# The body of the main post, in each format


def main_html():
    return (
        "<p>Funding for <strong>open</strong> infrastructure, "
        '<a href="https://example.org/fund">the fund</a> and <em>more</em>.</p>'
        "<h2>What changes</h2>"
        "<ul><li>First point</li><li>Second point</li></ul>"
        '<figure class="kg-card kg-image-card kg-card-hascaption">'
        f'<img src="{IMAGE_SRC}" class="kg-image" alt="People at a workshop" loading="lazy">'
        "<figcaption>Our spring workshop</figcaption></figure>"
        "<blockquote>Infrastructure is only as strong as its funding.<cite>Ada</cite></blockquote>"
        '<figure class="kg-card kg-embed-card"><iframe width="200" height="113" '
        'src="https://www.youtube.com/embed/abc123?feature=oembed" title="The launch video">'
        "</iframe><figcaption>The launch</figcaption></figure>"
        "<table><tr><th>Year</th><th>Grants</th></tr><tr><td>2023</td><td>12</td></tr></table>"
        '<pre><code class="language-python">print("hello")\nprint("again")</code></pre>'
        '<!--kg-card-begin: html--><aside class="note">Aside words</aside><!--kg-card-end: html-->'
        f'<p><img src="{MISSING_SRC}" alt="A lost chart"></p>'
        '<p>See <a href="__GHOST_URL__/about-ioi/">about us</a>.</p>'
    )


def main_mobiledoc():
    markups = [["strong"], ["a", ["href", "https://example.org/fund"]], ["em"]]
    cards = [
        [
            "image",
            {"src": IMAGE_SRC, "alt": "People at a workshop", "caption": "Our spring workshop"},
        ],
        ["markdown", {"markdown": "> Infrastructure is only as strong as its funding."}],
        [
            "embed",
            {
                "url": "https://www.youtube.com/watch?v=abc123",
                "html": "<iframe></iframe>",
                "caption": "The launch video",
            },
        ],
        [
            "html",
            {
                "html": "<table><tr><th>Year</th><th>Grants</th></tr>"
                "<tr><td>2023</td><td>12</td></tr></table>"
            },
        ],
        ["code", {"code": 'print("hello")\nprint("again")', "language": "python"}],
        ["html", {"html": '<aside class="note">Aside words</aside>'}],
        ["image", {"src": MISSING_SRC, "alt": "A lost chart"}],
    ]
    sections = [
        [
            1,
            "p",
            [
                [0, [], 0, "Funding for "],
                [0, [0], 1, "open"],
                [0, [], 0, " infrastructure, "],
                [0, [1], 1, "the fund"],
                [0, [], 0, " and "],
                [0, [2], 1, "more"],
                [0, [], 0, "."],
            ],
        ],
        [1, "h2", [[0, [], 0, "What changes"]]],
        [3, "ul", [[[0, [], 0, "First point"]], [[0, [], 0, "Second point"]]]],
        *[[10, n] for n in range(len(cards))],
        [1, "p", [[0, [], 0, "See "], [0, [3], 1, "about us"], [0, [], 0, "."]]],
    ]
    markups.append(["a", ["href", "__GHOST_URL__/about-ioi/"]])
    return json.dumps(
        {"version": "0.3.1", "atoms": [], "markups": markups, "cards": cards, "sections": sections}
    )


def text(words, fmt=0):
    return {"type": "text", "text": words, "format": fmt, "detail": 0, "mode": "normal"}


def main_lexical():
    children = [
        {
            "type": "paragraph",
            "children": [
                text("Funding for "),
                text("open", 1),
                text(" infrastructure, "),
                {"type": "link", "url": "https://example.org/fund", "children": [text("the fund")]},
                text(" and "),
                text("more", 2),
                text("."),
            ],
        },
        {"type": "heading", "tag": "h2", "children": [text("What changes")]},
        {
            "type": "list",
            "listType": "bullet",
            "children": [
                {"type": "listitem", "children": [text("First point")]},
                {"type": "listitem", "children": [text("Second point")]},
            ],
        },
        {
            "type": "image",
            "src": IMAGE_SRC,
            "altText": "People at a workshop",
            "caption": "Our spring workshop",
        },
        {"type": "quote", "children": [text("Infrastructure is only as strong as its funding.")]},
        {
            "type": "embed",
            "url": "https://www.youtube.com/watch?v=abc123",
            "caption": "The launch video",
        },
        {
            "type": "html",
            "html": "<table><tr><th>Year</th><th>Grants</th></tr>"
            "<tr><td>2023</td><td>12</td></tr></table>",
        },
        {"type": "codeblock", "code": 'print("hello")\nprint("again")', "language": "python"},
        {"type": "html", "html": '<aside class="note">Aside words</aside>'},
        {"type": "image", "src": MISSING_SRC, "altText": "A lost chart"},
        {
            "type": "paragraph",
            "children": [
                text("See "),
                {"type": "link", "url": "__GHOST_URL__/about-ioi/", "children": [text("about us")]},
                text("."),
            ],
        },
    ]
    return json.dumps({"root": {"type": "root", "children": children}})


def simple_body(version, words):
    """A one-paragraph body in the version's own format."""
    if version == 3:
        doc = {
            "version": "0.3.1",
            "atoms": [],
            "markups": [],
            "cards": [],
            "sections": [[1, "p", [[0, [], 0, words]]]],
        }
        return {"mobiledoc": json.dumps(doc), "html": None}
    if version == 4:
        doc = {
            "version": "0.3.1",
            "atoms": [],
            "markups": [],
            "cards": [],
            "sections": [[1, "p", [[0, [], 0, words]]]],
        }
        return {"mobiledoc": json.dumps(doc), "html": f"<p>{words}</p>"}
    doc = {"root": {"type": "root", "children": [{"type": "paragraph", "children": [text(words)]}]}}
    return {"lexical": json.dumps(doc), "html": None}


def main_body(version):
    if version == 3:
        return {"mobiledoc": main_mobiledoc(), "html": None}
    if version == 4:
        return {"mobiledoc": main_mobiledoc(), "html": main_html()}
    return {"lexical": main_lexical(), "html": None}


def post_row(version, id, slug, title, body, **fields):
    row = {
        "id": id,
        "uuid": f"uuid-{id}",
        "title": title,
        "slug": slug,
        "type": "post",
        "status": "published",
        "visibility": "public",
        "featured": 0,
        "feature_image": None,
        "custom_excerpt": None,
        "published_at": "2024-03-05T10:00:00.000Z",
        "created_at": "2024-03-01T09:00:00.000Z",
        "updated_at": "2024-03-05T10:00:00.000Z",
        **body,
        **fields,
    }
    if version == 3:
        row.setdefault("author_id", "u1")
    return row


def build(version=5, posts=None, links=None):
    """An export in `version`'s shape: by default the site every import test reads."""
    if posts is None:
        posts = site_posts(version)
    tag_links, author_links = links if links is not None else site_links()
    data = {
        "posts": posts,
        "tags": [dict(tag) for tag in TAGS],
        "users": [dict(user) for user in USERS],
        "posts_tags": [
            {"id": f"pt{n}", "post_id": post, "tag_id": tag, "sort_order": n}
            for n, (post, tag) in enumerate(tag_links)
        ],
    }
    if version >= 4:
        data["posts_authors"] = [
            {"id": f"pa{n}", "post_id": post, "author_id": author, "sort_order": n}
            for n, (post, author) in enumerate(author_links)
        ]
    if version >= 5:
        data["posts_meta"] = [
            {"id": "pm1", "post_id": "p1", "feature_image_alt": "A hall full of people"}
        ]
    return {
        "db": [{"meta": {"exported_on": 1709632800000, "version": VERSIONS[version]}, "data": data}]
    }


def site_posts(version):
    feature = {"feature_image": FEATURE_SRC}
    if version < 5:
        feature["feature_image_alt"] = "A hall full of people"
    spanish = simple_body(version, "Financiación para la infraestructura abierta.")
    return [
        post_row(
            version,
            "p1",
            "open-funding",
            "Open funding",
            main_body(version),
            custom_excerpt="Funding for open infrastructure.",
            **feature,
        ),
        post_row(
            version,
            "p2",
            "open-funding-es",
            "Financiación abierta",
            spanish,
            custom_excerpt="Financiación para la infraestructura abierta.",
        ),
        post_row(
            version,
            "p3",
            "a-draft",
            "A draft",
            simple_body(version, "Not yet."),
            status="draft",
            published_at=None,
        ),
        post_row(
            version,
            "p4",
            "for-members",
            "For members",
            simple_body(version, "Secret."),
            visibility="members",
        ),
        post_row(
            version,
            "p5",
            "state-of-oi",
            "State of open infrastructure",
            simple_body(version, "Our annual report."),
            custom_excerpt="What we found this year.",
            published_at="2023-11-20T08:00:00Z",
        ),
        post_row(
            version,
            "p6",
            "about-ioi",
            "About IOI",
            simple_body(version, "Who we are."),
            type="page",
        ),
    ]


def site_links():
    tags = [("p1", "t1"), ("p1", "t2"), ("p2", "t3"), ("p2", "t1"), ("p5", "t4"), ("p5", "t1")]
    authors = [
        ("p1", "u1"),
        ("p1", "u2"),
        ("p2", "u1"),
        ("p3", "u1"),
        ("p4", "u2"),
        ("p5", "u2"),
        ("p6", "u1"),
    ]
    return tags, authors


def many_posts(count, version=5):
    """`count` published posts with a paragraph, a heading and a tag each (for budgets and
    the benchmark)."""
    posts, tag_links, author_links = [], [], []
    for n in range(count):
        html = f"<p>Post {n} about <strong>open</strong> things.</p><h2>Part {n}</h2><p>More.</p>"
        posts.append(
            post_row(
                version,
                f"m{n}",
                f"many-{n}",
                f"Many {n}",
                {"html": html},
                published_at="2020-01-01T00:00:00Z"
                if n == 0
                else f"20{10 + n % 15:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00Z",
            )
        )
        tag_links.append((f"m{n}", "t1" if n % 2 else "t2"))
        author_links.append((f"m{n}", "u1" if n % 3 else "u2"))
    return build(version, posts, (tag_links, author_links))


def write(path, document):
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
