"""Spreadsheet exports that a spreadsheet cannot run as formulas."""

from wagtail.snippets.views.snippets import IndexView

# What spreadsheet programs read as the start of a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a formula-looking text with an apostrophe so it is shown, never computed."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeExportIndexView(IndexView):
    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))
