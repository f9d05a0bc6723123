"""What `wagtail_hooks.py` registers for the second factor: its pages under
/admin/second-factor/, django-otp-webauthn's endpoints beside them, the "Reset second factor"
action on Settings → Users, the account page's link and the audit log's wording."""

from django.urls import include, path, reverse
from wagtail.admin.widgets import Button

from . import views
from .devices import register_log_actions

__all__ = ["account_menu_item", "admin_urls", "register_log_actions", "user_listing_buttons"]

urlpatterns = [
    path("", views.manage, name="manage"),
    path("set-up/", views.enrol, name="enrol"),
    path("set-up/app/", views.enrol_authenticator, name="authenticator"),
    path("set-up/passkey/", views.enrol_passkey, name="passkey"),
    path("set-up/done/", views.enrolled, name="enrolled"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("verify/", views.verify, name="verify"),
    path("reset/<int:user_id>/", views.reset, name="reset"),
]


def admin_urls():
    return [
        path("second-factor/passkeys/", include("django_otp_webauthn.urls")),
        path("second-factor/", include((urlpatterns, "second_factor"))),
    ]


def user_listing_buttons(user, request_user):
    if not request_user.is_superuser:
        return []
    return [
        Button(
            "Reset second factor",
            url=reverse("second_factor:reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )
    ]


def account_menu_item(request):
    return {
        "url": reverse("second_factor:manage"),
        "label": "Second factor",
        "help_text": "Your authenticator app, passkeys and recovery codes.",
    }
