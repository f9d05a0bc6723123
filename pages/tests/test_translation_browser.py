"""Translating a page in a real browser (Debian's Chromium through Playwright): an editor submits
an initiative for translation into Spanish, a translator translates every segment in
wagtail-localize's translation editor and submits it for moderation, a moderator approves it,
and a reader switches to it from the English page; then the English page changes and the
dashboard lists the Spanish translation as out of date until it is synced.

The screenshots illustrate docs/editors.md, "Translate a page" (`make screenshots`)."""

import re

import pytest
from wagtail.models import Page

from conftest import add_page, axe_violations, paragraph, sign_in, signed_in
from pages.models import InitiativeIndexPage, InitiativePage
from pages.tests.test_moderation_browser import new_tab, open_actions
from pages.tests.translating import spanish

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_csp_violations"),
]

# The translator's words for each English string of the initiative, slug included.
SPANISH = {
    "Community audit fund": "Fondo de auditorías comunitarias",
    "community-audit-fund": "fondo-de-auditorias-comunitarias",
    "Small grants for communities that audit the infrastructure they rely on.": (
        "Pequeñas ayudas para que las comunidades auditen la infraestructura de la que dependen."
    ),
    "How the fund works, and who may apply.": "Cómo funciona el fondo y quién puede solicitarlo.",
}


def an_english_initiative():
    index = InitiativeIndexPage.objects.get(locale__language_code="en")
    page = add_page(
        index,
        InitiativePage,
        title="Community audit fund",
        slug="community-audit-fund",
        summary="Small grants for communities that audit the infrastructure they rely on.",
        status="active",
        body=[paragraph("<p>How the fund works, and who may apply.</p>")],
    )
    page.save_revision().publish()
    return page


def translate_every_segment(tab):
    """In the translation editor: every tab, every segment still untranslated (the editor marks
    each `li.incomplete`), in the translator's words."""
    tabs = tab.get_by_role("tab")
    for n in range(max(tabs.count(), 1)):
        if tabs.count():
            tabs.nth(n).click()
        segments = tab.locator("li.incomplete").locator("visible=true")
        while segments.count():
            segment = segments.first
            text = segment.inner_text()
            english = max((e for e in SPANISH if e in text), key=len, default=None)
            assert english, f"a segment the test has no Spanish for: {text!r}"
            segment.get_by_role("button", name="Translate", exact=True).click()
            segment.locator("textarea").fill(SPANISH[english])
            segment.get_by_role("button", name="Save", exact=True).click()
            tab.locator("li.complete", has_text=SPANISH[english]).first.wait_for()


def test_an_initiative_is_translated_moderated_switched_to_and_marked_out_of_date(
    seeded_site, make_user, browser, screenshot
):
    for role in ("editor", "translator", "moderator"):
        make_user(role)
    english = an_english_initiative()

    # The editor submits it for translation into Spanish.
    context, tab = new_tab(browser)
    signed_in(tab, seeded_site, "editor")
    tab.goto(f"{seeded_site}/admin/pages/{english.get_parent().pk}/")
    row = tab.locator("tr", has_text="Community audit fund")
    row.get_by_role("button", name=re.compile("More options")).click()
    tab.get_by_role("link", name="Translate this page").click()
    tab.wait_for_url(re.compile(r"/admin/localize/submit/page/"))
    tab.get_by_label("Español").check()
    screenshot(tab, "translate-submit-for-translation")
    tab.get_by_role("button", name=re.compile("^Submit")).click()
    tab.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    context.close()

    spanish_page = Page.objects.get(translation_key=english.translation_key, locale=spanish())
    assert not spanish_page.live

    # The translator translates every segment, the slug included, then submits it.
    context, tab = new_tab(browser)
    signed_in(tab, seeded_site, "translator")
    tab.goto(f"{seeded_site}/admin/pages/{spanish_page.pk}/edit/")
    tab.locator(".js-translation-editor").wait_for()
    translate_every_segment(tab)
    tab.get_by_role("tab").first.click()
    screenshot(tab, "translate-in-the-translation-editor")
    tab.goto(f"{seeded_site}/admin/pages/{spanish_page.get_parent().pk}/")
    row = tab.locator("tr", has_text=SPANISH["Community audit fund"])
    row.get_by_role("button", name=re.compile("More options")).click()
    submit = tab.get_by_role("link", name="Submit translation to Moderators approval")
    submit.wait_for()
    menu = tab.locator(".tippy-box[data-state='visible']")
    menu.evaluate("box => Promise.all(box.getAnimations().map(a => a.finished))")
    screenshot(tab, "translate-submit-for-moderation")
    submit.click()
    tab.wait_for_url(re.compile(r"/admin/translations/page/\d+/submit/"))
    tab.get_by_role("button", name="Submit to Moderators approval").click()
    tab.get_by_text("has been submitted to Moderators approval").wait_for()
    context.close()

    spanish_page.refresh_from_db()
    assert spanish_page.workflow_in_progress and not spanish_page.live

    # The moderator approves it from the dashboard.
    context, tab = new_tab(browser)
    sign_in(tab, seeded_site, "moderator")
    review = tab.locator("section", has_text="Awaiting your review")
    row = review.locator("tr", has_text=SPANISH["Community audit fund"])
    row.get_by_role("button", name="Actions").click()
    menu = tab.locator(".tippy-box[data-state='visible']")
    menu.wait_for()
    menu.evaluate("box => Promise.all(box.getAnimations().map(a => a.finished))")
    screenshot(tab, "translate-moderator-dashboard")
    menu.get_by_role("button", name="Approve", exact=True).click()
    row.wait_for(state="detached")
    context.close()

    spanish_page.refresh_from_db()
    assert spanish_page.live and spanish_page.title == SPANISH["Community audit fund"]
    assert spanish_page.slug == SPANISH["community-audit-fund"]

    # A reader on the English page follows the switcher to the Spanish one.
    context, tab = new_tab(browser)
    tab.goto(f"{seeded_site}{english.url}")
    tab.locator("nav.language-switcher a[hreflang=es]").click()
    tab.wait_for_url(re.compile(r"/es/.*fondo-de-auditorias-comunitarias/$"))
    assert tab.locator("html").get_attribute("lang") == "es"
    assert tab.locator("h1").inner_text().strip() == SPANISH["Community audit fund"]
    assert axe_violations(tab) == ""
    screenshot(tab, "translate-spanish-page")
    context.close()

    # The English page changes and is published: the translation is out of date.
    context, tab = new_tab(browser)
    signed_in(tab, seeded_site, "moderator")
    tab.goto(f"{seeded_site}/admin/pages/{english.pk}/edit/")
    tab.locator("#id_summary").fill("Grants for communities that audit their infrastructure.")
    open_actions(tab)
    tab.get_by_role("button", name=re.compile("^Publish")).click()
    tab.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    context.close()

    context, tab = new_tab(browser)
    sign_in(tab, seeded_site, "translator")
    panel = tab.locator("section", has_text="Translations out of date")
    panel.get_by_text(SPANISH["Community audit fund"]).wait_for()
    screenshot(tab, "translate-out-of-date-panel")
    panel.get_by_role("link", name=re.compile("^Sync ")).first.click()
    tab.wait_for_url(re.compile(r"/admin/localize/update/"))
    screenshot(tab, "translate-sync")
    tab.get_by_role("button", name="Submit").click()
    tab.wait_for_url(f"{seeded_site}/admin/")
    assert (
        tab.locator("section", has_text="Translations out of date")
        .get_by_text(SPANISH["Community audit fund"])
        .count()
        == 0
    )
    context.close()
