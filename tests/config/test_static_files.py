"""Static files: served by WhiteNoise with hashed, compressed names; front-end libraries come from npm."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings


@pytest.mark.django_db
def test_pages_link_hashed_static_files_that_exist_compressed(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    links = [tag["href"] for tag in soup.select("link[rel=stylesheet]")] + [
        tag["src"] for tag in soup.select("script[src]")
    ]
    assert any("vendor/pico/pico.min." in link for link in links)
    for link in links:
        name = Path(link.split("/static/", 1)[1])
        assert len(name.suffixes) >= 2, f"{link} has no content hash"
        collected = Path(settings.STATIC_ROOT) / name
        assert collected.exists(), link
        assert collected.with_name(collected.name + ".gz").exists(), f"{link} has no compressed copy"


def test_no_page_template_loads_anything_from_a_cdn():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    for template in templates:
        text = template.read_text()
        assert "https://cdn" not in text and "unpkg.com" not in text and "jsdelivr" not in text, template
