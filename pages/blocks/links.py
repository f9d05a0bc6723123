"""A link to a page on this site, a link from the link library, or a one-off web address: the one
way every block and setting points somewhere."""

from contextvars import ContextVar

from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from pages.fields import safe_url, web_url_validator

# While a page in another language than English is served: a callable that points every page
# link of that page (and of the footer) at the linked page's version in its language, once
# (pages/translation/links.py). Called when a link is first asked where it goes, so a page whose
# content is kept ({% fragment %}) renders no link and looks nothing up.
LOCALIZE_LINKS = ContextVar("localize_links", default=None)


class LinkStructValue(blocks.StructValue):
    """A link that knows where it goes, or that it goes nowhere any more."""

    # The chosen page's version in the language of the page being served (LOCALIZE_LINKS): a
    # Spanish page's link to an English page leads to its Spanish translation where there is
    # one.
    localized_page = None

    def _page(self):
        localize = LOCALIZE_LINKS.get()
        if localize is not None:
            localize()
        return self.localized_page or self.get("page")

    # Not `url`: templates look up dict keys before attributes, and `url` is a child block.
    @property
    def href(self):
        """Where the link goes, through the gate on stored addresses (pages/fields.py), or
        None: every template leaves such a link out."""
        page, link = self._page(), self.get("link")
        if page is not None:
            # A deleted page comes back as None; an unpublished one is not linked to.
            return (safe_url(page.url) or None) if page.live else None
        if link is not None:
            return safe_url(link.url) or None
        return safe_url(self.get("url")) or None

    @property
    def text(self):
        page, link = self._page(), self.get("link")
        if self.get("title"):
            return self["title"]
        if page is not None:
            return page.title
        if link is not None:
            return link.title
        return self.get("url")


class LinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(
        required=False,
        help_text="A page on this site. Choose one of: a page, a link, or a web address.",
    )
    link = SnippetChooserBlock(
        "pages.Link",
        required=False,
        help_text="A link from the link library (Snippets → Links), checked for you.",
    )
    url = blocks.URLBlock(
        required=False,
        label="Web address",
        validators=[web_url_validator],
        help_text="A one-off page on another site, starting with https://.",
    )
    title = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="The words people click. Required for a web address; for a page or a link, "
        "leave it empty to use its title. Make it make sense on its own (not 'click here').",
    )

    def get_api_representation(self, value, context=None):
        # A web address stored by code goes out through the same gate as on the page.
        data = super().get_api_representation(value, context)
        if data.get("url"):
            data["url"] = safe_url(data["url"]) or None
        return data

    def clean(self, value):
        value = super().clean(value)
        chosen = [name for name in ("page", "link", "url") if value.get(name)]
        errors = {}
        if len(chosen) > 1:
            errors[chosen[1]] = ErrorList(["Choose one of: a page, a link or a web address."])
        elif not chosen:
            errors["page"] = ErrorList(["Choose a page, a link or a web address."])
        url = value.get("url")
        if url and not value.get("title"):
            errors["title"] = ErrorList(["Give the link the words people will click."])
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "link"
        value_class = LinkStructValue
        template = "components/link.html"
        form_classname = "link-block"


def related_links_stream():
    return [("link", LinkBlock())]
