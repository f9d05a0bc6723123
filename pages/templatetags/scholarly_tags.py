"""What scholarly indexes read from a publication's page: the Highwire Press `citation_*` tags
that Google Scholar's inclusion guidelines ask for."""

from django import template
from django.utils.translation import get_language

from pages.caching.shared import fragment
from pages.discovery.site_address import absolute_url
from pages.fields import safe_url
from pages.models.site_settings import OrganisationSettings
from pages.scholarly import citations
from pages.templatetags.site_tags import kept_for_the_page

register = template.Library()

# Google Scholar names a report's institution, and anything else's publisher.
REPORT_TYPES = {"report", "landscape-scan", "brief"}


@register.simple_tag(takes_context=True)
def apa_citation(context):
    """The page's APA citation (citeproc: some 40 ms a publication), formatted once per cache
    generation in each language: it shows the publication, its authors and the organisation's
    name, and a change to any of them sets a new generation (pages/caching/invalidation.py)."""
    page = context["page"]
    request = context.get("request")
    return fragment(
        f"apa:{page.pk}:{get_language()}",
        request,
        lambda: citations.apa(page.citation_item(request)),
    )


@register.simple_tag(takes_context=True)
def citation_meta(context):
    """Google Scholar's citation tags for the head, kept with the page's content."""
    return kept_for_the_page(
        context, "citation-meta", "components/citation_meta.html", citation_meta_context
    )


def citation_meta_context(context):
    page = context.get("page")
    request = context.get("request")
    if page is None or request is None:
        return {}
    org = OrganisationSettings.load(request_or_site=request)
    tags = [("citation_title", page.title)]
    for author in context.get("authors") or page.ordered_authors():
        if author.person_id:
            given = author.person.given_names
            name = f"{author.person.family_name}, {given}" if given else author.person.family_name
        else:
            name = author.organisation
        tags.append(("citation_author", name))
    # YYYY/MM/DD, or as much of it as is known.
    if page.date_parts:
        tags.append(("citation_publication_date", "/".join(str(p) for p in page.date_parts)))
    if page.publication_type in REPORT_TYPES:
        tags.append(("citation_technical_report_institution", org.organisation_name))
        if page.other_identifier:
            tags.append(("citation_technical_report_number", page.other_identifier))
    else:
        tags.append(("citation_publisher", org.organisation_name))
    if page.full_text_is_pdf and safe_url(page.full_text.url):
        tags.append(("citation_pdf_url", absolute_url(request, page.full_text.url)))
    if page.valid_doi:
        tags.append(("citation_doi", page.valid_doi))
    if address := safe_url(page.get_full_url(request)):
        tags.append(("citation_abstract_html_url", address))
    return {"tags": tags}
