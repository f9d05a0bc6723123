"""What makes a publication citable: its identifiers (DOI, ORCID iD) and the citation formats
readers and reference managers take (APA, BibTeX, RIS, CSL-JSON). Plain data in, text out: no
model is imported here, so page types and snippets can stand on it."""
