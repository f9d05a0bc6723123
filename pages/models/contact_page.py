from django.http import HttpResponseNotAllowed
from django.utils.functional import SimpleLazyObject
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from pages.blocks import BodyBlock
from pages.contacts.models import Contact
from pages.fields import RichTextField, StreamField, safe_url
from pages.links.panels import LinkProblemsPanel
from pages.translation.locales import in_active_language

from .base import HOME_PAGE, INTRODUCTION_FEATURES, OneQueryViewRestrictions, PreviewedAsServed
from .site_settings import OrganisationSettings


class ContactPage(PreviewedAsServed, OneQueryViewRestrictions, RoutablePageMixin, Page):
    """How to reach the organisation: its details (site settings, so the footer and this page
    never disagree), the public contacts by purpose, and the contact form."""

    introduction = RichTextField(
        features=INTRODUCTION_FEATURES,
        blank=True,
        help_text="A few words on what people can contact the organisation about.",
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        help_text="Optional content shown after the contact form.",
    )

    content_panels = [
        LinkProblemsPanel(),
        *Page.content_panels,
        FieldPanel("introduction"),
        HelpPanel(
            content="The email address, website and postal address shown on this page are "
            "edited in Settings → Organisation settings; the people and teams listed, in "
            "Contacts. Messages sent through the form are under Contacts → Contact messages.",
            heading="Contact details",
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    # The page's words only: never the form, its messages or the contacts behind it.
    api_fields = [APIField("introduction"), APIField("body")]

    parent_page_types = [HOME_PAGE]
    subpage_types = []
    max_count = 1

    template = "pages/contact_page.html"

    # The route whose posts are messages. They are received by the contact concern
    # (pages/contacts/views.py: receive_message, through the `on_serve_page` hook in
    # pages/wagtail_hooks.py), so that a page type imports no form, view or task.
    FORM_ROUTE = "contact"

    @path("", name=FORM_ROUTE)
    def contact(self, request):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        # Served from the page cache like any page: the form carries no CSRF token or cookie
        # (cross-origin posts are refused by their headers instead, pages/http/cross_origin.py),
        # and its timed token is good for every reader of a cached copy (docs/security.md).
        return self.render(request)

    # In the reader's language, like the page's own slug: /contact/thanks/, /es/contacto/gracias/.
    @path(pgettext_lazy("address of the contact page's thank-you page", "thanks/"), name="thanks")
    def thanks(self, request):
        return self.render(request, template="pages/contact_page_thanks.html")

    def public_contacts(self):
        return list(
            in_active_language(Contact.objects.filter(is_public=True))
            .select_related("purpose")
            .order_by("purpose__sort_order", "purpose__name", "sort_order", "name")
        )

    def structured_data(self, request, contacts):
        """schema.org Organization with a contactPoint per public contact."""
        org = OrganisationSettings.load(request_or_site=request)
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": org.organisation_name,
        }
        if website := safe_url(org.website_url):
            data["url"] = website
        if org.contact_email:
            data["email"] = org.contact_email
        points = []
        for contact in contacts:
            point = {
                "@type": "ContactPoint",
                "contactType": contact.purpose.name if contact.purpose else "general",
                "name": str(contact),
                "email": contact.email,
            }
            if contact.phone:
                point["telephone"] = contact.phone
            points.append(point)
        if points:
            data["contactPoint"] = points
        return data

    def get_context(self, request, *args, **kwargs):
        # The form itself comes from {% contact_form %} (pages/templatetags/contact_tags.py).
        # The contacts and the structured data are worked out only when the template renders
        # them: once per cache generation ({% fragment %}), not once per request.
        context = super().get_context(request, *args, **kwargs)
        contacts = SimpleLazyObject(self.public_contacts)
        context["contacts"] = contacts
        context["structured_data"] = lambda: self.structured_data(request, contacts)
        return context
