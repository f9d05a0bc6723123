"""Every page type but the home page, and the site-wide settings. One module per concern."""

from .base import HeroImageMixin
from .contact import ContactPage
from .impact import ImpactHighlight, ImpactPage
from .initiatives import InitiativeIndexPage, InitiativePage
from .site_settings import OrganisationSettings
from .standard import StandardPage

__all__ = [
    "ContactPage",
    "HeroImageMixin",
    "ImpactHighlight",
    "ImpactPage",
    "InitiativeIndexPage",
    "InitiativePage",
    "OrganisationSettings",
    "StandardPage",
]
