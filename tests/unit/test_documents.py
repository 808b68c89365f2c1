"""docs/*.md as HTML: headings with ids, tables, and raw HTML escaped. No database."""

from __future__ import annotations

import pytest

from core.documents import anchor_of, read_document, render_markdown


def test_it_takes_the_first_heading_as_the_title_and_gives_the_others_ids():
    document = render_markdown(
        "# How it works\n\n## What is projected\n\nText.\n\n### P10, P50 and P90\n"
    )
    assert document.title == "How it works"
    assert "<h1" not in document.html
    assert '<h2 id="what-is-projected">What is projected</h2>' in document.html
    assert '<h3 id="p10-p50-and-p90">P10, P50 and P90</h3>' in document.html
    assert [h.anchor for h in document.contents()] == ["what-is-projected"]
    assert document.anchors == {"what-is-projected", "p10-p50-and-p90"}


def test_two_headings_of_the_same_words_get_different_ids():
    document = render_markdown("## Notes\n\n## Notes\n")
    assert [h.anchor for h in document.headings] == ["notes", "notes-2"]


def test_raw_html_is_shown_as_text_never_passed_through():
    document = render_markdown(
        '# T\n\n<script>alert("x")</script>\n\nA <img src=x onerror=alert(1)> and '
        "[a link](javascript:alert(1)).\n"
    )
    assert "<script" not in document.html and "<img" not in document.html
    assert "&lt;script&gt;" in document.html and "&lt;img" in document.html
    assert 'href="javascript' not in document.html


def test_tables_take_the_nhs_table_style():
    document = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<table class="nhsuk-table app-document-table">' in document.html
    assert "<td>1</td>" in document.html


def test_an_anchor_is_the_words_in_lower_case_joined_by_hyphens():
    assert anchor_of("Shared by baseline FTE") == "shared-by-baseline-fte"
    assert anchor_of("Peers: rank and percentile") == "peers-rank-and-percentile"
    assert anchor_of("!!!") == "section"


def test_only_the_named_documents_are_read(tmp_path):
    (tmp_path / "model.md").write_text("# Model\n\n## Defaults\n", encoding="utf-8")
    assert read_document(tmp_path, "model").title == "Model"
    with pytest.raises(KeyError):
        read_document(tmp_path, "../secrets")
