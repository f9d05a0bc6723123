"""Impact datasets: what editors may enter, the chart and table readers get, and the open data
files (CSV, JSON, the Frictionless data package) others reuse."""

import json
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import translation
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import TypedTableBlockValidationError

from pages.blocks import DatasetBlock, DatasetsBlock
from pages.blocks.charts import draw_chart, format_number, ticks
from pages.models import ImpactPage
from pages.tests.datasets import dataset, library_link, read_csv, table_in_html

# What editors may enter


def clean_dataset(**changes):
    block = DatasetBlock()
    raw = dataset("grants")["value"]
    raw.update(changes)
    return block.clean(block.to_python(raw))


@pytest.mark.django_db
def test_a_dataset_slug_must_be_an_address_word():
    library_link()
    with pytest.raises(StructBlockValidationError) as error:
        clean_dataset(slug="Grants by edition!")
    assert "slug" in error.value.block_errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "columns, message",
    [
        ([{"type": "number", "heading": "Grants"}], "Start with a 'Labels' column"),
        ([{"type": "label", "heading": "Edition"}], "at least one column of figures"),
        (
            [{"type": "label", "heading": "Edition"}, {"type": "number", "heading": ""}],
            "Give every column a heading",
        ),
        (
            [
                {"type": "label", "heading": "Edition"},
                {"type": "number", "heading": "edition"},
            ],
            "a different heading",
        ),
    ],
)
def test_a_table_that_would_make_no_sense_as_a_chart_is_refused(columns, message):
    library_link()
    values = ["a" if column["type"] == "label" else "1" for column in columns]
    data = {"columns": columns, "rows": [{"values": values}], "caption": ""}
    with pytest.raises(StructBlockValidationError) as error:
        clean_dataset(data=data)
    table_error = error.value.block_errors["data"]
    assert isinstance(table_error, TypedTableBlockValidationError)
    assert any(message in str(m) for m in table_error.non_block_errors)


def test_a_dataset_needs_a_source_but_not_two(site_tree):
    link = library_link()
    with pytest.raises(StructBlockValidationError) as error:
        clean_dataset(source={"page": None, "link": None, "title": ""})
    assert "Say where the figures come from" in str(error.value.block_errors["source"].block_errors)
    with pytest.raises(StructBlockValidationError) as error:
        clean_dataset(source={"page": ImpactPage.objects.first().pk, "link": link.pk, "title": ""})
    assert "not both" in str(error.value.block_errors["source"].block_errors)


@pytest.mark.django_db
def test_two_datasets_on_a_page_cannot_share_a_slug(site_tree):
    library_link()
    block = DatasetsBlock()
    value = block.to_python([dataset("grants"), dataset("funding"), dataset("grants")])
    with pytest.raises(StreamBlockValidationError) as error:
        block.clean(value)
    assert list(error.value.block_errors) == [2]
    assert "Dataset 1 already uses 'grants'" in str(error.value.block_errors[2].block_errors)


# The chart


def test_the_chart_is_an_svg_image_named_by_its_title_and_takeaway_with_nothing_the_csp_refuses():
    svg = draw_chart(
        kind="bar",
        labels=["2024 edition", "2025 edition"],
        series=[("Grants", [Decimal(514), Decimal(641)])],
        id_prefix="chart-grants",
        title="Grants <tracked>",
        description="Up from 514 to 641.",
    )
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg and 'aria-labelledby="chart-grants-title chart-grants-desc"' in svg
    assert '<title id="chart-grants-title">Grants &lt;tracked&gt;</title>' in svg
    assert '<desc id="chart-grants-desc">Up from 514 to 641.</desc>' in svg
    assert re.search(r'viewBox="0 0 480 \d+"', svg) and "width=" not in svg.split(">", 1)[0]
    for refused in ("<script", "<style", "style=", "javascript:", "<?xml"):
        assert refused not in svg
    # Only the two ids named by aria-labelledby: two charts on a page cannot clash.
    assert re.findall(r'\bid="([^"]+)"', svg) == ["chart-grants-title", "chart-grants-desc"]
    assert ">641<" in svg  # the figure is written on its bar


SVG = "{http://www.w3.org/2000/svg}"


def drawn(svg):
    """Per series, in the order given: how many marks (bars, or a line's points) the chart draws
    and the figures written on them, as a reader sees them."""
    root = ElementTree.fromstring(svg)
    plot, text = (g for g in root.iter(f"{SVG}g") if "plot" in g.get("class", "").split())

    def by_series(layer):
        for group in layer.iter(f"{SVG}g"):
            classes = group.get("class", "").split()
            if "series" in classes:
                number = next(c for c in classes if c.startswith("serie-"))
                yield int(number.removeprefix("serie-")), group

    series = {}
    for number, group in by_series(plot):
        bars = [r for r in group.iter(f"{SVG}rect") if r.get("class") == "rect"]
        points = sum(
            len(re.findall(r"-?[\d.]+ -?[\d.]+", path.get("d", "")))
            for path in group.iter(f"{SVG}path")
        )
        series[number] = {"marks": len(bars) or points, "figures": []}
    for number, group in by_series(text):
        series[number]["figures"] = sorted(
            t.text for t in group.iter(f"{SVG}text") if t.get("class") == "value"
        )
    return [series[number] for number in sorted(series)]


