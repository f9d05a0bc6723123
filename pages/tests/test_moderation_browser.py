"""The editorial journey in a real browser (Debian's Chromium through Playwright): an editor
changes the impact page and submits it, a moderator approves it, a scheduled page goes live when
`publish_scheduled` runs, and Wagtail's own content checker passes the seeded pages.

The screenshots these tests take illustrate docs/editors.md (`make screenshots`)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from conftest import CSP_VIOLATIONS, add_page, sign_in, signed_in, watch_csp
from pages.models import ImpactPage, StandardPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_csp_violations"),
]


def new_tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    watch_csp(tab, CSP_VIOLATIONS)
    return context, tab


def public_figures(browser, base_url):
    context, tab = new_tab(browser)
    tab.goto(f"{base_url}/impact/")
    figures = tab.locator(".highlight__figure").all_inner_texts()
    context.close()
    return figures


def open_actions(tab):
    tab.locator("footer .w-dropdown__toggle").first.click()
    menu = tab.locator(".tippy-box[data-state='visible']")
    menu.wait_for()
    # The menu fades in: the screenshot shows it once its transitions have finished.
    menu.evaluate("box => Promise.all(box.getAnimations().map(a => a.finished))")


def test_an_editor_submits_a_change_and_the_public_sees_it_only_after_a_moderator_approves(
    seeded_site, make_user, browser, screenshot
):
    make_user("editor")
    make_user("moderator")
    impact = ImpactPage.objects.get(locale__language_code="en")
    before = public_figures(browser, seeded_site)
    assert before[0] == "Policy"

    # The editor changes a highlight and can only submit it.
    context, tab = new_tab(browser)
    sign_in(tab, seeded_site, "editor")
    assert tab.get_by_role("link", name="Messages").count() == 0
    tab.goto(f"{seeded_site}/admin/pages/{impact.pk}/edit/")
    tab.locator('input[name="highlights-0-figure"]').fill("12 policies")
    screenshot(tab, "editor-edits-a-page")
    open_actions(tab)
    assert tab.get_by_role("button", name=re.compile("^Publish")).count() == 0
    submit = tab.get_by_role("button", name="Submit to Moderators approval")
    assert submit.is_visible()
    screenshot(tab, "editor-submits-for-moderation")
    submit.click()
    tab.wait_for_url(f"{seeded_site}/admin/pages/{impact.get_parent().pk}/")
    context.close()

    assert public_figures(browser, seeded_site) == before

    # The moderator finds it on the dashboard and approves it.
    context, tab = new_tab(browser)
    sign_in(tab, seeded_site, "moderator")
    review = tab.locator("section", has_text="Awaiting your review")
    review.get_by_role("link", name="Our impact").first.wait_for()
    screenshot(tab, "moderator-dashboard")
    tab.goto(f"{seeded_site}/admin/pages/{impact.pk}/edit/")
    open_actions(tab)
    screenshot(tab, "moderator-approves")
    tab.get_by_role("button", name=re.compile(r"^Approve( and publish)?$", re.I)).click()
    tab.wait_for_url(re.compile(r"/admin/"))
    tab.wait_for_load_state()
    context.close()

    assert public_figures(browser, seeded_site)[0] == "12 policies"


def test_a_scheduled_page_goes_live_when_publish_scheduled_runs_after_its_time(
    seeded_site, make_user, browser, screenshot
):
    make_user("moderator")
    home = StandardPage.objects.get(slug="about").get_parent()
    page = add_page(
        home,
        StandardPage,
        title="Annual report",
        slug="annual-report",
        introduction="Our year in review.",
        live=False,
    )
    page.save_revision()
    go_live = (timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0)

    context, tab = new_tab(browser)
    signed_in(tab, seeded_site, "moderator")
    tab.goto(f"{seeded_site}/admin/pages/{page.pk}/edit/")
    tab.get_by_role("button", name="Toggle status").click()
    tab.get_by_role("button", name="Set schedule").click()
    go_live_field = tab.locator("#id_go_live_at")
    go_live_field.fill(timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"))
    screenshot(tab, "moderator-sets-a-schedule")
    # From the keyboard: the open date picker covers the button from a pointer.
    tab.get_by_role("button", name="Save schedule").press("Enter")
    tab.wait_for_load_state()
    open_actions(tab)
    tab.get_by_role("button", name="Schedule to publish").click()
    tab.wait_for_url(f"{seeded_site}/admin/pages/{home.pk}/")
    context.close()

    page.refresh_from_db()
    assert not page.live
    assert page.scheduled_revision.approved_go_live_at == go_live

    reader_context, reader = new_tab(browser)
    assert reader.goto(f"{seeded_site}/annual-report/").status == 404
    call_command("publish_scheduled")  # before its time: nothing happens
    assert reader.goto(f"{seeded_site}/annual-report/").status == 404

    with time_machine.travel(go_live + timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    response = reader.goto(f"{seeded_site}/annual-report/")
    assert response.status == 200
    assert "Our year in review." in reader.content()
    reader_context.close()


SEEDED_PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/strategic-support/",
    "/initiatives/research/",
    "/initiatives/collaboration/",
    "/impact/",
    "/contact/",
    "/about/",
    "/accessibility/",
    "/privacy/",
    "/resources/",
    "/research/",
    "/research/state-of-open-infrastructure-2025/",
    "/research/future-of-open-scholarship/",
    "/news/",
    "/news/open-infrastructure-fund-pilot/",
    "/people/",
]

CHECKER_COUNT = """() => {
  const bar = document.querySelector('wagtail-userbar');
  const count = bar && bar.shadowRoot &&
    bar.shadowRoot.querySelector('#checker-trigger [data-content-checker-count]');
  return count && count.textContent.trim() !== '' ? count.textContent.trim() : null;
}"""


def test_wagtails_content_checker_finds_no_issue_on_the_seeded_pages(
    seeded_site, make_user, browser
):
    """The userbar's checker (axe-core with Wagtail's editorial rules: heading order, empty
    headings and links, paragraphs styled as headings, alt text patterns, meta description)
    runs on every page an editor views; each count must be 0."""
    make_user("editor")
    context, tab = new_tab(browser)
    signed_in(tab, seeded_site, "editor")
    problems = {}
    for path in SEEDED_PAGES:
        tab.goto(f"{seeded_site}{path}")
        count = tab.wait_for_function(CHECKER_COUNT).json_value()
        if count != "0":
            tab.locator("wagtail-userbar #wagtail-userbar-trigger").click()
            tab.locator("wagtail-userbar #checker-trigger").click()
            problems[path] = tab.locator("wagtail-userbar #checker-results").inner_text()
    context.close()
    assert not problems, problems
