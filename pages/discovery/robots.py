"""/robots.txt: what crawlers may visit, and where the sitemap is."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request):
    """Everything public may be crawled, the admin may not. Search results stay crawlable: they
    hold nothing a page does not, and blocking them would mark the search page unindexable."""
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
