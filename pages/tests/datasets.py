"""Small builders and readers for impact datasets, shared by the dataset, API, query-budget
and seeded-site tests."""

import csv
import io
import re

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


# The Data Package spec (v1 and v2): a package needs resources, each with a name and a path
# (or inline data); names are lower-case letters, digits and -._/
NAME = re.compile(r"^[-a-z0-9._/]+$")


def read_csv(text):
    """A dataset's CSV as a program reads it: '#' lines are comments (the package says so)."""
    comments = [line for line in text.splitlines() if line.startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(ln for ln in text.splitlines() if ln[:1] != "#"))))
    return comments, rows


def table_in_html(html, slug):
    """The label and figures of the dataset's table, as the page shows them."""
    section = html.split(f'id="dataset-{slug}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows
