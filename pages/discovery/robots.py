"""/robots.txt: what crawlers may visit, and where the sitemap is."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from .site_address import absolute_url


@require_safe
def robots_txt(request):
    """Everything public may be crawled, the admin may not. Search results stay crawlable: they
    hold nothing a page does not, and blocking them would mark the search page unindexable."""
    sitemap = absolute_url(request, reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
