"""The site's public address (DJANGO_SITE_URL): after the release steps the default Site
matches it, and every absolute address the site builds starts with it, whatever host name a
request came in on (a load balancer's health check, an internal name, a proxy)."""

import json
import re
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Site

from conftest import make_image
from pages.discovery.site_address import sync_default_site

pytestmark = pytest.mark.django_db
PUBLIC = "https://ioi.test"


@pytest.fixture
def public_address(settings, site_tree, organisation):
    settings.SITE_URL = PUBLIC
    sync_default_site()
    organisation.social_image = make_image("Card")
    organisation.save()
    return PUBLIC


def test_migrate_points_the_default_site_at_the_configured_address(settings, site_tree):
    settings.SITE_URL = PUBLIC
    out = StringIO()
    call_command("migrate", stdout=out)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("ioi.test", 443, PUBLIC)
    assert "The default site's address is now https://ioi.test" in out.getvalue()

    settings.SITE_URL = "http://staging.ioi.test:8080"
    call_command("migrate", verbosity=0)
    assert Site.objects.get(is_default_site=True).root_url == "http://staging.ioi.test:8080"


def test_without_an_address_the_site_record_is_left_alone(settings, site_tree):
    settings.SITE_URL = ""
    call_command("migrate", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)


def absolute_addresses(html):
    head = html.split("</head>", 1)[0]
    found = re.findall(r'<link rel="canonical" href="([^"]+)"', head)
    found += re.findall(r'<meta property="og:(?:url|image)" content="([^"]+)"', head)
    found += re.findall(r'<meta name="twitter:image" content="([^"]+)"', head)
    for script in re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S):
        found += re.findall(r'"(https?://[^"]+)"', json.dumps(json.loads(script)))
    # Leave out the vocabulary and the organisation's profiles elsewhere (sameAs).
    return [url for url in found if "schema.org" not in url and "example.social" not in url]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "testserver"])
@pytest.mark.parametrize("path", ["/", "/about/", "/initiatives/initiative-1/"])
def test_page_metadata_uses_the_public_address_whatever_host_asked(
    client, public_address, host, path
):
    html = client.get(path, HTTP_HOST=host).content.decode()
    urls = absolute_addresses(html)
    assert len(urls) >= 4  # canonical, og:url, og:image, twitter:image, JSON-LD
    assert all(url.startswith(f"{PUBLIC}/") for url in urls), urls
    assert f'<link rel="canonical" href="{PUBLIC}{path}">' in html


def test_the_sitemap_robots_and_feed_use_the_public_address(client, public_address):
    sitemap = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1").content.decode()
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert f"{PUBLIC}/about/" in locs
    assert all(loc.startswith(f"{PUBLIC}/") for loc in locs), locs

    robots = client.get("/robots.txt", HTTP_HOST="127.0.0.1").content.decode()
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots

    feed = ET.fromstring(client.get("/feeds/initiatives/", HTTP_HOST="127.0.0.1").content)
    atom = "{http://www.w3.org/2005/Atom}"
    links = [link.get("href") for link in feed.iter(f"{atom}link")]
    ids = [element.text for element in feed.iter(f"{atom}id")]
    assert f"{PUBLIC}/initiatives/initiative-1/" in links
    assert all(url.startswith(f"{PUBLIC}/") for url in links + ids), links + ids


def test_deploy_checks_warn_about_an_address_that_is_not_https(settings):
    from pages.discovery.site_address import check_site_address

    settings.SITE_URL = "http://ioi.test"
    assert [w.id for w in check_site_address(None)] == ["ioisite.W001"]
    settings.SITE_URL = PUBLIC
    assert check_site_address(None) == []
