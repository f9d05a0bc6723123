"""The contact form in a real browser, by keyboard only, checked by axe-core."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from conftest import axe_violations, browser_tab
from pages.contacts.forms import MIN_FILL_SECONDS
from pages.contacts.models import ContactMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(tab, selector, limit=40):
    """Press Tab until the element is focused, as a keyboard user would."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.locator(selector).evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key")


@pytest.fixture
def tab_without_javascript(browser):
    """A tab whose pages run no script (Playwright's own checks still run)."""
    with browser_tab(browser, java_script_enabled=False) as tab:
        yield tab


def test_visitor_sends_a_message_with_the_keyboard_only(seeded_site, page_in_browser, request):
    send_by_keyboard(page_in_browser, seeded_site, request, audited=True)


def test_the_keyboard_journey_works_with_javascript_off(
    seeded_site, tab_without_javascript, request
):
    """The same journey with no script: axe-core needs one (its checks wait on the page's
    timers), so the audited run above is the one with axe."""
    send_by_keyboard(tab_without_javascript, seeded_site, request, audited=False)


def send_by_keyboard(tab, seeded_site, request, audited):
    def audit():
        if audited:
            assert not axe_violations(tab)

    tab.goto(f"{seeded_site}/contact/")
    audit()
    # A person takes longer than the form's minimum fill time to write: the server's clock (in
    # this process) moves on by that much, rather than the test waiting for it.
    human_pace = time_machine.travel(timezone.now() + timedelta(seconds=MIN_FILL_SECONDS + 1))
    human_pace.start()
    request.addfinalizer(human_pace.stop)

    # Sent empty first: the errors are announced, listed, and next to their fields.
    tab_to(tab, "#id_name")
    tab.keyboard.type("Ada Lovelace")
    tab_to(tab, "button[type=submit]")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.locator(".error-summary").is_visible()
    error = " ".join(tab.locator("#id_email_error").text_content().split())
    assert error == "Error: This field is required."  # as a screen reader reads it
    described_by = tab.locator("#id_email").get_attribute("aria-describedby")
    assert "id_email_error" in described_by.split()
    assert tab.locator("#id_name").input_value() == "Ada Lovelace"  # kept what was typed
    audit()
    assert ContactMessage.objects.count() == 0

    tab_to(tab, "#id_email")
    tab.keyboard.type("ada@example.org")
    tab_to(tab, "#id_purpose")
    tab.keyboard.type("General")  # a select picks the option whose name is typed
    tab_to(tab, "#id_message")
    tab.keyboard.type("We would like to talk about supporting an open repository.")
    tab_to(tab, "button[type=submit]")
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"{seeded_site}/contact/thanks/")

    assert tab.get_by_role("heading", level=1).inner_text() == "Thank you for your message"
    audit()
    message = ContactMessage.objects.get()
    assert (message.name, message.purpose_name, message.delivery) == (
        "Ada Lovelace",
        "General",
        "sent",
    )
    assert mail.outbox[0].to == ["info@investinopen.org"]

    tab.reload()  # a refresh of the thank-you page sends nothing again
    assert ContactMessage.objects.count() == 1 and len(mail.outbox) == 1


def test_honeypot_is_out_of_reach_of_keyboard_and_screen_reader(seeded_site, page_in_browser):
    tab = page_in_browser
    tab.goto(f"{seeded_site}/contact/")
    trap = tab.locator("#id_website")
    assert not trap.is_visible()
    assert tab.locator(".form-field--trap").get_attribute("aria-hidden") == "true"
    tab_to(tab, "button[type=submit]")  # reached the end without ever landing on the trap
