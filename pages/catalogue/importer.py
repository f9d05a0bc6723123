"""Reading a CSV in the download's own columns (exports.to_csv) back into the catalogue, for IOI
to bulk-load its data: an entry found by its slug under the index is updated, else made, and each
is published. Every row is checked before anything is written, and the writing is one
transaction: a file with one bad cell changes nothing."""

import csv
import io
from datetime import date

from django.db import transaction

from . import sections
from .exports import unneutralise
from .models.entries import CatalogueEntryPage, EntryPolicy, Term
from .sections import MULTI_SEPARATOR

MAX_ROWS = 10_000


class CatalogueImportError(Exception):
    """The file cannot be imported; `problems` lists each, with its line."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems[:20]) + (" ..." if len(problems) > 20 else ""))


def _columns():
    return {column.name: column for column in sections.columns()}


def read_rows(text):
    """The CSV's rows as dicts, its header checked against the download's columns."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = reader.fieldnames or []
    known = _columns()
    problems = []
    if not header:
        raise CatalogueImportError(["The file is empty: it has no header row."])
    unknown = [name for name in header if name not in known]
    if unknown:
        problems.append("Unknown columns: " + ", ".join(unknown[:10]))
    for required in ("slug", "name"):
        if required not in header:
            problems.append(f"The '{required}' column is missing.")
    if len(set(header)) != len(header):
        problems.append("A column is named twice in the header.")
    if problems:
        raise CatalogueImportError(problems)
    rows = []
    try:
        for row in reader:
            if None in row:
                raise CatalogueImportError(
                    [f"Line {reader.line_num}: more cells than the header has columns."]
                )
            rows.append((reader.line_num, row))
            if len(rows) > MAX_ROWS:
                raise CatalogueImportError([f"More than {MAX_ROWS} rows."])
    except csv.Error as error:
        problem = f"Line {reader.line_num}: not a CSV file ({error})."
        raise CatalogueImportError([problem]) from error
    return rows


class Importer:
    def __init__(self, index):
        self.index = index
        self.terms = {
            (term.vocabulary, term.slug): term
            for term in Term.objects.filter(locale_id=index.locale_id)
        }
        self.existing = {
            page.slug: page for page in CatalogueEntryPage.objects.child_of(index).specific()
        }
        self.problems = []

    def parse(self, line, column, text):
        """A cell as the field's value; a problem noted (and None) if it is not one."""
        text = unneutralise((text or "").strip())
        kind = column.kind
        if text == "":
            if kind in ("terms", "entries"):
                return []
            if kind == "bool":
                return False
            return None if kind in ("year", "number", "date", "term", "policy") else ""
        try:
            if kind in ("year", "number"):
                return int(text)
            if kind == "date":
                return date.fromisoformat(text)
        except ValueError:
            self.problems.append(f"Line {line}, {column.name}: '{text[:40]}' is not a {kind}.")
            return None
        if kind == "bool":
            if text not in ("true", "false"):
                self.problems.append(f"Line {line}, {column.name}: write true or false.")
            return text == "true"
        if kind == "choice":
            if text not in column.choice_labels:
                self.problems.append(f"Line {line}, {column.name}: '{text[:40]}' is no choice.")
            return text
        if kind == "policy":
            if text not in sections.STATUS_LABELS:
                self.problems.append(f"Line {line}, {column.name}: '{text[:40]}' is no status.")
            return text
        if kind in ("term", "terms"):
            slugs = [text] if kind == "term" else [s.strip() for s in text.split(";") if s.strip()]
            found = []
            for slug in slugs:
                term = self.terms.get((column.vocabulary, slug))
                if term is None:
                    self.problems.append(
                        f"Line {line}, {column.name}: no {column.vocabulary} term '{slug[:40]}' "
                        "(add it in Snippets → Catalogue terms first)."
                    )
                found.append(term)
            return found[0] if kind == "term" else found
        if kind == "entries":
            return [s.strip() for s in text.split(MULTI_SEPARATOR.strip()) if s.strip()]
        return text

    def run(self, text):
        rows = read_rows(text)
        columns = _columns()
        parsed = []
        slugs = set()
        for line, row in rows:
            values = {name: self.parse(line, columns[name], cell) for name, cell in row.items()}
            slug = values.get("slug") or ""
            if not slug or not values.get("name"):
                self.problems.append(f"Line {line}: a slug and a name are needed.")
            elif slug in slugs:
                self.problems.append(f"Line {line}: '{slug}' is in the file twice.")
            slugs.add(slug)
            parsed.append((line, values))
        known = slugs | set(self.existing)
        for line, values in parsed:
            for other in values.get("integrations", []):
                if other not in known:
                    self.problems.append(f"Line {line}, integrations: no entry '{other[:40]}'.")
        if self.problems:
            raise CatalogueImportError(self.problems)
        with transaction.atomic():
            pages = {}
            for _line, values in parsed:
                page = self.existing.get(values["slug"])
                if page is None:
                    page = CatalogueEntryPage(
                        title=values["name"],
                        slug=values["slug"],
                        live=False,
                        locale_id=self.index.locale_id,
                    )
                    self.index.add_child(instance=page)
                pages[values["slug"]] = page
            everything = {**self.existing, **pages}
            for _line, values in parsed:
                self.write(pages[values["slug"]], values, columns, everything)
        return len(parsed)

    def write(self, page, values, columns, everything):
        policies = {}
        for name, value in values.items():
            column = columns[name]
            if name == "name":
                page.title = value
            elif name == "slug":
                continue
            elif column.kind == "policy":
                policies.setdefault(column.policy, {})["status"] = value
            elif column.kind == "policy_url":
                policies.setdefault(column.policy, {})["url"] = value or ""
            elif column.kind == "entries":
                setattr(page, column.field, [everything[slug] for slug in value])
            else:
                setattr(page, column.field, value)
        page.policies = [
            EntryPolicy(
                policy=key, status=policy["status"], url=policy.get("url", ""), sort_order=n
            )
            for n, (key, policy) in enumerate(policies.items())
            if policy.get("status")
        ]
        page.save_revision(log_action=True).publish()
