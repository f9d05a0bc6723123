"""Staff-managed contacts on the public site: the contact page, the footer, initiatives,
JSON-LD and vCards."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db


def test_contact_page_lists_public_contacts_by_purpose(client, site_tree, contacts):
    html = client.get("/contact/").content.decode()
    section = html[html.index('id="contacts-heading"') :]
    assert re.findall(r"<h3>([^<]+)</h3>", section) == ["General", "Press"]
    assert "Info desk" in section and "Pat Press" in section
    assert '<a href="tel:+442079460000">+44 20 7946 0000</a>' in section
    assert "Fund Routing" not in html and "funds@example.org" not in html


def test_footer_shows_the_primary_contact(client, site_tree, contacts):
    html = client.get("/about/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert 'Info desk, General enquiries: <a href="mailto:info@example.org">' in footer


def test_footer_does_not_repeat_an_address_it_already_shows(client, site_tree, contacts):
    contacts.general.email = "info@investinopen.org"  # the same as the organisation's
    contacts.general.save()
    html = client.get("/about/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert footer.count("mailto:info@investinopen.org") == 1


def test_initiative_shows_its_contact_else_the_primary_one(client, site_tree, contacts):
    first, second, _ = site_tree.initiatives
    first.contact = contacts.press
    first.save_revision().publish()

    chosen = client.get(first.url).content.decode()
    fallback = client.get(second.url).content.decode()

    assert "Who to contact about this" in chosen and "Pat Press" in chosen
    assert "Info desk" in fallback and "Pat Press" not in fallback


def test_initiative_never_shows_a_private_contact(client, site_tree, contacts):
    first = site_tree.initiatives[0]
    first.contact = contacts.funding
    first.save_revision().publish()
    html = client.get(first.url).content.decode()
    assert "funds@example.org" not in html and "Info desk" in html


def test_contact_page_describes_the_organisation_in_json_ld(client, site_tree, contacts):
    contacts.press.role = "</script><script>alert(1)</script>"
    contacts.press.save()
    html = client.get("/contact/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = next(d for d in map(json.loads, blocks) if d["@type"] == "Organization")
    assert data["email"] == "info@investinopen.org"
    points = {p["email"]: p for p in data["contactPoint"]}
    assert set(points) == {"info@example.org", "press@example.org"}
    assert points["press@example.org"]["contactType"] == "Press"
    assert points["press@example.org"]["telephone"] == "+44 20 7946 0000"
    assert "<script>alert(1)" not in html  # the role cannot close the JSON-LD element


def test_vcard_downloads_a_public_contact(client, contacts):
    contacts.press.name = "Pat; Press, Jr"
    contacts.press.save()
    response = client.get(f"/contacts/{contacts.press.pk}/vcard/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="pat-press-jr.vcf"'
    lines = response.content.decode().split("\r\n")
    assert lines[:3] == ["BEGIN:VCARD", "VERSION:4.0", "FN:Pat\\; Press\\, Jr"]
    assert "EMAIL;TYPE=work:press@example.org" in lines
    assert "TEL;TYPE=work,voice;VALUE=uri:tel:+442079460000" in lines
    assert lines[-2:] == ["END:VCARD", ""]


def test_vcard_of_a_private_or_missing_contact_is_not_found(client, contacts):
    assert client.get(f"/contacts/{contacts.funding.pk}/vcard/").status_code == 404
    assert client.get("/contacts/999999/vcard/").status_code == 404


def test_vcard_value_cannot_inject_a_property(client, contacts):
    contacts.press.role = "Comms\nEMAIL:evil@example.org"
    contacts.press.save()
    body = client.get(f"/contacts/{contacts.press.pk}/vcard/").content.decode()
    assert "\r\nEMAIL:evil@example.org" not in body
    assert "TITLE:Comms EMAIL:evil@example.org" in body
