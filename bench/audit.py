"""Audit: Lighthouse's four scores and axe-core's violation count for the pages readers land
on, served by gunicorn with production settings from the seeded site.

    make audit     (or: .venv/bin/python bench/audit.py --lighthouse PATH)

Lighthouse comes from npm (`make audit` installs it into .audit/), Chromium from Debian. Every
server listens on 127.0.0.1 only and is stopped at the end."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from page_speed import (  # noqa: E402 (the page benchmark's helpers)
    ROOT,
    base_env,
    free_port,
    prepare,
    start_gunicorn,
    stop,
)

AUDITED = [
    ("overview", "/"),
    ("initiatives", "/initiatives/"),
    ("an initiative", "/initiatives/research/"),
    ("impact", "/impact/"),
    ("contact", "/contact/"),
    ("research", "/research/"),
    ("a publication", "/research/state-of-open-infrastructure-2025/"),
    ("news", "/news/"),
    ("a news post", "/news/infra-finder/"),
    ("search", "/search/?q=open+infrastructure"),
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROMIUM = os.environ.get("IOI_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def lighthouse_scores(lighthouse, url, attempts=3):
    """Lighthouse now and then fails to record a trace on a busy machine (NO_NAVSTART); such a
    run is tried again, a bounded number of times."""
    for attempt in range(1, attempts + 1):
        try:
            return _lighthouse_once(lighthouse, url)
        except RuntimeError:
            if attempt == attempts:
                raise


def _lighthouse_once(lighthouse, url):
    out = subprocess.run(
        [
            lighthouse,
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-path={CHROMIUM}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(os.environ, CHROME_PATH=CHROMIUM),
    )
    if out.returncode:
        raise RuntimeError(f"Lighthouse failed on {url}:\n{out.stderr[-2000:]}")
    report = json.loads(out.stdout)
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    failing = [
        f"{audit['id']} ({audit['score']})"
        for audit in report["audits"].values()
        if audit.get("scoreDisplayMode") in ("binary", "numeric")
        and audit.get("score") is not None
        and audit["score"] < 0.9
    ]
    return scores, failing


def axe_counts(base_url):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    counts = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split())
        tab = browser.new_page()
        for _, path in AUDITED:
            tab.goto(base_url + path)
            counts[path] = Axe().run(tab).violations_count
        browser.close()
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lighthouse", default=str(ROOT / ".audit/node_modules/.bin/lighthouse"))
    args = parser.parse_args()
    if not Path(args.lighthouse).exists():
        raise SystemExit(f"Lighthouse not found at {args.lighthouse}: run `make audit`.")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}: apt-get install chromium.")

    workdir = Path(tempfile.mkdtemp(prefix="ioisite-audit-"))
    process = None
    try:
        env = base_env(workdir, f"sqlite:///{workdir}/audit.sqlite3", None)
        prepare(env, initiatives=3, links=5)
        port = free_port()
        process, _ = start_gunicorn(env, port, page_cache_seconds=300)
        base_url = f"http://127.0.0.1:{port}"
        subprocess.run(
            [sys.executable, "manage.py", "update_index"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        axe = axe_counts(base_url)
        print("| Page | Performance | Accessibility | Best practices | SEO | axe violations |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        notes = []
        for name, path in AUDITED:
            scores, failing = lighthouse_scores(args.lighthouse, base_url + path)
            print(
                f"| {name} `{path}` | {scores['performance']} | {scores['accessibility']} "
                f"| {scores['best-practices']} | {scores['seo']} | {axe[path]} |"
            )
            if failing:
                notes.append(f"{path}: {', '.join(failing)}")
        for note in notes:
            print(f"\nBelow 0.9 on {note}")
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
