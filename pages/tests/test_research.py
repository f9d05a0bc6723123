"""Research at /research/: publications a reader can find, read, download and cite, and that
scholarly indexes can read."""

import json
import re
from datetime import date
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from django.core.exceptions import ValidationError
from wagtail.models import PageViewRestriction

from conftest import add_page, build_publications, make_document, make_person, paragraph, world
from pages.models import PublicationAuthor, PublicationPage

pytestmark = pytest.mark.django_db

DOI = "10.5555/ioi.2024.001"


@world
def research(site_tree, organisation):
    ada = make_person("Ada", "Lovelace", orcid="0000-0002-1825-0097")
    grace = make_person("Grace", "Hopper")
    index = site_tree.research
    for publication in site_tree.publications:
        publication.delete()
    publications = build_publications(index, 3, authors=[ada, grace])
    report = publications[0]
    report.doi = DOI
    report.full_text = make_document(content=b"%PDF-1.4\n" + b"x" * 2_500_000)
    report.save_revision().publish()
    return index, publications, ada, grace


class Meta(HTMLParser):
    """The page's <meta name=...> tags in order, and its JSON-LD blocks."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.jsonld, self._in_jsonld = [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.tags.append((attrs["name"], attrs["content"]))
        self._in_jsonld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld.append(json.loads(data))
            self._in_jsonld = False

    def values(self, name):
        return [content for tag, content in self.tags if tag == name]


# The publication page


def test_a_publication_shows_its_authors_in_order_and_what_the_download_is(client, research):
    index, publications, ada, grace = research
    html = client.get("/research/publication-1/").content.decode()
    assert html.count("<h1>") == 1
    byline = re.search(r"<dt>Authors</dt><dd>(.*?)</dd>", html, re.S).group(1)
    assert byline.index("Invest in Open Infrastructure") < byline.index("Ada Lovelace")
    assert byline.index("Ada Lovelace") < byline.index("Grace Hopper")
    assert "(PDF, 2.4\xa0MB)" in html  # a no-break space: the figure never wraps from its unit
    assert f'<a href="https://doi.org/{DOI}">https://doi.org/{DOI}</a>' in html
    assert 'rel="license">CC BY 4.0</a>' in html


def test_the_cite_box_gives_an_apa_citation_from_the_csl_style(client, research):
    html = client.get("/research/publication-1/").content.decode()
    citation = re.search(r'id="citation-apa">(.*?)</p>', html, re.S).group(1)
    # APA 7 as citeproc-py formats it: authors, year, title in italics, type, DOI as a link.
    assert citation.startswith("Invest in Open Infrastructure, Lovelace, A., &amp; Hopper, G.")
    assert "(2024). <i>Publication 1</i> [Report]." in citation
    assert citation.endswith(f"https://doi.org/{DOI}")


def test_text_an_editor_typed_is_escaped_in_the_citation(client, research):
    publication = research[1][1]
    publication.title = 'Costs <script>alert("x")</script> & benefits'
    publication.save_revision().publish()
    html = client.get("/research/publication-2/").content.decode()
    citation = re.search(r'id="citation-apa">(.*?)</p>', html, re.S).group(1)
    assert "<script>" not in citation
    assert "Costs &lt;script&gt;alert" in citation and "&amp; benefits" in citation


def download(client, slug, name):
    response = client.get(f"/research/{slug}/cite/{name}/")
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_bibtex_download_parses_back_with_title_authors_year_and_doi(client, research):
    response, text = download(client, "publication-1", "bibtex")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="publication-1.bib"'
    # The organisation in braces, so BibTeX keeps it whole rather than as "Family, Given".
    assert "author = {{Invest in Open Infrastructure} and Lovelace, Ada and Hopper, Grace}" in text
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors()]
    )
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "techreport"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["title"] == "Publication 1"
    assert fields["author"] == ["Invest in Open Infrastructure", "Lovelace, Ada", "Hopper, Grace"]
    assert fields["year"] == "2024" and fields["doi"] == DOI
    assert fields["institution"] == "Invest in Open Infrastructure"


def test_the_ris_download_parses_back_and_keeps_every_line_tagged(client, research):
    response, text = download(client, "publication-1", "ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="publication-1.ris"'
    # By the format's rules: every line a two-character tag, two spaces, a dash, a space.
    lines = [line for line in text.splitlines() if line]
    assert lines[0] == "TY  - RPRT" and lines[-1].rstrip() == "ER  -"
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line + " ") for line in lines)
    (record,) = rispy.loads(text)
    assert record["title"] == "Publication 1"
    assert record["authors"] == ["Invest in Open Infrastructure", "Lovelace, Ada", "Hopper, Grace"]
    assert record["year"] == "2024" and record["doi"] == DOI


def test_the_csl_json_download_is_one_item_reference_managers_import(client, research):
    response, text = download(client, "publication-1", "csl-json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="publication-1.json"'
    (item,) = json.loads(text)
    assert item["type"] == "report" and item["title"] == "Publication 1"
    assert item["author"] == [
        {"literal": "Invest in Open Infrastructure"},
        {"family": "Lovelace", "given": "Ada"},
        {"family": "Hopper", "given": "Grace"},
    ]
    assert item["issued"] == {"date-parts": [[2024, 6, 1]]} and item["DOI"] == DOI


def test_a_multiline_abstract_stays_on_one_ris_line(client, research):
    publication = research[1][1]
    publication.abstract = "First line.\nSecond line.\n\nAB  - a forged tag"
    publication.save_revision().publish()
    _, text = download(client, "publication-2", "ris")
    (record,) = rispy.loads(text)
    assert record["abstract"] == "First line. Second line. AB - a forged tag"


def test_an_unknown_citation_format_is_a_404(client, research):
    assert client.get("/research/publication-1/cite/endnote/").status_code == 404


def test_a_date_known_to_the_year_is_cited_by_the_year_only(client, research):
    publication = research[1][1]
    publication.published_precision = "year"
    publication.save_revision().publish()
    html = client.get("/research/publication-2/").content.decode()
    assert '<time datetime="2023">2023</time>' in html
    _, text = download(client, "publication-2", "csl-json")
    assert json.loads(text)[0]["issued"] == {"date-parts": [[2023]]}
    _, bib = download(client, "publication-2", "bibtex")
    assert "month" not in bib
    assert Meta(html).values("citation_publication_date") == ["2023"]


# What scholarly indexes read


def test_highwire_tags_follow_google_scholars_guidelines(client, research, settings):
    html = client.get("/research/publication-1/").content.decode()
    meta = Meta(html)
    assert meta.values("citation_title") == ["Publication 1"]
    assert meta.values("citation_author") == [
        "Invest in Open Infrastructure",
        "Lovelace, Ada",
        "Hopper, Grace",
    ]
    assert meta.values("citation_publication_date") == ["2024/6/1"]
    assert meta.values("citation_doi") == [DOI]
    assert meta.values("citation_technical_report_institution") == ["Invest in Open Infrastructure"]
    (pdf,) = meta.values("citation_pdf_url")
    assert pdf.startswith("http://localhost/documents/") and pdf.endswith(".pdf")
    assert client.get(pdf.removeprefix("http://localhost")).status_code == 200


def test_a_publication_without_a_pdf_or_doi_names_neither(client, research):
    article = research[1][1]
    article.publication_type = "article"
    article.save_revision().publish()
    meta = Meta(client.get("/research/publication-2/").content.decode())
    assert meta.values("citation_pdf_url") == [] and meta.values("citation_doi") == []
    # An article (not a report) names its publisher instead of an institution.
    assert meta.values("citation_publisher") == ["Invest in Open Infrastructure"]


def test_json_ld_describes_the_report_with_authors_identifier_and_licence(client, research):
    meta = Meta(client.get("/research/publication-1/").content.decode())
    report = next(data for data in meta.jsonld if data["@type"] == "Report")
    assert report["datePublished"] == "2024-06-01"
    assert report["author"][0] == {"@type": "Organization", "name": "Invest in Open Infrastructure"}
    assert report["author"][1]["sameAs"] == "https://orcid.org/0000-0002-1825-0097"
    assert report["identifier"]["value"] == DOI
    assert report["license"] == "https://creativecommons.org/licenses/by/4.0/"
    article = research[1][1]
    article.publication_type = "article"
    article.save_revision().publish()
    described = Meta(client.get("/research/publication-2/").content.decode()).jsonld[0]
    assert described["@type"] == "ScholarlyArticle"


# The index


def titles(html):
    return re.findall(r'<h2 class="card__title"><a href="[^"]+">([^<]+)</a>', html)


def test_the_index_lists_publications_newest_first(client, research):
    html = client.get("/research/").content.decode()
    assert titles(html) == ["Publication 1", "Publication 2", "Publication 3"]
    assert "3 publications, newest first." in html


def test_the_index_filters_by_type_and_by_year_with_plain_links(client, research):
    html = client.get("/research/").content.decode()
    assert 'href="/research/?type=brief"' in html and 'href="/research/?year=2023"' in html
    assert titles(client.get("/research/?type=brief").content.decode()) == ["Publication 3"]
    assert titles(client.get("/research/?year=2023").content.decode()) == ["Publication 2"]
    both = client.get("/research/?type=report&year=2024").content.decode()
    assert titles(both) == ["Publication 1"]
    # Each filter's links keep the other one.
    assert 'href="/research/?type=brief&amp;year=2024"' in both
    assert 'href="/research/?type=report"' in both  # "All years"
    assert titles(client.get("/research/?type=report&year=2023").content.decode()) == []


@pytest.mark.parametrize(
    "query", ["type=novel", "year=abc", "year=99999999999999999999", "year=-1", "type=&year="]
)
def test_filters_that_are_not_one_of_the_choices_show_everything(client, research, query):
    response = client.get(f"/research/?{query}")
    assert response.status_code == 200
    assert len(titles(response.content.decode())) == 3


def test_the_index_paginates_and_keeps_the_filter(client, site_tree):
    index = site_tree.research
    build_publications(index, 21, start=3)
    page_1 = client.get("/research/?type=report").content.decode()
    assert len(titles(page_1)) == 5 and "Page 1 of 1" not in page_1
    everything = client.get("/research/").content.decode()
    assert len(titles(everything)) == 10 and "Page 1 of 3" in everything
    assert len(titles(client.get("/research/?page=3").content.decode())) == 3
    for n in range(24, 36):
        add_page(
            index,
            PublicationPage,
            title=f"Report {n}",
            slug=f"report-{n}",
            published_on=date(2020, 1, 1),
            abstract="A report.",
            authors=[PublicationAuthor(organisation="IOI")],
        )
    filtered = client.get("/research/?type=report").content.decode()
    assert 'href="?type=report&amp;page=2"' in filtered


def test_drafts_and_private_publications_stay_out_of_the_index_and_its_filters(client, research):
    index, publications, *_ = research
    publications[1].unpublish()
    PageViewRestriction.objects.create(
        page=publications[2], restriction_type=PageViewRestriction.LOGIN
    )
    html = client.get("/research/").content.decode()
    assert titles(html) == ["Publication 1"]
    assert "?year=2023" not in html and "?type=brief" not in html


# What editors may save


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("10.5281/zenodo.1234567", "10.5281/zenodo.1234567"),
        ("https://doi.org/10.5555/ABC-12", "10.5555/ABC-12"),
        ("doi: 10.1000.10/xyz", "10.1000.10/xyz"),
    ],
)
def test_a_doi_is_stored_plain_however_it_was_pasted(research, typed, stored):
    publication = research[1][0]
    publication.doi = typed
    publication.full_clean()
    assert publication.doi == stored


@pytest.mark.parametrize(
    "typed", ["11.5555/x", "10.55/x", "10.5555", "10.5555/has space", "10.5555/{brace}"]
)
def test_a_doi_that_cannot_be_one_is_refused_with_what_one_looks_like(research, typed):
    publication = research[1][0]
    publication.doi = typed
    with pytest.raises(ValidationError) as raised:
        publication.full_clean()
    assert "A DOI looks like 10.1234/abc-56" in str(raised.value.message_dict["doi"])


def test_each_author_is_a_person_or_an_organisation_never_both_or_neither(research):
    ada = research[2]
    for author in (PublicationAuthor(), PublicationAuthor(person=ada, organisation="IOI")):
        with pytest.raises(ValidationError, match="Choose a person or type"):
            author.clean()


def test_a_preview_shows_the_authors_and_initiatives_the_editor_just_chose(
    admin_client, research, site_tree
):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    publication = research[1][0]
    data = nested_form_data(
        {
            "title": "Previewed title",
            "slug": publication.slug,
            "publication_type": "report",
            "published_on": "2024-06-01",
            "published_precision": "day",
            "abstract": "An abstract.",
            "licence": "cc-by-4.0",
            "authors": inline_formset([{"person": "", "organisation": "A new organisation"}]),
            "body": streamfield([("paragraph", rich_text("<p>Body</p>"))]),
        }
    )
    data["related_initiatives"] = [site_tree.initiatives[1].pk]
    url = f"/admin/pages/{publication.pk}/edit/preview/"
    assert admin_client.post(url, data).json()["is_valid"]
    html = admin_client.get(url).content.decode()
    assert "A new organisation" in html and "Previewed title" in html
    assert site_tree.initiatives[1].title in html
    assert site_tree.initiatives[0].title not in html


def test_deleting_a_person_who_wrote_something_is_refused(admin_client, research):
    ada = research[2]
    response = admin_client.post(f"/admin/snippets/pages/person/delete/{ada.pk}/")
    assert response.status_code < 500
    assert type(ada).objects.filter(pk=ada.pk).exists()


def test_a_body_block_shows_on_the_page(client, research):
    publication = research[1][0]
    publication.body = [paragraph("<p>Key findings in brief.</p>")]
    publication.save_revision().publish()
    assert "Key findings in brief." in client.get("/research/publication-1/").content.decode()


def test_publications_are_in_the_api_with_their_authors_and_identifiers(client, research):
    response = client.get(
        "/api/v2/pages/?type=pages.PublicationPage&fields=authors,doi,abstract,licence_url"
    )
    assert response.status_code == 200
    items = {item["title"]: item for item in response.json()["items"]}
    report = items["Publication 1"]
    assert [a["name"] for a in report["authors"]] == [
        "Invest in Open Infrastructure",
        "Ada Lovelace",
        "Grace Hopper",
    ]
    assert report["authors"][1]["orcid"] == "0000-0002-1825-0097"
    assert report["doi"] == DOI and report["abstract"] == "Abstract of publication 1."
    assert report["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    # Nothing about the person beyond their name and ORCID iD.
    assert set(report["authors"][1]) <= {"id", "meta", "type", "name", "orcid"}
