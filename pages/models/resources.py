from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from pages.fields import RichTextField
from pages.links.models import Link, LinkCategory
from pages.translation.locales import in_active_language

from .base import HOME_PAGE, INTRODUCTION_FEATURES, OneQueryViewRestrictions, PreviewedAsServed


class ResourcesPage(PreviewedAsServed, OneQueryViewRestrictions, Page):
    """The link library for readers: partners, funders, reports and more, by category."""

    introduction = RichTextField(
        features=INTRODUCTION_FEATURES,
        blank=True,
        help_text="A short opening above the list of links.",
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    api_fields = [APIField("introduction")]

    parent_page_types = [HOME_PAGE]
    subpage_types = []
    max_count = 1

    template = "pages/resources_page.html"
    per_page = 20

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template keeps the page's content once per cache generation ({% fragment %}),
        # and these queries run only when it is worked out again.
        context["parts"] = SimpleLazyObject(lambda: self.parts(request))
        return context

    def parts(self, request):
        context = {}
        categories = list(
            in_active_language(LinkCategory.objects.filter(links__isnull=False)).distinct()
        )
        selected = next(
            (c for c in categories if c.slug == request.GET.get("category", "")[:60]), None
        )
        links = (
            in_active_language(Link.objects.all())
            .select_related("category", "logo")
            .order_by("category__sort_order", "category__name", "-featured", "title")
        )
        if selected:
            links = links.filter(category=selected)
        context["categories"] = categories
        context["selected_category"] = selected
        context["links"] = Paginator(links, self.per_page).get_page(request.GET.get("page"))
        return context
