"""The dashboard's "Translations out of date": translations whose original has changed since
the translation last took its words from it.

wagtail-localize keeps, per original, a `TranslationSource`: the original's content as it was
when a translation was made or last synced, and when (`last_updated_at`). An original changed
since then has words its translations have not seen:
- a page, when it was published after that time (`Page.last_published_at`): a draft does not
  count, the public does not read it yet;
- a snippet (not revisioned here: a save is live at once), when the admin logged an edit of it
  after that time. A change made in code (a migration, the seed) is not logged and not listed.

Queries: one for the pages, one for the snippets' translations, and one per snippet model that
has any, whatever the number of translations (`tests/test_translators.py` counts them)."""

from django.contrib.admin.utils import quote
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.models import Locale, ModelLogEntry, Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail_localize.models import Translation

from .roles import SUBMIT_TRANSLATION
from .translators import may_change_row

CHANGES = ["wagtail.create", "wagtail.edit"]


def can_keep_translations(user):
    """Who sees the panel: whoever may sync a translation (wagtail-localize's permission)."""
    return user.is_active and (user.is_superuser or user.has_perm(SUBMIT_TRANSLATION))


def _sync_url(source_id, next_url):
    return reverse("wagtail_localize:update_translations", args=[source_id]) + f"?next={next_url}"


def out_of_date_pages(user, next_url="/admin/"):
    same_object = Page.objects.filter(translation_key=OuterRef("source__object_id"))
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    rows = (
        Translation.objects.filter(
            enabled=True,
            source__object__content_type__app_label="wagtailcore",
            source__object__content_type__model="page",
        )
        .annotate(
            original_published_at=Subquery(
                same_object.filter(locale_id=OuterRef("source__locale_id")).values(
                    "last_published_at"
                )[:1]
            ),
            target_id=Subquery(
                same_object.filter(locale_id=OuterRef("target_locale_id")).values("pk")[:1]
            ),
            target_title=Subquery(
                same_object.filter(locale_id=OuterRef("target_locale_id")).values("draft_title")[:1]
            ),
        )
        .filter(
            original_published_at__gt=F("source__last_updated_at"),
            target_id__in=editable.values("pk"),
        )
        .select_related("source", "target_locale")
        .order_by("-original_published_at")
    )
    return [
        {
            "title": row.target_title,
            "original": row.source.object_repr,
            "language": row.target_locale.get_display_name(),
            "changed_at": row.original_published_at,
            "synced_at": row.source.last_updated_at,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[row.target_id]),
            "sync_url": _sync_url(row.source_id, next_url),
        }
        for row in rows
    ]


def out_of_date_snippets(user, next_url="/admin/"):
    translations = (
        Translation.objects.filter(enabled=True)
        .exclude(
            source__object__content_type__app_label="wagtailcore",
            source__object__content_type__model="page",
        )
        .select_related("source", "source__specific_content_type", "target_locale")
    )
    by_model = {}
    for translation in translations:
        content_type = translation.source.specific_content_type
        by_model.setdefault(content_type, []).append(translation)

    default_locale_id = Locale.get_default().pk if by_model else None
    found = []
    for content_type, model_translations in by_model.items():
        model = content_type.model_class()
        if model is None:  # a model removed since
            continue
        keys = {t.source.object_id for t in model_translations}
        last_change = (
            ModelLogEntry.objects.filter(
                content_type_id=content_type.pk,
                object_id=Cast(OuterRef("pk"), CharField()),
                action__in=CHANGES,
            )
            .order_by("-timestamp")
            .values("timestamp")[:1]
        )
        rows = {
            (row["translation_key"], row["locale_id"]): row
            for row in model.objects.filter(translation_key__in=keys)
            .annotate(changed_at=Subquery(last_change))
            .values("pk", "translation_key", "locale_id", "changed_at")
        }
        for translation in model_translations:
            source = translation.source
            original = rows.get((source.object_id, source.locale_id))
            target = rows.get((source.object_id, translation.target_locale_id))
            if original is None or target is None or original["changed_at"] is None:
                continue
            if original["changed_at"] <= source.last_updated_at:
                continue
            if not may_change_row(user, model, target["locale_id"], default_locale_id):
                continue
            found.append(
                {
                    "title": source.object_repr,
                    "original": source.object_repr,
                    "kind": model._meta.verbose_name,
                    "language": translation.target_locale.get_display_name(),
                    "changed_at": original["changed_at"],
                    "synced_at": source.last_updated_at,
                    "edit_url": reverse(
                        f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:edit",
                        args=[quote(target["pk"])],
                    ),
                    "sync_url": _sync_url(source.pk, next_url),
                }
            )
    return sorted(found, key=lambda row: row["changed_at"], reverse=True)


class OutOfDateTranslationsPanel(Component):
    name = "out_of_date_translations"
    template_name = "pages/admin/out_of_date_translations_panel.html"
    order = 130
    shown = 10

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        rows = out_of_date_pages(self.user) + out_of_date_snippets(self.user)
        return {"count": len(rows), "rows": rows[: self.shown], "shown": self.shown}
