"""The interface in Spanish: the committed catalogue is complete and in step with the code, the
check (`make lint`) catches each way it can go wrong, and marked strings come out in Spanish
while English stays as it was."""

import shutil
import subprocess
from datetime import date
from io import StringIO
from pathlib import Path
from xml.etree import ElementTree as ET

import polib
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import page_not_found
from wagtail.models import Locale

from pages.contacts.forms import ContactForm
from pages.discovery.feeds import InitiativesFeed
from pages.management import catalogue

COMMITTED = Path(settings.LOCALE_PATHS[0])
needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgfmt") is None,
    reason="GNU gettext is not installed (make lint needs it; .ci/run installs it)",
)


def copy_of_catalogue(tmp_path):
    locale_dir = tmp_path / "locale"
    shutil.copytree(COMMITTED, locale_dir)
    po = catalogue.po_path(locale_dir, "es")
    return locale_dir, po, po.with_suffix(".mo")


def entry(po_file, msgid, msgctxt=None):
    found = [e for e in po_file if e.msgid == msgid and e.msgctxt == msgctxt]
    assert len(found) == 1, msgid
    return found[0]


def compile_po(po):
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)  # noqa: S603, S607


@pytest.fixture(scope="module")
def fresh_po(tmp_path_factory):
    """The catalogue made from the code as it is now, once for the module."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed")
    work = tmp_path_factory.mktemp("fresh")
    return catalogue.fresh_catalogues(settings.BASE_DIR, work)["es"]


# The committed catalogue


@needs_gettext
def test_the_committed_catalogue_is_complete_and_in_step_with_the_code():
    before = {path: path.read_bytes() for path in COMMITTED.rglob("*") if path.is_file()}
    out = StringIO()
    call_command("check_translations", stdout=out, stderr=StringIO())
    assert "complete and up to date" in out.getvalue()
    after = {path: path.read_bytes() for path in COMMITTED.rglob("*") if path.is_file()}
    assert after == before  # the check wrote nothing into locale/


def test_the_committed_catalogue_has_spanish_plurals_and_no_fuzzy_or_empty_entry():
    po = polib.pofile(str(catalogue.po_path(COMMITTED, "es")))
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["Language"] == "es"
    assert not po.fuzzy_entries() and not po.untranslated_entries() and not po.obsolete_entries()
    assert len(po) > 250
    assert catalogue.untranslated(catalogue.po_path(COMMITTED, "es"), "es") == []


def test_the_compiled_catalogue_is_committed_and_not_ignored():
    mo = catalogue.po_path(COMMITTED, "es").with_suffix(".mo")
    assert mo.exists()
    ignored = subprocess.run(  # noqa: S603
        ["git", "check-ignore", "-q", str(mo)],  # noqa: S607
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert ignored.returncode == 1  # 1: not ignored


# Each way the catalogue goes wrong


@needs_gettext
def test_a_string_marked_in_the_code_but_missing_from_the_catalogue_fails(tmp_path):
    """A new template string, with the committed catalogue untouched: stale."""
    tree = tmp_path / "tree"
    tree.mkdir()
    for item in Path(settings.BASE_DIR).iterdir():
        if item.name != "templates" and not item.name.startswith("."):
            (tree / item.name).symlink_to(item, target_is_directory=item.is_dir())
    templates = tree / "templates"
    templates.mkdir()
    for item in (Path(settings.BASE_DIR) / "templates").iterdir():
        (templates / item.name).symlink_to(item, target_is_directory=item.is_dir())
    (templates / "new.html").write_text(
        '{% load i18n %}<p>{% translate "A sentence nobody translated" %}</p>'
    )

    problems = catalogue.check(tree, COMMITTED)

    assert problems == {"es": ["not in the catalogue: 'A sentence nobody translated'"]}


def test_an_entry_the_code_no_longer_has_or_lacks_is_named(tmp_path, fresh_po):
    _locale_dir, po, _mo = copy_of_catalogue(tmp_path)
    catalogue_file = polib.pofile(str(po))
    catalogue_file.remove(entry(catalogue_file, "Page not found"))
    catalogue_file.append(polib.POEntry(msgid="A string from a deleted template", msgstr="Uno"))
    catalogue_file.append(polib.POEntry(msgid="An obsolete one", msgstr="Obsoleto", obsolete=True))
    catalogue_file.save()

    assert catalogue.stale(fresh_po, po) == [
        "not in the catalogue: 'Page not found'",
        "in the catalogue but no longer in the code: 'A string from a deleted template'",
        "obsolete entry (#~) left in the catalogue: 'An obsolete one'",
    ]


def test_the_same_text_in_another_context_is_another_message(tmp_path, fresh_po):
    _locale_dir, po, _mo = copy_of_catalogue(tmp_path)
    catalogue_file = polib.pofile(str(po))
    entry(catalogue_file, "All", msgctxt="every year").msgctxt = "every month"
    catalogue_file.save()

    assert catalogue.stale(fresh_po, po) == [
        "not in the catalogue: 'All' (context 'every year')",
        "in the catalogue but no longer in the code: 'All' (context 'every month')",
    ]


def test_empty_fuzzy_and_half_translated_plural_entries_fail(tmp_path):
    _locale_dir, po, _mo = copy_of_catalogue(tmp_path)
    catalogue_file = polib.pofile(str(po))
    entry(catalogue_file, "Your name").msgstr = ""
    entry(catalogue_file, "Page not found").flags.append("fuzzy")
    plural = entry(catalogue_file, "%(counter)s publication, newest first.")
    plural.msgstr_plural[1] = ""
    catalogue_file.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue_file.save()

    assert catalogue.untranslated(po, "es") == [
        "the header's Plural-Forms is 'nplurals=1; plural=0;', not 'nplurals=2; plural=(n != 1);'",
        "not translated: 'Your name'",
        "fuzzy (check it, then remove the flag): 'Page not found'",
        "not translated: '%(counter)s publication, newest first.' / plural "
        "'%(counter)s publications, newest first.'",
    ]


@needs_gettext
def test_a_compiled_catalogue_older_than_its_po_fails_until_compiled_again(tmp_path):
    _locale_dir, po, mo = copy_of_catalogue(tmp_path)
    catalogue_file = polib.pofile(str(po))
    entry(catalogue_file, "Page not found").msgstr = "No encontramos la página"
    catalogue_file.save()

    assert catalogue.compiled_mismatches(po, mo) == [
        "the .mo lacks or differs from the .po on 'Page not found'"
    ]
    compile_po(po)
    assert catalogue.compiled_mismatches(po, mo) == []
    mo.unlink()
    assert catalogue.compiled_mismatches(po, mo) == [f"{mo} is missing: compile the catalogue"]


@needs_gettext
def test_a_translation_that_drops_a_placeholder_fails(tmp_path):
    _locale_dir, po, _mo = copy_of_catalogue(tmp_path)
    catalogue_file = polib.pofile(str(po))
    entry(catalogue_file, "Unit: %(unit)s.").msgstr = "Unidad."
    catalogue_file.save()

    errors = catalogue.format_errors(po)

    assert errors and any("unit" in line for line in errors)


@needs_gettext
def test_the_command_names_what_is_wrong_and_exits_non_zero(tmp_path):
    locale_dir, po, _mo = copy_of_catalogue(tmp_path)
    catalogue_file = polib.pofile(str(po))
    entry(catalogue_file, "Skip to main content").msgstr = ""
    catalogue_file.save()
    compile_po(po)
    err = StringIO()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_translations", locale_dir=str(locale_dir), stderr=err)

    assert "not translated: 'Skip to main content'" in err.getvalue()


def test_without_gettext_the_check_says_so_and_fails(monkeypatch):
    monkeypatch.setattr(catalogue.shutil, "which", lambda program: None)

    with pytest.raises(CommandError, match="GNU gettext is not installed"):
        call_command("check_translations", stdout=StringIO(), stderr=StringIO())


# The interface in Spanish, and English as it was


def test_the_contact_form_speaks_the_page_language(db):
    with translation.override("es"):
        form = ContactForm(data={})
        labels = [str(form.fields[name].label) for name in ("name", "email", "message")]
        assert labels == ["Su nombre", "Su dirección de correo electrónico", "Su mensaje"]
        assert str(form.fields["purpose"].empty_label) == "Otro tema"
        assert form.errors["name"] == ["Este campo es necesario."]  # Django's own catalogue
    with translation.override("en"):
        form = ContactForm(data={})
        assert str(form.fields["name"].label) == "Your name"
        assert form.errors["name"] == ["This field is required."]


def test_the_404_page_in_spanish_and_in_english(site_tree, organisation):
    request = RequestFactory().get("/no-such-page/")
    with translation.override("es"):
        html = page_not_found(request, Exception()).content.decode()
    assert "<h1>Página no encontrada</h1>" in html
    assert "<title>Página no encontrada | Invest in Open Infrastructure</title>" in html
    assert "Ir a la página de inicio" in html and "Buscar en este sitio" in html
    with translation.override("en"):
        html = page_not_found(request, Exception()).content.decode()
    assert "<h1>Page not found</h1>" in html and "Go to the home page" in html


def test_a_spanish_address_gets_the_404_page_in_spanish(client, site_tree, organisation):
    Locale.objects.get_or_create(language_code="es")
    spanish = client.get("/es/no-such-page/")
    english = client.get("/no-such-page/")
    assert spanish.status_code == english.status_code == 404
    assert "<h1>Página no encontrada</h1>" in spanish.content.decode()
    assert "<h1>Page not found</h1>" in english.content.decode()


def test_a_feed_title_in_spanish_and_in_english(site_tree, organisation):
    atom = "{http://www.w3.org/2005/Atom}"

    def title(language):
        with translation.override(language):
            response = InitiativesFeed()(RequestFactory().get("/feeds/initiatives/"))
        return ET.fromstring(response.content).find(f"{atom}title").text

    assert title("es") == "Invest in Open Infrastructure: iniciativas"
    assert title("en") == "Invest in Open Infrastructure: initiatives"


def test_dates_in_the_page_language_and_english_as_before():
    template = Template(
        '{{ day|date:"DATE_FORMAT" }} · {{ day|date:"YEAR_MONTH_FORMAT" }}'
        ' · {{ day|date:"SHORT_DATE_FORMAT" }}'
    )
    context = Context({"day": date(2024, 5, 2)})
    with translation.override("en"):
        assert template.render(context) == "2 May 2024 · May 2024 · 2 May 2024"
    with translation.override("es"):
        assert template.render(context) == "2 de mayo de 2024 · mayo de 2024 · 02/05/2024"


def test_plurals_follow_the_count_in_spanish():
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} publication, newest "
        "first.{% plural %}{{ counter }} publications, newest first.{% endblocktranslate %}"
    )
    with translation.override("es"):
        one = template.render(Context({"n": 1}))
        many = template.render(Context({"n": 3}))
    assert one == "1 publicación, de la más reciente a la más antigua."
    assert many == "3 publicaciones, de la más reciente a la más antigua."
