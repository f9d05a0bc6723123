"""A stored value its validator would refuse, written by code (the shell, a fixture, an importer,
data from before the validator), never makes a page fail: the page renders with the broken link
left out, and one warning in the log names the value (docs/security.md). Each case writes the
value with save(clean=False) or a plain save(), as code does, never through full_clean()."""

import logging

import pytest

from conftest import make_person
from pages.models import ImpactPage, PublicationAuthor, PublicationPage
from pages.people.models import Person
from pages.tests.datasets import dataset

BAD_SLUGS = ["Bad Slug!", "a/b", "dots.and spaces", "ünïcode"]


def warnings_from(caplog, logger):
    return [r for r in caplog.records if r.name == logger and r.levelno == logging.WARNING]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", BAD_SLUGS)
def test_a_dataset_slug_its_validator_refuses_leaves_out_its_files_and_the_page_renders(
    client, site_tree, caplog, slug
):
    impact = ImpactPage.objects.get(pk=site_tree.impact.pk)
    impact.datasets = [dataset("grants"), dataset(slug, title="Written by code")]
    impact.save(clean=False)

    with caplog.at_level(logging.WARNING):
        response = client.get("/impact/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Written by code" in html  # the chart and its table are still shown
    assert 'href="/impact/data/grants.csv"' in html  # the good dataset keeps its files
    assert html.count('.csv" download') == 1  # the bad one has none
    assert len(warnings_from(caplog, "pages.models.impact")) == 1
    assert repr(f"{slug}.csv") in warnings_from(caplog, "pages.models.impact")[0].getMessage()

    api = client.get(f"/api/v2/pages/{impact.pk}/")
    assert api.status_code == 200
    assert [d["slug"] for d in api.json()["data_files"]["datasets"]] == ["grants"]
    assert client.get("/impact/data/datapackage.json").status_code == 200
    assert client.get("/").status_code == 200  # the home page reads the impact page too
    assert impact.get_cached_paths() == [
        "/",
        *(f"/data/{n}" for n in ("datapackage.json", "grants.csv", "grants.json")),
    ]


@pytest.mark.django_db
def test_a_publication_with_values_their_validators_refuse_still_renders_everywhere(
    client, site_tree, caplog
):
    person = make_person(slug="ada")
    Person.objects.filter(pk=person.pk).update(orcid="0000-0002-1825-0098")  # wrong check digit
    publication = PublicationPage.objects.get(pk=site_tree.publications[0].pk)
    PublicationAuthor.objects.create(page=publication, person=person, sort_order=5)
    publication.licence = "no-such-licence"
    publication.published_precision = "week"
    publication.publication_type = "poem"
    publication.doi = 'not a doi" onmouseover="alert(1)'
    publication.save(clean=False)
    site_tree.people.save_revision().publish()

    with caplog.at_level(logging.WARNING):
        page = client.get(publication.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "doi.org" not in html  # the DOI's link, its citation tag and JSON-LD are left out
    assert "no-such-licence" in html and 'rel="license"' not in html
    assert "orcid.org" not in html
    messages = " ".join(r.getMessage() for r in warnings_from(caplog, "pages.models.research"))
    for value in ("no-such-licence", "week", "poem", "not a doi"):
        assert value in messages
    for name in ("bibtex", "ris", "csl-json"):
        assert client.get(f"{publication.url}cite/{name}/").status_code == 200
    for path in [
        "/research/",
        "/research/?type=report",
        "/feeds/research/",
        "/people/",
        "/people/ada/",
        f"/api/v2/pages/{publication.pk}/",
        "/api/v2/pages/?type=pages.PublicationPage&fields=*",
    ]:
        assert client.get(path).status_code == 200, path
    people = client.get("/people/ada/").content.decode()
    assert "orcid.org" not in people


@pytest.mark.django_db
@pytest.mark.parametrize(
    "html",
    [
        '<p><a linktype="page" id="not-a-number">A page</a></p>',
        '<p><a linktype="page" id="99999999999999999999999">A page</a></p>',
        '<p><a linktype="document" id="1 OR 1=1">A file</a></p>',
    ],
)
def test_a_reference_in_rich_text_its_editor_could_not_write_leaves_a_plain_link(
    client, site_tree, html
):
    """Rendering looks a linked page up by its number: one written by code that is not a number
    (or too large for the database) is dropped when it is saved, so the page renders."""
    page = site_tree.index
    page.introduction = html
    page.save(clean=False)
    response = client.get(page.url)
    assert response.status_code == 200
    assert "<a>" in response.content.decode()
