"""A visitor suggests an infrastructure by keyboard with JavaScript off, and an editor accepts it
into a draft entry, prefilled, in a real browser (the steps are pages/tests/providing.py's)."""

import pytest

from pages.catalogue.models import CatalogueEntryPage, CatalogueIndexPage, Suggestion
from pages.tests.providing import SuggestedInfrastructure, accept_as_staff, suggest_by_keyboard

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_csp_violations"),
]


def test_a_visitor_suggests_by_keyboard_and_an_editor_accepts_it_into_a_prefilled_draft(
    seeded_site, make_user, browser
):
    make_user("editor")
    suggestion = suggest_by_keyboard(browser, seeded_site, SuggestedInfrastructure())

    assert suggestion.seen["thanks_url"] == f"{seeded_site}/catalogue/suggest/thanks/"
    assert suggestion.seen["heading"] == "Thank you for your suggestion"
    stored = Suggestion.objects.get()
    assert (stored.name, stored.provider, stored.email, stored.consent_to_contact) == (
        suggestion.name,
        suggestion.provider,
        suggestion.email,
        True,
    )
    assert stored.category_name == suggestion.seen["category"]

    shown = accept_as_staff(browser, seeded_site, "editor", suggestion.name)

    entry = CatalogueEntryPage.objects.get(title=suggestion.name)
    assert shown["edit_url"] == f"{seeded_site}/admin/pages/{entry.pk}/edit/"
    assert "is now a draft entry" in shown["message"]
    assert (shown["title"], shown["provider"], shown["website"], shown["summary"]) == (
        suggestion.name,
        suggestion.provider,
        suggestion.website,
        suggestion.description,
    )
    assert not entry.live
    index = CatalogueIndexPage.objects.get(locale__language_code="en")
    assert entry.get_parent().pk == index.pk
    assert [term.name for term in entry.categories.all()] == [suggestion.seen["category"]]
    stored.refresh_from_db()
    assert stored.status == "accepted" and stored.entry_id == entry.pk
