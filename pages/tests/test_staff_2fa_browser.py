"""The second factor in a real browser (Debian's Chromium through Playwright), with the
requirement on as in production: setting up an authenticator app and signing in with a code
the test computes from its key, a recovery code that works once, a passkey made and used with
Chromium's virtual authenticator (WebAuthn through the DevTools protocol), and a person who
skips the second factor reaching no admin page. The pages pass axe, are used by keyboard, and
break no Content-Security-Policy rule (`page_in_browser` fails the test on any violation)."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from conftest import PASSWORD, axe_violations
from pages.tests.second_factor import app_code, app_code_for_key, with_app, with_recovery_codes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def required(settings):
    settings.STAFF_2FA_REQUIRED = True


def sign_in_with_password(tab, base_url, username):
    tab.goto(f"{base_url}/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_label("Password").press("Enter")
    tab.wait_for_url(re.compile(r"/admin/second-factor/"))


def press(locator, key="Enter"):
    """Keyboard only: focus the control and press a key, as someone without a mouse would."""
    locator.focus()
    locator.press(key)


def sign_out(tab, base_url):
    """With the button on every second-factor page."""
    if "/admin/second-factor/" not in tab.url:
        tab.goto(f"{base_url}/admin/second-factor/")
    press(tab.get_by_role("button", name="Sign out"))
    tab.wait_for_url(re.compile(r"/admin/login/"))


def type_code(tab, label, code):
    field = tab.get_by_label(label)
    field.focus()
    field.press("Control+a")  # a wrong code stays in the field, as typed
    field.press_sequentially(code)
    field.press("Enter")


def dashboard(tab, base_url):
    tab.wait_for_url(f"{base_url}/admin/")
    assert tab.get_by_role("heading", level=1).count() == 1


def test_an_authenticator_app_is_set_up_then_asked_for_at_every_sign_in(
    live_server, make_user, required, page_in_browser
):
    tab, base_url = page_in_browser, live_server.url
    moderator = make_user("moderator")
    sign_in_with_password(tab, base_url, "moderator")
    assert "/admin/second-factor/set-up/" in tab.url
    assert tab.get_by_role("heading", level=1).inner_text() == "Set up a second factor"
    assert not axe_violations(tab)

    press(tab.get_by_role("link", name="Use an authenticator app"))
    tab.wait_for_url(re.compile(r"/set-up/app/"))
    qr = tab.get_by_role("img", name=re.compile("QR code"))
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    assert not axe_violations(tab)
    key = tab.get_by_test_id("manual-key").inner_text()

    type_code(tab, "Code from the app", "000000")
    assert "does not match" in tab.locator(".error-message").inner_text()
    TOTPDevice.objects.filter(user=moderator).update(throttling_failure_count=0)
    type_code(tab, "Code from the app", app_code_for_key(key))

    tab.wait_for_url(re.compile(r"/recovery-codes/"))
    codes = tab.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    assert not axe_violations(tab)
    press(tab.get_by_role("link", name=re.compile("continue")))
    dashboard(tab, base_url)

    sign_out(tab, base_url)
    sign_in_with_password(tab, base_url, "moderator")
    assert "/admin/second-factor/verify/" in tab.url
    assert not axe_violations(tab)
    device = TOTPDevice.objects.get(user=moderator, confirmed=True)
    type_code(tab, "Code", app_code(device, steps_ahead=1))
    dashboard(tab, base_url)


def test_a_recovery_code_works_once(live_server, make_user, required, page_in_browser):
    tab, base_url = page_in_browser, live_server.url
    moderator = make_user("moderator")
    with_app(moderator)
    with_recovery_codes(moderator, "abcd2345", "efgh6723")

    sign_in_with_password(tab, base_url, "moderator")
    type_code(tab, "Code", "abcd2345")
    dashboard(tab, base_url)
    assert "1 left" in tab.locator(".messages").inner_text()

    sign_out(tab, base_url)
    sign_in_with_password(tab, base_url, "moderator")
    type_code(tab, "Code", "abcd2345")
    tab.wait_for_load_state()
    assert "/admin/second-factor/verify/" in tab.url
    assert "used already" in tab.locator(".error-message").inner_text()
    assert not axe_violations(tab)


def virtual_authenticator(tab):
    """Chromium's stand-in for a fingerprint reader: it answers every WebAuthn request, with
    the person present and verified."""
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("WebAuthn.enable")
    created = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, created["authenticatorId"]


def test_a_passkey_is_made_then_used_to_sign_in(live_server, make_user, required, page_in_browser):
    tab, base_url = page_in_browser, live_server.url
    moderator = make_user("moderator")
    cdp, authenticator = virtual_authenticator(tab)

    sign_in_with_password(tab, base_url, "moderator")
    press(tab.get_by_role("link", name="Use a passkey"))
    tab.wait_for_url(re.compile(r"/set-up/passkey/"))
    add = tab.get_by_role("button", name="Add a passkey")
    add.wait_for()
    assert not axe_violations(tab)
    press(add)
    tab.wait_for_url(re.compile(r"/recovery-codes/"))
    assert len(tab.get_by_test_id("recovery-codes").locator("code").all_inner_texts()) == 10
    credential = WebAuthnCredential.objects.get(user=moderator)
    assert credential.confirmed
    press(tab.get_by_role("link", name=re.compile("continue")))
    dashboard(tab, base_url)

    sign_out(tab, base_url)
    sign_in_with_password(tab, base_url, "moderator")
    use = tab.get_by_role("button", name="Use your passkey")
    use.wait_for()
    assert not axe_violations(tab)
    press(use)
    dashboard(tab, base_url)
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert credentials["credentials"][0]["signCount"] >= 2


def test_whoever_skips_the_second_factor_reaches_no_admin_page(
    live_server, make_user, required, page_in_browser
):
    tab, base_url = page_in_browser, live_server.url
    make_user("moderator")  # can publish: must set one up
    with_app(make_user("editor"))  # set one up of their own accord: must use it
    for username, step in (("moderator", "set-up"), ("editor", "verify")):
        sign_in_with_password(tab, base_url, username)
        for path in ("/admin/pages/", "/admin/", "/admin/api/main/pages/"):
            tab.goto(f"{base_url}{path}")
            assert f"/admin/second-factor/{step}/" in tab.url, (username, path, tab.url)
            assert tab.get_by_role("link", name="Pages").count() == 0  # no admin menu
        sign_out(tab, base_url)
