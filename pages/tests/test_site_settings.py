"""The organisation's details are edited once, in settings, and appear in the footer."""

import re

import pytest
from wagtail.test.utils.form_data import nested_form_data, streamfield

pytestmark = pytest.mark.django_db


def footer(client, url="/"):
    html = client.get(url).content.decode()
    return re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1)


def wording():
    from pages.models import OrganisationWording

    return OrganisationWording.objects.get(locale__language_code="en")


def test_footer_shows_the_settings(client, site_tree, organisation):
    english = wording()
    english.footer_links = [
        {"type": "link", "value": {"page": site_tree.about.pk, "url": "", "title": "About us"}}
    ]
    english.save()

    html = footer(client, "/impact/")

    assert "Invest in Open Infrastructure" in html
    assert '<a href="mailto:info@investinopen.org">info@investinopen.org</a>' in html
    assert (
        '<a href="https://share.investinopen.org/newsletter">Sign up for the newsletter</a>' in html
    )
    assert '<a href="https://example.social/@ioi" rel="me">Mastodon</a>' in html
    assert '<a href="/about/">About us</a>' in html
    assert "Content licensed CC BY 4.0." in html


def test_a_change_in_settings_shows_on_the_next_page_view(client, site_tree, organisation):
    organisation.contact_email = "hello@example.org"
    organisation.save()
    english = wording()
    english.tagline = "A new line"
    english.save()
    html = client.get("/about/").content.decode()
    assert "hello@example.org" in html and "info@investinopen.org" not in html
    assert '<span class="site-name__tagline">A new line</span>' in html


def test_footer_leaves_out_what_is_not_set(client, site_tree):
    html = footer(client)
    assert "mailto:" not in html and "newsletter" not in html and "Follow us" not in html


def test_settings_output_is_escaped(client, site_tree, organisation):
    english = wording()
    english.footer_text = '<img src=x onerror="alert(1)">'
    english.tagline = "<script>alert(1)</script>"
    english.save()
    html = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_every_settings_field_has_help_text():
    from pages.models import OrganisationSettings

    for field in OrganisationSettings._meta.get_fields():
        if field.concrete and not field.primary_key:
            assert field.help_text, f"{field.name} needs help text"


def test_editor_changes_settings_in_the_admin_and_the_footer_follows(
    admin_client, client, organisation, site_tree
):
    form = admin_client.get("/admin/settings/pages/organisationsettings/", follow=True)
    assert form.status_code == 200 and b"Primary contact email" in form.content

    data = nested_form_data(
        {
            "organisation_name": "Invest in Open Infrastructure",
            "contact_email": "hello@example.org",
            "website_url": "https://investinopen.org/",
            "postal_address": "",
            "newsletter_url": "",
            "social_profiles": streamfield([]),
        }
    )
    saved = admin_client.post(form.redirect_chain[-1][0], data)
    assert saved.status_code == 302

    # The footer's note is worded per language, in its own snippet.
    english = wording()
    edit = f"/admin/snippets/pages/organisationwording/edit/{english.pk}/"
    assert admin_client.get(edit).status_code == 200
    worded = admin_client.post(
        edit,
        nested_form_data(
            {
                "tagline": "Evidence for open infrastructure",
                "footer_links": streamfield([]),
                "footer_text": "Edited in the admin.",
            }
        ),
    )
    assert worded.status_code == 302
    html = footer(client, "/")
    assert "hello@example.org" in html and "Edited in the admin." in html
