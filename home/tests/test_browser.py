"""In a real browser (Debian's Chromium through Playwright): an editor's journey through the admin,
and axe-core's accessibility audit of the public pages."""

import pytest

from conftest import audit_pages, signed_in, watch_csp
from pages.models import ImpactPage

# Transactional: the live server's thread must see what the test writes.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_changes_an_impact_highlight_and_the_public_sees_it_once_published(
    seeded_site, make_user, browser, page_in_browser
):
    tab = page_in_browser
    impact = ImpactPage.objects.get(locale__language_code="en")
    make_user("administrator")
    signed_in(tab, seeded_site, "administrator")

    tab.goto(f"{seeded_site}/admin/pages/{impact.pk}/edit/")
    figure = tab.locator('input[name="highlights-0-figure"]')
    assert figure.input_value() == "Policy"
    figure.fill("12 policies")
    tab.locator("footer .w-dropdown__toggle").first.click()
    tab.get_by_role("button", name="Publish").click()
    tab.wait_for_url(f"{seeded_site}/admin/pages/{impact.get_parent().pk}/")

    reader = browser.new_context()
    public = reader.new_page()
    public.goto(f"{seeded_site}/impact/")
    figures = public.locator(".highlight__figure").all_inner_texts()
    reader.close()
    assert figures == ["12 policies", "10+", "Cited"]


PUBLIC_PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/strategic-support/",
    "/impact/",
    "/contact/",
    "/about/",
    "/accessibility/",
    "/privacy/",
    "/resources/",
    "/resources/?category=reports",
    "/research/",
    "/research/?type=report&year=2024",
    "/research/state-of-open-infrastructure-2025/",
    "/news/",
    "/news/?tag=funding",
    "/news/infra-finder/",
    "/people/",
    "/no-such-page/",
]


@pytest.mark.same_on_every_database  # the markup and styles axe audits
def test_axe_finds_no_accessibility_violations_on_the_public_pages(seeded_site, browser):
    assert audit_pages(browser, seeded_site, PUBLIC_PAGES) == ""


def test_keyboard_user_skips_to_the_content_and_sees_where_focus_is(seeded_site, page_in_browser):
    tab = page_in_browser
    tab.goto(f"{seeded_site}/impact/")
    tab.keyboard.press("Tab")
    skip = tab.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0  # shown on focus, not off-screen
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"

    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"


def test_site_works_without_javascript(seeded_site, browser):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{seeded_site}/")
    tab.get_by_role("navigation", name="Main").get_by_role("link", name="Our work").click()
    tab.get_by_role("link", name="Research on open infrastructure").click()
    heading = tab.get_by_role("heading", level=1).inner_text()
    context.close()
    assert heading == "Research on open infrastructure"


def test_the_impact_charts_draw_without_script_and_stay_legible_on_a_phone(seeded_site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    tab = context.new_page()
    refused = []
    watch_csp(tab, refused)
    tab.goto(f"{seeded_site}/impact/")
    charts = tab.locator("svg.chart-svg")
    assert charts.count() >= 2
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    for n in range(charts.count()):
        chart = charts.nth(n)
        box = chart.bounding_box()
        assert box["width"] <= 390 and box["height"] > 100
        # Bars take the site's colour from its stylesheet, since pygal's own styles are gone.
        assert chart.locator(".rect, .line").first.evaluate("el => getComputedStyle(el).fill") in (
            "rgb(11, 79, 108)",
            "none",
        )
        sizes = chart.locator("text").evaluate_all(
            "els => els.map(el => el.getBoundingClientRect().height)"
        )
        assert min(sizes) >= 11, sizes  # about 12 px text on a 390 px screen
    table = tab.locator(".dataset__table").first
    assert not table.locator("table").is_visible()
    table.locator("summary").click()
    assert table.locator("table").is_visible()
    context.close()
    assert not refused, refused


def test_editor_changes_a_figure_in_a_dataset_and_readers_get_the_new_chart_and_file(
    seeded_site, make_user, browser, page_in_browser
):
    tab = page_in_browser
    impact = ImpactPage.objects.get(locale__language_code="en")
    make_user("administrator")
    signed_in(tab, seeded_site, "administrator")
    tab.goto(f"{seeded_site}/admin/pages/{impact.pk}/edit/")

    def publish():
        tab.locator("footer .w-dropdown__toggle").first.click()
        tab.get_by_role("button", name="Publish").click()

    # Two datasets with one address: refused, with what the editor typed kept.
    second_slug = tab.locator('input[name="datasets-1-value-slug"]')
    second_slug.fill("soi-grants-tracked")
    cell = tab.locator('input[name="datasets-0-value-data-cell-1-1"]')
    assert cell.input_value() == "641"
    cell.fill("650")
    publish()
    tab.get_by_text("Dataset 1 already uses 'soi-grants-tracked'.").wait_for()
    assert tab.locator('input[name="datasets-0-value-data-cell-1-1"]').input_value() == "650"

    tab.locator('input[name="datasets-1-value-slug"]').fill("soi-funding-tracked")
    publish()
    tab.wait_for_url(f"{seeded_site}/admin/pages/{impact.get_parent().pk}/")

    reader = browser.new_context()
    public = reader.new_page()
    public.goto(f"{seeded_site}/impact/")
    chart = public.locator("#dataset-soi-grants-tracked svg")
    assert "650" in chart.inner_html()
    csv_text = public.request.get(f"{seeded_site}/impact/data/soi-grants-tracked.csv").text()
    reader.close()
    assert "2025 edition,650" in csv_text
