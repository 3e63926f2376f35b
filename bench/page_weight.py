"""Page weight: the JavaScript and CSS a page loads, gzipped, split into our own files and vendor files.

tests/config/test_page_weight.py holds the budgets; this module measures, and prints the table of
docs/page-weight.md for the same pages:

    make collectstatic && .venv/bin/python -m bench.page_weight

It renders the pages with Django's test client (DEBUG=0, the collected and hashed static files) on a throw-away
SQLite database, and gzips each file at level 9, as whitenoise's compressed copies are made.
"""

import gzip
import os
import secrets
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

KB = 1024
OWN_FOLDERS = ("js/", "css/")  # static/js and static/css; everything else the pages load is under vendor/
NOTES = {  # slug -> body: a note of text only, one with a diagram, one with a formula
    "plain": "## Intro\n\nSome text about Amazon S3.\n",
    "diagram": "## Flow\n\n```mermaid\nflowchart LR\n  Data --> Model\n```\n",
    "math": "## Loss\n\nThe loss is $L = -\\sum_i y_i \\log p_i$.\n",
}


@dataclass(frozen=True)
class Asset:
    name: str  # as collected: css/app.3f9c0e1b2a4d.css
    kind: str  # "js" or "css"
    own: bool
    size: int
    gzipped: int


def asset_names(html):
    """The static files a page loads: its <script src> and <link rel=stylesheet>, as names under STATIC_URL."""
    from django.conf import settings

    prefix = "/" + settings.STATIC_URL.lstrip("/")
    soup = BeautifulSoup(html, "html.parser")
    urls = [tag["src"] for tag in soup.select("script[src]")]
    urls += [tag["href"] for tag in soup.select("link[rel~=stylesheet][href]")]
    outside = [url for url in urls if not url.startswith(prefix)]
    if outside:
        raise ValueError(f"the page loads files from elsewhere: {outside}")
    return [url.removeprefix(prefix) for url in urls]


def weigh(html):
    """Every JS and CSS file the page loads, with its size and its gzipped size, from STATIC_ROOT."""
    from django.conf import settings

    assets = []
    for name in asset_names(html):
        data = (Path(settings.STATIC_ROOT) / name).read_bytes()
        assets.append(
            Asset(
                name=name,
                kind="js" if name.endswith(".js") else "css",
                own=name.startswith(OWN_FOLDERS),
                size=len(data),
                gzipped=len(gzip.compress(data, compresslevel=9, mtime=0)),
            )
        )
    return assets


def total(assets, *, own=None, kind=None):
    """Gzipped bytes of the assets, optionally only our own (or vendor) ones, only JS or CSS."""
    return sum(
        asset.gzipped
        for asset in assets
        if (own is None or asset.own == own) and (kind is None or asset.kind == kind)
    )


def make_pages(*, user):
    """An exam question page of an open attempt (of `user`) and the NOTES pages: {page name: URL}."""
    from django.utils import timezone

    from tests.factories import make_attempt, make_exam, make_note, make_question, make_question_set

    exam = make_exam()
    question_set = make_question_set(exam=exam, owner=user)
    questions = [
        make_question(question_set=question_set, kind=kind) for kind in ("multiple_choice", "ordering")
    ]
    attempt = make_attempt(user=user, questions=questions, now=timezone.now(), minutes=30)
    pages = {"exam question": f"/attempts/{attempt.pk}/q/1/"}
    for slug, body in NOTES.items():
        pages[f"note ({slug})"] = make_note(
            exam=exam, slug=slug, title=slug.title(), body=body
        ).get_absolute_url()
    return pages


def table(weights):
    """Markdown rows: page, our own JS and CSS, vendor JS and CSS, total (KB gzipped), and the vendor files."""
    lines = [
        "| Page | Own JS | Own CSS | Vendor JS | Vendor CSS | Total | Vendor files |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for page, assets in weights.items():
        sizes = [
            total(assets, own=True, kind="js"),
            total(assets, own=True, kind="css"),
            total(assets, own=False, kind="js"),
            total(assets, own=False, kind="css"),
            total(assets),
        ]
        vendor = ", ".join(dict.fromkeys(asset.name.split("/")[1] for asset in assets if not asset.own))
        lines.append(f"| {page} | " + " | ".join(f"{size / KB:.1f}" for size in sizes) + f" | {vendor} |")
    return "\n".join(lines)


def main():
    with tempfile.TemporaryDirectory(prefix="certprep-page-weight-") as folder:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="testserver",
            SECURE_SSL_REDIRECT="0",
            DATABASE_URL=f"sqlite:///{folder}/page-weight.sqlite3",
            DATA_DIR=folder,
            LOG_LEVEL="WARNING",
        )
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        user = get_user_model().objects.create_user(username="alice")  # force_login: no password needed
        client = Client()
        client.force_login(user)
        weights = {}
        for page, url in make_pages(user=user).items():
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
            weights[page] = weigh(response.content.decode())
    print(table(weights))


if __name__ == "__main__":
    main()
