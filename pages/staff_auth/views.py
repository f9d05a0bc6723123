"""The pages that ask for a second factor, under /admin/second-factor/ (`admin.urls`): choosing
one, setting up an authenticator app or a passkey, the recovery codes, verifying at sign-in,
and an administrator's reset of someone else's devices."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from . import devices, throttle
from .forms import AuthenticatorCodeForm, CodeForm
from .policy import has_second_factor, must_use_second_factor

NEW_CODES_SESSION_KEY = "second_factor_new_recovery_codes"


def _onward(request):
    """Where the person was going: a path on this site, else the dashboard."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _to(name, request):
    return f"{reverse(name)}?{urlencode({'next': _onward(request)})}"


def _may_add_device(user):
    """A person with a device adds another only after using one in this session, or a stolen
    password alone could add the thief's."""
    return user.is_verified() or not has_second_factor(user)


def _paused(request, wait):
    response = render(
        request,
        "staff_auth/paused.html",
        {"minutes": max(1, round(wait.total_seconds() / 60)), "seconds": wait.total_seconds()},
        status=429,
    )
    response["Retry-After"] = str(max(1, int(wait.total_seconds())))
    return response


def _after_enrolment(request):
    """A first device comes with recovery codes, shown once."""
    if devices.has_recovery_codes(request.user):
        messages.success(request, gettext("Your second factor is set up."))
        return redirect(_onward(request))
    request.session[NEW_CODES_SESSION_KEY] = devices.new_recovery_codes(request.user)
    return redirect(_to("second_factor:recovery_codes", request))


@never_cache
def manage(request):
    user = request.user
    if not has_second_factor(user):
        return redirect(_to("second_factor:enrol", request))
    if not user.is_verified():
        return redirect(_to("second_factor:verify", request))
    return render(
        request,
        "staff_auth/manage.html",
        {"devices": devices.describe(user), "required": must_use_second_factor(user)},
    )


@never_cache
def enrol(request):
    if not _may_add_device(request.user):
        return redirect(_to("second_factor:verify", request))
    return render(
        request,
        "staff_auth/enrol.html",
        {"required": must_use_second_factor(request.user), "next": _onward(request)},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def enrol_authenticator(request):
    if not _may_add_device(request.user):
        return redirect(_to("second_factor:verify", request))
    device = devices.pending_authenticator(request.user)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            accepted = device.verify_token(form.cleaned_data["code"])
            if accepted:
                devices.confirm(request, device)
        if accepted:
            return _after_enrolment(request)
        form.add_error(
            "code",
            gettext(
                "That code does not match. Check the app shows this account, wait for a new "
                "code and type it in."
            ),
        )
    return render(
        request,
        "staff_auth/enrol_authenticator.html",
        {
            "form": form,
            "qr_code": devices.qr_code_data_uri(device),
            "manual_key": devices.manual_key(device),
            "next": _onward(request),
        },
    )


@never_cache
def enrol_passkey(request):
    if not _may_add_device(request.user):
        return redirect(_to("second_factor:verify", request))
    return render(
        request,
        "staff_auth/enrol_passkey.html",
        {"next": _onward(request), "done_url": _to("second_factor:enrolled", request)},
    )


@never_cache
def enrolled(request):
    """Where the passkey page goes once the browser and django-otp-webauthn have saved one (its
    views sign the session in with the new passkey)."""
    if not request.user.is_verified():
        return redirect(_to("second_factor:enrol", request))
    return _after_enrolment(request)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def recovery_codes(request):
    user = request.user
    if request.method == "POST":
        if not user.is_verified():
            return redirect(_to("second_factor:verify", request))
        request.session[NEW_CODES_SESSION_KEY] = devices.new_recovery_codes(user)
        devices.record(user, devices.RECOVERY_CODES_REPLACED, by=user)
        return redirect(_to("second_factor:recovery_codes", request))
    # Shown once: a reload, or anyone who later opens this session, sees none of them.
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    return render(
        request,
        "staff_auth/recovery_codes.html",
        {"codes": codes, "next": _onward(request), "verified": user.is_verified()},
    )


def _code_devices(user, app_code):
    model = TOTPDevice if app_code else StaticDevice
    return list(model.objects.devices_for_user(user, confirmed=True).select_for_update())


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_onward(request))
    if not has_second_factor(user):
        return redirect(_to("second_factor:enrol", request))
    wait = throttle.paused(request, user)
    if wait:
        return _paused(request, wait)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            candidates = _code_devices(user, form.is_app_code)
            wait = throttle.device_wait(candidates)
            accepted = None
            if wait is None:
                accepted = next(
                    (d for d in candidates if d.verify_token(form.cleaned_data["code"])), None
                )
        if wait:
            return _paused(request, wait)
        if accepted:
            otp_login(request, accepted)
            throttle.clear(user)
            if isinstance(accepted, StaticDevice):
                left = accepted.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code, which now no longer works; "
                        "%(left)d left. Make new ones under Account → Second factor if you are "
                        "running low.",
                        "You signed in with a recovery code, which now no longer works; "
                        "%(left)d left. Make new ones under Account → Second factor if you are "
                        "running low.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_onward(request))
        if throttle.record_failure(request, user):
            return _paused(request, throttle.paused(request, user))
        form.add_error(
            "code", gettext("That code is not right, or it has been used already. Try again.")
        )

    confirmed = list(devices_for_user(user, confirmed=True))
    return render(
        request,
        "staff_auth/verify.html",
        {
            "form": form,
            "next": _onward(request),
            "has_passkey": any(isinstance(d, WebAuthnCredential) for d in confirmed),
            "has_app": any(isinstance(d, TOTPDevice) for d in confirmed),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def reset(request, user_id):
    """An administrator removes someone's devices (a lost phone, a person who left): they set
    up a second factor again at their next sign-in."""
    if not request.user.is_superuser:
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        removed = devices.remove_all(person, by=request.user)
        messages.success(
            request,
            ngettext(
                "Removed %(count)d second-factor device of %(username)s.",
                "Removed %(count)d second-factor devices of %(username)s.",
                removed,
            )
            % {"count": removed, "username": person.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return render(
        request,
        "staff_auth/reset.html",
        {"person": person, "devices": devices.describe(person)},
    )
