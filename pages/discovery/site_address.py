"""The site's public address (settings.SITE_URL, from DJANGO_SITE_URL) and the default Wagtail
Site that every absolute URL is built from.

Wagtail builds canonical links, sitemap entries, feed links and CDN purge requests from the Site
record's host and port, and a fresh database has Wagtail's `localhost:80`. `migrate` (through
`post_migrate`) and `load_ioi_content` make the default Site match the configured address, so
the release steps alone leave every absolute URL right. Addresses that are not pages (images
on social cards, the sitemap's own address) go through `absolute_url`."""

from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core import checks
from wagtail.models import Site


def configured_host_and_port():
    """(hostname, port) of SITE_URL, or None when it is not set (development, tests)."""
    if not settings.SITE_URL:
        return None
    address = urlsplit(settings.SITE_URL)
    port = address.port or (443 if address.scheme == "https" else 80)
    return address.hostname, port


def sync_default_site():
    """Point the default Site at SITE_URL. Returns a sentence when something changed."""
    wanted = configured_host_and_port()
    if wanted is None:
        return None
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == wanted:
        return None
    before = site.root_url
    site.hostname, site.port = wanted
    site.save(update_fields=["hostname", "port"])
    return f"The default site's address is now {site.root_url} (was {before})."


def sync_after_migrate(sender, verbosity=1, stdout=None, **kwargs):
    """post_migrate: every release runs `migrate`, so the Site follows DJANGO_SITE_URL."""
    changed = sync_default_site()
    if changed and verbosity and stdout is not None:
        stdout.write(changed + "\n")


def absolute_url(request, url):
    """An address on the site's public host, whatever host the request came in on (a load
    balancer's health check, an internal name). Absolute URLs (object storage) stay as they are."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return request.build_absolute_uri(url)
    return urljoin(site.root_url + "/", url)


@checks.register(checks.Tags.security, deploy=True)
def check_site_address(app_configs, **kwargs):
    """`check --deploy`: a public address that is not https."""
    if settings.SITE_URL and not settings.SITE_URL.startswith("https://"):
        return [
            checks.Warning(
                f"DJANGO_SITE_URL is {settings.SITE_URL}, not an https address.",
                hint="Serve the site over https and set DJANGO_SITE_URL to its https address; "
                "canonical links, the sitemap and feeds announce this address to search engines.",
                id="ioisite.W001",
            )
        ]
    return []
