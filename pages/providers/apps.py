from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    """Providers who keep their own catalogue entries: their invitations, their accounts and
    the reminders sent when an entry goes stale (docs/providers.md). An app of its own, like
    the catalogue, so its tables and migrations read apart from the rest of `pages`."""

    name = "pages.providers"
    label = "providers"
    verbose_name = "Providers"
