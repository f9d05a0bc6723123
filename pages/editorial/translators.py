"""What a translator may change, enforced on the server.

The Translators group (roles.py) holds `change` on each translatable snippet, because
wagtail-localize's translation editor checks that model permission and nothing finer. Held
through a translations-only group, it counts for rows in another language only: the English
contacts, links and people stay with the groups that keep them.

Three places would let it through otherwise, and each is closed here:
- Wagtail's snippet edit view checks the model permission alone (`refuse_default_language_edit`,
  before wagtail-localize shows its translation editor there);
- wagtail-localize's string, override and PO-upload endpoints check the model permission alone
  for a snippet (`guarded_translation_urls`);
- wagtail-localize's "sync" view publishes every translation when asked to, checking no
  publish permission: a way round moderation for anyone who may sync (`guarded_translation_urls`).
"""

from functools import wraps

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path
from wagtail.models import DraftStateMixin, Locale, Page, TranslatableMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.permissions import get_permission_name
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.views import edit_translation, update_translations

from .roles import TRANSLATIONS_ONLY_GROUPS

REFUSAL = "Translators change translations only, never the English original."


def _permissions_beyond_translations(user):
    """The user's model permissions, leaving out what they hold only through a
    translations-only group. One query, remembered on the user for the request."""
    held = getattr(user, "_permissions_beyond_translations", None)
    if held is None:
        rows = (
            Permission.objects.filter(
                Q(user=user) | (Q(group__user=user) & ~Q(group__name__in=TRANSLATIONS_ONLY_GROUPS))
            )
            .values_list("content_type__app_label", "codename")
            .distinct()
        )
        held = user._permissions_beyond_translations = {f"{a}.{c}" for a, c in rows}
    return held


def may_in_default_language(user, permission):
    """True when the permission holds for rows in the default language, i.e. not only through
    a translations-only group."""
    if not user.is_active:
        return False
    return user.is_superuser or permission in _permissions_beyond_translations(user)


def _default_locale_id():
    return Locale.get_default().pk


def may_change_row(user, model, locale_id, default_locale_id):
    """May this person change a row of this translatable snippet in this language?"""
    permission = get_permission_name("change", model)
    if not user.has_perm(permission):
        return False
    return locale_id != default_locale_id or may_in_default_language(user, permission)


class TranslationsOnlyPolicy(ModelPermissionPolicy):
    """A translatable snippet's permissions, where a translations-only group's hold for rows in
    another language than the default only."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not super().user_has_permission_for_instance(user, action, instance):
            return False
        if instance.locale_id != _default_locale_id():
            return True
        return may_in_default_language(user, self._get_permission_name(action))

    def instances_user_has_permission_for(self, user, action):
        instances = super().instances_user_has_permission_for(user, action)
        if may_in_default_language(user, self._get_permission_name(action)):
            return instances
        return instances.exclude(locale_id=_default_locale_id())


def refuse_default_language_edit(request, instance):
    """before_edit_snippet, ahead of wagtail-localize's own hook (which would show its editor)."""
    if not isinstance(instance, TranslatableMixin):
        return
    policy = policy_registry.get_by_type(type(instance))
    if not policy.user_has_permission_for_instance(request.user, "change", instance):
        raise PermissionDenied(REFUSAL)


def user_can_change_target(user, translation):
    """May this person change the object this translation writes to? Pages by Wagtail's page
    permissions, snippets by the policy above."""
    target = translation.get_target_instance()
    if isinstance(target, Page):
        return target.permissions_for_user(user).can_edit()
    policy = policy_registry.get_by_type(type(target))
    return policy.user_has_permission_for_instance(user, "change", target)


def user_can_publish_target(user, translation):
    target = translation.get_target_instance()
    if isinstance(target, Page):
        return target.permissions_for_user(user).can_publish()
    if isinstance(target, DraftStateMixin):
        return user.has_perm(get_permission_name("publish", type(target)))
    return user_can_change_target(user, translation)


def _changing_target(view):
    # wraps: the view's own markings (DRF's csrf_exempt, as it checks CSRF itself) carry over.
    @wraps(view)
    def guarded(request, translation_id, *args, **kwargs):
        translation = get_object_or_404(Translation, id=translation_id)
        if not user_can_change_target(request.user, translation):
            raise PermissionDenied(REFUSAL)
        return view(request, translation_id, *args, **kwargs)

    return guarded


def _sync_publishing_only_what_may_be_published(view):
    @wraps(view)
    def guarded(request, translation_source_id):
        if request.method == "POST" and request.POST.get("publish_translations"):
            source = get_object_or_404(TranslationSource, id=translation_source_id)
            for translation in source.translations.filter(enabled=True):
                if not user_can_publish_target(request.user, translation):
                    raise PermissionDenied(
                        "Only moderators can publish. Sync without publishing, then submit the "
                        "translation for moderation."
                    )
        return view(request, translation_source_id=translation_source_id)

    return guarded


def guarded_translation_urls():
    """register_admin_urls, ahead of wagtail-localize's: the same addresses, so its own links
    (reverse("wagtail_localize:…")) lead through these checks first."""
    return [
        path(
            "localize/update/<int:translation_source_id>/",
            _sync_publishing_only_what_may_be_published(
                update_translations.UpdateTranslationsView.as_view()
            ),
        ),
        path(
            "localize/translate/<int:translation_id>/strings/<int:string_segment_id>/edit/",
            _changing_target(edit_translation.edit_string_translation),
        ),
        path(
            "localize/translate/<int:translation_id>/overrides/<int:overridable_segment_id>/edit/",
            _changing_target(edit_translation.edit_override),
        ),
        path(
            "localize/translate/<int:translation_id>/pofile/upload/",
            _changing_target(edit_translation.upload_pofile),
        ),
    ]
