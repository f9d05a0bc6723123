"""The one body block set every page type shares. Each block renders through its own template in
templates/components/, so a block looks the same wherever an editor puts it."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from .links import LinkBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=150, help_text="The heading's words.")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (level 2)"), ("h3", "Subsection (level 3)")],
        default="h2",
        help_text="The page title is the only level 1 heading; sections start at level 2.",
    )

    class Meta:
        icon = "title"
        template = "components/heading_block.html"
        description = "A heading that starts a new section of the page."
        preview_value = {"text": "How we work", "level": "h2"}


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(
        help_text="Describe what the image shows for people who cannot see it, or mark it "
        "as decorative if it adds nothing to the text."
    )
    caption = blocks.CharBlock(
        required=False, max_length=250, help_text="Optional words shown below the image."
    )

    class Meta:
        icon = "image"
        template = "components/image_block.html"
        description = "An image with alt text and an optional caption."


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(max_length=600, help_text="The words quoted, without quote marks.")
    attribution = blocks.CharBlock(
        required=False, max_length=120, help_text="Who said or wrote it."
    )
    role = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="Optional: their role or organisation, shown after their name.",
    )

    class Meta:
        icon = "openquote"
        template = "components/quote_block.html"
        description = "A quotation set apart from the text, with who said it."
        preview_value = {
            "text": "Open infrastructure is only as strong as the support behind it.",
            "attribution": "Invest in Open Infrastructure",
            "role": "",
        }


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, help_text="A short invitation, e.g. 'Work with us'.")
    text = blocks.TextBlock(
        required=False, max_length=300, help_text="One or two sentences on why to act."
    )
    link = LinkBlock(help_text="Where the button goes.")

    class Meta:
        icon = "pick"
        template = "components/call_to_action_block.html"
        description = "A highlighted invitation with one button."
        preview_value = {
            "heading": "Work with us",
            "text": "Tell us what your infrastructure needs.",
            "link": {"page": None, "url": "https://investinopen.org/", "title": "Get in touch"},
        }


class LinkListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        required=False, max_length=120, help_text="Optional heading above the list."
    )
    links = blocks.ListBlock(LinkBlock(), min_num=1, help_text="The links, in the order shown.")

    class Meta:
        icon = "list-ul"
        template = "components/link_list_block.html"
        description = "A list of links to pages here or elsewhere."
        preview_value = {
            "heading": "Further reading",
            "links": [{"page": None, "url": "https://investinopen.org/", "title": "IOI"}],
        }


class StatisticBlock(blocks.StructBlock):
    figure = blocks.CharBlock(max_length=20, help_text="The number, e.g. '10+' or '$415.8M'.")
    label = blocks.CharBlock(max_length=80, help_text="What the number counts.")

    class Meta:
        icon = "table"


class StatisticsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        required=False, max_length=120, help_text="Optional heading above the figures."
    )
    statistics = blocks.ListBlock(
        StatisticBlock(), min_num=1, max_num=6, help_text="Up to six figures, shown in a row."
    )

    class Meta:
        icon = "order"
        template = "components/statistics_block.html"
        description = "A row of key figures, each with what it counts."
        preview_value = {
            "heading": "",
            "statistics": [{"figure": "10+", "label": "organisations supported"}],
        }


class CaptionedEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text="The address of a YouTube or Vimeo video, copied from its page.")
    title = blocks.CharBlock(
        max_length=150,
        help_text="What the embedded item is, for screen readers and as its caption.",
    )

    class Meta:
        icon = "media"
        template = "components/embed_block.html"
        description = "A YouTube or Vimeo video, shown in the page."


class CaptionedTableBlock(TableBlock):
    class Meta:
        icon = "table"
        template = "components/table_block.html"
        description = "A table of data. Give it a caption and mark its header row."
        table_options = {"renderer": "text", "startRows": 3, "startCols": 3}


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        icon="pilcrow",
        template="components/paragraph_block.html",
        help_text="Text with optional bold, italics, lists and links.",
        description="Text with optional bold, italics, lists and links.",
        preview_value="<p>Open infrastructure needs steady, well-informed investment.</p>",
    )
    image = FigureBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    link_list = LinkListBlock()
    statistics = StatisticsBlock()
    embed = CaptionedEmbedBlock()
    table = CaptionedTableBlock()


def call_to_action_stream():
    """The optional single call to action a page ends with, reusing the body's block."""
    return [("call_to_action", CallToActionBlock())]
