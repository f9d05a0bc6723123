"""The editor's warning about a page's links, shown at the top of every page type's editor."""

from django.utils.functional import cached_property
from wagtail.admin.panels import Panel
from wagtail.models import Page

from .models import CheckedURL, Link
from .scan import Found, Usage, scan_page


def link_problems(page):
    """What an editor should know about this page's links: chosen pages that were deleted or
    unpublished, library links that were deleted, and addresses the last check found broken;
    then, apart, the addresses the checker would not fetch because they are internal."""
    found = Found()
    link_ids = scan_page(page, found, Usage("this page"))
    problems = []
    pages = Page.objects.in_bulk(list(found.internal))
    for page_id in found.internal:
        target = pages.get(page_id)
        if target is None:
            problems.append("A link points to a page that was deleted: choose another page.")
        elif not target.live:
            problems.append(f"A link points to “{target.title}”, which is not published.")
    existing = set(Link.objects.filter(pk__in=link_ids).values_list("pk", flat=True))
    for _ in link_ids - existing:
        problems.append("A link from the link library was deleted: choose another.")
    unchecked = []
    for checked in CheckedURL.objects.filter(
        url__in=list(found.external),
        status__in=[
            CheckedURL.Status.BROKEN,
            CheckedURL.Status.UNREACHABLE,
            CheckedURL.Status.INTERNAL,
        ],
    ).order_by("url"):
        if checked.status == CheckedURL.Status.INTERNAL:
            unchecked.append(f"{checked.url}: {checked.error}")
            continue
        code = f" ({checked.http_code})" if checked.http_code else ""
        problems.append(f"{checked.url} is {checked.get_status_display().lower()}{code}.")
    return problems, unchecked


class LinkProblemsPanel(Panel):
    """Shown at the top of the editor only when some of the page's links are hidden from
    readers or broken, or were not checked because they lead to an internal address."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "pages/admin/link_problems_panel.html"

        @cached_property
        def problems(self):
            return link_problems(self.instance) if self.instance.pk else ([], [])

        def is_shown(self):
            return any(self.problems)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["problems"], context["unchecked"] = self.problems
            return context
