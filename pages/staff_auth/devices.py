"""Making, confirming and removing a person's second-factor devices, and the audit log's record
of it. Each device class is django-otp's own: TOTPDevice (an authenticator app), StaticDevice
(recovery codes) and django-otp-webauthn's WebAuthnCredential (a passkey)."""

from base64 import b32encode

import segno
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10

ADDED = "ioi.second_factor.added"
RESET = "ioi.second_factor.reset"
RECOVERY_CODES_REPLACED = "ioi.second_factor.recovery_codes"
LOG_ACTIONS = [
    (ADDED, "Add second factor", "Added a second factor"),
    (RESET, "Reset second factor", "Reset the second factor: every device removed"),
    (RECOVERY_CODES_REPLACED, "Replace recovery codes", "Made new recovery codes"),
]


def record(person, action, by=None, **data):
    """An entry in the site history (Reports → Site history) about a person's second factor.
    The person is loaded afresh: the audit log finds its log model from the instance's class,
    and `request.user` is a lazy stand-in."""
    person = get_user_model()._default_manager.get(pk=person.pk)
    log(instance=person, action=action, user=by, data=data)


def register_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


def pending_authenticator(user):
    """The authenticator app being set up: the same one on every visit until it is confirmed,
    so a code scanned before a reload still works."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by(
        "-pk"
    ).first() or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def qr_code_data_uri(device):
    """The QR code of the device's otpauth:// address, drawn here as SVG: the secret never goes
    to a QR service."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4)


def manual_key(device):
    """The secret as authenticator apps accept it typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def confirm(request, device):
    """The person has shown they hold the device: it counts from now, and for this session."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    record(request.user, ADDED, by=request.user, device=device.name)


def has_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()


@transaction.atomic
def new_recovery_codes(user):
    """Replace the person's recovery codes with fresh ones; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def remove_all(user, by=None):
    """Every device the person has, of every kind; recorded in the audit log. Their next request
    asks them to set up a second factor again (or lets them in, if they need none)."""
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    record(user, RESET, by=by, devices_removed=removed)
    return removed


def describe(user):
    """The person's confirmed devices, for the page that lists them."""
    rows = []
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, StaticDevice):
            label = f"{RECOVERY_CODES_NAME} ({device.token_set.count()} left)"
        elif isinstance(device, TOTPDevice):
            label = device.name or AUTHENTICATOR_NAME
        else:
            label = f"Passkey: {device.name}" if device.name else "Passkey"
        rows.append({"label": label, "last_used": device.last_used_at})
    return rows
