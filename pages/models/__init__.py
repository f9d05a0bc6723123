"""Every page type but the home page, and the site-wide settings. One module per concern."""

from .base import HeroImageMixin
from .contact_page import ContactPage
from .contacts import Contact, ContactMessage, ContactPurpose
from .impact import ImpactHighlight, ImpactPage
from .initiatives import InitiativeIndexPage, InitiativePage
from .site_settings import OrganisationSettings
from .standard import StandardPage

__all__ = [
    "Contact",
    "ContactMessage",
    "ContactPurpose",
    "ContactPage",
    "HeroImageMixin",
    "ImpactHighlight",
    "ImpactPage",
    "InitiativeIndexPage",
    "InitiativePage",
    "OrganisationSettings",
    "StandardPage",
]
