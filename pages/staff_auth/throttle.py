"""Guessing codes is paused the way guessing passwords is: django-axes counts failed codes for a
person from a client, with the same limit and cool-off as the password (AXES_FAILURE_LIMIT,
AXES_COOLOFF_TIME). The count is kept under a name of its own, one no username can take (Django's
usernames have no spaces), so a correct password does not wipe out the failed codes. On top of
that django-otp makes each device wait 1, 2, 4, 8... seconds after each failure, from any client.
"""

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.utils import timezone

MARK = " (second factor)"


def _credentials(user):
    return {"username": f"{user.get_username()}{MARK}"}


def paused(request, user):
    """How long the client must wait before trying a code again, or None."""
    if AxesProxyHandler.is_locked(request, _credentials(user)):
        return get_cool_off(request)
    return None


def record_failure(request, user):
    """Count a wrong code; True when that failure pauses this person's codes from here."""
    AxesProxyHandler.user_login_failed(
        sender=record_failure, credentials=_credentials(user), request=request
    )
    locked = getattr(request, "axes_locked_out", False)
    # The second-factor page answers the pause in its own words; left set, AxesMiddleware would
    # replace that page with the password's.
    request.axes_locked_out = False
    return locked


def clear(user):
    AxesProxyHandler.reset_attempts(username=_credentials(user)["username"])


def device_wait(devices):
    """When every one of these devices is waiting out django-otp's own throttle: the time until
    the first is free again. None if any of them may be tried now."""
    until = []
    for device in devices:
        allowed, detail = device.verify_is_allowed()
        if allowed:
            return None
        until.append(detail["locked_until"])
    if not until:
        return None
    return max(min(until) - timezone.now(), timedelta(seconds=1))
