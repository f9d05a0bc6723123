"""A dataset drawn as an SVG chart on the server, by pygal, for pages that run no script.

pygal's SVG carries a script, a <style> sheet, inline `style` attributes, tooltip markup and ids
of its own. The site's Content-Security-Policy refuses the first three in an inline SVG, and the
ids would repeat when a page shows two charts, so they are all taken out: the colours and type
come from static/css/site.css (`.chart-svg`), whose sizes match FONT_SIZES below so that
pygal's layout and the rendered text agree. What a screen reader gets is the <title> and <desc>
named by aria-labelledby; the figures themselves are in the table beside the chart."""

import math
from decimal import Decimal
from xml.etree import ElementTree

import pygal
from django.utils.formats import number_format
from pygal.etree import etree as pygal_etree
from pygal.style import Style

# pygal builds its drawing with lxml when lxml is installed (citeproc-py brings it), else with the
# standard library's ElementTree, which is what the clean-up below works on: always that one.
pygal_etree.to_etree()

# The drawing's own units. The SVG scales to the width of its column (CSS: width 100%), so a
# narrow box keeps the text legible on a phone: 480 units across a 330 px screen is 11-12 px
# text at size 17.
WIDTH = 480
FONT_SIZES = {
    "label_font_size": 17,
    "major_label_font_size": 17,
    "value_font_size": 17,
    "legend_font_size": 17,
    "title_font_size": 17,
    "tooltip_font_size": 17,
    "value_label_font_size": 17,
}
MAX_SERIES_COLOURS = 6  # .chart-svg .color-0 to .color-5 in site.css

KINDS = {
    "horizontal_bar": pygal.HorizontalBar,
    "bar": pygal.Bar,
    "line": pygal.Line,
}


def format_number(value):
    """A figure written for the reader's language ('1,234.5' in English, '1.234,5' in Spanish),
    with the decimals the editor typed and no more."""
    if value is None:
        return ""
    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return number_format(value, force_grouping=True)


def ticks(highest, most=4):
    """A few round values for the value axis, from 0 to just above the highest figure: on a
    phone, pygal's own choice (every 20 up to 200) runs its labels into each other."""
    if highest <= 0:
        return [0, 1]
    magnitude = 10 ** math.floor(math.log10(highest))
    step = next(
        m * magnitude
        for m in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10)
        if highest / (m * magnitude) <= most
    )
    count = math.ceil(highest / step - 1e-9)
    return [round(step * n, 10) for n in range(count + 1)]


def _height(kind, rows, series):
    legend = 34 * series if series > 1 else 0
    if kind == "horizontal_bar":
        return 70 + rows * (26 * series + 18) + legend
    return 300 + legend


def _strip(root):
    """Take out what the Content-Security-Policy refuses, and what would repeat or be noise."""
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in list(root.iter()):
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        classes = element.get("class", "").split()
        unwanted = (
            not isinstance(element.tag, str)  # comments
            or tag in ("defs", "script", "style", "title", "desc")
            or "tooltip-overlay" in classes
            or "overlay" in classes
        )
        if unwanted and element in parents:
            parents[element].remove(element)
            continue
        for attribute in ("id", "style"):
            element.attrib.pop(attribute, None)
        if "reactive" in classes or "tooltip-trigger" in classes:
            kept = [c for c in classes if c not in ("reactive", "tooltip-trigger")]
            element.set("class", " ".join(kept))


def _after_bar_ends(root):
    """pygal centres a bar's figure on the bar's end; across, it reads better just after it."""
    for element in root.iter():
        if element.get("class") == "value" and element.tag.endswith("text"):
            element.set("x", f"{float(element.get('x', 0)) + 6:.1f}")
            element.attrib.pop("text-anchor", None)


def draw_chart(*, kind, labels, series, id_prefix, title, description):
    """The SVG markup of a chart. `series` is a list of (name, values) with values as numbers
    or None for a missing figure; `id_prefix` must be unique on the page."""
    chart_class = KINDS.get(kind, pygal.HorizontalBar)
    chart = chart_class(
        width=WIDTH,
        height=_height(kind, len(labels), len(series)),
        explicit_size=False,
        disable_xml_declaration=True,
        js=[],
        css=[],
        no_prefix=True,
        style=Style(**FONT_SIZES),
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        print_values=True,
        print_values_position="top",
        formatter=format_number,
        value_formatter=format_number,
        truncate_label=-1,
        truncate_legend=-1,
        include_x_axis=True,
        margin=12,
        spacing=8,
        show_y_guides=kind != "horizontal_bar",
        show_x_guides=kind == "horizontal_bar",
        x_label_rotation=0,
        dots_size=4,
    )
    figures = [v for _, values in series for v in values if v is not None]
    highest = float(max(figures, default=0))
    if kind == "horizontal_bar" and highest > 0:
        # Room after the longest bar for its figure, written just beyond its end.
        chart.range = (0, highest * 1.2)
    if kind == "horizontal_bar":
        # pygal stacks the first row at the bottom; a reader expects it at the top, as in the table.
        labels = labels[::-1]
        series = [(name, values[::-1]) for name, values in series]
    chart.y_labels = ticks(highest)
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, [None if v is None else float(v) for v in values])
    root = chart.render_tree()
    _strip(root)
    if kind == "horizontal_bar":
        _after_bar_ends(root)
    title_id, description_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    root.attrib.pop("class", None)
    root.set("class", f"chart-svg chart-svg--{kind}")
    root.set("role", "img")
    root.set("aria-labelledby", f"{title_id} {description_id}")
    root.set("focusable", "false")
    title_element = ElementTree.Element("title", id=title_id)
    title_element.text = title
    description_element = ElementTree.Element("desc", id=description_id)
    description_element.text = description
    root.insert(0, description_element)
    root.insert(0, title_element)
    return ElementTree.tostring(root, encoding="unicode", short_empty_elements=True)
