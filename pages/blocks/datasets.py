"""A dataset: a small table of figures an editor types in, shown as a chart drawn on the server
with its table beside it, and published as open data (CSV, JSON and a Frictionless data package;
the addresses are the impact page's, pages/models/impact.py).

A dataset's slug is its address (/impact/data/<slug>.csv): editors set it once, and the
datasets stream refuses two datasets with the same slug on one page."""

import csv
import io
import json
from decimal import Decimal

from django.core.validators import RegexValidator
from django.forms.utils import ErrorList
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import (
    TypedTableBlock,
    TypedTableBlockValidationError,
)
from wagtail.snippets.blocks import SnippetChooserBlock

from .charts import MAX_SERIES_COLOURS, draw_chart, format_number
from .links import LinkStructValue

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
slug_validator = RegexValidator(
    SLUG_PATTERN,
    "Use lower-case letters, digits and single hyphens only, e.g. 'grants-by-edition'.",
)
MAX_ROWS = 40
LABEL_COLUMN, NUMBER_COLUMN = "label", "number"

# The licences an editor may choose: SPDX identifiers (what the data package names), the short
# name a reader sees and the licence's address.
LICENCES = {
    "CC-BY-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("CC0 1.0 (public domain)", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "CC-BY-SA-4.0": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "ODbL-1.0": ("ODbL 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
}
DEFAULT_LICENCE = "CC-BY-4.0"


def _json_number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _csv_number(value):
    # Plain digits and a point, whatever the reader's language: a file is read by programs.
    return "" if value is None else format(value, "f")


def _csv_text(value):
    """Labels a spreadsheet would run as a formula are quoted with an apostrophe (OWASP CSV
    injection); the same rule as the site's other exports (pages/exports.py)."""
    if value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


class DatasetSourceBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(
        required=False,
        help_text="A page on this site the figures come from. Choose a page or a link.",
    )
    link = SnippetChooserBlock(
        "pages.Link",
        required=False,
        help_text="A report or page elsewhere, from the link library (Snippets → Links).",
    )
    title = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="Optional. How the source is named; leave empty to use the page's or "
        "link's title.",
    )

    def clean(self, value):
        value = super().clean(value)
        if value.get("page") and value.get("link"):
            raise blocks.StructBlockValidationError(
                block_errors={"link": ErrorList(["Choose a page or a link, not both."])}
            )
        if not value.get("page") and not value.get("link"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ErrorList(["Say where the figures come from."])}
            )
        return value

    class Meta:
        icon = "link"
        value_class = LinkStructValue
        form_classname = "dataset-source-block"


class DatasetTableBlock(TypedTableBlock):
    """First column: the labels; each further column: one series of figures."""

    label = blocks.CharBlock(
        max_length=60,
        label="Labels (first column)",
        help_text="What each row is, e.g. '2024 edition'. Short labels fit beside the bars.",
    )
    number = blocks.DecimalBlock(
        required=False,
        max_digits=15,
        decimal_places=4,
        label="Figures (one column per series)",
        help_text="A number, without units or thousands separators, e.g. 415.8. Leave empty "
        "if unknown.",
    )

    def clean(self, value):
        value = super().clean(value)
        problems = []
        kinds = [column["block"].name for column in value.columns]
        headings = [(column["heading"] or "").strip() for column in value.columns]
        if not kinds or kinds[0] != LABEL_COLUMN:
            problems.append("Start with a 'Labels' column: what each row is.")
        if LABEL_COLUMN in kinds[1:]:
            problems.append("Only the first column holds labels; the others hold figures.")
        series = kinds.count(NUMBER_COLUMN)
        if not series:
            problems.append("Add at least one column of figures.")
        if series > MAX_SERIES_COLOURS:
            problems.append(f"Use at most {MAX_SERIES_COLOURS} columns of figures.")
        if not all(headings):
            problems.append("Give every column a heading: it names the column in the files.")
        elif len({h.casefold() for h in headings}) != len(headings):
            problems.append("Give each column a different heading.")
        if not value.row_data:
            problems.append("Add at least one row.")
        if len(value.row_data) > MAX_ROWS:
            problems.append(f"Use at most {MAX_ROWS} rows: a chart with more is hard to read.")
        if problems:
            raise TypedTableBlockValidationError(non_block_errors=problems)
        return value

    class Meta:
        icon = "table"


