"""Site search at /search/ (and /es/search/): Wagtail's search over live, public pages in the
reader's language (the database backend, which uses PostgreSQL's full-text search in
production), with the words found highlighted."""

import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from wagtail.models import Locale, Page

from .metadata import description_for

MAX_QUERY = 200
PER_PAGE = 10


def highlight(text, query):
    """Escape the text, then mark each query word found in it."""
    words = sorted(set(re.findall(r"\w{2,}", query)), key=len, reverse=True)
    html = escape(text)
    if words:
        pattern = re.compile("|".join(re.escape(escape(w)) for w in words), re.IGNORECASE)
        html = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
    return mark_safe(html)  # noqa: S308 (escaped above; only <mark> added)


@require_safe
def search(request):
    raw = request.GET.get("q", "")
    query = " ".join(raw.split())[:MAX_QUERY]
    results = None
    if query:
        # The reader's language only: a Spanish reader is not sent to English pages.
        found = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        found = found.search(query)
        results = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
        for page in results:
            page.search_summary = highlight(description_for(page), query)
            page.search_title = highlight(page.title, query)
    return render(
        request,
        "pages/search.html",
        {
            "query": query,
            "shortened": len(" ".join(raw.split())) > MAX_QUERY,
            "results": results,
            "max_query": MAX_QUERY,
            "pagination_query": urlencode({"q": query}) + "&",
        },
    )
