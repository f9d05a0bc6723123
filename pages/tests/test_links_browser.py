"""Staff add a link to the library, use it on an initiative, publish, and readers see it."""

import re

import pytest

from conftest import sign_in
from pages.links.models import Link
from pages.models import InitiativePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_add_a_link_use_it_on_an_initiative_and_readers_see_it(
    seeded_site, make_user, browser, page_in_browser
):
    make_user("administrator")
    tab = page_in_browser
    sign_in(tab, seeded_site, "administrator")

    # 1. Into the library.
    tab.goto(f"{seeded_site}/admin/snippets/pages/link/add/")
    tab.locator("#id_title").fill("Infra Finder")
    tab.locator("#id_url").fill("https://example.org/infra-finder")
    tab.get_by_role("button", name="Save").first.click()
    # Back to the library's English list (?locale=en).
    tab.wait_for_url(
        re.compile(re.escape(f"{seeded_site}/admin/snippets/pages/link/") + r"(\?.*)?$")
    )
    assert Link.objects.filter(title="Infra Finder").exists()

    # 2. Onto an initiative, through the link chooser.
    initiative = InitiativePage.objects.get(slug="research")
    tab.goto(f"{seeded_site}/admin/pages/{initiative.pk}/edit/")
    stream = tab.locator("#related_links-root")
    stream.locator("button.c-sf-add-button").last.click()
    stream.get_by_role("button", name="Choose link").last.click()
    tab.locator(".modal").get_by_role("link", name="Infra Finder").click()
    tab.locator(".modal").wait_for(state="hidden")

    # 3. Publish.
    tab.locator("footer .w-dropdown__toggle").first.click()
    tab.get_by_role("button", name="Publish").click()
    tab.wait_for_url(f"{seeded_site}/admin/pages/{initiative.get_parent().pk}/")

    reader = browser.new_context()
    public = reader.new_page()
    public.goto(f"{seeded_site}{initiative.url}")
    links = public.locator(".related-links a")
    found = dict(
        zip(
            links.all_inner_texts(),
            [links.nth(i).get_attribute("href") for i in range(links.count())],
            strict=True,
        )
    )
    reader.close()
    assert found["Infra Finder"] == "https://example.org/infra-finder"
