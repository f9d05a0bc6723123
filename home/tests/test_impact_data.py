"""The impact page's datasets on the site as `make run` seeds it: charts with their tables, and
files that parse and match them (issue 18's "done when")."""

import json

import pytest

from home.seed_content import IMPACT
from pages.models import ImpactPage
from pages.tests.datasets import NAME, read_csv, table_in_html

# Each seeded dataset's rows as home/seed_content.py types them, written out here: what the
# table on the page shows, what the CSV holds (the same, none reaching a thousand) and the JSON's
# numbers.
SHOWN = {
    "soi-grants-tracked": [["2024 edition", "514"], ["2025 edition", "641"]],
    "soi-funding-tracked": [["2024 edition", "415.8"], ["2025 edition", "550"]],
    "oi-fund-pilot": [["Applications", "197"], ["Countries", "51"], ["Projects funded", "8"]],
}
IN_JSON = {
    "soi-grants-tracked": [514, 641],
    "soi-funding-tracked": [415.8, 550],
    "oi-fund-pilot": [197, 51, 8],
}


@pytest.fixture
def impact(seeded):
    return ImpactPage.objects.get(locale__language_code="en")


def test_the_impact_page_shows_each_seeded_dataset_as_a_chart_and_a_table(impact, client):
    html = client.get("/impact/").content.decode()
    specs = IMPACT["datasets"]
    assert [spec["slug"] for spec in specs] == list(SHOWN)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == len(specs)
    for spec in specs:
        assert f'<desc id="chart-{spec["slug"]}-desc">{spec["takeaway"]}</desc>' in html.replace(
            "&#x27;", "'"
        )
        assert table_in_html(html, spec["slug"]) == SHOWN[spec["slug"]]
    assert 'id="open-data-heading">Open data</h2>' in html
    assert 'href="/impact/data/datapackage.json"' in html


def test_each_download_parses_and_matches_the_table_on_the_page(impact, client):
    html = client.get("/impact/").content.decode()
    for spec in IMPACT["datasets"]:
        slug = spec["slug"]
        assert (
            f'href="/impact/data/{slug}.csv"' in html and f'href="/impact/data/{slug}.json"' in html
        )
        assert table_in_html(html, slug) == SHOWN[slug]

        response = client.get(f"/impact/data/{slug}.csv")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        comments, rows = read_csv(response.content.decode("utf-8"))
        assert rows[0] == spec["columns"]
        assert rows[1:] == SHOWN[slug]
        text = "\n".join(comments)
        for expected in (spec["title"], spec["unit"], "CC BY 4.0", spec["source"]["title"]):
            assert expected in text

        data = json.loads(client.get(f"/impact/data/{slug}.json").content)
        assert data["title"] == spec["title"] and data["unit"] == spec["unit"]
        assert data["licenses"][0]["name"] == "CC-BY-4.0"
        # The source is the publication or post the figures come from, by its full address.
        source = data["sources"][0]
        assert source["title"] == spec["source"]["title"]
        assert source["path"].startswith("http") and source["path"].endswith(
            f"/{spec['source']['page']}/"
        )
        label, series = spec["columns"]
        assert [[d[label], d[series]] for d in data["data"]] == [
            [row[0], number] for row, number in zip(SHOWN[slug], IN_JSON[slug], strict=True)
        ]


def test_the_data_package_describes_every_dataset_and_each_path_loads(impact, client):
    package = json.loads(client.get("/impact/data/datapackage.json").content)
    assert NAME.match(package["name"])
    resources = package["resources"]
    assert [r["name"] for r in resources] == [spec["slug"] for spec in IMPACT["datasets"]]
    for resource in resources:
        assert NAME.match(resource["name"]) and resource["path"] and resource["format"] == "csv"
        assert resource["dialect"]["commentChar"] == "#"
        assert resource["licenses"][0]["path"].startswith("https://creativecommons.org/")
        # The path is relative to the package: the file sits beside it.
        csv_response = client.get(f"/impact/data/{resource['path']}")
        assert csv_response.status_code == 200
        _, rows = read_csv(csv_response.content.decode())
        assert rows[0] == [field["name"] for field in resource["schema"]["fields"]]
        assert [f["type"] for f in resource["schema"]["fields"]] == ["string", "number"]
    assert package["licenses"] == [resources[0]["licenses"][0]]


def test_a_file_that_does_not_exist_is_a_404_and_only_get_is_answered(impact, client):
    assert client.get("/impact/data/no-such-dataset.csv").status_code == 404
    assert client.get("/impact/data/oi-fund-pilot.xml").status_code == 404
    assert client.post("/impact/data/oi-fund-pilot.csv").status_code == 405


def test_the_api_names_the_same_files_and_figures(impact, client):
    api = json.loads(client.get(f"/api/v2/pages/{impact.pk}/?fields=datasets,data_files").content)
    files = api["data_files"]
    assert [f["slug"] for f in files["datasets"]] == [s["slug"] for s in IMPACT["datasets"]]
    for entry in files["datasets"]:
        path = entry["csv"].split("://", 1)[1].split("/", 1)[1]
        assert client.get(f"/{path}").status_code == 200
    assert files["data_package"].endswith("/impact/data/datapackage.json")
    first = api["datasets"][0]["value"]
    spec = IMPACT["datasets"][0]
    assert [row["values"][1] for row in first["data"]["rows"]] == [
        float(figure) for _, figure in spec["rows"]
    ]
