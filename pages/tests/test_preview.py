"""Preview works for every page type, for a new page with nothing but a title and for a saved
page whose fields an editor has emptied: Wagtail lets a draft be saved with required fields
still blank, so the templates must render one."""

import pytest
from django.db.models import Model
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

PAGE_TYPES = sorted(
    (m for m in get_page_models() if m is not Page), key=lambda m: m._meta.label_lower
)


def bare_form_data(page_class, title, slug):
    """Only a title and a slug: every stream empty, every inline list empty, everything else
    left out as a browser would send an untouched form."""
    form_class = page_class.get_edit_handler().get_form_class()
    data = {"title": title, "slug": slug}
    for field in page_class._meta.get_fields():
        if isinstance(field, StreamField) and field.name in form_class.base_fields:
            data[field.name] = streamfield([])
    for name in form_class.formsets:
        data[name] = inline_formset([])
    return nested_form_data(data)


def parent_for(page_class, site_tree):
    allowed = page_class.allowed_parent_page_models()
    candidates = (site_tree.home, site_tree.index, site_tree.research, site_tree.news)
    for candidate in (*candidates, Page.get_first_root_node()):
        if any(isinstance(candidate.specific, model) for model in allowed if model is not Page):
            return candidate
    return Page.get_first_root_node()


@pytest.mark.django_db
@pytest.mark.parametrize("page_class", PAGE_TYPES, ids=lambda m: m.__name__)
def test_a_new_page_with_only_a_title_previews(client, make_user, site_tree, page_class):
    client.force_login(make_user("editor"))
    parent = parent_for(page_class, site_tree)
    meta = page_class._meta
    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=[meta.app_label, meta.model_name, parent.pk]
    )

    response = client.post(url, bare_form_data(page_class, "Half-written page", "half-written"))
    assert response.json() == {"is_valid": True, "is_available": True}

    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Half-written page" in html


@pytest.mark.django_db
@pytest.mark.parametrize("attribute", ["home", "index", "impact", "contact", "about"])
def test_an_emptied_page_previews_on_edit(client, make_user, site_tree, attribute):
    page = getattr(site_tree, attribute).specific
    client.force_login(make_user("editor"))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])

    data = bare_form_data(type(page), "Emptied page", page.slug)
    response = client.post(url, data)
    assert response.json() == {"is_valid": True, "is_available": True}

    response = client.get(url)
    assert response.status_code == 200
    assert "Emptied page" in response.content.decode()


@pytest.mark.django_db
def test_an_emptied_initiative_previews_on_edit(client, make_user, site_tree):
    initiative = site_tree.initiatives[0]
    client.force_login(make_user("editor"))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[initiative.pk])
    response = client.post(url, bare_form_data(type(initiative), "Emptied", initiative.slug))
    assert response.json()["is_valid"] is True
    response = client.get(url)
    assert response.status_code == 200
    assert "Emptied" in response.content.decode()


def test_every_page_type_is_covered():
    assert {m.__name__ for m in PAGE_TYPES} >= {
        "HomePage",
        "InitiativeIndexPage",
        "InitiativePage",
        "ImpactPage",
        "ContactPage",
        "StandardPage",
        "ResourcesPage",
    }
    assert all(issubclass(m, Model) for m in PAGE_TYPES)
