"""Publishing research and news in a real browser (Debian's Chromium through Playwright): an
editor adds a report with its PDF and two authors and submits it, a moderator publishes it, and a
reader downloads the PDF and its BibTeX citation; an editor writes a tagged news post.

The screenshots illustrate docs/editors.md (`make screenshots`)."""

import re
from pathlib import Path

import bibtexparser
import pytest

from conftest import make_person, signed_in
from pages.models import NewsIndexPage, PublicationPage, ResearchIndexPage
from pages.tests.test_moderation_browser import new_tab, open_actions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_csp_violations"),
]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def choose_person(tab, row, name):
    """The person chooser of the author in `row`: a modal listing People."""
    row.get_by_role("button", name=re.compile("Choose (a )?person", re.I)).click()
    modal = tab.locator(".modal-dialog")
    modal.get_by_role("link", name=name).click(timeout=60_000)
    modal.wait_for(state="hidden")


def add_author(tab, n):
    tab.get_by_role("button", name="Add author").first.click()
    row = tab.locator(f"#inline_child_authors-{n}")
    row.wait_for()
    return row


def test_an_editor_adds_a_report_a_moderator_publishes_it_and_a_reader_cites_it(
    seeded_site, make_user, browser, screenshot, tmp_path
):
    make_user("editor")
    make_user("moderator")
    make_person("Ada", "Lovelace", slug="ada")
    make_person("Grace", "Hopper", slug="grace")
    research = ResearchIndexPage.objects.get(locale__language_code="en")
    pdf = tmp_path / "costs-of-repositories.pdf"
    pdf.write_bytes(PDF)

    # The editor fills in the report, uploads its PDF, names two authors, and submits it.
    context, tab = new_tab(browser)
    signed_in(tab, seeded_site, "editor")
    tab.goto(f"{seeded_site}/admin/pages/add/pages/publicationpage/{research.pk}/")
    tab.locator("#id_title").fill("What repositories cost")
    tab.locator("#id_published_on").fill("2024-03-05")
    tab.locator("#id_abstract").fill("A study of what it costs to run a repository.")
    choose_person(tab, add_author(tab, 0), "Ada Lovelace")
    choose_person(tab, add_author(tab, 1), "Grace Hopper")
    tab.get_by_role("button", name=re.compile("Choose a document", re.I)).click()
    modal = tab.locator(".modal-dialog")
    # The chooser loads its tabs from the server: give a busy machine time.
    modal.get_by_role("tab", name="Upload").click(timeout=60_000)
    modal.locator('input[type="file"]').set_input_files(str(pdf))
    modal.get_by_label("Title*").fill("What repositories cost (PDF)")
    modal.get_by_role("button", name="Upload").click()
    modal.wait_for(state="hidden")
    tab.locator("#id_doi").fill("https://doi.org/10.5555/repo-costs")
    tab.locator("#panel-child-content-authors-section").scroll_into_view_if_needed()
    tab.evaluate("window.scrollBy(0, -60)")
    screenshot(tab, "editor-adds-a-publication")
    open_actions(tab)
    assert tab.get_by_role("button", name=re.compile("^Publish")).count() == 0
    tab.get_by_role("button", name="Submit to Moderators approval").click()
    tab.wait_for_url(re.compile(rf"/admin/pages/{research.pk}/$"))
    context.close()

    publication = PublicationPage.objects.get(title="What repositories cost")
    assert not publication.live
    draft = publication.get_latest_revision_as_object()
    assert [a.person.name for a in draft.authors.all()] == ["Ada Lovelace", "Grace Hopper"]
    assert draft.doi == "10.5555/repo-costs"

    # The moderator approves and publishes it.
    context, tab = new_tab(browser)
    signed_in(tab, seeded_site, "moderator")
    tab.goto(f"{seeded_site}/admin/pages/{publication.pk}/edit/")
    open_actions(tab)
    tab.get_by_role("button", name=re.compile(r"^Approve( and publish)?$", re.I)).click()
    tab.wait_for_url(re.compile(r"/admin/"))
    tab.wait_for_load_state()
    context.close()
    publication.refresh_from_db()
    assert publication.live

    # A reader finds it, downloads the full text and the BibTeX citation.
    context, reader = new_tab(browser)
    reader.goto(f"{seeded_site}/research/")
    reader.get_by_role("link", name="What repositories cost").click()
    reader.wait_for_url(re.compile(r"/research/what-repositories-cost/$"))
    assert reader.locator("h1").inner_text() == "What repositories cost"
    assert "Ada Lovelace and Grace Hopper" in reader.locator(".facts").inner_text()
    full_text = reader.get_by_role("link", name=re.compile("Download the full text"))
    assert "(PDF, " in full_text.inner_text()
    downloaded = context.request.get(seeded_site + full_text.get_attribute("href"))
    assert downloaded.ok and downloaded.body() == PDF
    reader.locator(".cite-box").scroll_into_view_if_needed()
    screenshot(reader, "reader-cites-a-publication")
    with reader.expect_download() as bibtex:
        reader.get_by_role("link", name=re.compile("^BibTeX")).click()
    assert bibtex.value.suggested_filename == "what-repositories-cost.bib"
    text = Path(bibtex.value.path()).read_text(encoding="utf-8")
    (entry,) = bibtexparser.parse_string(text).entries
    assert entry.fields_dict["title"].value == "What repositories cost"
    assert entry.fields_dict["author"].value == "Lovelace, Ada and Hopper, Grace"
    assert entry.fields_dict["doi"].value == "10.5555/repo-costs"
    context.close()


def test_an_editor_writes_a_tagged_news_post(seeded_site, make_user, browser, screenshot):
    make_user("editor")
    news = NewsIndexPage.objects.get(locale__language_code="en")
    context, tab = new_tab(browser)
    signed_in(tab, seeded_site, "editor")
    tab.goto(f"{seeded_site}/admin/pages/add/pages/newspage/{news.pk}/")
    tab.locator("#id_title").fill("A new round of the fund opens")
    add_author(tab, 0)
    tab.locator("#id_authors-0-organisation").fill("Invest in Open Infrastructure")
    tab.locator("#id_summary").fill("Applications are open until the end of the month.")
    # Wagtail's tag widget types into its own field and keeps the real one hidden.
    tags = tab.locator("ul.tagit input[type=text]")
    tags.fill("funding")
    tags.press("Enter")
    tags.fill("Open Infrastructure Fund")
    tags.press("Enter")
    tab.locator("#panel-child-content-body-content").get_by_role(
        "button", name="Insert a block"
    ).first.click()
    tab.get_by_role("option", name="Paragraph").first.click()
    tab.locator("#panel-child-content-body-content [contenteditable=true]").first.fill(
        "Write to us with your questions."
    )
    screenshot(tab, "editor-writes-a-news-post")
    open_actions(tab)
    tab.get_by_role("button", name="Submit to Moderators approval").click()
    tab.wait_for_url(re.compile(rf"/admin/pages/{news.pk}/$"))
    context.close()
    draft = news.get_children().get(slug="a-new-round-of-the-fund-opens")
    post = draft.specific.get_latest_revision_as_object()
    assert sorted(tag.name for tag in post.tags.all()) == ["Open Infrastructure Fund", "funding"]
    assert [a.organisation for a in post.authors.all()] == ["Invest in Open Infrastructure"]
