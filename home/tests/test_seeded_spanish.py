"""The seed's Spanish (issue 16): real wagtail-localize translations of the seeded pages and
snippets, every string of them from home/seed/es.po, made once and never overwritten."""

import re
import shutil
from io import StringIO
from types import SimpleNamespace

import polib
import pytest
from django.core.management import call_command
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Revision
from wagtail_localize.models import (
    StringTranslation,
    Translation,
    TranslationLog,
    TranslationSource,
)

from home import seed_content
from home.management.commands import seed_translation_strings
from home.seed_translations import (
    PAGES_IN_SPANISH,
    SPANISH_CATALOGUE,
    Catalogue,
    english_strings,
    seeded_objects,
    seeded_pages,
)
from pages.contacts.models import Contact, ContactPurpose
from pages.links.models import Link, LinkCategory
from pages.models import OrganisationWording, StandardPage

SPANISH_SLUGS = {
    "": "inicio",
    "initiatives": "iniciativas",
    "impact": "impacto",
    "contact": "contacto",
    "about": "acerca-de",
    "accessibility": "accesibilidad",
    "privacy": "privacidad",
    "news": "noticias",
}
SNIPPETS = [ContactPurpose, Contact, Link, LinkCategory, OrganisationWording]


def load():
    out, err = StringIO(), StringIO()
    call_command("load_ioi_content", stdout=out, stderr=err)
    return SimpleNamespace(out=out.getvalue(), err=err.getvalue())


@pytest.fixture
def site(seeded, django_db_setup):
    """The run's seeded copy (conftest.py), and what the seed printed when it made it."""
    out, err = django_db_setup.seed_output
    return SimpleNamespace(
        home=seeded,
        spanish=Locale.objects.get(language_code="es"),
        load=SimpleNamespace(out=out, err=err),
    )


ALTERNATE = r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">'


def lang(html):
    return re.search(r"<html[^>]* lang=\"([^\"]+)\"", html).group(1)


def test_each_seeded_page_is_served_in_spanish_under_es(site, client):
    english = seeded_pages(site.home)
    assert len(english) == len(PAGES_IN_SPANISH)
    for page in english:
        spanish = page.get_translation(site.spanish).specific
        assert spanish.live and spanish.title != page.title
        parent_path = page.url_path.removeprefix(site.home.url_path)
        if parent_path.rstrip("/") in SPANISH_SLUGS:
            assert spanish.slug == SPANISH_SLUGS[parent_path.rstrip("/")]
        assert spanish.slug != page.slug
        assert spanish.url.startswith("/es/")
        response = client.get(spanish.url)
        html = response.content.decode()
        assert response.status_code == 200, spanish.url
        assert lang(html) == "es"
        assert (spanish.seo_title or spanish.title).replace("'", "&#x27;") in html
        # Both versions name each other, and English is the default.
        in_english = client.get(page.url).content.decode()
        versions = dict(re.findall(ALTERNATE, in_english))
        assert versions == {
            "en": page.full_url,
            "es": spanish.full_url,
            "x-default": page.full_url,
        }, page.url
        assert dict(re.findall(ALTERNATE, html)) == versions, spanish.url

    home = client.get("/es/").content.decode()
    assert "Para que los sistemas abiertos que sostienen la investigación perduren" in home
    assert seed_content.HOME["headline"] not in home
    assert lang(client.get("/").content.decode()) == "en"
    # The switcher links the two homes both ways.
    switch = r'<nav class="language-switcher"[^>]*>.*?<a href="([^"]*)" hreflang="([^"]*)"'
    assert re.search(switch, client.get("/").content.decode(), re.S).groups() == ("/es/", "es")
    assert re.search(switch, home, re.S).groups() == ("/", "en")


def test_every_string_of_the_seeded_translations_is_the_spanish_in_the_po(site):
    """Changing the English seed without home/seed/es.po fails here, naming the new English."""
    catalogue = Catalogue()
    objects = seeded_objects(site.home)
    sources = TranslationSource.objects.filter(locale=Locale.get_default())
    assert sources.count() == len(objects)
    missing, different, incomplete = [], [], []
    for translation in Translation.objects.filter(target_locale=site.spanish, source__in=sources):
        for entry in translation.export_po():
            spanish = catalogue.get(entry.msgid, entry.msgctxt)
            if spanish is None:
                missing.append(entry.msgid)
            elif entry.msgstr != spanish:
                different.append(entry.msgid)
        total, translated = translation.get_progress()
        if translated != total:
            incomplete.append(translation.source.object_repr)
    assert not missing, f"No Spanish in home/seed/es.po for: {missing}"
    assert not different and not incomplete
    assert "left partly in English" not in site.load.err

    # The catalogue holds nothing the seed no longer has (seed_translation_strings --merge
    # marks such entries obsolete).
    wanted = {(msgctxt, msgid) for obj in objects for msgctxt, msgid, _ in english_strings(obj)}
    assert set(catalogue.spanish) == wanted


