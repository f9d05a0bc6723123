"""Editors can only build a valid tree: each page type under its allowed parents, nowhere else."""

import pytest
from django.apps import apps
from wagtail.models import Page

# (page type, the parents it may go under); every other page type is refused.
ALLOWED_PARENTS = {
    "home.HomePage": {"wagtailcore.Page"},
    "pages.InitiativeIndexPage": {"home.HomePage"},
    "pages.InitiativePage": {"pages.InitiativeIndexPage"},
    "pages.ImpactPage": {"home.HomePage"},
    "pages.ContactPage": {"home.HomePage"},
    "pages.StandardPage": {"home.HomePage", "pages.StandardPage"},
    "pages.ResearchIndexPage": {"home.HomePage"},
    "pages.PublicationPage": {"pages.ResearchIndexPage"},
    "pages.NewsIndexPage": {"home.HomePage"},
    "pages.NewsPage": {"pages.NewsIndexPage"},
    "pages.PeopleIndexPage": {"home.HomePage"},
}


def label(model):
    return f"{model._meta.app_label}.{model.__name__}"


@pytest.fixture
def parents(site_tree):
    """One instance of every page type that can be a parent, plus the tree's root."""
    root = Page.get_first_root_node()
    return {
        "wagtailcore.Page": root,
        "home.HomePage": site_tree.home,
        "pages.InitiativeIndexPage": site_tree.index,
        "pages.InitiativePage": site_tree.initiatives[0],
        "pages.ImpactPage": site_tree.impact,
        "pages.ContactPage": site_tree.contact,
        "pages.StandardPage": site_tree.about,
        "pages.ResearchIndexPage": site_tree.research,
        "pages.PublicationPage": site_tree.publications[0],
        "pages.NewsIndexPage": site_tree.news,
        "pages.NewsPage": site_tree.posts[0],
        "pages.PeopleIndexPage": site_tree.people,
    }


@pytest.mark.parametrize("child_label", sorted(ALLOWED_PARENTS))
def test_page_type_is_creatable_only_under_its_allowed_parents(parents, child_label):
    child = apps.get_model(child_label)
    for parent_label, parent in parents.items():
        # The one-per-site types already exist in the tree; check the type rule, not the count.
        allowed = child in parent.specific_class.allowed_subpage_models() and (
            parent_label in {label(m) for m in child.allowed_parent_page_models()}
        )
        expected = parent_label in ALLOWED_PARENTS[child_label]
        assert allowed is expected, f"{child_label} under {parent_label}"


@pytest.mark.parametrize(
    ("child_label", "parent_label", "expected"),
    [
        ("pages.InitiativePage", "pages.InitiativeIndexPage", True),
        ("pages.InitiativePage", "home.HomePage", False),
        ("pages.StandardPage", "home.HomePage", True),
        ("pages.StandardPage", "pages.InitiativeIndexPage", False),
        ("home.HomePage", "home.HomePage", False),
        ("pages.PublicationPage", "pages.ResearchIndexPage", True),
        ("pages.PublicationPage", "pages.NewsIndexPage", False),
        ("pages.NewsPage", "pages.NewsIndexPage", True),
        ("pages.NewsPage", "home.HomePage", False),
        # One of each per site, and the test site has one already.
        ("pages.ResearchIndexPage", "home.HomePage", False),
        ("pages.NewsIndexPage", "home.HomePage", False),
    ],
)
def test_can_create_at_gives_the_admin_its_answer(parents, child_label, parent_label, expected):
    assert apps.get_model(child_label).can_create_at(parents[parent_label]) is expected


def test_impact_and_contact_pages_are_one_per_site(parents):
    from pages.models import ContactPage, ImpactPage

    assert not ImpactPage.can_create_at(parents["home.HomePage"])
    assert not ContactPage.can_create_at(parents["home.HomePage"])


def test_admin_refuses_to_add_a_page_under_a_wrong_parent(admin_client, parents):
    home = parents["home.HomePage"]
    url = f"/admin/pages/add/pages/initiativepage/{home.pk}/"
    before = Page.objects.count()

    shown = admin_client.get(url)
    posted = admin_client.post(url, {"title": "Misplaced", "slug": "misplaced", "summary": "x"})

    # Wagtail answers a refused action by sending the editor back to the dashboard.
    assert (shown.status_code, shown["Location"]) == (302, "/admin/")
    assert (posted.status_code, posted["Location"]) == (302, "/admin/")
    assert Page.objects.count() == before


def test_admin_offers_an_initiative_under_the_index(admin_client, parents):
    index = parents["pages.InitiativeIndexPage"]
    response = admin_client.get(f"/admin/pages/add/pages/initiativepage/{index.pk}/")
    assert response.status_code == 200
    assert b"Summary" in response.content
