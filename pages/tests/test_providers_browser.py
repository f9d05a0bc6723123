"""The providers' whole journey in a real browser (Debian's Chromium through Playwright), with the
second factor required as in production (issue 28): a visitor suggests an infrastructure by
keyboard with JavaScript off; an administrator accepts it into a draft entry and invites its
provider; the provider accepts from the email, sets up an authenticator app, edits a section of
the entry and submits it; a moderator publishes it, and the public page shows the new fact and
its new "last confirmed" date. The steps are in pages/tests/providing.py."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from conftest import axe_violations, build_home
from pages.catalogue.models import CatalogueEntryPage
from pages.providers.models import Provider
from pages.tests.cataloguing import build_catalogue
from pages.tests.providing import (
    SuggestedInfrastructure,
    accept_as_staff,
    accept_invitation_in_browser,
    approve_and_publish_in_browser,
    edit_entry_section_and_submit_in_browser,
    invitation_link,
    invite_provider_in_browser,
    set_up_authenticator_app_in_browser,
    sign_in_with_recovery_code,
    suggest_by_keyboard,
)
from pages.tests.second_factor import with_app, with_recovery_codes
from pages.tests.test_moderation_browser import new_tab

# The provider's admin, the staff's and the public pages work under their Content-Security-Policy:
# every tab `new_tab` opens reports what the browser refused, and the journey fails on any.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_csp_violations"),
]


def test_a_suggestion_becomes_an_entry_its_provider_keeps_true_and_a_moderator_publishes(
    live_server, make_user, browser, settings
):
    settings.STAFF_2FA_REQUIRED = True
    base_url = settings.WAGTAILADMIN_BASE_URL = live_server.url  # the emails' links
    home = build_home()
    build_catalogue(home, count=2)
    admin, moderator = make_user("administrator"), make_user("moderator")
    for person, codes in ((admin, ("admn2345", "admn6789")), (moderator, ("mode2345",))):
        with_app(person)
        with_recovery_codes(person, *codes)  # each code once, as on paper

    suggestion = suggest_by_keyboard(browser, base_url, SuggestedInfrastructure())
    assert suggestion.seen["heading"] == "Thank you for your suggestion"
    shown = accept_as_staff(
        browser,
        base_url,
        admin.username,
        suggestion.name,
        sign_in_step=lambda tab: sign_in_with_recovery_code(
            tab, base_url, admin.username, "admn2345"
        ),
    )
    entry = CatalogueEntryPage.objects.get(title=suggestion.name)
    assert shown["edit_url"] == f"{base_url}/admin/pages/{entry.pk}/edit/" and not entry.live

    context, tab = new_tab(browser)
    sign_in_with_recovery_code(tab, base_url, admin.username, "admn6789")
    invite_provider_in_browser(tab, base_url, "Ana Ruiz", "ana@example.org", [entry.title])
    context.close()
    assert len(mail.outbox) == 1

    context, tab = new_tab(browser)
    link = invitation_link("ana@example.org")
    tab.goto(link)
    assert tab.get_by_role("heading", level=1).inner_text() == "Make your account"
    assert not axe_violations(tab)
    accept_invitation_in_browser(tab, link)
    tab.wait_for_url(re.compile(r"/admin/second-factor/set-up/"))
    set_up_authenticator_app_in_browser(tab, base_url)
    provider = Provider.objects.get()
    assert list(provider.entries.all()) == [entry]
    # Their menu is empty; their dashboard lists their entry, and only it.
    assert tab.get_by_test_id("provider-entries").get_by_role("link").all_inner_texts() == [
        f"Edit {entry.title}"
    ]
    assert not axe_violations(tab)
    today = timezone.localdate().isoformat()
    edit_entry_section_and_submit_in_browser(
        tab, entry.title, {"#id_country": "Chile", "#id_about_confirmed": today}
    )
    assert "waiting for review" in tab.locator("main").inner_text()
    context.close()
    entry.refresh_from_db()
    # Submitted, not published: the public cannot see the new entry yet.
    assert entry.workflow_in_progress and not entry.live
    assert tab_status(browser, f"{base_url}/catalogue/{entry.slug}/") == 404

    context, tab = new_tab(browser)
    sign_in_with_recovery_code(tab, base_url, moderator.username, "mode2345")
    approve_and_publish_in_browser(tab, base_url, entry)
    context.close()
    entry = CatalogueEntryPage.objects.get(pk=entry.pk)
    assert entry.country == "Chile" and entry.about_confirmed.isoformat() == today

    context, reader = new_tab(browser)
    reader.goto(f"{base_url}{entry.url}")
    main = reader.locator("main")
    assert "Chile" in main.inner_text()
    assert main.locator(f'time[datetime="{today}"]').count() >= 1
    context.close()


def tab_status(browser, url):
    context, tab = new_tab(browser)
    status = tab.goto(url).status
    context.close()
    return status
