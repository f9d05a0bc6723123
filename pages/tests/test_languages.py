"""The reader's side of English and Spanish: addresses, the language switcher, hreflang in the
head and the sitemap, og:locale, search, feeds, snippets and the organisation's wording in the
page's language, and the page cache keeping the two apart."""

import re
import time
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from wagtail.models import Locale

from conftest import translate, world
from pages.caching.shared import forget
from pages.contacts.forms import make_form_token
from pages.contacts.models import ContactMessage
from pages.models import OrganisationWording
from pages.translation.locales import in_active_language

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@world
def spanish(site_tree, contacts):
    """The home page, the initiatives index, one initiative and the contact page in Spanish;
    the general purpose and its contact too (the press contact is not translated)."""
    home = translate(site_tree.home, title="Inicio", headline="Que la infraestructura dure")
    index = translate(site_tree.index, title="Nuestro trabajo", slug="iniciativas")
    initiative = translate(
        site_tree.initiatives[0], title="Apoyo estratégico", slug="apoyo-estrategico"
    )
    contact = translate(site_tree.contact, title="Contacto", slug="contacto")
    general = contacts.general.purpose
    general_es = translate(general, name="Consultas generales")
    info_es = translate(contacts.general, role="Consultas generales", purpose=general_es)
    wording_es = translate(
        OrganisationWording.objects.get(), tagline="Evidencia y financiación", footer_text="CC BY"
    )
    return SimpleNamespace(
        home=home,
        index=index,
        initiative=initiative,
        contact=contact,
        general=general_es,
        info=info_es,
        wording=wording_es,
    )


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def switcher_links(html):
    nav = re.search(r'<nav class="language-switcher"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no language switcher"
    return re.findall(r'<a href="([^"]*)" hreflang="([^"]*)" lang="([^"]*)">([^<]*)</a>', nav[1])


def alternates(html):
    return {
        lang: href
        for href, lang in (
            (m[1], m[0])
            for m in re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
        )
    }


@pytest.mark.django_db
def test_spanish_lives_under_es_and_english_keeps_its_addresses(client, spanish):
    english, spanish_home = html_of(client.get("/")), html_of(client.get("/es/"))
    assert '<html lang="en">' in english
    assert '<html lang="es">' in spanish_home
    assert "Que la infraestructura dure" in spanish_home
    assert client.get("/es/iniciativas/apoyo-estrategico/").status_code == 200
    assert client.get("/initiatives/initiative-1/").status_code == 200
    # A Spanish address is Spanish only: the English slug under /es/ is not a page.
    assert client.get("/es/initiatives/").status_code == 404


@pytest.mark.django_db
def test_the_language_comes_from_the_address_alone(client, spanish):
    """A Spanish browser asking for / gets English: one address is one page, as the cache and
    a CDN key on. No Vary on Accept-Language."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en">' in html_of(response)
    assert response["Content-Language"] == "en"
    assert "accept-language" not in response.get("Vary", "").lower()
    assert client.get("/es/")["Content-Language"] == "es"


@pytest.mark.django_db
def test_the_switcher_links_the_same_page_in_the_other_language(client, spanish):
    assert switcher_links(html_of(client.get("/"))) == [("/es/", "es", "es", "Español")]
    assert switcher_links(html_of(client.get("/es/"))) == [("/", "en", "en", "English")]
    page = html_of(client.get("/initiatives/initiative-1/"))
    assert switcher_links(page) == [("/es/iniciativas/apoyo-estrategico/", "es", "es", "Español")]
    back = html_of(client.get("/es/iniciativas/apoyo-estrategico/"))
    assert switcher_links(back) == [("/initiatives/initiative-1/", "en", "en", "English")]


@pytest.mark.django_db
def test_without_a_translation_the_switcher_leads_to_that_languages_home(client, spanish):
    assert switcher_links(html_of(client.get("/about/"))) == [("/es/", "es", "es", "Español")]
    # A search keeps its words in the other language.
    links = switcher_links(html_of(client.get("/search/?q=open")))
    assert links == [("/es/search/?q=open", "es", "es", "Español")]


@pytest.mark.django_db
def test_a_draft_translation_is_not_offered(client, spanish):
    spanish.initiative.unpublish()
    assert switcher_links(html_of(client.get("/initiatives/initiative-1/"))) == [
        ("/es/", "es", "es", "Español")
    ]
    assert "hreflang" not in "".join(
        re.findall(r'<link rel="alternate" hreflang[^>]*>', html_of(client.get("/about/")))
    )


@pytest.mark.django_db
def test_every_translated_page_names_its_versions_with_hreflang(client, spanish):
    versions = alternates(html_of(client.get("/initiatives/initiative-1/")))
    assert versions == {
        "en": "http://localhost/initiatives/initiative-1/",
        "es": "http://localhost/es/iniciativas/apoyo-estrategico/",
        "x-default": "http://localhost/initiatives/initiative-1/",
    }
    assert alternates(html_of(client.get("/es/iniciativas/apoyo-estrategico/"))) == versions
    # A page with one language has nothing to name.
    assert alternates(html_of(client.get("/about/"))) == {}


@pytest.mark.django_db
def test_open_graph_names_the_locale_and_its_alternate(client, spanish):
    html = html_of(client.get("/es/"))
    assert '<meta property="og:locale" content="es_LA">' in html
    assert '<meta property="og:locale:alternate" content="en_US">' in html
    assert '<meta property="og:locale" content="en_US">' in html_of(client.get("/about/"))


@pytest.mark.django_db
def test_the_sitemap_lists_both_languages_with_their_alternates(client, spanish):
    tree = ET.fromstring(client.get("/sitemap.xml").content)
    entries = {
        url.find(f"{SITEMAP}loc").text: {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in tree.findall(f"{SITEMAP}url")
    }
    assert "http://localhost/es/contacto/" in entries
    assert entries["http://localhost/contact/"] == {
        "en": "http://localhost/contact/",
        "es": "http://localhost/es/contacto/",
        "x-default": "http://localhost/contact/",
    }
    assert entries["http://localhost/es/contacto/"] == entries["http://localhost/contact/"]
    assert entries["http://localhost/about/"] == {}


@pytest.mark.django_db
def test_search_finds_pages_in_the_readers_language_only(client, spanish):
    from conftest import indexing

    with indexing(True):
        for page in (spanish.initiative, spanish.initiative.get_translation(Locale.get_default())):
            page.save_revision().publish()
    spanish_results = html_of(client.get("/es/search/?q=estratégico"))
    assert "/es/iniciativas/apoyo-estrategico/" in spanish_results
    english_results = html_of(client.get("/search/?q=estratégico"))
    assert "/es/iniciativas/apoyo-estrategico/" not in english_results


@pytest.mark.django_db
def test_each_language_has_its_own_feeds(client, spanish):
    english = ET.fromstring(client.get("/feeds/initiatives/").content)
    spanish_feed = ET.fromstring(client.get("/es/feeds/initiatives/").content)
    atom = "{http://www.w3.org/2005/Atom}"
    spanish_links = [e.find(f"{atom}link").get("href") for e in spanish_feed.iter(f"{atom}entry")]
    english_links = [e.find(f"{atom}link").get("href") for e in english.iter(f"{atom}entry")]
    assert spanish_links == ["http://localhost/es/iniciativas/apoyo-estrategico/"]
    assert "http://localhost/initiatives/initiative-1/" in english_links
    assert not any("/es/" in link for link in english_links)
    assert spanish_feed.find(f"{atom}subtitle").text == "Evidencia y financiación"


@pytest.mark.django_db
def test_the_tagline_footer_and_contacts_are_in_the_pages_language(client, spanish):
    spanish_page = html_of(client.get("/es/contacto/"))
    assert "Evidencia y financiación" in spanish_page
    assert "Evidence and funding for open infrastructure" not in spanish_page
    # The translated contact in Spanish, the untranslated one in English rather than missing.
    assert "Consultas generales" in spanish_page
    assert "Communications" in spanish_page
    assert spanish_page.count("info@example.org") >= 1
    english_page = html_of(client.get("/contact/"))
    assert "General enquiries" in english_page
    assert "Consultas generales" not in english_page


@pytest.mark.django_db
def test_rows_of_a_snippet_in_the_active_language(spanish, contacts):
    from django.utils import translation

    from pages.contacts.models import Contact

    with translation.override("es"):
        rows = set(in_active_language(Contact.objects.all()))
    assert rows == {spanish.info, contacts.press, contacts.funding}
    with translation.override("en"):
        rows = set(in_active_language(Contact.objects.all()))
    assert rows == {contacts.general, contacts.press, contacts.funding}


@pytest.mark.django_db
def test_a_pages_sub_addresses_are_in_its_language_too(client, spanish, site_tree):
    assert client.get("/contact/thanks/").status_code == 200
    thanks = client.get("/es/contacto/gracias/")
    assert thanks.status_code == 200 and 'lang="es"' in html_of(thanks)
    assert client.get("/es/contacto/thanks/").status_code == 404
    assert client.get("/contact/gracias/").status_code == 404

    translate(site_tree.research, title="Investigación", slug="investigacion")
    translate(site_tree.publications[0], title="Publicación 1", slug="publicacion-1")
    english = html_of(client.get("/research/publication-1/"))
    spanish_page = html_of(client.get("/es/investigacion/publicacion-1/"))
    assert 'href="/research/publication-1/cite/bibtex/"' in english
    assert 'href="/es/investigacion/publicacion-1/citar/bibtex/"' in spanish_page
    download = client.get("/es/investigacion/publicacion-1/citar/bibtex/")
    assert download.status_code == 200 and b"@" in download.content
    assert client.get("/es/investigacion/publicacion-1/cite/bibtex/").status_code == 404


@pytest.mark.django_db
def test_a_message_from_the_spanish_form_is_stored_in_spanish_and_routed_as_the_english_one(
    client, spanish, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    assert "Consultas generales" in html_of(client.get("/es/contacto/"))
    data = {
        "name": "Ana",
        "email": "ana@example.org",
        "purpose": spanish.general.pk,
        "message": "Hola, quisiera saber más.",
        "website": "",
        "form_token": make_form_token(issued_at=time.time() - 60),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/es/contacto/", data)
    assert response.status_code == 303
    assert response["Location"] == "/es/contacto/gracias/"
    message = ContactMessage.objects.get()
    assert message.language == "es"
    assert message.routed_to == contacts.general
    assert message.purpose_name == "Consultas generales"
    [email] = mailoutbox
    assert email.to == ["info@example.org"]
    assert "Language: Spanish" in email.body
    assert "From: Ana <ana@example.org>" in email.body
    english = ContactMessage.objects.filter(language="en")
    assert not english.exists()


@pytest.mark.django_db
def test_the_page_cache_keeps_the_two_languages_apart(
    client, settings, spanish, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    english, spanish_page = client.get("/"), client.get("/es/")
    assert (english["X-Page-Cache"], spanish_page["X-Page-Cache"]) == ("miss", "miss")
    with django_assert_num_queries(0):
        english_again = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
        spanish_again = client.get("/es/")
    assert (english_again["X-Page-Cache"], spanish_again["X-Page-Cache"]) == ("hit", "hit")
    assert '<html lang="en">' in english_again.content.decode()
    assert '<html lang="es">' in spanish_again.content.decode()
    assert spanish_again["Content-Language"] == "es"
    # Publishing the Spanish page shows the change in Spanish at once.
    with django_capture_on_commit_callbacks(execute=True):
        spanish.home.headline = "Una infraestructura que perdura"
        spanish.home.save_revision().publish()
    fresh = client.get("/es/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Una infraestructura que perdura" in fresh.content.decode()


def link_from_spanish_pages(spanish, *pages):
    """The Spanish initiative lists links to these English pages, as chosen in English, and the
    Spanish footer links to the first. Returns the list block's value."""
    links = {
        "heading": "Lecturas",
        "links": [{"page": page.pk, "link": None, "url": "", "title": ""} for page in pages],
    }
    spanish.initiative.body = [{"type": "link_list", "value": links}]
    spanish.initiative.save_revision().publish()
    wording = spanish.wording
    wording.footer_links = [
        {"type": "link", "value": {"page": pages[0].pk, "url": "", "title": ""}}
    ]
    wording.save()
    return links


@pytest.mark.django_db
def test_a_spanish_pages_links_to_english_pages_lead_to_their_translations(
    client, spanish, site_tree, django_assert_num_queries
):
    """wagtail-localize keeps a translation's page links as they were; the served page points
    them at the Spanish versions, in one query for all of them (none on an English page)."""
    links = link_from_spanish_pages(spanish, site_tree.contact, site_tree.about)  # untranslated
    html = html_of(client.get("/es/iniciativas/apoyo-estrategico/"))
    body = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    footer = html.split('<footer class="site-footer"', 1)[1]
    assert '<a href="/es/contacto/">Contacto</a>' in body
    assert '<a href="/about/">About</a>' in body  # no Spanish version yet: the English one
    assert 'href="/es/contacto/"' in footer
    # On an English page, nothing to look up.
    site_tree.initiatives[0].body = [{"type": "link_list", "value": links}]
    site_tree.initiatives[0].save_revision().publish()
    english = html_of(client.get("/initiatives/initiative-1/"))
    assert '<a href="/contact/">Contact</a>' in english


@pytest.mark.django_db
def test_a_kept_spanish_page_reads_none_of_its_links_and_they_still_lead_to_spanish_pages(
    client, spanish, site_tree, settings, django_assert_max_num_queries
):
    """With the page's content kept once per cache generation ({% fragment %}), as in
    production, its links are localised when they are first rendered: a kept copy reads
    neither its StreamFields nor the footer's links, and looks nothing up."""
    settings.SHARED_PARTS_CACHE = True
    forget()
    link_from_spanish_pages(spanish, site_tree.contact)
    url = "/es/iniciativas/apoyo-estrategico/"
    first = html_of(client.get(url))
    body = first.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert '<a href="/es/contacto/">Contacto</a>' in body
    assert 'href="/es/contacto/"' in first.split('<footer class="site-footer"', 1)[1]
    # Routing (2) and view restrictions (1).
    with django_assert_max_num_queries(3):
        assert html_of(client.get(url)) == first
    forget()


@pytest.mark.django_db
def test_a_preview_shows_a_spanish_pages_links_as_readers_will_get_them(
    client, spanish, site_tree, make_user
):
    """Wagtail previews a page without its serving hooks; the links are localised there too,
    so a translator's preview of a draft is what readers will see once it is published."""
    links = {
        "heading": "Lecturas",
        "links": [{"page": site_tree.contact.pk, "link": None, "url": "", "title": ""}],
    }
    spanish.initiative.body = [{"type": "link_list", "value": links}]
    draft = spanish.initiative.save_revision()
    client.force_login(make_user("administrator"))
    preview = client.get(f"/admin/pages/{spanish.initiative.pk}/revisions/{draft.pk}/view/")
    html = html_of(preview)
    body = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert 'lang="es"' in html
    assert '<a href="/es/contacto/">Contacto</a>' in body
    assert 'href="/contact/"' not in body


@pytest.mark.django_db
def test_the_spanish_home_features_the_spanish_initiatives(client, site_tree, contacts, feature):
    feature(site_tree.home, *site_tree.initiatives[:2])
    translate(site_tree.home, title="Inicio")  # copies the English choices, as wagtail-localize
    translate(site_tree.index, slug="iniciativas")
    translate(site_tree.initiatives[0], title="Apoyo estratégico", slug="apoyo-estrategico")
    html = html_of(client.get("/es/"))
    assert "/es/iniciativas/apoyo-estrategico/" in html
    # The second has no Spanish version: shown in English rather than dropped.
    assert site_tree.initiatives[1].url in html


@pytest.mark.django_db
def test_impact_highlights_are_translated_with_their_page(client, site_tree, contacts):
    translate(site_tree.home, title="Inicio")
    impact = translate(site_tree.impact, slug="impacto")
    highlight = impact.highlights.get(sort_order=0)
    assert highlight.locale.language_code == "es"
    assert (
        highlight.translation_key == site_tree.impact.highlights.get(sort_order=0).translation_key
    )
    highlight.label = "organizaciones apoyadas"
    highlight.save()
    assert "organizaciones apoyadas" in html_of(client.get("/es/"))
    assert "organizaciones apoyadas" not in html_of(client.get("/"))


@pytest.mark.django_db
def test_the_api_lists_both_languages_and_names_each_pages_language(client, spanish):
    import json

    listed = json.loads(client.get("/api/v2/pages/?limit=50").content)["items"]
    languages = {item["meta"]["html_url"]: item["meta"]["locale"] for item in listed}
    assert languages["http://localhost/es/contacto/"] == "es"
    assert languages["http://localhost/contact/"] == "en"
    spanish_only = json.loads(client.get("/api/v2/pages/?locale=es&limit=50").content)["items"]
    assert {item["meta"]["locale"] for item in spanish_only} == {"es"}
    assert len(spanish_only) == 4  # home, the initiatives index, one initiative, contact


@pytest.mark.django_db
def test_the_404_page_is_in_the_addresss_language_and_once_kept_costs_two_queries(
    client, spanish, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """An address that names no page gets the wording and the organisation's settings from the
    copies kept per generation, as a page does (pages/translation/context.py: page_not_found):
    in the address's language, and changed on the very next 404 after they are saved."""
    settings.SHARED_PARTS_CACHE = True
    forget()
    client.get("/es/no-existe/")
    client.get("/no-such-page/")
    with django_assert_num_queries(2):  # the routing's lookup, the redirects'
        missing = client.get("/es/no-existe/")
    assert missing.status_code == 404
    spanish_404 = missing.content.decode()
    assert "<h1>Página no encontrada</h1>" in spanish_404
    assert "Evidencia y financiación" in spanish_404
    english_404 = client.get("/no-such-page/").content.decode()
    assert "<h1>Page not found</h1>" in english_404
    assert "Evidence and funding for open infrastructure" in english_404
    assert "Evidencia" not in english_404

    spanish.wording.tagline = "Una línea nueva"
    with django_capture_on_commit_callbacks(execute=True):
        spanish.wording.save()
    assert "Una línea nueva" in client.get("/es/otra-cosa/").content.decode()
    forget()
