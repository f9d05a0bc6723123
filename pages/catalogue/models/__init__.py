"""The catalogue's models: the vocabularies and entries (entries.py), the index that finds,
compares and downloads them (index.py), which stands on finder.py and the entries, and the
infrastructures the public suggests (suggestions.py)."""

from .entries import CatalogueEntryPage, EntryPolicy, Term
from .index import CatalogueIndexPage
from .suggestions import Suggestion

__all__ = ["CatalogueEntryPage", "CatalogueIndexPage", "EntryPolicy", "Suggestion", "Term"]