class DatasetValue(blocks.StructValue):
    """A dataset as readers, files and the data package see it."""

    @cached_property
    def series_names(self):
        return [column["heading"].strip() for column in self["data"].columns[1:]]

    @cached_property
    def label_heading(self):
        columns = self["data"].columns
        return columns[0]["heading"].strip() if columns else "Label"

    @cached_property
    def rows(self):
        """(label, [figure or None, ...]) per row, figures as Decimals."""
        rows = []
        for row in self["data"].row_data:
            label, *figures = row["values"]
            rows.append(
                (str(label or ""), [None if f is None else Decimal(str(f)) for f in figures])
            )
        return rows

    @property
    def table_rows(self):
        """Rows with the figures written for the reader's language."""
        return [(label, [format_number(f) for f in figures]) for label, figures in self.rows]

    # Not `licence` or `chart`: templates look up dict keys (the child blocks) before attributes.
    @property
    def licence_details(self):
        code = self.get("licence") or DEFAULT_LICENCE
        name, url = LICENCES.get(code, LICENCES[DEFAULT_LICENCE])
        return {"code": code, "name": name, "url": url}

    @property
    def chart_svg(self):
        series = [
            (name, [figures[i] for _, figures in self.rows])
            for i, name in enumerate(self.series_names)
        ]
        return mark_safe(  # noqa: S308 (built as XML by ElementTree, which escapes text)
            draw_chart(
                kind=self["chart"],
                labels=[label for label, _ in self.rows],
                series=series,
                id_prefix=f"chart-{self['slug']}",
                title=self["title"],
                description=self["takeaway"],
            )
        )

    def source_for_files(self, absolute):
        """The source as files name it; `absolute` turns a site path into a full address."""
        source = self["source"]
        href = source.href if source else None
        return {
            "title": source.text if source else "",
            "path": absolute(href) if href else "",
        }

    def as_csv(self, absolute):
        """Comment lines (#) with the title, unit, source and licence, then the table: the
        data package declares the '#' so that tools skip them."""
        source, licence = self.source_for_files(absolute), self.licence_details
        out = io.StringIO()
        for name, text in (
            ("Title", self["title"]),
            ("Takeaway", self["takeaway"]),
            ("Unit", self["unit"]),
            ("Source", " ".join(filter(None, [source["title"], source["path"]]))),
            ("Licence", f"{licence['name']} {licence['url']}"),
        ):
            out.write(f"# {name}: {' '.join(str(text).split())}\r\n")
        writer = csv.writer(out)
        writer.writerow([_csv_text(self.label_heading), *map(_csv_text, self.series_names)])
        for label, figures in self.rows:
            writer.writerow([_csv_text(label), *map(_csv_number, figures)])
        return out.getvalue()

    def schema(self):
        return {
            "fields": [
                {"name": self.label_heading, "type": "string"},
                *(
                    {"name": name, "type": "number", "description": f"In {self['unit']}."}
                    for name in self.series_names
                ),
            ],
            "missingValues": [""],
        }

    def as_json(self, absolute):
        licence = self.licence_details
        data = {
            "title": self["title"],
            "name": self["slug"],
            "description": self["takeaway"],
            "unit": self["unit"],
            "sources": [self.source_for_files(absolute)],
            "licenses": [
                {"name": licence["code"], "title": licence["name"], "path": licence["url"]}
            ],
            "schema": self.schema(),
            "data": [
                {
                    self.label_heading: label,
                    **{
                        name: _json_number(figure)
                        for name, figure in zip(self.series_names, figures, strict=True)
                    },
                }
                for label, figures in self.rows
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2)

    def resource(self, absolute):
        """This dataset as one resource of a Frictionless data package."""
        licence = self.licence_details
        return {
            "name": self["slug"],
            "path": f"{self['slug']}.csv",
            "title": self["title"],
            "description": self["takeaway"],
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"commentChar": "#", "header": True},
            "sources": [self.source_for_files(absolute)],
            "licenses": [
                {"name": licence["code"], "title": licence["name"], "path": licence["url"]}
            ],
            "schema": self.schema(),
        }


CHART_KINDS = [
    ("horizontal_bar", "Bars across (best on phones and for long labels)"),
    ("bar", "Columns"),
    ("line", "Line (for figures over time)"),
]


class DatasetBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        max_length=120,
        help_text="What the figures are, e.g. 'Grants tracked by the State of Open "
        "Infrastructure'. Shown above the chart and in the files.",
    )
    takeaway = blocks.CharBlock(
        max_length=200,
        help_text="One sentence a reader should remember, e.g. 'The 2025 edition tracks 641 "
        "grants, up from 514.' Screen readers read it as the chart's description.",
    )
    slug = blocks.CharBlock(
        max_length=60,
        validators=[slug_validator],
        help_text="The dataset's address: /impact/data/<slug>.csv. Lower-case words joined by "
        "hyphens. Others link to it, so do not change it once published.",
    )
    chart = blocks.ChoiceBlock(
        choices=CHART_KINDS,
        default="horizontal_bar",
        help_text="How the figures are drawn. The table of figures is always shown too.",
    )
    unit = blocks.CharBlock(
        max_length=40,
        help_text="What the figures count, e.g. 'grants' or 'US$ millions'.",
    )
    data = DatasetTableBlock(
        help_text="The figures. First a column of labels, then one column of figures per "
        "series, each with a heading (e.g. 'Edition', 'Grants').",
    )
    source = DatasetSourceBlock(help_text="Where the figures come from.")
    licence = blocks.ChoiceBlock(
        choices=[(code, name) for code, (name, _) in LICENCES.items()],
        default=DEFAULT_LICENCE,
        help_text="The licence others may reuse the figures under. IOI's content is CC BY 4.0.",
    )

    class Meta:
        icon = "table"
        template = "components/dataset_block.html"
        value_class = DatasetValue
        label = "Dataset"
        description = "Figures shown as a chart and a table, and offered as open data files."
        preview_value = {
            "title": "Grants tracked by the State of Open Infrastructure",
            "takeaway": "The 2025 edition tracks 641 grants, up from 514.",
            "slug": "grants-tracked",
            "chart": "bar",
            "unit": "grants",
            "data": {
                "columns": [
                    {"type": "label", "heading": "Edition"},
                    {"type": "number", "heading": "Grants"},
                ],
                "rows": [{"values": ["2024 edition", "514"]}, {"values": ["2025 edition", "641"]}],
                "caption": "",
            },
            "source": {"page": None, "link": None, "title": "State of Open Infrastructure"},
            "licence": DEFAULT_LICENCE,
        }


class DatasetsBlock(blocks.StreamBlock):
    dataset = DatasetBlock()

    def clean(self, value):
        value = super().clean(value)
        seen = {}
        errors = {}
        for index, child in enumerate(value):
            slug = child.value["slug"]
            if slug in seen:
                errors[index] = blocks.StructBlockValidationError(
                    block_errors={
                        "slug": ErrorList([f"Dataset {seen[slug] + 1} already uses '{slug}'."])
                    }
                )
            else:
                seen[slug] = index
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value

    class Meta:
        max_num = 12
