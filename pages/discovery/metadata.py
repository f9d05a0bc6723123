"""How each page describes itself to search engines, social cards and screen readers: the meta
description, canonical URL, Open Graph and Twitter cards, and JSON-LD. Every value falls back
to something sensible, so a page an editor left half-described still describes itself."""

from django.utils.html import strip_tags
from django.utils.text import Truncator

DESCRIPTION_CHARS = 160
SOCIAL_IMAGE = "fill-1200x630|format-jpeg|jpegquality-80"


def plain(value):
    return " ".join(strip_tags(str(value or "")).split())


def description_for(page):
    """The search description, else the page's summary or introduction, else its title."""
    for name in ("search_description", "summary", "introduction", "headline"):
        text = plain(getattr(page, name, ""))
        if text:
            return Truncator(text).chars(DESCRIPTION_CHARS)
    return plain(getattr(page, "title", ""))


def social_image_for(page, org):
    return getattr(page, "hero_image", None) or getattr(org, "social_image", None)


def structured_data(page, org, request, ancestors, canonical, description):
    """JSON-LD: the Organization on the home page; a WebPage and its BreadcrumbList elsewhere."""
    site_root = ancestors[0] if ancestors else page
    if page.depth <= 2:
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": org.organisation_name,
            "url": canonical,
        }
        if org.tagline:
            data["description"] = org.tagline
        if org.contact_email:
            data["email"] = org.contact_email
        profiles = [p.value["url"] for p in org.social_profiles if p.value.get("url")]
        if profiles:
            data["sameAs"] = profiles
        return [data]
    trail = [*ancestors, page]
    return [
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
