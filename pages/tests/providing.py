"""Steps of the providers' journey (issue 28), for the tests, each small enough to chain: a
visitor suggests an infrastructure by keyboard and staff accept it into a draft entry
(`suggest_by_keyboard`, `accept_as_staff`); its provider is invited, accepts and edits, and a
moderator publishes, made directly (`make_provider_account`), through the admin with the test
client (`invite_provider`, `accept_invitation`), or in a browser (`*_in_browser`)."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, signed_in
from pages.providers.grants import grant_entries, make_provider
from pages.public_forms import MIN_FILL_SECONDS
from pages.tests.test_moderation_browser import new_tab

PROVIDER_PASSWORD = "a provider's long passphrase 42"
LINK = re.compile(r"https?://\S+/providers/accept/[\w-]+/")


def make_provider_account(name, email, entries, language="en"):
    """A provider who has accepted an invitation to `entries`, with password PASSWORD."""
    user = get_user_model().objects.create_user(email, email, PASSWORD, first_name=name)
    provider = make_provider(user, name, language)
    grant_entries(provider, entries)
    return provider


def invitation_data(name, email, entries, language="en"):
    return {"name": name, "email": email, "language": language, "entries": [e.pk for e in entries]}


def invite_provider(client, name, email, entries, language="en", on_commit=None):
    """Staff (signed in on `client`) invite a provider through Settings → Provider invitations;
    `on_commit` is django_capture_on_commit_callbacks, so that the email goes at once."""
    data = invitation_data(name, email, entries, language)
    url = reverse("provider_invitations:add")
    if on_commit is None:
        return client.post(url, data)
    with on_commit(execute=True):
        return client.post(url, data)


def invitation_link(email_address):
    """The acceptance link from the latest email to this address."""
    sent = [m for m in mail.outbox if email_address in m.to]
    match = LINK.search(sent[-1].body)
    return match.group(0)


def accept_invitation(client, link, password=PROVIDER_PASSWORD):
    path = link.split("://", 1)[1].split("/", 1)[1]
    return client.post(f"/{path}", {"password1": password, "password2": password})


# In a browser (Playwright's sync API)


def invite_provider_in_browser(page, base_url, name, email, entry_titles, language="English"):
    page.goto(base_url + reverse("provider_invitations:add"))
    page.get_by_role("textbox", name="Name*").fill(name)
    page.get_by_role("textbox", name="Email*").fill(email)
    page.get_by_role("combobox", name="Language*").select_option(label=language)
    for title in entry_titles:
        page.get_by_role("checkbox", name=title, exact=True).check()
    page.get_by_role("button", name="Create").click()
    page.get_by_text(f"Invitation to {email}").wait_for()


def accept_invitation_in_browser(page, link, password=PROVIDER_PASSWORD):
    page.goto(link)
    page.get_by_label("Choose a password").fill(password)
    page.get_by_label("The same password again").fill(password)
    page.get_by_role("button", name="Make my account").click()


def sign_in_with_recovery_code(tab, base_url, username, code, password=PASSWORD):
    """Staff with a second factor: the password, then one of their recovery codes."""
    tab.goto(f"{base_url}/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(re.compile(r"/admin/second-factor/verify/"))
    tab.get_by_label("Code").fill(code)
    tab.get_by_label("Code").press("Enter")
    tab.wait_for_url(f"{base_url}/admin/")


def set_up_authenticator_app_in_browser(tab, base_url):
    """From *Set up a second factor*: an authenticator app, its code computed from the key the
    page writes out; then past the recovery codes to the dashboard."""
    from pages.tests.second_factor import app_code_for_key

    tab.get_by_role("link", name="Use an authenticator app").click()
    tab.wait_for_url(re.compile(r"/set-up/app/"))
    key = tab.get_by_test_id("manual-key").inner_text()
    tab.get_by_label("Code from the app").fill(app_code_for_key(key))
    tab.get_by_label("Code from the app").press("Enter")
    tab.wait_for_url(re.compile(r"/recovery-codes/"))
    tab.get_by_role("link", name=re.compile("continue")).click()
    tab.wait_for_url(f"{base_url}/admin/")


def edit_entry_section_and_submit_in_browser(tab, entry_title, fields):
    """From the provider's dashboard: open the entry, fill `fields` ({css selector: value}),
    and submit it for moderation; back on the dashboard."""
    tab.get_by_test_id("provider-entries").get_by_role("link", name=f"Edit {entry_title}").click()
    tab.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    for selector, value in fields.items():
        box = tab.locator(selector)
        box.fill(value)
        if box.evaluate("e => Boolean(window.jQuery && jQuery(e).data('xdsoft_datetimepicker'))"):
            # Wagtail's date picker opens 100 ms after the field takes focus and would then
            # cover the footer's buttons: wait for it, then close it as leaving the field does.
            picker = tab.locator(".xdsoft_datetimepicker:visible")
            picker.wait_for()
            box.blur()
            picker.wait_for(state="hidden")
    tab.locator("footer .w-dropdown__toggle").first.click()
    menu = tab.locator(".tippy-box[data-state='visible']")
    menu.wait_for()
    assert menu.get_by_role("button", name=re.compile("^Publish")).count() == 0
    tab.get_by_role("button", name="Submit to Moderators approval").click()
    tab.wait_for_url(re.compile(r"/admin/$"))


def approve_and_publish_in_browser(tab, base_url, entry):
    """A moderator, signed in, approves the entry's change, which publishes it."""
    tab.goto(f"{base_url}/admin/pages/{entry.pk}/edit/")
    tab.locator("footer .w-dropdown__toggle").first.click()
    tab.locator(".tippy-box[data-state='visible']").wait_for()
    tab.get_by_role("button", name=re.compile(r"^Approve( and publish)?$", re.I)).click()
    tab.wait_for_load_state()


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


def accept_as_staff(browser, base_url, username, name, sign_in_step=None):
    """Staff find the suggestion in the admin, open its actions and accept it into a draft.
    Returns the draft entry's edit address, where the accept leaves them, and the values its
    editor shows (title, provider, website, summary). `sign_in_step(tab)` signs them in where
    the password alone would not do (the second factor required)."""
    context, tab = new_tab(browser)
    if sign_in_step:
        sign_in_step(tab)
    else:
        signed_in(tab, base_url, username)
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
