"""Small builders for impact datasets, shared by the dataset, API and query-budget tests."""

from pages.links.models import Link, LinkCategory


def dataset(
    slug,
    *,
    rows=(("2024 edition", "514"), ("2025 edition", "641")),
    series=("Grants",),
    source_page=None,
    source_link=None,
    chart="horizontal_bar",
    title=None,
):
    if source_page is None and source_link is None:
        source_link = library_link()
    return {
        "type": "dataset",
        "value": {
            "title": title or f"Dataset {slug}",
            "slug": slug,
            "takeaway": f"What {slug} shows.",
            "chart": chart,
            "unit": "grants",
            "licence": "CC-BY-4.0",
            "source": {
                "page": source_page.pk if source_page else None,
                "link": source_link.pk if source_link else None,
                "title": "",
            },
            "data": {
                "columns": [{"type": "label", "heading": "Edition"}]
                + [{"type": "number", "heading": name} for name in series],
                "rows": [{"values": list(row)} for row in rows],
                "caption": "",
            },
        },
    }


def library_link(url="https://example.org/report"):
    link = Link.objects.filter(url=url).first()
    if link:
        return link
    category, _ = LinkCategory.objects.get_or_create(slug="reports", defaults={"name": "Reports"})
    return Link.objects.create(url=url, title="The report", category=category)
