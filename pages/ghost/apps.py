from django.apps import AppConfig


class GhostConfig(AppConfig):
    name = "pages.ghost"
    label = "ghost"
    verbose_name = "Ghost import"
