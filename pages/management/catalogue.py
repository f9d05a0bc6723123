"""The interface's translation catalogues (locale/<language>/LC_MESSAGES/django.po and .mo):
how they are made, in one place, and what makes one wrong (docs/translation.md).

`update_translations` (`make messages`) rewrites the committed catalogues; `check_translations`
(`make lint`) makes fresh ones in a temporary directory, never touching the committed ones, and
compares."""

import os
import shutil
import subprocess
import tempfile
from contextlib import chdir
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

DOMAIN = "django"
# What makemessages reads besides the default ignores (dot-folders such as .venv, *.pyc):
# tests, generated or downloaded files, and scripts no reader sees.
IGNORE = [
    "node_modules",
    "bench",
    "docs",
    "media",
    "collected-static",
    "htmlcov",
    "test-artifacts",
    "backups",
    "static",
    "locale",
    "tests",
    "conftest.py",
]
MAKEMESSAGES_OPTIONS = {
    "domain": DOMAIN,
    "no_location": True,
    "no_obsolete": True,
    "no_wrap": False,
    "ignore_patterns": IGNORE,
    "verbosity": 0,
}
PLURAL_FORMS = {"es": "nplurals=2; plural=(n != 1);"}
GETTEXT_PROGRAMS = ("xgettext", "msgmerge", "msguniq", "msgattrib", "msgfmt")


class GettextMissing(Exception):
    pass


def translated_languages():
    """Every language of the site but the one the code is written in."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def require_gettext():
    missing = [program for program in GETTEXT_PROGRAMS if shutil.which(program) is None]
    if missing:
        raise GettextMissing(
            f"GNU gettext is not installed ({', '.join(missing)} not found): install it "
            "(Debian: apt-get install gettext; macOS: brew install gettext) to make or check "
            "the translation catalogues."
        )


def po_path(locale_dir, language):
    return Path(locale_dir) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def make_messages(source_dir, locale_dir, languages, symlinks=False):
    """Run makemessages over `source_dir`, writing (or merging into) catalogues in `locale_dir`
    and nowhere else."""
    require_gettext()
    with chdir(source_dir), override_settings(LOCALE_PATHS=[str(locale_dir)]):
        call_command("makemessages", locale=languages, symlinks=symlinks, **MAKEMESSAGES_OPTIONS)
    for language in languages:
        set_plural_forms(po_path(locale_dir, language), language)


def set_plural_forms(path, language):
    """makemessages leaves a new catalogue's Plural-Forms as a placeholder."""
    catalogue = polib.pofile(str(path), wrapwidth=79)
    if catalogue.metadata.get("Plural-Forms") != PLURAL_FORMS[language]:
        catalogue.metadata["Plural-Forms"] = PLURAL_FORMS[language]
        catalogue.save()


def update(base_dir, locale_dir):
    """The committed catalogues, made again from the code and compiled."""
    languages = translated_languages()
    make_messages(base_dir, locale_dir, languages)
    with chdir(locale_dir):
        call_command("compilemessages", locale=languages, verbosity=0)


def fresh_catalogues(base_dir, work_dir):
    """Catalogues made from the code as it is now, in `work_dir`: the source tree is seen
    through links (the templates through a copy), so that makemessages finds no locale/ folder
    to write into but this one."""
    sources = Path(work_dir) / "src"
    sources.mkdir()
    for entry in Path(base_dir).iterdir():
        if entry.name.startswith(".") or entry.name in IGNORE:
            continue
        if entry.name == "templates":
            # Copied, not linked: makemessages writes a .py file beside each template it reads,
            # and two checks at once (two test workers) must not write in the same folder.
            shutil.copytree(entry, sources / entry.name)
        else:
            (sources / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    locale_dir = Path(work_dir) / "locale"
    languages = translated_languages()
    make_messages(sources, locale_dir, languages, symlinks=True)
    return {language: po_path(locale_dir, language) for language in languages}


def key(entry):
    """What identifies a message: its context, its text and its plural, not where it is."""
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def describe(entry_key):
    msgctxt, msgid, msgid_plural = entry_key
    text = repr(msgid) + (f" / plural {msgid_plural!r}" if msgid_plural else "")
    return f"{text} (context {msgctxt!r})" if msgctxt else text


def translations(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def stale(fresh_po, committed_po):
    """Messages the code has and the catalogue lacks, and the other way round."""
    wanted = {key(entry) for entry in polib.pofile(str(fresh_po)) if entry.msgid}
    committed = polib.pofile(str(committed_po))
    present = {key(entry) for entry in committed if entry.msgid and not entry.obsolete}
    problems = [f"not in the catalogue: {describe(k)}" for k in sorted(wanted - present)]
    problems += [
        f"in the catalogue but no longer in the code: {describe(k)}"
        for k in sorted(present - wanted)
    ]
    problems += [
        f"obsolete entry (#~) left in the catalogue: {describe(key(entry))}"
        for entry in committed.obsolete_entries()
    ]
    return problems


def untranslated(committed_po, language):
    catalogue = polib.pofile(str(committed_po))
    problems = []
    if catalogue.metadata.get("Plural-Forms") != PLURAL_FORMS[language]:
        problems.append(
            f"the header's Plural-Forms is {catalogue.metadata.get('Plural-Forms')!r}, "
            f"not {PLURAL_FORMS[language]!r}"
        )
    for entry in catalogue:
        if not entry.msgid or entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy (check it, then remove the flag): {describe(key(entry))}")
        elif not all(translations(entry)):
            problems.append(f"not translated: {describe(key(entry))}")
    return problems


def compiled_mismatches(committed_po, committed_mo):
    """The .mo must hold exactly the .po's translated, non-fuzzy messages."""
    if not Path(committed_mo).exists():
        return [f"{committed_mo} is missing: compile the catalogue"]
    expected = {
        key(entry): translations(entry)
        for entry in polib.pofile(str(committed_po))
        if entry.msgid and entry.translated()
    }
    compiled = polib.mofile(str(committed_mo))
    found = {key(entry): translations(entry) for entry in compiled if entry.msgid}
    problems = [
        f"the .mo lacks or differs from the .po on {describe(k)}"
        for k in sorted(expected)
        if found.get(k) != expected[k]
    ]
    problems += [
        f"the .mo has a message the .po has not: {describe(k)}"
        for k in sorted(set(found) - set(expected))
    ]
    if compiled.metadata.get("Plural-Forms") != polib.pofile(str(committed_po)).metadata.get(
        "Plural-Forms"
    ):
        problems.append("the .mo's Plural-Forms differs from the .po's")
    return problems


def format_errors(committed_po):
    """msgfmt's own check: placeholders such as %(name)s the same in a translation."""
    result = subprocess.run(  # noqa: S603 (a fixed program, our own file)
        ["msgfmt", "--check-format", "--output-file", os.devnull, str(committed_po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in result.stderr.splitlines() if line.strip()]


def check(base_dir, locale_dir):
    """Every problem with the committed catalogues, by language; empty when all is well."""
    problems = {}
    with tempfile.TemporaryDirectory(prefix="ioi-messages-") as work_dir:
        fresh = fresh_catalogues(base_dir, work_dir)
        for language, fresh_po in fresh.items():
            committed_po = po_path(locale_dir, language)
            if not committed_po.exists():
                problems[language] = [f"{committed_po} is missing: run make messages"]
                continue
            found = stale(fresh_po, committed_po)
            found += untranslated(committed_po, language)
            found += format_errors(committed_po)
            found += compiled_mismatches(committed_po, committed_po.with_suffix(".mo"))
            if found:
                problems[language] = found
    return problems
