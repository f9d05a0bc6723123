"""Everything the app adds to Wagtail, in one place: each concern's admin (contacts, the link
library and its report), the dashboard panels, the contact form's posts, and the server-side
refusal to publish for those who may only submit, and what translators may and may not do
(pages/editorial/). The pieces live in their concerns; this file
only registers them."""

from django.urls import reverse
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from pages.catalogue import admin as catalogue_admin
from pages.catalogue.admin import SuggestionViewSet, TermViewSet
from pages.catalogue.confirmation import register_log_actions as catalogue_log_actions
from pages.catalogue.models import CatalogueIndexPage, Term
from pages.catalogue.views import answer_during_database_outage as suggestion_during_outage
from pages.catalogue.views import receive_suggestion
from pages.contacts.admin import (
    ContactsGroup,
    NewMessagesPanel,
    ReceivedOnlyPolicy,
    can_read_messages,
)
from pages.contacts.models import Contact, ContactMessage, ContactPurpose
from pages.contacts.views import (
    answer_cross_origin_refusal,
    answer_during_database_outage,
    receive_message,
)
from pages.editorial import translation_review
from pages.editorial.moderation import refuse_publish_on_create, refuse_publish_on_edit
from pages.editorial.out_of_date import OutOfDateTranslationsPanel, can_keep_translations
from pages.editorial.translators import (
    TranslationsOnlyPolicy,
    guarded_translation_urls,
    refuse_default_language_edit,
)
from pages.http.task_queue import StalledTasksPanel, queue_state
from pages.links.admin import LinkHealthMenuItem, LinksGroup, report_urls
from pages.links.models import Link, LinkCategory
from pages.links.report import BrokenLinksPanel, can_manage_links
from pages.models.contact_page import ContactPage
from pages.models.site_settings import OrganisationWording
from pages.people.admin import PersonViewSet
from pages.people.models import Person
from pages.staff_auth import admin as second_factor
from pages.translation.admin import OrganisationWordingViewSet
from pages.translation.context import keep_shared_parts
from pages.translation.links import localize_page_links

register_permission_policy(ContactMessage, ReceivedOnlyPolicy(ContactMessage))
# Translators change these in other languages only.
for translatable in (
    Contact,
    ContactPurpose,
    Link,
    LinkCategory,
    Person,
    OrganisationWording,
    Term,
):
    register_permission_policy(translatable, TranslationsOnlyPolicy(translatable))
register_snippet(ContactsGroup)
register_snippet(LinksGroup)
register_snippet(PersonViewSet)
register_snippet(OrganisationWordingViewSet)
register_snippet(TermViewSet)
register_snippet(SuggestionViewSet)

# The catalogue: suggestions accepted or declined, sections confirmed (pages/catalogue/admin.py).
hooks.register("register_admin_urls", catalogue_admin.admin_urls)
hooks.register("register_snippet_listing_buttons", catalogue_admin.suggestion_buttons)
hooks.register("register_page_header_buttons", catalogue_admin.confirm_buttons)
hooks.register("register_log_actions", catalogue_log_actions)

hooks.register("register_admin_urls", report_urls)
hooks.register("before_edit_page", refuse_publish_on_edit)
hooks.register("before_create_page", refuse_publish_on_create)
hooks.register("before_serve_page", localize_page_links)
# What every page shows, from the copies kept once per cache generation (pages/caching/shared.py).
hooks.register("before_serve_page", keep_shared_parts, order=-1)
# And in previews (pages/models/base.py: PreviewedAsServed).
hooks.register("before_preview_page", localize_page_links)

# Translation (pages/editorial/translators.py, translation_review.py). Order -1: ahead of
# wagtail-localize's own hooks and addresses, which these check before.
hooks.register("before_edit_snippet", refuse_default_language_edit, order=-1)
hooks.register("register_admin_urls", guarded_translation_urls, order=-1)
hooks.register("register_admin_urls", translation_review.admin_urls)
hooks.register("register_page_header_buttons", translation_review.submit_buttons)
hooks.register("register_page_listing_more_buttons", translation_review.submit_buttons)


@hooks.register("register_reports_menu_item")
def link_health_menu_item():
    return LinkHealthMenuItem("Link health", reverse("link_health_report"), icon_name="link")


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    tasks = queue_state()
    if tasks.stalled:
        panels.append(StalledTasksPanel(tasks))
    if can_manage_links(request.user):
        panels.append(BrokenLinksPanel())
    if can_read_messages(request.user):
        panels.append(NewMessagesPanel())
    if can_keep_translations(request.user):
        panels.append(OutOfDateTranslationsPanel(request.user))


# Order 1: Wagtail's own `on_serve_page` hooks (order 0) wrap this one, so a page's view
# restrictions are checked before a post to it is read.
@hooks.register("on_serve_page", order=1)
def answer_public_forms(serve):
    """A post to the contact page's form is a message, received by the contact concern; a post
    to the catalogue's suggestion form is a suggestion, received by the catalogue. Both after
    Wagtail has checked the page's view restrictions, and through this one place, so that what
    guards one form's posts guards the other's. Everything else is served as usual."""

    def serve_page(page, request, args, kwargs):
        if request.method == "POST":
            route = getattr(getattr(request, "routable_resolver_match", None), "url_name", None)
            if isinstance(page, ContactPage) and route == ContactPage.FORM_ROUTE:
                return receive_message(page, request)
            if isinstance(page, CatalogueIndexPage) and route in page.SUGGEST_ROUTES:
                return receive_suggestion(page, request)
        return serve(page, request, args, kwargs)

    return serve_page


# While the database cannot be reached, a contact form's or a suggestion's post keeps its text
# (pages/http/outage.py). Each knows its own form by its token's salt.
hooks.register("answer_during_database_outage", answer_during_database_outage)
hooks.register("answer_during_database_outage", suggestion_during_outage)
# A contact form posted from another website: refused, its text kept (pages/http/cross_origin.py).
hooks.register("answer_cross_origin_refusal", answer_cross_origin_refusal)


# Staff sign-in with a second factor (pages/staff_auth/, docs/security.md).
hooks.register("register_admin_urls", second_factor.admin_urls)
hooks.register("register_user_listing_buttons", second_factor.user_listing_buttons)
hooks.register("register_account_menu_item", second_factor.account_menu_item)
hooks.register("register_log_actions", second_factor.register_log_actions)
