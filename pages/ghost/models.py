"""What the Ghost importer made from each post, so that a second run finds its pages again and
knows whether an editor has changed them since."""

from django.db import models


class GhostImportRecord(models.Model):
    """One Ghost post or page, and the page made from it."""

    ghost_id = models.CharField(
        max_length=64, unique=True, help_text="The post's id in the Ghost export."
    )
    ghost_slug = models.CharField(max_length=255, help_text="The post's slug on the old site.")
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page made from it (empty once that page is deleted).",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The revision the importer wrote last: a later one is an editor's.",
    )
    content_hash = models.CharField(
        max_length=64, help_text="SHA-256 of what was imported, to tell a changed post."
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Ghost import record"

    def __str__(self):
        return f"Ghost {self.ghost_id} ({self.ghost_slug})"
