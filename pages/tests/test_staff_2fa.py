"""The second factor on the server (pages/staff_auth/): who must use one, that a password alone
reaches no admin address, setting one up, verifying, recovery codes, the pauses on guessing, an
administrator's reset and the command for the last administrator. The browser journeys are in
test_staff_2fa_browser.py."""

import re
import uuid
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from wagtail.documents.models import Document
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupPagePermission,
    ModelLogEntry,
    PageViewRestriction,
)

from conftest import PASSWORD, root_collection
from pages.staff_auth import devices, passkeys, policy
from pages.tests.second_factor import RECOVERY_CODE, app_code, with_app, with_recovery_codes

ENROL = "/admin/second-factor/set-up/"
VERIFY = "/admin/second-factor/verify/"
APP = "/admin/second-factor/set-up/app/"


@pytest.fixture
def required(settings):
    settings.STAFF_2FA_REQUIRED = True
    return settings


def sign_in_with_password(client, username):
    """The admin's sign-in form, as a person posts it (django-axes sees the request)."""
    response = client.post(
        "/admin/login/", {"username": username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302, "the password was refused"
    return response


def unthrottle(device):
    """Lift django-otp's wait after a wrong code, leaving the rest of the device as it is."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_count=0)


def verify(client, code, next_url="/admin/"):
    return client.post(VERIFY, {"code": code, "next": next_url})


# Who must use a second factor


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, must",
    [("administrator", True), ("moderator", True), ("contact manager", True), ("editor", False)],
)
def test_who_must_follows_the_roles(make_user, required, role, must):
    assert policy.must_use_second_factor(make_user(role)) is must


@pytest.mark.django_db
def test_a_new_group_that_can_publish_must_too_whatever_its_name(
    make_user, required, roles, django_user_model
):
    person = django_user_model.objects.create_user("newsdesk", password=PASSWORD)
    group = Group.objects.create(name="Newsdesk")
    person.groups.add(group)
    assert not policy.must_use_second_factor(person)

    GroupPagePermission.objects.create(
        group=group,
        page=roles["Editors"].page_permissions.first().page,
        permission=Permission.objects.get(codename="publish_page"),
    )
    person = django_user_model.objects.get(pk=person.pk)  # permissions are cached per object
    assert policy.must_use_second_factor(person)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "permission", ["view_contactmessage", "change_user", "change_organisationsettings"]
)
def test_a_group_that_reads_messages_or_manages_people_must_too(
    required, roles, django_user_model, permission
):
    person = django_user_model.objects.create_user("someone", password=PASSWORD)
    group = Group.objects.create(name="Odd jobs")
    group.permissions.add(Permission.objects.get(codename=permission))
    person.groups.add(group)
    assert policy.must_use_second_factor(person)


@pytest.mark.django_db
def test_an_inactive_account_owes_nothing(make_user, required):
    admin = make_user("administrator")
    admin.is_active = False
    assert not policy.must_use_second_factor(admin)


@pytest.mark.django_db
def test_nobody_must_when_the_setting_is_off(make_user, settings):
    settings.STAFF_2FA_REQUIRED = False
    assert not policy.must_use_second_factor(make_user("administrator"))


def test_production_requires_it_unless_told_not_to():
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = "import ioisite.settings.production as p; print(p.STAFF_2FA_REQUIRED)"
    base = dict(os.environ, DJANGO_SECRET_KEY="k" * 50, DJANGO_SITE_URL="https://testserver")
    base.pop("STAFF_2FA_REQUIRED", None)
    root = Path(__file__).resolve().parents[2]
    for extra, expected in [({}, "True"), ({"STAFF_2FA_REQUIRED": "0"}, "False")]:
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**base, **extra},
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.split()[-1] == expected


# A password alone reaches no admin address


def admin_paths():
    """Every admin URL pattern, filled in with values of the right shape."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            parts = [*prefix, str(pattern.pattern)]
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, parts)
            elif parts[0] == "admin/":
                found.append((pattern.name, concrete(parts)))

    walk(get_resolver().url_patterns, [])
    return found


def concrete(parts):
    path = ""
    for part in parts:
        part = re.sub(r"<int:\w+>", "1", part)
        part = re.sub(r"<uuid:\w+>", str(uuid.UUID(int=1)), part)
        part = re.sub(r"<(?:\w+:)?\w+>", "x", part)
        part = re.sub(r"\(\?P<\w+>[^)]*\)", "1", part)
        part = part.replace("^", "").replace("$", "").replace("\\.", ".").replace(".*", "x")
        path += part
    return "/" + path


OPEN_TO_THE_HALF_SIGNED_IN = {
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}


@pytest.mark.slow
@pytest.mark.django_db
def test_a_moderator_with_the_right_password_alone_reaches_no_admin_address(
    client, make_user, required, site_tree
):
    make_user("moderator")
    sign_in_with_password(client, "moderator")
    paths = admin_paths()
    assert len(paths) > 250  # Wagtail's whole admin, its API and previews among them
    assert any("/api/" in path for _, path in paths)
    assert any(path.endswith("/preview/") for _, path in paths)
    checked = 0
    for name, path in paths:
        if name in OPEN_TO_THE_HALF_SIGNED_IN or path.startswith("/admin/second-factor/"):
            continue
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, (path, response.status_code)
            assert response["Location"].startswith(ENROL), (path, response["Location"])
        checked += 1
    assert checked > 250


@pytest.mark.django_db
def test_with_the_second_factor_the_moderator_reaches_the_admin_and_its_api(
    client, make_user, required, site_tree
):
    moderator = make_user("moderator")
    device = with_app(moderator)
    sign_in_with_password(client, "moderator")
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"

    response = verify(client, app_code(device), "/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200
    assert client.get("/admin/api/main/pages/").status_code == 200
    preview = f"/admin/pages/{site_tree.about.pk}/edit/preview/"
    assert client.get(preview).status_code == 200


@pytest.mark.django_db
def test_sign_out_then_sign_in_asks_again(client, make_user, required):
    moderator = make_user("moderator")
    device = with_app(moderator)
    sign_in_with_password(client, "moderator")
    verify(client, app_code(device))
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")
    sign_in_with_password(client, "moderator")
    assert client.get("/admin/")["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_whoever_has_a_device_must_use_it_even_when_not_required(client, make_user, settings):
    settings.STAFF_2FA_REQUIRED = False
    editor = make_user("editor")
    assert client.force_login(editor) or client.get("/admin/").status_code == 200
    with_app(editor)
    assert client.get("/admin/")["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_without_the_requirement_an_editor_with_no_device_goes_straight_in(client, make_user):
    client.force_login(make_user("moderator"))
    assert client.get("/admin/pages/").status_code == 200


@pytest.mark.django_db
def test_the_sign_in_pages_send_a_half_signed_in_person_on_to_the_second_factor(
    client, make_user, required
):
    with_app(make_user("moderator"))
    sign_in_with_password(client, "moderator")
    for login in ("/admin/login/", "/_util/login/"):
        response = client.get(login, {"next": "/documents/1/a.pdf"})
        assert response["Location"] == f"{VERIFY}?next=%2Fdocuments%2F1%2Fa.pdf"


@pytest.mark.django_db
def test_a_private_document_and_page_need_the_second_factor(client, make_user, required, site_tree):
    moderator = make_user("moderator")
    device = with_app(moderator)
    private = root_collection().add_child(instance=Collection(name="Board papers"))
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = Document.objects.create(
        title="Minutes", collection=private, file=ContentFile(b"secret minutes", "minutes.txt")
    )
    PageViewRestriction.objects.create(
        page=site_tree.about, restriction_type=PageViewRestriction.LOGIN
    )
    sign_in_with_password(client, "moderator")

    response = client.get(document.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    response = client.get("/about/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]

    verify(client, app_code(device))
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret minutes"
    assert client.get("/about/").status_code == 200


# Setting up an authenticator app, and the recovery codes


@pytest.mark.django_db
def test_setting_up_an_app_shows_a_qr_code_then_recovery_codes_once(client, make_user, required):
    moderator = make_user("moderator")
    sign_in_with_password(client, "moderator")
    assert client.get("/admin/")["Location"] == f"{ENROL}?next=%2Fadmin%2F"
    choose = client.get(ENROL, {"next": "/admin/"})
    assert choose.status_code == 200
    assert b"authenticator app" in choose.content and b"passkey" in choose.content

    page = client.get(APP, {"next": "/admin/"})
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert re.search(r'data-testid="manual-key">[A-Z2-7 ]{32,}<', html)
    device = TOTPDevice.objects.get(user=moderator)
    assert not device.confirmed
    assert client.get(APP).context["manual_key"] == page.context["manual_key"]  # same key

    wrong = client.post(APP, {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 200
    assert b"does not match" in wrong.content
    assert client.get("/admin/").status_code == 302

    device.throttle_reset()
    response = client.post(APP, {"code": app_code(device), "next": "/admin/"})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    codes = RECOVERY_CODE.findall(codes_page.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=moderator).values_list("token", flat=True)
    )
    again = client.get(response["Location"]).content.decode()
    assert not RECOVERY_CODE.findall(again)
    assert "shown once" in again
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(
        object_id=str(moderator.pk), action="ioi.second_factor.added"
    ).exists()


@pytest.mark.django_db
def test_a_stolen_password_cannot_add_a_device_to_an_account_that_has_one(
    client, make_user, required
):
    with_app(make_user("moderator"))
    sign_in_with_password(client, "moderator")
    for path in (ENROL, APP, "/admin/second-factor/set-up/passkey/", "/admin/second-factor/"):
        assert client.get(path)["Location"].startswith(VERIFY), path
    assert client.post(APP, {"code": "123456"})["Location"].startswith(VERIFY)
    response = client.post("/admin/second-factor/recovery-codes/")
    assert response["Location"].startswith(VERIFY)
    begin = client.post("/admin/second-factor/passkeys/registration/begin/")
    assert begin.status_code == 403
    assert TOTPDevice.objects.count() == 1
    assert not StaticDevice.objects.exists()


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones(client, make_user, required):
    moderator = make_user("moderator")
    device = with_app(moderator)
    with_recovery_codes(moderator, "oldcode1")
    client.force_login(moderator)
    verify(client, app_code(device))
    response = client.post("/admin/second-factor/recovery-codes/")
    codes = RECOVERY_CODE.findall(client.get(response["Location"]).content.decode())
    assert len(codes) == 10
    assert not StaticToken.objects.filter(token="oldcode1").exists()
    assert ModelLogEntry.objects.filter(action="ioi.second_factor.recovery_codes").count() == 1
    manage = client.get("/admin/second-factor/")
    assert b"Recovery codes (10 left)" in manage.content


# Verifying: codes work once, guessing pauses


@pytest.mark.django_db
def test_an_app_code_works_once(client, make_user, required):
    moderator = make_user("moderator")
    device = with_app(moderator)
    code = app_code(device)
    sign_in_with_password(client, "moderator")
    assert verify(client, code)["Location"] == "/admin/"
    client.post("/admin/logout/")
    sign_in_with_password(client, "moderator")
    unthrottle(device)
    replay = verify(client, code)
    assert replay.status_code == 200
    assert b"used already" in replay.content
    unthrottle(device)
    assert verify(client, app_code(device, steps_ahead=1))["Location"] == "/admin/"


@pytest.mark.django_db
def test_a_recovery_code_works_once(client, make_user, required):
    moderator = make_user("moderator")
    with_app(moderator)
    with_recovery_codes(moderator, "abcd2345", "efgh6723")
    sign_in_with_password(client, "moderator")
    response = verify(client, "ABCD-2345")  # as printed, in capitals
    assert response["Location"] == "/admin/"
    assert b"1 left" in client.get("/admin/").content
    client.post("/admin/logout/")
    sign_in_with_password(client, "moderator")
    unthrottle(StaticDevice.objects.get(user=moderator))
    assert verify(client, "abcd2345").status_code == 200
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_five_wrong_codes_pause_codes_from_that_client_with_a_429(
    client, make_user, required, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # this test is about the count, not the wait
    moderator = make_user("moderator")
    device = with_app(moderator)
    sign_in_with_password(client, "moderator")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert verify(client, "000000").status_code == 200
    paused = verify(client, "000000")
    assert paused.status_code == 429
    assert paused["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert b"Second-factor sign-in paused" in paused.content
    assert b"15 minutes" in paused.content

    # The right code does not get through, nor does signing in with the password again.
    assert verify(client, app_code(device)).status_code == 429
    client.post("/admin/logout/")
    sign_in_with_password(client, "moderator")
    assert client.get(VERIFY).status_code == 429
    assert client.get("/admin/").status_code == 302

    # Another client is not paused: one person's typos do not lock a colleague out.
    other = Client(REMOTE_ADDR="10.9.8.7")
    sign_in_with_password(other, "moderator")
    assert verify(other, app_code(device, steps_ahead=1))["Location"] == "/admin/"
    assert AccessAttempt.objects.filter(username="moderator (second factor)").count() == 0


@pytest.mark.django_db
def test_a_wrong_code_is_not_kept_in_the_record_of_failed_attempts(client, make_user, required):
    with_app(make_user("moderator"))
    sign_in_with_password(client, "moderator")
    verify(client, "424242")
    attempt = AccessAttempt.objects.get(username="moderator (second factor)")
    assert attempt.failures_since_start == 1
    assert "424242" not in attempt.post_data


@pytest.mark.django_db
def test_guessing_fast_waits_out_the_devices_own_throttle_with_a_429(client, make_user, required):
    moderator = make_user("moderator")
    device = with_app(moderator)
    sign_in_with_password(client, "moderator")
    assert verify(client, "000000").status_code == 200
    response = verify(client, app_code(device))
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    # One second, in the singular now that the page has plural forms (docs/translation.md).
    assert b"checking codes is paused for 1 second." in b" ".join(response.content.split())
    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(seconds=2)
    device.save()
    assert verify(client, app_code(device))["Location"] == "/admin/"


@pytest.mark.django_db
def test_an_overlong_or_empty_code_is_a_form_error(client, make_user, required):
    with_app(make_user("moderator"))
    sign_in_with_password(client, "moderator")
    for code in ("", " - ", "9" * 500):
        response = verify(client, code)
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
    assert client.post(VERIFY, {"next": "https://evil.example/"}).status_code == 200


@pytest.mark.django_db
def test_only_a_safe_next_address_is_followed(client, make_user, required):
    device = with_app(make_user("moderator"))
    sign_in_with_password(client, "moderator")
    response = verify(client, app_code(device), "https://evil.example/")
    assert response["Location"] == "/admin/"


# An administrator's reset, and the command for the last one


@pytest.mark.django_db
def test_an_administrator_resets_someones_devices_and_the_history_says_so(
    client, make_user, required
):
    admin = make_user("administrator")
    moderator = make_user("moderator")
    with_app(moderator)
    with_recovery_codes(moderator, "abcd2345")
    client.force_login(admin)
    admin_device = with_app(admin)
    verify(client, app_code(admin_device))

    listing = client.get("/admin/users/")
    reset_url = reverse("second_factor:reset", args=[moderator.pk])
    assert reset_url.encode() in listing.content
    confirm = client.get(reset_url)
    assert b"Authenticator app" in confirm.content
    response = client.post(reset_url)
    assert response.status_code == 302
    assert list(devices_for_user(moderator, confirmed=None)) == []
    entry = ModelLogEntry.objects.get(action="ioi.second_factor.reset")
    assert entry.object_id == str(moderator.pk)
    assert entry.user == admin
    assert entry.data == {"devices_removed": 2}
    assert "Reset the second factor" in entry.message
    assert b"Reset second factor" in client.get("/admin/reports/site-history/").content


@pytest.mark.django_db
def test_only_an_administrator_may_reset_anyones_devices(client, make_user, roles):
    people_manager = make_user("editor", username="people")
    group = Group.objects.create(name="People")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_user"),
    )
    people_manager.groups.add(group)
    moderator = make_user("moderator")
    with_app(moderator)
    client.force_login(people_manager)
    listing = client.get("/admin/users/")
    assert listing.status_code == 200
    assert b"moderator" in listing.content
    url = reverse("second_factor:reset", args=[moderator.pk])
    assert url.encode() not in listing.content
    for method in (client.get, client.post):
        response = method(url)  # Wagtail answers a refusal with the dashboard and a message
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert TOTPDevice.objects.filter(user=moderator).exists()


@pytest.mark.django_db
def test_the_command_resets_the_last_administrator(make_user, capsys, rf):
    admin = make_user("administrator")
    with_app(admin)
    with_recovery_codes(admin, "abcd2345")
    call_command("reset_second_factor", "administrator")
    assert "Removed 2 second-factor devices of administrator" in capsys.readouterr().out
    assert list(devices_for_user(admin, confirmed=None)) == []
    assert ModelLogEntry.objects.get(action="ioi.second_factor.reset").user is None

    with pytest.raises(CommandError, match="No account has the username 'nobody'"):
        call_command("reset_second_factor", "nobody")


# Passkeys belong to the site's address


def test_passkeys_belong_to_the_sites_address_or_else_the_requests_host(settings):
    request = RequestFactory().get("/admin/", HTTP_HOST="127.0.0.1:8123")
    settings.SITE_URL = ""
    assert passkeys.relying_party_id(request) == "127.0.0.1"
    assert passkeys.PasskeyHelper(request).get_allowed_origins() == ["http://127.0.0.1:8123"]
    settings.SITE_URL = "https://investinopen.org"
    assert passkeys.relying_party_id(request) == "investinopen.org"
    assert passkeys.PasskeyHelper(request).get_allowed_origins() == ["https://investinopen.org"]


@pytest.mark.django_db
def test_a_passkey_counts_as_a_device_and_is_listed(client, make_user, required):
    moderator = make_user("moderator")
    WebAuthnCredential.objects.create(
        user=moderator,
        name="Laptop",
        confirmed=True,
        credential_id=b"x",
        public_key=b"y",
        sign_count=0,
        aaguid="00000000-0000-0000-0000-000000000000",
    )
    sign_in_with_password(client, "moderator")
    page = client.get("/admin/")
    assert page["Location"].startswith(VERIFY)
    verify_page = client.get(page["Location"])
    assert b'id="passkey-verification-button"' in verify_page.content
    assert b"django_otp_webauthn/otp_webauthn_auth.js" in verify_page.content
    assert devices.describe(moderator) == [{"label": "Passkey: Laptop", "last_used": None}]

    # Six digits from someone with no app: a wrong code like any other.
    response = verify(client, "123456")
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


@pytest.mark.django_db
def test_the_verify_page_sends_on_whoever_has_nothing_to_verify(client, make_user, required):
    moderator = make_user("moderator")
    client.force_login(moderator)
    assert client.get(VERIFY, {"next": "/admin/pages/"})["Location"].startswith(ENROL)
    device = with_app(moderator)
    verify(client, app_code(device))
    assert client.get(VERIFY, {"next": "/admin/pages/"})["Location"] == "/admin/pages/"


# Adding a second device, and the account page


@pytest.mark.django_db
def test_anyone_may_add_a_second_factor_from_their_account(client, make_user):
    editor = make_user("editor")
    client.force_login(editor)
    account = client.get("/admin/account/")
    assert b'href="/admin/second-factor/"' in account.content
    assert client.get("/admin/second-factor/")["Location"].startswith(ENROL)
    assert b"keeps your account safe" in client.get(ENROL).content
    assert client.get("/admin/second-factor/set-up/done/")["Location"].startswith(ENROL)

    client.get(APP)
    device = TOTPDevice.objects.get(user=editor)
    response = client.post(APP, {"code": app_code(device)})
    assert "/recovery-codes/" in response["Location"]

    # A second device comes without new recovery codes: the first ones still stand.
    client.get(APP)
    second = TOTPDevice.objects.get(user=editor, confirmed=False)
    response = client.post(APP, {"code": app_code(second)})
    assert response["Location"] == "/admin/"
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).count() == 2
    assert StaticToken.objects.filter(device__user=editor).count() == 10
    manage = client.get("/admin/second-factor/")
    assert manage.content.count(b"Authenticator app") == 2
    assert b"must sign in with a second factor" not in manage.content
    assert b"Add a passkey" in client.get("/admin/second-factor/set-up/passkey/").content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ceremony", ["registration/begin", "registration/complete", "authentication/complete"]
)
@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"id": "x", "response": 7}', b"[]"])
def test_malformed_passkey_requests_get_a_4xx_and_change_nothing(
    client, make_user, required, ceremony, body
):
    moderator = make_user("moderator")
    client.force_login(moderator)
    client.post("/admin/second-factor/passkeys/authentication/begin/")
    response = client.post(
        f"/admin/second-factor/passkeys/{ceremony}/", body, content_type="application/json"
    )
    if ceremony == "registration/begin":
        assert response.status_code in (200, 400)  # options to make one, or refused: no 5xx
    else:
        assert 400 <= response.status_code < 500, response.content
    assert not WebAuthnCredential.objects.exists()
    assert client.get("/admin/")["Location"].startswith(ENROL)
    assert client.get(f"/admin/second-factor/passkeys/{ceremony}/").status_code == 405


@pytest.mark.django_db
def test_resetting_an_account_that_does_not_exist_is_a_404(client, make_user):
    client.force_login(make_user("administrator"))
    for user_id in (999, 2**63):
        assert client.get(f"/admin/second-factor/reset/{user_id}/").status_code == 404


# What the check costs each request

# What the check may ask the database, from what it must know, on top of what every signed-in
# request reads (the session, the person and the device that verified the session):
# - a verified session: nothing more;
# - otherwise whether the person has a device: one question per kind (an authenticator app,
#   recovery codes, a passkey), stopping at the first kind they have;
# - then, with no device, whether they hold a power: their own permissions and their groups'
#   (superusers and most roles stop there), and for someone who may publish nothing else, the
#   page permissions.
DEVICE_KINDS = 3
POWERS = 2
PAGE_POWERS = 1


def through_the_check(client, budget, django_assert_max_num_queries):
    """A request carrying the client's session, through the middleware that reads who is signed
    in and how (as settings.MIDDLEWARE orders them), then the second-factor check, whose
    queries alone are held to the budget."""
    from django.conf import settings
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django_otp.middleware import OTPMiddleware

    from pages.staff_auth.middleware import SecondFactorMiddleware

    check = SecondFactorMiddleware(lambda request: HttpResponse("the admin"))

    def counted(request):
        request.user.is_verified()  # who, and with which device: what every request reads
        with django_assert_max_num_queries(budget):
            return check(request)

    request = RequestFactory().get("/admin/pages/")
    if session := client.cookies.get(settings.SESSION_COOKIE_NAME):
        request.COOKIES[settings.SESSION_COOKIE_NAME] = session.value
    return SessionMiddleware(AuthenticationMiddleware(OTPMiddleware(counted)))(request)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, device, signed_in_with, required_on, budget, reaches",
    [
        ("moderator", "app", "the app", True, 0, "the admin"),
        ("moderator", "app", "a password only", True, 1, VERIFY),
        ("moderator", "recovery codes", "a password only", True, DEVICE_KINDS, VERIFY),
        ("moderator", "app", "the app, since removed", True, DEVICE_KINDS + POWERS, ENROL),
        ("moderator", None, "a password only", True, DEVICE_KINDS + POWERS, ENROL),
        ("editor", None, "a password only", True, DEVICE_KINDS + POWERS + PAGE_POWERS, "the admin"),
        ("editor", None, "a password only", False, DEVICE_KINDS, "the admin"),  # as in make run
        (None, None, "nothing", True, 0, "the admin"),  # a reader: Wagtail asks for a sign-in
    ],
)
def test_the_check_costs_a_few_queries_and_none_once_verified(
    client,
    make_user,
    settings,
    django_assert_max_num_queries,
    role,
    device,
    signed_in_with,
    required_on,
    budget,
    reaches,
):
    settings.STAFF_2FA_REQUIRED = required_on
    if role:
        user = make_user(role)
        if device == "app":
            device = with_app(user)
        elif device == "recovery codes":
            device = with_recovery_codes(user, "abcdefgh")
        sign_in_with_password(client, role)
    if signed_in_with.startswith("the app"):
        assert verify(client, app_code(device))["Location"] == "/admin/"
    if signed_in_with.endswith("since removed"):
        device.delete()
    response = through_the_check(client, budget, django_assert_max_num_queries)
    if reaches == "the admin":
        assert response.status_code == 200 and response.content == b"the admin"
    else:
        assert response.status_code == 302 and response["Location"].startswith(reaches)
