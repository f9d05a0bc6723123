"""What editors meet in the admin: every field explained, every page type editable."""

import pytest
from django.apps import apps
from wagtail.models import Page

# The models editors fill in, with the fields they meet.
EDITED_MODELS = [
    "home.HomePage",
    "home.FeaturedInitiative",
    "pages.InitiativeIndexPage",
    "pages.InitiativePage",
    "pages.ImpactPage",
    "pages.ImpactHighlight",
    "pages.ContactPage",
    "pages.StandardPage",
    "pages.OrganisationSettings",
    "pages.ResearchIndexPage",
    "pages.PublicationPage",
    "pages.PublicationAuthor",
    "pages.NewsIndexPage",
    "pages.NewsPage",
    "pages.NewsAuthor",
    "pages.PeopleIndexPage",
    "pages.Person",
    "catalogue.CatalogueIndexPage",
    "catalogue.CatalogueEntryPage",
    "catalogue.EntryPolicy",
    "catalogue.Term",
]
# Bookkeeping fields editors never fill in.
NOT_EDITED = {"id", "page", "sort_order", "page_ptr"}


@pytest.mark.parametrize("label", EDITED_MODELS)
def test_every_field_an_editor_fills_in_has_help_text(label):
    model = apps.get_model(label)
    page_fields = {f.name for f in Page._meta.get_fields()}
    missing = [
        field.name
        for field in model._meta.get_fields()
        if field.concrete
        and field.name not in NOT_EDITED
        and field.name not in page_fields  # Wagtail's own, already explained
        and not field.help_text
    ]
    assert not missing, f"{label}: add help_text to {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "attribute", ["home", "index", "impact", "contact", "about", "research", "news", "people"]
)
def test_editor_can_open_each_page_type_in_the_editor(admin_client, site_tree, attribute):
    page = getattr(site_tree, attribute)
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert page.title.encode() in response.content


@pytest.mark.django_db
def test_editor_can_open_an_initiative_in_the_editor(admin_client, site_tree):
    initiative = site_tree.initiatives[0]
    response = admin_client.get(f"/admin/pages/{initiative.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    # Panels in the order an editor thinks in: what it is, where it stands, then the story.
    order = [html.index(label) for label in ("Summary", "Status and dates", "Hero image", "Body")]
    assert order == sorted(order)


@pytest.mark.django_db
def test_editor_can_open_a_publication_and_a_post_in_the_editor(admin_client, site_tree):
    publication = site_tree.publications[0]
    html = admin_client.get(f"/admin/pages/{publication.pk}/edit/").content.decode()
    # What it is, who wrote it, what it says, then how to find and cite it.
    order = [
        html.index(label)
        for label in ("Type and date", "Authors", "Abstract", "Identifiers and licence", "Body")
    ]
    assert order == sorted(order)
    post = site_tree.posts[0]
    html = admin_client.get(f"/admin/pages/{post.pk}/edit/").content.decode()
    order = [html.index(label) for label in ("Authors", "Summary", "Tags", "Body", "Related")]
    assert order == sorted(order)


@pytest.mark.django_db
def test_people_are_kept_under_snippets(admin_client):
    response = admin_client.get("/admin/snippets/pages/person/add/")
    assert response.status_code == 200
    assert "ORCID iD" in response.content.decode()
    response = admin_client.post(
        "/admin/snippets/pages/person/add/",
        {
            "given_names": "Ada",
            "family_name": "Lovelace",
            "orcid": "https://orcid.org/0000-0002-1825-0097",
        },
    )
    assert response.status_code == 302
    from pages.people.models import Person

    ada = Person.objects.get()
    assert (ada.slug, ada.orcid) == ("ada-lovelace", "0000-0002-1825-0097")
