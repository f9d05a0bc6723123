"""Plain Django views that are not pages."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import Contact, OrganisationSettings


@never_cache
@require_safe
def healthz(request):
    """For load balancers: 200 when this process can reach the database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_safe
def liveness(request):
    """For process supervisors: 200 while the process answers, whatever the database does.
    Also the benchmark's "trivial view": the whole middleware stack, no query, no template."""
    return HttpResponse("ok", content_type="text/plain")


def _vcard_text(value):
    """Escape a value for a vCard 4.0 property (RFC 6350, 3.4)."""
    text = " ".join(str(value).split())  # no line breaks: they would start a new property
    for char in ("\\", ",", ";"):
        text = text.replace(char, "\\" + char)
    return text


@require_safe
def contact_vcard(request, pk):
    """A public contact as a vCard, for address books."""
    contact = get_object_or_404(Contact, pk=pk, is_public=True)
    org = OrganisationSettings.load(request_or_site=request)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"FN:{_vcard_text(contact.name)}",
        f"ORG:{_vcard_text(org.organisation_name)}",
        f"EMAIL;TYPE=work:{_vcard_text(contact.email)}",
    ]
    if contact.role:
        lines.append(f"TITLE:{_vcard_text(contact.role)}")
    if contact.phone:
        lines.append(
            f"TEL;TYPE=work,voice;VALUE=uri:tel:{_vcard_text(contact.phone.replace(' ', ''))}"
        )
    if org.website_url:
        lines.append(f"URL:{_vcard_text(org.website_url)}")
    lines.append("END:VCARD")
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/vcard; charset=utf-8")
    filename = slugify(contact.name) or "contact"
    response["Content-Disposition"] = f'attachment; filename="{filename}.vcf"'
    return response


@require_safe
def robots_txt(request):
    """Everything public may be crawled, the admin may not. Search results stay crawlable: they
    hold nothing a page does not, and blocking them would mark the search page unindexable."""
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
