from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "pages.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
