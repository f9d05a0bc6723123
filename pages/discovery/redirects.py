"""Redirects from the old site's addresses to pages of this one (docs/discoverability.md)."""

import csv
from pathlib import Path

from django.conf import settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

OLD_SITE_REDIRECTS = Path(settings.BASE_DIR) / "docs" / "old-site-redirects.csv"


def read_rows(csv_file):
    """The (line, from, to) rows of a CSV file with 'from' and 'to' columns."""
    with open(csv_file, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"from", "to"} <= set(reader.fieldnames):
            raise ValueError(f"{csv_file} needs a header row with 'from' and 'to' columns.")
        return [
            (n, (row["from"] or "").strip(), (row["to"] or "").strip())
            for n, row in enumerate(reader, start=2)
        ]


def expand(rows, site):
    """Rows as (line, old path, new path, page or None). A row whose two paths end in `*` is a
    rule for a whole section: `/blog/*,/news/*` sends /blog/<slug>/ to /news/<slug>/ for each
    live page below /news/ (the old site's posts, published here under the same slugs)."""
    for line, old, new in rows:
        if old.endswith("*") and new.endswith("*"):
            section = _live_page_at(site, new[:-1])
            if section is None:
                yield line, old, new, None
                continue
            for child in section.get_children().live():
                yield line, f"{old[:-1].rstrip('/')}/{child.slug}/", child.url_path, child
        else:
            yield line, old, new, _live_page_at(site, new)


def _live_page_at(site, path):
    trimmed = path.strip("/")
    url_path = site.root_page.url_path + (f"{trimmed}/" if trimmed else "")
    return Page.objects.live().filter(url_path=url_path).first()


def redirect_to_pages(rows, site, replace=True):
    """Point each old path at the live page at the new path. With replace=False an existing
    redirect for that old path is kept as it is (an editor may have changed it). Returns the
    number made or updated, and the problems."""
    made, problems = 0, []
    for line, old, new, page in expand(rows, site):
        if not old or page is None or "*" in old:
            problems.append(f"line {line}: no live page at {new!r} for {old!r}")
            continue
        old_path = Redirect.normalise_path(old)
        if not replace and Redirect.objects.filter(old_path=old_path, site=site).exists():
            continue
        Redirect.objects.update_or_create(
            old_path=old_path,
            site=site,
            defaults={"redirect_page": page, "redirect_link": "", "is_permanent": True},
        )
        made += 1
    return made, problems
