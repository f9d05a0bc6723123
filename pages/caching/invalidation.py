"""What empties the page cache: anything a public page shows. Connected when the app is ready
(pages/apps.py)."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from pages.catalogue.models import Term
from pages.contacts.models import Contact, ContactPurpose
from pages.links.models import Link, LinkCategory
from pages.models.site_settings import OrganisationSettings, OrganisationWording
from pages.people.models import Person

from .middleware import new_generation
from .tasks import purge_cdn


def shown_on_pages():
    """Every model whose saving or deleting changes what some public page shows."""
    return [
        Contact,
        ContactPurpose,
        Link,
        LinkCategory,
        OrganisationSettings,
        OrganisationWording,  # the tagline and footer, per language
        PageViewRestriction,
        Person,  # bylines and profiles  # a page made private must leave the cache at once
        Site,
        Tag,  # a news tag's name, on cards and the news filter (renamed outside a publish)
        Term,  # the catalogue's vocabularies, on every entry and filter
        get_image_model(),
        get_document_model(),
    ]


def _invalidate_on_commit(**kwargs):
    transaction.on_commit(invalidate)


def invalidate():
    new_generation()
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        purge_cdn.enqueue()


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _invalidate_on_commit()


def connect_signals():
    uid = "pages.page_cache"
    page_published.connect(_invalidate_on_commit, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(_invalidate_on_commit, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(_invalidate_on_commit, dispatch_uid=f"{uid}.moved")
    post_delete.connect(_page_deleted, dispatch_uid=f"{uid}.page_deleted")
    for model in shown_on_pages():
        name = model._meta.label_lower
        post_save.connect(_invalidate_on_commit, sender=model, dispatch_uid=f"{uid}.{name}.save")
        post_delete.connect(_invalidate_on_commit, sender=model, dispatch_uid=f"{uid}.{name}.del")
