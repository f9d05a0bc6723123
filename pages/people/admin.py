"""People in the admin (Snippets → People): the authors editors choose. Registered in
pages/wagtail_hooks.py."""

from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Person


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = "People"
    add_to_admin_menu = False
    list_display = ["name", "role", "organisation", "orcid"]
    search_fields = ["given_names", "family_name", "organisation"]
    # A few hundred rows at most: plain database lookups, no search index to keep in step.
    search_backend_name = None
    ordering = ["family_name", "given_names"]
