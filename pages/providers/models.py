"""A provider's invitation, their account's link to their entries, and the reminders sent when
an entry goes stale. Each email is sent once: a sender claims the row (one conditional UPDATE)
before it sends, and records the outcome only while the claim is still its own, as the contact
form's messages do (pages/contacts/models.py)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class SendOnce(models.Model):
    """An email sent at most once, retried after a failure without sending it twice."""

    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    send_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def claim(cls, pk, **also):
        """Take row `pk` to email it: the row, or None if it is sent already, held by another
        sender (for less than PROVIDER_EMAIL_CLAIM_MINUTES) or out of attempts. `also` is
        written in the same UPDATE."""
        now = timezone.now()
        stale_claim = now - timedelta(minutes=settings.PROVIDER_EMAIL_CLAIM_MINUTES)
        taken = (
            cls.objects.filter(pk=pk, sent_at__isnull=True)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=stale_claim))
            .filter(send_attempts__lt=settings.PROVIDER_EMAIL_MAX_ATTEMPTS)
            .update(claimed_at=now, send_attempts=F("send_attempts") + 1, **also)
        )
        return cls.objects.filter(pk=pk).first() if taken else None

    def record_sent(self):
        return self._record(sent_at=timezone.now(), last_error="")

    def record_failure(self, error):
        # The claim is let go, so that the next attempt may take it at once.
        return self._record(claimed_at=None, last_error=f"{type(error).__name__}: {error}"[:500])

    def _record(self, **outcome):
        written = (
            type(self).objects.filter(pk=self.pk, claimed_at=self.claimed_at).update(**outcome)
        )
        for field, value in outcome.items():
            setattr(self, field, value)
        return bool(written)


class Provider(models.Model):
    """A provider's contact with an account: they edit their entries, and nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider",
        help_text=_("The account they sign in with."),
    )
    name = models.CharField(_("name"), max_length=255, help_text=_("Their name, as they gave it."))
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the emails the site sends them."),
    )
    group = models.OneToOneField(
        "auth.Group",
        on_delete=models.PROTECT,
        related_name="provider",
        editable=False,
        help_text=_("Holds their edit permission on each of their entries."),
    )
    entries = models.ManyToManyField(
        "catalogue.CatalogueEntryPage",
        related_name="providers",
        blank=True,
        help_text=_("The catalogue entries they keep."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        permissions = [("keep_own_entries", "Can edit their own catalogue entries")]

    def __str__(self):
        return self.name


class Invitation(SendOnce):
    """An invitation to keep one or more entries. Its link holds a random token, of which only
    the SHA-256 is stored; the token is made when the email is sent (in the claim), so it is
    never stored anywhere, not even in the task queue."""

    name = models.CharField(
        _("name"), max_length=255, help_text=_("The provider's contact person, e.g. 'Ana Ruiz'.")
    )
    email = models.EmailField(
        _("email"), max_length=254, help_text=_("Where the invitation is sent.")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the email and of their account."),
    )
    entries = models.ManyToManyField(
        "catalogue.CatalogueEntryPage",
        related_name="provider_invitations",
        help_text=_("The entries they will edit."),
    )
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    provider = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("provider invitation")
        verbose_name_plural = _("provider invitations")

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            days = settings.PROVIDER_INVITATION_DAYS
            self.expires_at = (self.created_at or timezone.now()) + timedelta(days=days)
        super().save(*args, **kwargs)

    @classmethod
    def claim_with_token(cls, pk):
        """Claim the invitation to email it, with a new token: (invitation, token) or None."""
        token = secrets.token_urlsafe(32)
        invitation = cls.claim(pk, token_hash=token_hash(token))
        return (invitation, token) if invitation else None

    @classmethod
    def find(cls, token):
        """The invitation a link's token names, or None (forged, or replaced by a new email)."""
        if not token or len(token) > 100:
            return None
        return cls.objects.filter(token_hash=token_hash(token)).first()

    @property
    def expired(self):
        return timezone.now() >= self.expires_at

    @property
    def status(self):
        if self.accepted_at:
            return _("Accepted")
        if self.expired:
            return _("Expired")
        if self.sent_at:
            return _("Sent")
        if self.last_error:
            return _("Email failed")
        return _("Waiting to be sent")


class Reminder(SendOnce):
    """One reminder to one provider that some of their entries are stale; at most one a calendar
    month (`period`, "2026-12"), and none within PROVIDER_REMINDER_INTERVAL_DAYS of the last."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="reminders")
    period = models.CharField(max_length=7, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    entries = models.ManyToManyField(
        "catalogue.CatalogueEntryPage", related_name="+", help_text=_("The stale entries.")
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "period"], name="one_reminder_a_month")
        ]

    def __str__(self):
        return f"{self.provider} {self.period}"
