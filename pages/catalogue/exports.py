"""The catalogue as data, one function per format: the pages, the downloads and the API call
these and nothing else. Each works on entries with their relations loaded and imports no model.

The CSV's columns are sections.columns(); import_catalogue reads the same columns back, so a
download imported again gives the same catalogue (pages/catalogue/importer.py)."""

import csv
import io
import json

from pages.exports import FORMULA_STARTS, neutralise

from . import sections
from .sections import MULTI_SEPARATOR

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
TITLE = "Open infrastructure catalogue"
PUBLISHER = "Invest in Open Infrastructure"
CSV_NAME = "catalogue.csv"
JSON_NAME = "catalogue.json"

FRICTIONLESS_TYPES = {
    "year": "integer",
    "number": "integer",
    "date": "date",
    "bool": "boolean",
    "terms": "string",
    "entries": "string",
}


def record(entry):
    """One entry as plain data: {column: value}, lists for the many-valued columns."""
    return {column.name: sections.value(entry, column) for column in sections.columns()}


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return MULTI_SEPARATOR.join(value)
    return neutralise(str(value))


def unneutralise(text):
    """A cell as exported back to its value: the apostrophe `neutralise` added is taken off."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def to_csv(entries):
    out = io.StringIO()
    names = [column.name for column in sections.columns()]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for entry in entries:
        data = record(entry)
        writer.writerow([csv_cell(data[name]) for name in names])
    return out.getvalue()


def citation(version, url):
    """The "cite this data set" line: the version is the date of the last change."""
    return f"{PUBLISHER}. {TITLE} (version {version}). {url}. Licensed {LICENCE.replace('-', ' ')}."


def to_json(entries, version, url):
    return {
        "title": TITLE,
        "publisher": PUBLISHER,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "version": version,
        "citation": citation(version, url),
        "entries": [record(entry) for entry in entries],
    }


def dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=1)


def datapackage(version, url):
    """A Frictionless data package describing both downloads."""
    fields = []
    for column in sections.columns():
        field = {
            "name": column.name,
            "title": str(column.label),
            "type": FRICTIONLESS_TYPES.get(column.kind, "string"),
        }
        if column.kind in ("terms", "entries"):
            field["description"] = f"Identifiers separated by '{MULTI_SEPARATOR}'."
        fields.append(field)
    return {
        "profile": "data-package",
        "name": "open-infrastructure-catalogue",
        "title": TITLE,
        "version": version,
        "homepage": url,
        "licenses": [{"name": LICENCE, "path": LICENCE_URL, "title": "Creative Commons BY 4.0"}],
        "contributors": [{"title": PUBLISHER, "role": "publisher"}],
        "resources": [
            {
                "name": "catalogue",
                "path": CSV_NAME,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": ["slug"]},
            },
            {
                "name": "catalogue-json",
                "path": JSON_NAME,
                "profile": "data-resource",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
            },
        ],
    }


def compare_csv(entries):
    """A compare table: one row per shown field, one column per entry."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["section", "field", *(neutralise(entry.title) for entry in entries)])
    for section in sections.SECTIONS:
        for column in section.columns:
            if not column.exported:
                continue
            writer.writerow(
                [
                    str(section.title),
                    column.name,
                    *(csv_cell(sections.value(entry, column)) for entry in entries),
                ]
            )
    return out.getvalue()
