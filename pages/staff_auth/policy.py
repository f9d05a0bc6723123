"""Who must sign in with a second factor, decided from what a person can do rather than from
the name of their group, so that a new group with the same powers is covered too."""

from django.conf import settings
from django_otp import user_has_device
from wagtail.permission_policies.pages import PagePermissionPolicy

# Each of these lets a person change what the public sees without moderation, read what the
# public sent, or give themselves any of the others.
POWERFUL_PERMISSIONS = (
    "pages.view_contactmessage",
    "pages.change_contactmessage",
    "pages.delete_contactmessage",
    "pages.change_organisationsettings",
    "auth.add_user",
    "auth.change_user",
    "auth.add_group",
    "auth.change_group",
    # A provider from outside IOI keeping their catalogue entries (pages/providers/): their
    # changes are moderated, but their account is an entry into the admin from outside, and
    # a stolen password would write in their name (docs/security.md#second-factor).
    "providers.keep_own_entries",
)
POWERFUL_PAGE_ACTIONS = ("publish",)


def holds_power(user):
    """Superusers, and whoever can publish a page or do one of POWERFUL_PERMISSIONS."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if any(user.has_perm(permission) for permission in POWERFUL_PERMISSIONS):
        return True
    return PagePermissionPolicy().user_has_any_permission(user, POWERFUL_PAGE_ACTIONS)


def must_use_second_factor(user):
    return settings.STAFF_2FA_REQUIRED and holds_power(user)


def has_second_factor(user):
    return user_has_device(user, confirmed=True)


VERIFY = "verify"
ENROL = "enrol"


def step_owed(user):
    """What a signed-in person still owes before they count as signed in: VERIFY (they have a
    device and have not used it in this session), ENROL (they must have one and have none), or
    None."""
    if not user.is_authenticated or user.is_verified():
        return None
    if has_second_factor(user):
        return VERIFY
    if must_use_second_factor(user):
        return ENROL
    return None
