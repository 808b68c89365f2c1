"""The repository's documents (docs/*.md) as HTML for the app's pages. Pure: no Django.

Markdown is rendered by markdown-it-py (CommonMark with tables). Raw HTML in the source is
escaped, never passed through, and links to `javascript:` and the like are not made, so a
document shows as text whatever it holds. Each heading gets an id from its words, so that a
page and a link elsewhere can point at it (`/methods/glossary/#likely-range`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Documents the app shows, by the name a page asks for: nothing else is read from disk.
DOCUMENTS = ("model", "glossary", "api")


@dataclass(frozen=True)
class Heading:
    level: int  # 1 for "#", 2 for "##", ...
    text: str
    anchor: str  # the heading's id


@dataclass(frozen=True)
class Document:
    title: str  # the text of the first top-level heading, else ""
    html: str  # the body, the first top-level heading left out (the page shows the title)
    headings: list[Heading]  # every heading after the title, in order

    def contents(self, level: int = 2) -> list[Heading]:
        """The headings of one level: the page's table of contents."""
        return [h for h in self.headings if h.level == level]

    @property
    def anchors(self) -> set[str]:
        return {h.anchor for h in self.headings}


def anchor_of(text: str) -> str:
    """A heading's id: its words in lower case joined by hyphens ("P10, P50 and P90" ->
    "p10-p50-and-p90")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    return parser


def _label(tokens: list[Token], index: int) -> str:
    """The plain text of the inline token after a heading_open."""
    inline = tokens[index + 1]
    return "".join(child.content for child in inline.children or [] if child.content) or (
        inline.content
    )


def render_markdown(text: str) -> Document:
    """Markdown as HTML, with ids on the headings, tables in the NHS.UK table style, and the
    first top-level heading taken out as the title."""
    parser = _parser()
    tokens = parser.parse(text)
    title, headings, used = "", [], set()
    keep: list[Token] = []
    skip_until = -1
    for index, token in enumerate(tokens):
        if index <= skip_until:
            continue
        if token.type == "heading_open":
            level = int(token.tag[1])
            label = _label(tokens, index)
            if level == 1 and not title:
                title = label
                skip_until = index + 2  # heading_open, inline, heading_close
                continue
            anchor = anchor_of(label)
            number = 2
            while anchor in used:  # two headings of the same words: the second gets "-2"
                anchor = f"{anchor_of(label)}-{number}"
                number += 1
            used.add(anchor)
            token.attrSet("id", anchor)
            headings.append(Heading(level, label, anchor))
        elif token.type == "table_open":
            token.attrSet("class", "nhsuk-table app-document-table")
        keep.append(token)
    html = parser.renderer.render(keep, parser.options, {})
    return Document(title=title, html=html, headings=headings)


def read_document(directory: Path, name: str) -> Document:
    """docs/<name>.md rendered; a name not in DOCUMENTS raises KeyError."""
    if name not in DOCUMENTS:
        raise KeyError(name)
    return render_markdown((directory / f"{name}.md").read_text(encoding="utf-8"))
