"""A Ghost post's body as blocks, and an export's checks: pure functions, no database
(pages/ghost/content.py, pages/ghost/export.py)."""

import json

import pytest

from pages.ghost.content import convert, html_blocks, markdown_html
from pages.ghost.export import GhostExportError, parse, read_export
from pages.tests import ghost_exports as ge


def kinds(body):
    return [block["type"] for block in body.blocks]


def only(body, kind):
    return [block for block in body.blocks if block["type"] == kind]


def post(**fields):
    export = ge.build(5, [ge.post_row(5, "x1", "x", "X", {"html": None, **fields})], ([], []))
    return read_export(export).posts[0]


def test_mobiledoc_cards_become_blocks_and_an_unknown_card_is_named():
    document = {
        "version": "0.3.1",
        "atoms": [["soft-return", "", {}]],
        "markups": [],
        "cards": [
            [
                "markdown",
                {
                    "markdown": "## Plan\n\n- one **bold**\n- [two](https://e.org/)\n\n"
                    "```\ncode <here>\n```\n\n> quoted"
                },
            ],
            ["bookmark", {"url": "https://e.org/b", "metadata": {"title": "A bookmark"}}],
            [
                "gallery",
                {
                    "images": [
                        {"src": "/content/images/a.png", "alt": "A"},
                        {"src": "/content/images/b.png", "alt": "B"},
                    ]
                },
            ],
            ["paywall", {}],
        ],
        "sections": [
            [1, "h4", [[0, [], 0, "Small heading"]]],
            [1, "p", [[0, [], 0, "line one"], [1, [], 0, 0], [0, [], 0, "line two"]]],
            [10, 0],
            [10, 1],
            [10, 2],
            [10, 3],
        ],
    }
    body = convert(post(mobiledoc=json.dumps(document)))
    assert kinds(body) == [
        "heading", "paragraph", "heading", "paragraph", "paragraph", "quote", "paragraph",
        "image", "image",
    ]  # fmt: skip
    assert body.blocks[0]["value"] == {"text": "Small heading", "level": "h3"}
    assert body.blocks[1]["value"] == "<p>line one<br/>line two</p>"
    assert body.blocks[2]["value"] == {"text": "Plan", "level": "h2"}
    rich = body.blocks[3]["value"]
    assert "<li>one <b>bold</b></li>" in rich and '<a href="https://e.org/">two</a>' in rich
    assert body.blocks[4]["value"] == "<p>code &lt;here&gt;</p>"
    assert body.blocks[5]["value"]["text"] == "quoted"
    assert '<a href="https://e.org/b">A bookmark</a>' in body.blocks[6]["value"]
    assert [b["alt"] for b in only(body, "image")] == ["A", "B"]
    assert "a 'paywall' card was left out: it holds nothing this site can show" in body.notes
    assert "a code block kept as plain text (the site has no code block)" in body.notes


def test_lexical_formats_links_callouts_and_unknown_nodes():
    root = {
        "root": {
            "type": "root",
            "children": [
                {
                    "type": "paragraph",
                    "children": [ge.text("bold italic", 3), {"type": "linebreak"}, ge.text("next")],
                },
                {"type": "heading", "tag": "h1", "children": [ge.text("Title again")]},
                {"type": "callout", "calloutText": "<p>Note this</p>", "calloutEmoji": "💡"},
                {"type": "toggle", "heading": "Question", "content": "<p>Answer</p>"},
                {
                    "type": "list",
                    "listType": "number",
                    "children": [{"type": "listitem", "children": [ge.text("first")]}],
                },
                {"type": "audio", "src": "/content/media/a.mp3"},
                {"type": "embed", "url": "https://player.vimeo.com/video/42", "caption": "A film"},
            ],
        }
    }
    body = convert(post(lexical=json.dumps(root)))
    assert body.blocks[0]["value"] == "<p><i><b>bold italic</b></i><br/>next</p>"
    assert body.blocks[1]["value"] == {"text": "Title again", "level": "h2"}
    rich = body.blocks[2]["value"]
    assert "Note this" in rich and "<b>Question</b>" in rich and "Answer" in rich
    assert "<ol><li>first</li></ol>" in rich
    assert only(body, "embed")[0]["value"] == {"embed": "https://vimeo.com/42", "title": "A film"}
    assert "a 'audio' card was left out: it holds nothing this site can show" in body.notes


