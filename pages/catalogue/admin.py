"""The catalogue's vocabularies in the admin (Snippets → Catalogue terms): data editors add a
licence, a standard or a region here, and translate it like any snippet. Registered in
pages/wagtail_hooks.py."""

from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Term


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "tag"
    menu_label = "Catalogue terms"
    add_to_admin_menu = False
    list_display = ["name", "vocabulary", "slug", "locale"]
    list_filter = ["vocabulary", "locale"]
    list_export = ["vocabulary", "slug", "name", "description", "sort_order"]
    search_fields = ["name", "slug"]
    # A few hundred rows at most: plain database lookups, no search index to keep in step.
    search_backend_name = None
    ordering = ["vocabulary", "sort_order", "name"]
