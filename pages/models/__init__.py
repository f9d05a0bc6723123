"""The page types (all but the home page, which is home/'s) and the site-wide settings: what
editors build pages from. One module per page type.

Django looks for an app's models here, so the snippets that live with their concern (contacts,
the link library) are imported below to register them with the `pages` app."""

import pages.contacts.models  # noqa: F401 (Contact, ContactPurpose, ContactMessage)
import pages.links.models  # noqa: F401 (Link, LinkCategory, CheckedURL, URLUsage)
import pages.people.models  # noqa: F401 (Person)

from .base import HeroImageMixin
from .contact_page import ContactPage
from .impact import ImpactHighlight, ImpactPage
from .initiatives import InitiativeIndexPage, InitiativePage
from .news import NewsAuthor, NewsIndexPage, NewsPage, NewsPageTag
from .people import PeopleIndexPage
from .research import PublicationAuthor, PublicationPage, ResearchIndexPage
from .resources import ResourcesPage
from .site_settings import OrganisationSettings, OrganisationWording
from .standard import StandardPage

__all__ = [
    "ContactPage",
    "HeroImageMixin",
    "ImpactHighlight",
    "ImpactPage",
    "InitiativeIndexPage",
    "InitiativePage",
    "NewsAuthor",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "PeopleIndexPage",
    "PublicationAuthor",
    "PublicationPage",
    "ResearchIndexPage",
    "OrganisationSettings",
    "OrganisationWording",
    "ResourcesPage",
    "StandardPage",
]
