from wagtail.snippets.views.snippets import SnippetViewSet

from pages.models.site_settings import OrganisationWording


class OrganisationWordingViewSet(SnippetViewSet):
    """The tagline and the footer, one row per language, beside the organisation settings."""

    model = OrganisationWording
    icon = "site"
    menu_label = "Organisation wording"
    add_to_admin_menu = False
    list_display = ["__str__", "tagline"]
