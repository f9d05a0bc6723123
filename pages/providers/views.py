"""Accepting an invitation: the link's token names it; the account is made here, signed in,
and sent on to the admin, where the second-factor pages take over if it must have one."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from wagtail.users.models import UserProfile

from .forms import AcceptForm
from .grants import grant_entries, is_provider, make_provider
from .models import Invitation

BACKEND = "django.contrib.auth.backends.ModelBackend"


def problem(request, status, heading, text):
    context = {"heading": heading, "text": text}
    return render(request, "providers/link_problem.html", context, status=status)


def refusal(request, invitation):
    """Why a link cannot be used now, or None."""
    if invitation is None:
        return problem(
            request,
            404,
            _("This link is not valid"),
            _(
                "Check that you opened the whole link from the latest invitation email. "
                "A new email replaces the link of an earlier one."
            ),
        )
    if invitation.accepted_at:
        return problem(
            request,
            410,
            _("This invitation has been used"),
            _("Your account is made: sign in with your email address and password."),
        )
    if invitation.expired:
        return problem(
            request,
            410,
            _("This invitation has expired"),
            _("Reply to the invitation email to ask for a new one."),
        )
    return None


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request, token):
    invitation = Invitation.find(token)
    refused = refusal(request, invitation)
    if refused:
        return refused
    User = get_user_model()
    existing = User.objects.filter(username__iexact=invitation.email).first()
    if existing is not None and not is_provider(existing):
        return problem(
            request,
            409,
            _("This address already has an account"),
            _("Reply to the invitation email: our team will add the entries to it."),
        )
    form = AcceptForm(request.POST or None, invitation=invitation)
    if existing is not None:
        form = None  # their password is already set: the entries are added to their account
    if request.method == "POST" and (form is None or form.is_valid()):
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
            refused = refusal(request, invitation)
            if refused:
                return refused
            user, provider = existing, getattr(existing, "provider", None)
            if user is None:
                user = User.objects.create_user(
                    username=invitation.email.lower(),
                    email=invitation.email,
                    password=form.cleaned_data["password1"],
                    first_name=invitation.name[:150],
                )
                profile = UserProfile.get_for_user(user)
                profile.preferred_language = invitation.language
                profile.save()
            if provider is None:
                provider = make_provider(user, invitation.name, invitation.language)
            grant_entries(provider, invitation.entries.all())
            invitation.accepted_at = timezone.now()
            invitation.provider = provider
            invitation.save(update_fields=["accepted_at", "provider"])
        if existing is not None:
            messages.success(request, _("The entries are added to your account: sign in."))
            return redirect("wagtailadmin_login")
        login(request, user, backend=BACKEND)
        with translation.override(invitation.language):
            return redirect(reverse("wagtailadmin_home"))
    context = {"invitation": invitation, "form": form}
    return render(request, "providers/accept.html", context)