@pytest.mark.parametrize("kind", ["horizontal_bar", "bar", "line"])
def test_every_kind_of_chart_draws_several_series_with_a_legend_and_gaps(kind):
    svg = draw_chart(
        kind=kind,
        labels=["A", "B", "C"],
        series=[("First", [1, 2, None]), ("Second", [3, None, 5]), ("Third", [0, 4, 6])],
        id_prefix="chart-x",
        title="T",
        description="D",
    )
    assert "color-1" in svg and ">First<" in svg and ">Second<" in svg
    assert "<script" not in svg and "style=" not in svg
    # A missing figure is a gap: nothing drawn and nothing written for it, never a 0. A figure
    # of 0 is drawn and written as one.
    assert drawn(svg) == [
        {"marks": 2, "figures": ["1", "2"]},
        {"marks": 2, "figures": ["3", "5"]},
        {"marks": 3, "figures": ["0", "4", "6"]},
    ]


def test_figures_follow_the_readers_language():
    assert format_number(Decimal("1234.5")) == "1,234.5"
    assert format_number(Decimal("550.0")) == "550"
    assert format_number(None) == ""
    with translation.override("es"):
        assert format_number(Decimal("1234.5")) == "1\xa0234,5"


def test_the_value_axis_has_a_few_round_steps():
    assert ticks(641) == [0, 200, 400, 600, 800]
    assert ticks(8) == [0, 2, 4, 6, 8]
    assert ticks(0) == [0, 1]


# The page and its files, on the site as `make run` seeds it


def test_a_page_without_datasets_offers_no_data_package(site_tree, client):
    assert client.get("/impact/data/datapackage.json").status_code == 404
    assert "Open data" not in client.get("/impact/").content.decode()


@pytest.mark.django_db
def test_the_page_and_each_download_give_the_figures_as_typed_and_a_missing_one_as_a_gap(
    site_tree, client
):
    impact = site_tree.impact
    rows = [("2023 edition", "1234.5"), ("2024 edition", None), ("2025 edition", "0")]
    impact.datasets = [dataset("funding", rows=rows, chart="bar")]
    impact.save_revision().publish()

    html = client.get("/impact/").content.decode()
    # The table: grouped for the reader, the missing figure a dash that says "not known".
    assert table_in_html(html, "funding") == [
        ["2023 edition", "1,234.5"],
        ["2024 edition", "–not known"],
        ["2025 edition", "0"],
    ]
    chart = html.split('id="dataset-funding"', 1)[1].split("</svg>", 1)[0] + "</svg>"
    chart = chart[chart.index("<svg") :]
    assert drawn(chart) == [{"marks": 2, "figures": ["0", "1,234.5"]}]

    # The files: plain digits and a point, the gap left empty (CSV) or null (JSON).
    _, csv_rows = read_csv(client.get("/impact/data/funding.csv").content.decode())
    assert csv_rows == [
        ["Edition", "Grants"],
        ["2023 edition", "1234.5"],
        ["2024 edition", ""],
        ["2025 edition", "0"],
    ]
    data = json.loads(client.get("/impact/data/funding.json").content)
    assert data["data"] == [
        {"Edition": "2023 edition", "Grants": 1234.5},
        {"Edition": "2024 edition", "Grants": None},
        {"Edition": "2025 edition", "Grants": 0},
    ]
    assert data["schema"]["missingValues"] == [""]


@pytest.mark.django_db
def test_labels_a_spreadsheet_would_run_are_written_as_text(site_tree, client):
    impact = site_tree.impact
    impact.datasets = [dataset("risky", rows=[("=HYPERLINK(1)", "-5"), ("Plain", None)])]
    impact.save_revision().publish()
    _, rows = read_csv(client.get("/impact/data/risky.csv").content.decode())
    assert rows[1:] == [["'=HYPERLINK(1)", "-5"], ["Plain", ""]]
    data = json.loads(client.get("/impact/data/risky.json").content)
    assert data["data"][1] == {"Edition": "Plain", "Grants": None}


@pytest.mark.django_db
def test_a_source_page_is_named_with_its_full_address_and_a_deleted_one_is_not_linked(
    site_tree, client
):
    impact = site_tree.impact
    impact.datasets = [dataset("grants", source_page=site_tree.about)]
    impact.save_revision().publish()
    data = json.loads(client.get("/impact/data/grants.json").content)
    assert data["sources"] == [{"title": "About", "path": "http://testserver/about/"}]
    site_tree.about.unpublish()
    html = client.get("/impact/").content.decode()
    assert "Source: About." in html


def test_the_block_picker_preview_draws_a_chart():
    block = DatasetBlock()
    html = block.render(block.get_preview_value())
    assert "<svg" in html and "The figures as a table" in html


def test_every_part_of_a_dataset_tells_the_editor_what_to_enter():
    def unexplained(block, path):
        for name, child in getattr(block, "child_blocks", {}).items():
            field = getattr(child, "field", None)
            if not (getattr(field, "help_text", "") or getattr(child.meta, "help_text", "")):
                yield f"{path}.{name}"
            yield from unexplained(child, f"{path}.{name}")

    assert list(unexplained(DatasetBlock(), "dataset")) == []


def test_an_editor_can_open_the_impact_page_with_its_datasets(admin_client, site_tree):
    impact = site_tree.impact
    impact.datasets = [dataset("grants"), dataset("funding", series=("Grants", "Funders"))]
    impact.save_revision().publish()
    response = admin_client.get(f"/admin/pages/{impact.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Datasets" in html and "funding" in html


def test_file_links_stay_relative_when_the_page_has_no_known_address(site_tree):
    from wagtail.models import Site

    Site.objects.all().delete()  # no site: Wagtail cannot name the page's address
    impact = ImpactPage.objects.get(pk=site_tree.impact.pk)
    impact.datasets = [dataset("grants")]
    assert impact.url is None
    assert impact.open_data()[0]["csv"] == "data/grants.csv"  # resolves from /impact/ itself
