"""Link health in the admin: the report, the dashboard panel and "use the final URL"."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, ReferenceIndex
from wagtail.permission_policies import ModelPermissionPolicy

from pages.models.site_settings import OrganisationSettings

from .models import CheckedURL, Link, URLUsage

# In the order the report lists them: what readers cannot open first, what was not checked last.
PROBLEMS = [
    CheckedURL.Status.BROKEN,
    CheckedURL.Status.UNREACHABLE,
    CheckedURL.Status.REDIRECTED,
    CheckedURL.Status.INTERNAL,
]


def can_manage_links(user):
    return user.has_perm("pages.change_link")


def usages_for(checked_urls):
    """Every place each address is used: what the checker found (rich text, link blocks,
    settings, the link library), plus the pages that use a library link, from Wagtail's
    reference index. Three queries, whatever the number of addresses."""
    urls = [c.url for c in checked_urls]
    places = {url: [] for url in urls}
    for usage in URLUsage.objects.filter(url__in=urls):
        places[usage.url].append((usage.label, usage.edit_url))
    links = {link.pk: link for link in Link.objects.filter(url__in=urls)}
    if links:
        references = ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(Link),
            to_object_id__in=[str(pk) for pk in links],
        )
        pages = Page.objects.in_bulk(
            [int(r.object_id) for r in references if r.object_id.isdigit()]
        )
        for reference in references:
            link = links[int(reference.to_object_id)]
            page = pages.get(int(reference.object_id)) if reference.object_id.isdigit() else None
            if page is not None:
                place = (
                    f"Page “{page.title}” (through the link “{link.title}”)",
                    reverse("wagtailadmin_pages:edit", args=[page.pk]),
                )
                if place not in places[link.url]:
                    places[link.url].append(place)
    for checked in checked_urls:
        checked.places = places[checked.url]
    return checked_urls


class LinkHealthReportView(ReportView):
    page_title = "Link health"
    header_icon = "link"
    results_template_name = "pages/admin/link_health_results.html"
    index_url_name = "link_health_report"
    index_results_url_name = "link_health_report_results"
    permission_policy = ModelPermissionPolicy(Link)
    permission_required = "change"
    list_export = [
        "url",
        "status",
        "http_code",
        "final_url",
        "error",
        "checked_at",
        "consecutive_failures",
    ]
    export_filename = "link-health"

    def get_queryset(self):
        rank = Case(
            *(When(status=status, then=Value(n)) for n, status in enumerate(PROBLEMS)),
            output_field=IntegerField(),
        )
        return CheckedURL.objects.filter(status__in=PROBLEMS).order_by(rank, "url")

    def decorate_paginated_queryset(self, object_list):
        return usages_for(list(object_list))


@require_POST
def use_final_url(request, pk):
    """For a permanent redirect: point the link library and settings at where it now goes."""
    if not can_manage_links(request.user):
        raise PermissionDenied
    checked = get_object_or_404(CheckedURL, pk=pk, permanent_redirect=True)
    old, new = checked.url, checked.final_url
    updated = 0
    for link in Link.objects.filter(url=old):
        link.url = new
        link.save()
        updated += 1
    # Editors keep links but not the settings, which only moderators change.
    may_edit_settings = request.user.has_perm("pages.change_organisationsettings")
    if may_edit_settings:
        org = OrganisationSettings.load()
        for name in ("website_url", "newsletter_url"):
            if getattr(org, name) == old:
                setattr(org, name, new)
                org.save(update_fields=[name])
                updated += 1
    by_hand = URLUsage.objects.filter(url=old).exclude(label__startswith="Link “")
    if may_edit_settings:
        by_hand = by_hand.exclude(label="Organisation settings")
    by_hand = by_hand.count()
    URLUsage.objects.filter(url=old).update(url=new)
    checked.url, checked.status = new, CheckedURL.Status.OK
    checked.permanent_redirect, checked.consecutive_failures = False, 0
    CheckedURL.objects.filter(url=new).exclude(pk=checked.pk).delete()
    checked.save()
    text = f"Now using {new} in {updated} place(s)."
    if by_hand:
        text += (
            " Places that type the old address in (page text, or settings you may not edit)"
            " still need editing by hand."
        )
    messages.success(request, text)
    return redirect("link_health_report")


class BrokenLinksPanel(Component):
    name = "broken_links"
    template_name = "pages/admin/broken_links_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        return {
            "broken": CheckedURL.objects.filter(
                status__in=[CheckedURL.Status.BROKEN, CheckedURL.Status.UNREACHABLE]
            ).count(),
            "redirected": CheckedURL.objects.filter(status=CheckedURL.Status.REDIRECTED).count(),
            "report_url": reverse("link_health_report"),
        }
