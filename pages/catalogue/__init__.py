"""The open infrastructure catalogue at /catalogue/ (docs/catalogue.md): entries edited like any
page, the vocabularies they are described with as data, the index's search, filters and compare,
and the downloads. A Django app of its own (label `catalogue`), so its tables and migrations read
apart from the rest of `pages` (docs/architecture.md)."""
