"""The shared body blocks: each renders through its own template, escapes what editors type, and
a link never renders with an empty href."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamValue, StructBlockValidationError
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from conftest import make_image
from pages.blocks import BodyBlock, LinkBlock

pytestmark = pytest.mark.django_db

BODY = BodyBlock()


def render_stream(*raw_blocks):
    value = StreamValue(BODY, [{"type": t, "value": v} for t, v in raw_blocks], is_lazy=True)
    return "".join(str(block) for block in value)


def test_every_block_has_a_template_in_components_and_help_for_editors():
    for name, block in BODY.child_blocks.items():
        template = block.meta.template
        assert template and template.startswith("components/"), name
        assert block.get_description() or block.meta.help_text, f"{name} needs a description"


def test_heading_renders_at_its_level_and_never_as_h1():
    html = render_stream(
        ("heading", {"text": "Section", "level": "h2"}),
        ("heading", {"text": "Subsection", "level": "h3"}),
        ("heading", {"text": "Sneaky", "level": "h1"}),
    )
    assert "<h2>Section</h2>" in html and "<h3>Subsection</h3>" in html
    assert "<h1" not in html and "<h2>Sneaky</h2>" in html


def test_paragraph_renders_rich_text():
    html = render_stream(("paragraph", "<p>Open <b>infrastructure</b></p>"))
    assert '<div class="rich-text"><p>Open <b>infrastructure</b></p></div>' in html


def test_image_renders_with_its_alt_text_or_as_decorative():
    image = make_image()
    described = render_stream(
        (
            "image",
            {
                "image": {
                    "image": image.pk,
                    "alt_text": "People at a workshop",
                    "decorative": False,
                },
                "caption": "A workshop in 2024",
            },
        )
    )
    decorative = render_stream(
        ("image", {"image": {"image": image.pk, "alt_text": "", "decorative": True}, "caption": ""})
    )
    assert 'alt="People at a workshop"' in described and "srcset=" in described
    assert (
        'loading="lazy"' in described and "<figcaption>A workshop in 2024</figcaption>" in described
    )
    assert 'alt=""' in decorative


def test_image_block_requires_alt_text_unless_decorative():
    image = make_image()
    block = BODY.child_blocks["image"]
    with pytest.raises(ValidationError):
        block.clean(
            block.to_python({"image": {"image": image.pk, "alt_text": "", "decorative": False}})
        )


def test_quote_escapes_what_the_editor_typed():
    html = render_stream(
        ("quote", {"text": "<script>alert(1)</script>", "attribution": "A & B", "role": "Chair"})
    )
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<figcaption>A &amp; B, <span class="quote__role">Chair</span></figcaption>' in html


def test_call_to_action_renders_its_button(site_tree):
    html = render_stream(
        (
            "call_to_action",
            {
                "heading": "Work with us",
                "text": "Say hello.",
                "link": {"page": site_tree.contact.pk, "url": "", "title": "Contact us"},
            },
        )
    )
    assert '<h2 class="cta__heading">Work with us</h2>' in html
    assert '<a class="button" href="/contact/">Contact us</a>' in html


def test_link_list_drops_links_to_deleted_or_unpublished_pages(site_tree):
    about, contact = site_tree.about, site_tree.contact
    value = {
        "heading": "Read more",
        "links": [
            {"page": None, "url": "https://example.org/", "title": "Example"},
            {"page": about.pk, "url": "", "title": ""},
            {"page": contact.pk, "url": "", "title": "Contact"},
        ],
    }
    contact.unpublish()
    html = render_stream(("link_list", value))
    assert '<a href="https://example.org/">Example</a>' in html
    assert '<a href="/about/">About</a>' in html
    assert "Contact" not in html

    about.delete()
    html = render_stream(("link_list", value))
    assert "About" not in html
    assert 'href=""' not in html and 'href="None"' not in html


def test_statistics_row_shows_figures_with_their_labels():
    html = render_stream(
        (
            "statistics",
            {"heading": "Reach", "statistics": [{"figure": "10+", "label": "organisations"}]},
        )
    )
    assert "<h2>Reach</h2>" in html
    assert (
        '<span class="stat__figure">10+</span> <span class="stat__label">organisations</span>'
        in html
    )


def test_embed_renders_the_stored_embed_with_a_caption():
    url = "https://www.youtube.com/watch?v=abc123"
    # Stored as if fetched earlier, so rendering never goes to the internet.
    Embed.objects.create(
        hash=get_embed_hash(url),
        url=url,
        max_width=None,
        type="video",
        html='<iframe src="https://www.youtube.com/embed/abc123" title="Talk"></iframe>',
        cache_until=None,
    )
    html = render_stream(("embed", {"embed": url, "title": "Our talk at a conference"}))
    assert 'src="https://www.youtube.com/embed/abc123"' in html
    assert "<figcaption>Our talk at a conference</figcaption>" in html


def test_table_has_a_caption_header_cells_and_escapes_cells():
    value = {
        "data": [["Year", "Grants"], ["2024", "<b>514</b>"]],
        "first_row_is_table_header": True,
        "first_col_is_header": True,
        "table_caption": "Grants tracked",
    }
    html = render_stream(("table", value))
    assert "<caption>Grants tracked</caption>" in html
    assert '<th scope="col">Year</th>' in html and '<th scope="row">2024</th>' in html
    assert "<td>&lt;b&gt;514&lt;/b&gt;</td>" in html


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"page": None, "url": "", "title": "Nowhere"}, "page"),
        ({"page": None, "url": "https://example.org/", "title": ""}, "title"),
    ],
)
def test_link_block_needs_a_target_and_words(value, field):
    block = LinkBlock()
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python(value))
    assert field in caught.value.block_errors


def test_link_block_refuses_both_a_page_and_an_address(site_tree):
    block = LinkBlock()
    value = block.to_python(
        {"page": site_tree.about.pk, "url": "https://example.org/", "title": "x"}
    )
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(value)
    assert "url" in caught.value.block_errors


def test_link_block_refuses_a_javascript_address():
    block = LinkBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"page": None, "url": "javascript:alert(1)", "title": "x"}))
