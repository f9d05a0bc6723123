"""What the tests need to pass a second factor as a person would: the code an authenticator app
would show for a device's key, and a sign-in over HTTP (for servers in other processes) that
sets up an authenticator app the first time and uses a recovery code after that."""

import re
from base64 import b32decode

from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MANUAL_KEY = re.compile(r'data-testid="manual-key">([A-Z2-7 ]+)<')
RECOVERY_CODE = re.compile(r"<li><code>([a-z2-7]{8})</code></li>")


def with_app(user):
    """An authenticator app the person has already set up."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def with_recovery_codes(user, *codes):
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return device


def app_code(device, steps_ahead=0):
    """The code an authenticator app shows for the device now (or that many 30-second steps
    later: django-otp accepts the next step's code, and never one it has already taken)."""
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def app_code_for_key(manual_key, steps_ahead=0):
    """The code for a key as the set-up page writes it out for typing into an app."""
    key = manual_key.replace(" ", "")
    key = b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


class SecondFactorOverHTTP:
    """One person's second factor, across the sign-ins of a test module: the first sign-in sets
    up an authenticator app and keeps the recovery codes; later ones spend a recovery code (a
    second app code within the same 30 seconds would be refused as already used)."""

    def __init__(self):
        self.recovery_codes = []

    def sign_in(self, client, origin, username, password):
        page = client.get("/admin/login/")
        response = client.post(
            "/admin/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            },
            headers={"Referer": f"{origin}/admin/login/"},
        )
        assert response.status_code == 302, "could not sign in"
        step = client.get("/admin/")
        assert step.status_code == 302, "the admin asked for no second factor"
        if "/set-up/" in step.headers["Location"]:
            self._enrol(client, origin)
        else:
            self._verify(client, origin, step.headers["Location"])
        assert client.get("/admin/").status_code == 200
        return client

    def _enrol(self, client, origin):
        page = client.get("/admin/second-factor/set-up/app/")
        key = MANUAL_KEY.search(page.text).group(1)
        response = client.post(
            "/admin/second-factor/set-up/app/",
            data={
                "code": app_code_for_key(key),
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            },
            headers={"Referer": f"{origin}/admin/second-factor/set-up/app/"},
        )
        assert response.status_code == 302, response.text
        codes = client.get(response.headers["Location"]).text
        self.recovery_codes = RECOVERY_CODE.findall(codes)
        assert len(self.recovery_codes) == 10

    def _verify(self, client, origin, url):
        page = client.get(url)
        response = client.post(
            url,
            data={
                "code": self.recovery_codes.pop(),
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            },
            headers={"Referer": f"{origin}{url}"},
        )
        assert response.status_code == 302, response.text
