"""Steps of the providers' journey (issue 28) in a real browser, small enough to chain: a visitor
suggests an infrastructure by keyboard, staff accept it into a draft entry. Each step opens its
own browser context and closes it, takes the live server's address, and returns what the next
step needs; the tests assert on what they return. (Inviting the provider, their edit and the
moderator's publish are the other half's steps, to be chained after these.)"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

import time_machine
from django.utils import timezone

from conftest import sign_in
from pages.public_forms import MIN_FILL_SECONDS
from pages.tests.test_moderation_browser import new_tab


@dataclass
class SuggestedInfrastructure:
    name: str = "Lantern Archive"
    website: str = "https://lantern.example.org/"
    provider: str = "The Lantern Cooperative"
    category: str = "Publishing"  # typed into the select, which picks the first match
    description: str = "Keeps open journals' back issues readable for good."
    email: str = "maintainer@lantern.example.org"
    # What the form looked like when it was sent (filled by suggest_by_keyboard).
    seen: dict = field(default_factory=dict)


def focus_by_tab(tab, selector, most=80):
    """Press Tab until the element is focused, as a keyboard user would."""
    for _ in range(most):
        tab.keyboard.press("Tab")
        if tab.locator(selector).evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def suggest_by_keyboard(browser, base_url, suggestion, javascript=False):
    """A visitor finds the form from the catalogue and sends the suggestion with the keyboard
    alone (JavaScript off unless asked), at a person's pace. Ends on the thank-you page, whose
    heading it records in `suggestion.seen`."""
    context = browser.new_context(java_script_enabled=javascript)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.goto(f"{base_url}/catalogue/")
    focus_by_tab(tab, "a[href$='/catalogue/suggest/']", most=600)
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url == f"{base_url}/catalogue/suggest/"
    for selector, text in (
        ("#id_name", suggestion.name),
        ("#id_website", suggestion.website),
        ("#id_provider", suggestion.provider),
        ("#id_category", suggestion.category),
        ("#id_description", suggestion.description),
        ("#id_email", suggestion.email),
    ):
        focus_by_tab(tab, selector)
        tab.keyboard.type(text)
    focus_by_tab(tab, "#id_consent_to_contact")
    tab.keyboard.press("Space")
    suggestion.seen["category"] = tab.locator("#id_category option:checked").inner_text()
    focus_by_tab(tab, "form button[type=submit]")
    # The server's clock (this process's) moves on by a person's writing time, rather than
    # the test waiting for it.
    with time_machine.travel(timezone.now() + timedelta(seconds=MIN_FILL_SECONDS + 1)):
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
        suggestion.seen["thanks_url"] = tab.url
        suggestion.seen["heading"] = tab.get_by_role("heading", level=1).inner_text()
    context.close()
    return suggestion


def accept_as_staff(browser, base_url, username, name):
    """Staff find the suggestion in the admin, open its actions and accept it into a draft.
    Returns the draft entry's edit address, where the accept leaves them, and the values its
    editor shows (title, provider, website, summary)."""
    context, tab = new_tab(browser)
    sign_in(tab, base_url, username)
    tab.goto(f"{base_url}/admin/snippets/catalogue/suggestion/?status=new")
    row = tab.locator("tr", has_text=name)
    row.get_by_role("button", name=re.compile("More options", re.I)).click()
    tab.get_by_role("link", name="Accept into a draft entry").click()
    tab.wait_for_url(re.compile(r"/admin/catalogue/suggestions/\d+/accept/$"))
    tab.get_by_role("button", name="Make the draft entry").click()
    tab.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    shown = {
        "edit_url": tab.url,
        "message": tab.locator(".messages").inner_text(),
        **{
            name: tab.locator(f"#id_{name}").input_value()
            for name in ("title", "provider", "website", "summary")
        },
    }
    context.close()
    return shown
