"""The methods pages: how the projection works (docs/model.md), the glossary of the pages'
words (docs/glossary.md) and the analyst guide to the API (docs/api.md), rendered from the
repository's documents so that the docs and the app say the same."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.documents import read_document

DOCS_DIR = settings.BASE_DIR / "docs"
# The methods pages, each linking to the others: (document, URL name, label).
PAGES = (
    ("model", "methods", "How the projection works"),
    ("glossary", "glossary", "Glossary"),
    ("api", "api-guide", "The API: a guide for analysts"),
)


def _document_page(request: HttpRequest, name: str) -> HttpResponse:
    document = read_document(DOCS_DIR, name)
    context = {"document": document, "name": name, "pages": PAGES}
    return render(request, "core/methods/document.html", context)


@login_required
def methods(request: HttpRequest) -> HttpResponse:
    return _document_page(request, "model")


@login_required
def glossary(request: HttpRequest) -> HttpResponse:
    return _document_page(request, "glossary")


@login_required
def api_guide(request: HttpRequest) -> HttpResponse:
    return _document_page(request, "api")
