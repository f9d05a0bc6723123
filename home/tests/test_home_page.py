"""The overview's key activities and impact teaser."""

import re

import pytest

from conftest import build_initiatives, make_image

pytestmark = pytest.mark.django_db


def card_titles(html):
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a></h3>', html)


def test_key_activities_follow_the_editors_choice_and_order(client, site_tree, feature):
    first, second, third = site_tree.initiatives
    feature(site_tree.home, third, first)
    assert card_titles(client.get("/").content.decode()) == ["Initiative 3", "Initiative 1"]


def test_key_activities_fall_back_to_the_latest_three(client, site_tree):
    build_initiatives(site_tree.index, 2, start=4)
    html = client.get("/").content.decode()
    assert card_titles(html) == ["Initiative 5", "Initiative 4", "Initiative 3"]


def test_an_unpublished_featured_initiative_is_left_out(client, site_tree, feature):
    first, second, _ = site_tree.initiatives
    feature(site_tree.home, first, second)
    second.unpublish()
    assert card_titles(client.get("/").content.decode()) == ["Initiative 1"]


def test_impact_teaser_shows_the_impact_pages_first_highlights(client, site_tree):
    html = client.get("/").content.decode()
    teaser = html[html.index('id="impact-heading"') :]
    assert re.findall(r'<span class="highlight__figure">([^<]+)</span>', teaser) == [
        "10+",
        "Policy",
        "Cited",
    ]
    assert 'href="/impact/">More about our impact' in teaser


def test_impact_teaser_is_left_out_when_there_is_no_live_impact_page(client, site_tree):
    site_tree.impact.unpublish()
    assert 'id="impact-heading"' not in client.get("/").content.decode()


def test_hero_image_needs_alt_text_or_decorative(site_tree):
    from django.core.exceptions import ValidationError

    home = site_tree.home
    home.hero_image = make_image()
    home.hero_image_alt = ""
    with pytest.raises(ValidationError) as caught:
        home.full_clean()
    assert "hero_image_alt" in caught.value.message_dict

    home.hero_image_decorative = True
    home.full_clean()


def test_hero_image_renders_with_its_alt_text(client, site_tree):
    home = site_tree.home
    home.hero_image = make_image()
    home.hero_image_alt = "Researchers around a table"
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert 'alt="Researchers around a table"' in html and "srcset=" in html
