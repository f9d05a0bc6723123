"""Emptying the CDN, in the background."""

from django_tasks import task
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page


@task()
def purge_cdn():
    """Ask the CDN to drop every public page: navigation and footer appear on all of them.
    Runs only where a CDN purge is configured (docs/deployment.md)."""
    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().public().specific().defer_streamfields())
    batch.purge()
    return len(batch.urls)
