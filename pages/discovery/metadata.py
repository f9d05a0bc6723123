"""How each page describes itself to search engines, social cards and screen readers: the meta
description, canonical URL, Open Graph and Twitter cards, and JSON-LD. Every value falls back
to something sensible, so a page an editor left half-described still describes itself."""

from django.utils.html import strip_tags
from django.utils.text import Truncator

from pages.catalogue import exports as catalogue_exports
from pages.catalogue.models import CatalogueEntryPage, CatalogueIndexPage
from pages.fields import safe_url
from pages.models.news import NewsPage
from pages.models.research import PublicationPage
from pages.models.site_settings import OrganisationWording

from .site_address import absolute_url

DESCRIPTION_CHARS = 160
SOCIAL_IMAGE = "fill-1200x630|format-jpeg|jpegquality-80"


def plain(value):
    return " ".join(strip_tags(str(value or "")).split())


def description_for(page):
    """The search description, else the page's summary or introduction, else its title."""
    for name in ("search_description", "summary", "abstract", "introduction", "headline"):
        text = plain(getattr(page, name, ""))
        if text:
            return Truncator(text).chars(DESCRIPTION_CHARS)
    return plain(getattr(page, "title", ""))


def social_image_for(page, org):
    return getattr(page, "hero_image", None) or getattr(org, "social_image", None)


SCHEMA_TYPES = {"article": "ScholarlyArticle", "dataset": "Dataset"}


def _person_or_organisation(author):
    if author.person_id:
        person = {"@type": "Person", "name": author.person.name}
        if author.person.family_name and author.person.given_names:
            person.update(familyName=author.person.family_name, givenName=author.person.given_names)
        if author.person.orcid_url:
            person["sameAs"] = author.person.orcid_url
        return person
    return {"@type": "Organization", "name": author.organisation}


def publication_data(page, org, request, canonical, description):
    """A Report (or ScholarlyArticle, Dataset): who wrote it, when, its identifier and licence."""
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(page.publication_type, "Report"),
        "name": page.title,
        "headline": page.title,
        "description": description,
        "abstract": plain(page.abstract),
        "url": canonical,
        "datePublished": page.iso_date or None,
        "author": [_person_or_organisation(a) for a in page.ordered_authors()],
        "publisher": {"@type": "Organization", "name": org.organisation_name},
        "inLanguage": "en",
    }
    if page.doi_url:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": page.valid_doi,
            "url": page.doi_url,
        }
        data["sameAs"] = page.doi_url
    elif page.other_identifier:
        data["identifier"] = page.other_identifier
    if safe_url(page.licence_url):
        data["license"] = page.licence_url
    if page.full_text is not None and safe_url(page.full_text.url):
        data["encoding" if page.publication_type == "dataset" else "associatedMedia"] = {
            "@type": "MediaObject",
            "contentUrl": absolute_url(request, page.full_text.url),
            "encodingFormat": page.full_text.content_type,
        }
    return data


def news_data(page, org, canonical, description):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "description": description,
        "url": canonical,
        "datePublished": page.published_on.isoformat() if page.published_on else None,
        "author": [_person_or_organisation(a) for a in page.ordered_authors()],
        "publisher": {"@type": "Organization", "name": org.organisation_name},
    }
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    if page.tag_list:
        data["keywords"] = [tag.name for tag in page.tag_list]
    return data


def catalogue_data(page, org, canonical, description):
    """The catalogue as a schema.org Dataset with its downloads; an entry as the service it is."""
    if isinstance(page, CatalogueEntryPage):
        data = {
            "@context": "https://schema.org",
            "@type": "Service",
            "name": page.title,
            "description": description,
            "url": canonical,
        }
        if page.provider:
            data["provider"] = {"@type": "Organization", "name": page.provider}
        if website := safe_url(page.website):
            data["sameAs"] = website
        return data
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": page.title,
        "description": description,
        "url": canonical,
        "license": catalogue_exports.LICENCE_URL,
        "creator": {"@type": "Organization", "name": org.organisation_name},
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": media_type,
                "contentUrl": canonical + name,
            }
            for name, media_type in (
                (catalogue_exports.CSV_NAME, "text/csv"),
                (catalogue_exports.JSON_NAME, "application/json"),
            )
        ],
    }


def structured_data(page, org, request, ancestors, canonical, description):
    """JSON-LD: the Organization on the home page; a WebPage and its BreadcrumbList elsewhere,
    with a Report or NewsArticle for publications and news posts."""
    site_root = ancestors[0] if ancestors else page
    if page.depth <= 2:
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": org.organisation_name,
            "url": canonical,
        }
        tagline = OrganisationWording.for_request(request).tagline
        if tagline:
            data["description"] = tagline
        if org.contact_email:
            data["email"] = org.contact_email
        profiles = [url for p in org.social_profiles if (url := safe_url(p.value.get("url")))]
        if profiles:
            data["sameAs"] = profiles
        return [data]
    trail = [*ancestors, page]
    described = []
    if isinstance(page, PublicationPage):
        described = [publication_data(page, org, request, canonical, description)]
    elif isinstance(page, NewsPage):
        described = [news_data(page, org, canonical, description)]
    elif isinstance(page, CatalogueIndexPage | CatalogueEntryPage):
        described = [catalogue_data(page, org, canonical, description)]
    return [
        *described,
        {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": page.seo_title or page.title,
            "description": description,
            "url": canonical,
            "isPartOf": {
                "@type": "WebSite",
                "name": org.organisation_name,
                "url": site_root.get_full_url(request),
            },
        },
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": n,
                    "name": crumb.title,
                    "item": crumb.get_full_url(request),
                }
                for n, crumb in enumerate(trail, start=1)
            ],
        },
    ]
