"""The methods pages: docs/model.md, docs/glossary.md and docs/api.md in the app, for any
signed-in user, with raw HTML in them escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.documents import render_markdown
from core.views import methods
from workforce.templatetags.glossary import CHART_ENTRIES, ENTRIES

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[2] / "docs"
TERMS = (  # the words the pages use that the glossary must explain
    "p10-p50-and-p90",
    "likely-range",
    "draws",
    "seed",
    "shared-by-baseline-fte",
    "programme-codes",
    "shortfall-against-demand",
    "gap-to-target",
    "illustrative-figures",
    "planning-sector",
    "central-scenario",
)


def headings_of(path: Path) -> list[tuple[int, str]]:
    """The (level, text) of every heading after the title."""
    found = re.findall(r"^(#{2,4}) (.+)$", path.read_text(encoding="utf-8"), re.M)
    return [(len(hashes), text) for hashes, text in found]


def test_the_methods_page_shows_every_heading_of_the_model_with_contents(client, cast):
    client.force_login(cast.uploader_a)  # any signed-in user
    response = client.get("/methods/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>How the projection works</h1>" in html
    for level, heading in headings_of(DOCS / "model.md"):
        assert f">{heading}</h{level}>" in html, heading
    assert '<a class="nhsuk-contents-list__link" href="#defaults">Defaults</a>' in html
    assert '<table class="nhsuk-table app-document-table">' in html
    assert 'href="/methods/">Methods</a>' in html  # in the menu


def test_raw_html_in_a_document_is_escaped_on_the_page(client, cast, tmp_path, monkeypatch):
    (tmp_path / "model.md").write_text(
        "# Model\n\n## Part\n\n<script>alert('x')</script>\n\n<b onclick=\"x()\">bold</b>\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(methods, "DOCS_DIR", tmp_path)
    client.force_login(cast.lead_x)
    html = client.get("/methods/").content.decode()
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<b onclick" not in html


@pytest.mark.parametrize("path", ["/methods/", "/methods/glossary/", "/methods/api/"])
def test_anonymous_users_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_glossary_explains_every_term_the_pages_use(client, cast):
    client.force_login(cast.analyst_x)
    html = client.get("/methods/glossary/").content.decode()
    glossary = render_markdown((DOCS / "glossary.md").read_text(encoding="utf-8"))
    assert set(TERMS) <= glossary.anchors
    assert set(ENTRIES) <= glossary.anchors  # every link from a page lands on an entry
    assert set(CHART_ENTRIES.values()) <= set(ENTRIES)
    for anchor in TERMS:
        assert f'id="{anchor}"' in html


def test_the_api_guide_is_in_the_app_with_a_link_to_the_interactive_docs(client, cast):
    client.force_login(cast.analyst_x)
    html = client.get("/methods/api/").content.decode()
    assert "<h1>The API: a guide for analysts</h1>" in html
    for level, heading in headings_of(DOCS / "api.md"):
        assert f">{heading}</h{level}>" in html, heading
    assert 'href="/api/v1/docs/"' in html


def test_the_api_docs_carry_the_apps_header_with_links_back_and_to_the_guide(client, cast):
    for user in (None, cast.lead_x):
        if user:
            client.force_login(user)
        html = client.get("/api/v1/docs/").content.decode()
        header = html.split('id="swagger-ui"')[0]
        assert 'href="/"' in header and "ICS Workforce Planner" in header
        assert 'href="/methods/api/"' in header and "Analyst guide" in header
        assert "SwaggerUIBundle" not in header  # the page's scripts stay after it
        assert 'id="swagger-ui"' in html