def test_html_is_read_whole_and_what_changes_is_named():
    body = html_blocks(
        "<h2>" + "Long " * 40 + "</h2><script>alert(1)</script><hr>"
        '<video src="/content/media/v.mp4"></video><details><summary>More</summary>'
        "<p>Inside</p></details>stray words"
        '<iframe src="https://www.youtube-nocookie.com/embed/xyz" title="Talk"></iframe>'
        '<iframe src="javascript:alert(1)"></iframe>'
    )
    heading = body.blocks[0]["value"]["text"]
    assert len(heading) == 150 and heading.endswith("…")
    assert only(body, "embed")[0]["value"]["embed"] == "https://www.youtube.com/watch?v=xyz"
    rich = " ".join(b["value"] for b in only(body, "paragraph"))
    for words in ["/content/media/v.mp4", "More", "Inside", "stray words"]:
        assert words in rich
    assert "alert" not in rich
    assert body.notes == [
        "a heading cut to 150 characters",
        "a <script> element was left out",
        "a divider (<hr>) was left out",
        "a <video> kept as a link to its file",
        "a <details> element kept as its text and links",
        "a <summary> element kept as its text and links",
        "an embed with no web address was left out",
    ]


def test_markdown_lists_end_where_a_paragraph_starts():
    assert markdown_html("1. a\n2. b\nafter\n\n* c") == (
        "<ol><li>a</li><li>b</li></ol><p>after</p><ul><li>c</li></ul>"
    )
    assert (
        markdown_html("# One\ntext *it* and __b__")
        == "<h1>One</h1><p>text <i>it</i> and <b>b</b></p>"
    )


def test_a_body_that_is_not_json_is_named_and_left_empty():
    body = convert(post(mobiledoc="{nope"))
    assert body.blocks == [] and body.notes == ["its mobiledoc is not JSON: the body is empty"]


@pytest.mark.parametrize(
    "change,problem",
    [
        (lambda d: d.update(posts={}), "db[0].data.posts: not a list."),
        (lambda d: d["posts"][0].update(slug="a b/c"), "db[0].data.posts[0]: the slug 'a b/c'"),
        (
            lambda d: d["posts"][1].update(slug="open-funding"),
            "db[0].data.posts[1]: the slug 'open-funding' is db[0].data.posts[0]'s too.",
        ),
        (lambda d: d["posts"][2].update(id="p1"), "db[0].data.posts[2]: the same id as"),
        (lambda d: d["posts"][0].update(status="archived"), "posts[0].status: 'archived' is not"),
        (lambda d: d["posts"][0].update(published_at="soon"), "posts[0].published_at: 'soon'"),
        (lambda d: d["posts"][0].update(html=["x"]), "db[0].data.posts[0].html: not text."),
        (lambda d: d["users"].append({"name": "No slug"}), "db[0].data.users[2]: a user needs"),
    ],
)
def test_each_problem_in_an_export_is_named_by_its_place(change, problem):
    export = ge.build(4)
    change(export["db"][0]["data"])
    with pytest.raises(GhostExportError) as refused:
        read_export(export)
    assert any(found.startswith(problem) or problem in found for found in refused.value.problems)


def test_ghost_3_authors_come_from_author_id_and_ghost_5_alt_text_from_posts_meta():
    three = read_export(ge.build(3)).posts
    assert [a.slug for a in three[0].authors] == ["ada"]
    export = ge.build(3)
    export["db"][0]["data"]["posts"][0]["author_id"] = "u9"
    with pytest.raises(GhostExportError, match=r"posts\[0\].author_id: no user 'u9'"):
        read_export(export)
    five = read_export(ge.build(5)).posts[0]
    assert five.feature_image_alt == "A hall full of people"
    assert [a.slug for a in five.authors] == ["ada", "grace"]
    assert [t.slug for t in five.reader_tags] == ["funding", "open-science"]
    spanish = read_export(ge.build(5)).posts[1]
    assert spanish.spanish and spanish.english_slug == "open-funding"


def test_a_ghost_export_without_db_is_read_too():
    export = ge.build(5)["db"][0]
    assert len(parse(json.dumps(export)).posts) == 6
