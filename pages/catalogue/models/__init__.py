"""The catalogue's models: the vocabularies and entries (entries.py), and the index that finds,
compares and downloads them (index.py), which stands on finder.py and the entries."""

from .entries import CatalogueEntryPage, EntryPolicy, Term
from .index import CatalogueIndexPage

__all__ = ["CatalogueEntryPage", "CatalogueIndexPage", "EntryPolicy", "Term"]
