"""The catalogue in a real browser (Debian's Chromium through Playwright), on the seeded site: a
reader with the keyboard alone and JavaScript off filters, adds three entries to compare and
opens the comparison; axe finds nothing on its pages in English and Spanish; an editor adds an
entry with a new licence, a moderator publishes it, and it is in the counts, download and API."""

import csv
import io
import re

import pytest

from conftest import audit_pages, signed_in
from pages.catalogue.models import CatalogueEntryPage, CatalogueIndexPage, Term
from pages.tests.test_moderation_browser import new_tab, open_actions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_csp_violations"),
]


def tab_to(tab, accessible_text, most=400):
    """Press Tab until the focused element's text starts with `accessible_text`."""
    for _ in range(most):
        tab.keyboard.press("Tab")
        text = tab.evaluate("document.activeElement && document.activeElement.textContent")
        if text and " ".join(text.split()).startswith(accessible_text):
            return
    raise AssertionError(f"Tab never reached {accessible_text!r}")


def test_a_keyboard_reader_filters_adds_three_and_compares_without_javascript(seeded_site, browser):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{seeded_site}/catalogue/")
    tab_to(tab, "Publishing system (")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "category=publishing-system" in tab.url
    for name in ("Janeway", "Manifold", "Open Journal Systems"):
        tab_to(tab, f"Add to compare: {name}")
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
    assert len(re.findall(r"[?&]e=", tab.url)) == 3
    tab_to(tab, "Compare them")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "/catalogue/compare/?" in tab.url
    tables = tab.locator("table")
    assert tables.count() == 8
    for n in range(tables.count()):
        assert tables.nth(n).locator('th[scope="col"]').count() == 3
    assert tab.locator("h1").count() == 1
    context.close()


@pytest.mark.same_on_every_database  # the markup and styles axe audits
def test_axe_finds_nothing_on_the_catalogue_in_english_and_spanish(seeded_site, browser):
    two = "e=zenodo&e=dspace"
    four = "e=zenodo&e=dspace&e=dataverse&e=invenio-rdm"
    paths = []
    for base, compare, funding, suggest in (
        ("/catalogue/", "compare", "funding-needs", "suggest/"),
        ("/es/catalogo/", "comparar", "necesidades-de-financiacion", "sugerir/"),
    ):
        paths += [
            f"{base}?category=repository-software&sort=relied-on",
            f"{base}zenodo/",
            f"{base}{compare}/?{two}",
            f"{base}{compare}/?{four}",
            f"{base}{funding}/",
            f"{base}{suggest}",
        ]

    def check(path, response, tab):
        assert response.status == 200, path
        assert tab.locator("h1").count() == 1, path

    assert not audit_pages(browser, seeded_site, paths, check=check)


def test_an_editor_adds_an_entry_with_a_new_licence_and_a_moderator_publishes_it(
    seeded_site, make_user, browser
):
    make_user("editor")
    make_user("moderator")
    index = CatalogueIndexPage.objects.get(locale__language_code="en")

    context, tab = new_tab(browser)
    signed_in(tab, seeded_site, "editor")
    # A new licence, as data.
    tab.goto(f"{seeded_site}/admin/snippets/catalogue/term/add/")
    tab.locator("#id_vocabulary").select_option("licence")
    tab.locator("#id_name").fill("EUPL 1.2")
    tab.locator("#id_slug").fill("eupl-1-2")
    tab.get_by_role("button", name=re.compile("^Save")).click()
    tab.wait_for_url(re.compile(r"/admin/snippets/catalogue/term/"))
    licence = Term.objects.get(slug="eupl-1-2")

    # The entry, with that licence, submitted for moderation.
    tab.goto(f"{seeded_site}/admin/pages/add/catalogue/catalogueentrypage/{index.pk}/")
    tab.locator("#id_title").fill("Lodestar")
    tab.locator("#id_provider").fill("The Lodestar Collective")
    tab.locator("#id_summary").fill("A test service.")
    tab.locator("#id_code_licences").select_option(str(licence.pk))
    open_actions(tab)
    assert tab.get_by_role("button", name=re.compile("^Publish")).count() == 0
    tab.get_by_role("button", name="Submit to Moderators approval").click()
    tab.wait_for_url(re.compile(rf"/admin/pages/{index.pk}/$"))
    context.close()
    entry = CatalogueEntryPage.objects.get(title="Lodestar")
    assert not entry.live

    context, tab = new_tab(browser)
    signed_in(tab, seeded_site, "moderator")
    tab.goto(f"{seeded_site}/admin/pages/{entry.pk}/edit/")
    open_actions(tab)
    tab.get_by_role("button", name=re.compile(r"^Approve( and publish)?$", re.I)).click()
    tab.wait_for_url(re.compile(r"/admin/"))
    tab.wait_for_load_state()
    context.close()
    entry.refresh_from_db()
    assert entry.live

    context, reader = new_tab(browser)
    reader.goto(f"{seeded_site}/catalogue/")
    assert reader.get_by_role("link", name=re.compile(r"^EUPL 1\.2 \(1\)")).count() == 1
    download = context.request.get(f"{seeded_site}/catalogue/catalogue.csv").text()
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(download))}
    assert rows["lodestar"]["code_licences"] == "eupl-1-2"
    api = context.request.get(
        f"{seeded_site}/api/v2/pages/?type=catalogue.CatalogueEntryPage&slug=lodestar"
        "&fields=catalogue_record"
    ).json()
    assert api["items"][0]["catalogue_record"]["code_licences"] == ["eupl-1-2"]
    context.close()