def test_the_spanish_fits_the_fields_it_is_in(site):
    for page in seeded_pages(site.home):
        spanish = page.get_translation(site.spanish).specific
        spanish.full_clean()
        for field in spanish._meta.concrete_fields:
            if isinstance(field, StreamField):
                field.stream_block.clean(getattr(spanish, field.name))
    for model in SNIPPETS:
        for row in model.objects.filter(locale=site.spanish):
            row.full_clean()


def test_the_snippets_the_pages_show_are_in_spanish(site, client):
    purposes = ContactPurpose.objects.filter(locale=site.spanish)
    assert purposes.count() == ContactPurpose.objects.filter(locale=Locale.get_default()).count()
    contact = client.get("/es/contacto/").content.decode()
    form = contact[contact.index('<select name="purpose"') : contact.index("</select>")]
    for name in ("General", "Alianzas y colaboración", "Financiamiento", "Prensa"):
        assert f">{name}</option>" in form
    assert "Partnerships and engagement" not in form
    assert "Alianzas, colaboraciones y fondos" in contact  # a contact's role
    assert Contact.objects.filter(locale=site.spanish).count() == len(seed_content.CONTACTS)

    tagline = "Ayudamos a las instituciones de investigación y a los financiadores"
    assert tagline in client.get("/es/acerca-de/").content.decode()
    assert tagline not in client.get("/about/").content.decode()
    assert seed_content.SETTINGS["tagline"] in client.get("/about/").content.decode()
    # The library links the initiatives use, and their categories, are translated with them.
    assert Link.objects.filter(locale=site.spanish).count() == len(seed_content.LINKS)
    assert all(
        link.category.locale == site.spanish for link in Link.objects.filter(locale=site.spanish)
    )


def test_a_second_run_changes_nothing(site):
    def counts():
        return [
            Page.objects.count(),
            Revision.objects.count(),
            *(model.objects.count() for model in SNIPPETS),
            TranslationSource.objects.count(),
            Translation.objects.count(),
            StringTranslation.objects.count(),
            TranslationLog.objects.count(),
        ]

    before = counts()
    again = load()
    assert counts() == before
    assert "nothing changed" in again.out and "Spanish" not in again.out


def test_a_rerun_keeps_an_edited_spanish_version_and_restores_a_deleted_one(site):
    about = StandardPage.objects.get(locale=site.spanish, slug="acerca-de")
    about.title = "Quiénes somos"
    about.save_revision().publish()
    wording = OrganisationWording.objects.get(locale=site.spanish)
    wording.tagline = "Cambiado por una editora"
    wording.save()
    StandardPage.objects.get(locale=site.spanish, slug="privacidad").delete()

    again = load()

    assert StandardPage.objects.get(locale=site.spanish, slug="acerca-de").title == "Quiénes somos"
    assert OrganisationWording.objects.get(locale=site.spanish).tagline == (
        "Cambiado por una editora"
    )
    privacy = StandardPage.objects.get(locale=site.spanish, slug="privacidad")
    assert privacy.live and privacy.title == "Aviso de privacidad"
    assert "Spanish standard page 'Aviso de privacidad'" in again.out
    assert again.out.count("Spanish ") == 1


def test_a_seeded_translation_syncs_like_any_other(site):
    """The English changes; syncing brings the change in as the one string left to translate,
    and keeps the Spanish of the rest."""
    about = StandardPage.objects.get(locale=Locale.get_default(), slug="about")
    about.introduction = "IOI helps the research community sustain open tools."
    about.save_revision().publish()
    source = TranslationSource.objects.get_for_instance(about)
    translation = Translation.objects.get(source=source, target_locale=site.spanish)
    assert translation.get_progress()[0] == translation.get_progress()[1]

    source.update_from_db()
    translation.save_target(publish=False)

    total, translated = translation.get_progress()
    assert translated == total - 1
    spanish = about.get_translation(site.spanish).specific.get_latest_revision_as_object()
    assert spanish.introduction == "IOI helps the research community sustain open tools."
    assert spanish.title == "Acerca de IOI"


def test_seed_translation_strings_writes_the_template_of_the_catalogue(site, tmp_path, monkeypatch):
    out = StringIO()
    call_command("seed_translation_strings", stdout=out)
    template = polib.pofile(out.getvalue())
    assert {(e.msgctxt, e.msgid) for e in template} == set(Catalogue().spanish)
    assert all(not e.msgstr and e.comment for e in template)

    copy = tmp_path / "es.po"
    shutil.copy(SPANISH_CATALOGUE, copy)
    monkeypatch.setattr(seed_translation_strings, "SPANISH_CATALOGUE", copy)
    about = StandardPage.objects.get(locale=Locale.get_default(), slug="about")
    about.search_description = "Who IOI is."
    about.save_revision().publish()
    out = StringIO()
    call_command("seed_translation_strings", "--merge", stdout=out)
    assert "1 new, 1 obsolete, 1 to translate" in out.getvalue()
    merged = polib.pofile(str(copy))
    assert merged.find("Who IOI is.").msgstr == ""
    assert merged.find("Acerca de IOI", by="msgstr").msgid == "About IOI"
