"""Every page type but the home page, and the site-wide settings. One module per concern."""

from .base import HeroImageMixin
from .contact_page import ContactPage
from .contacts import Contact, ContactMessage, ContactPurpose
from .impact import ImpactHighlight, ImpactPage
from .initiatives import InitiativeIndexPage, InitiativePage
from .links import CheckedURL, Link, LinkCategory, URLUsage
from .resources import ResourcesPage
from .site_settings import OrganisationSettings
from .standard import StandardPage

__all__ = [
    "CheckedURL",
    "Link",
    "LinkCategory",
    "URLUsage",
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
    "ResourcesPage",
    "StandardPage",
]
