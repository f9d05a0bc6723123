from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save, pre_save


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        from wagtail.models import Revision

        from .caching.invalidation import connect_signals
        from .discovery.site_address import sync_after_migrate
        from .editorial.roles import grant_new_language_home
        from .fields import clean_revision
        from .translation.locales import ensure_languages

        connect_signals()
        # Every release runs `migrate`: the default Site follows DJANGO_SITE_URL from then on.
        post_migrate.connect(sync_after_migrate, sender=self)
        post_migrate.connect(ensure_languages, sender=self, dispatch_uid="ensure_languages")
        # Translators are given another language's home page as soon as it is made.
        post_save.connect(grant_new_language_home, dispatch_uid="grant_new_language_home")
        # A revision written by code is cleaned like the page it copies (pages/fields.py).
        pre_save.connect(clean_revision, sender=Revision, dispatch_uid="clean_revision")
