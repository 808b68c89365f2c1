"""The board pack laid out as a file: PDF (an HTML page of the pack printed by headless
Chromium) or PowerPoint (python-pptx), each chart as a PNG image with its key figures."""

from __future__ import annotations

import base64
import io
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from PIL import Image
from pptx import Presentation
from pptx.util import Inches, Pt

from .content import FORMATS, BoardPack
from .images import ChartImageError, chart_images

PRINT_TIMEOUT = 60  # seconds for Chromium to print the page
LINES_A_SLIDE = 10  # assumption or completeness lines on one slide
KEY_LINES = 6  # rows of a chart's table beside it on a slide


@dataclass(frozen=True)
class Document:
    content: bytes
    content_type: str
    file_name: str


def pack_html(pack: BoardPack, images: Mapping[str, bytes]) -> str:
    """The page Chromium prints: self-contained, the images inline, nothing to fetch."""
    shown = [
        (chart, base64.b64encode(images[chart.key]).decode("ascii"))
        for chart in pack.charts
        if chart.key in images
    ]
    return render_to_string("workforce/boardpack/pack.html", {"pack": pack, "charts": shown})


def _print_pdf(page: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="board-pack-") as folder:
        html, pdf = Path(folder, "pack.html"), Path(folder, "pack.pdf")
        html.write_text(page, encoding="utf-8")
        command = [
            settings.CHROMIUM_PATH,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--no-first-run",
            f"--user-data-dir={Path(folder, 'profile')}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT, check=True)
        except (OSError, subprocess.SubprocessError) as error:
            raise ChartImageError(f"Chromium could not print the board pack: {error}") from error
        if not pdf.exists():
            raise ChartImageError("Chromium printed no board pack.")
        return pdf.read_bytes()


def board_pack_pdf(pack: BoardPack, images: Mapping[str, bytes]) -> bytes:
    return _print_pdf(pack_html(pack, images))


def _text_box(slide, left, top, width, height, lines: Sequence[str], size: int, bold=False):

    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.font.bold = bold
        paragraph.space_after = Pt(4)
    return frame


def _widened(deck, shape) -> None:
    """The default template's placeholders are laid out for 4:3: span the 16:9 slide."""
    shape.left, shape.width = Inches(0.5), deck.slide_width - Inches(1)


def _titled(deck, title: str):
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
    slide.shapes.title.text = title
    _widened(deck, slide.shapes.title)
    return slide


def _lines_slides(deck, title: str, lines: Sequence[str]) -> None:

    for start in range(0, len(lines), LINES_A_SLIDE):
        slide = _titled(deck, title if not start else f"{title} (continued)")
        chunk = lines[start : start + LINES_A_SLIDE]
        _text_box(slide, Inches(0.6), Inches(1.5), Inches(12), Inches(5.6), chunk, 14)


def _chart_slide(deck, chart, image: bytes) -> None:
    slide = _titled(deck, chart.title)
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(24)
    width, height = Image.open(io.BytesIO(image)).size
    box_w, box_h = Inches(7.6), Inches(5.7)
    scale = min(box_w / width, box_h / height)
    slide.shapes.add_picture(
        io.BytesIO(image), Inches(0.3), Inches(1.5), int(width * scale), int(height * scale)
    )
    lines = ["Key figures", *([chart.note] if chart.note else [])] + [
        f"{row[0]}: "
        + "; ".join(f"{h}: {v}" for h, v in zip(chart.headings[1:], row[1:], strict=True))
        for row in chart.rows[:KEY_LINES]
    ]
    left_out = max(0, len(chart.rows) - KEY_LINES) + chart.more
    if left_out:
        lines.append(f"{left_out} more rows in the dashboard's table.")
    frame = _text_box(slide, Inches(8.1), Inches(1.5), Inches(5), Inches(5.7), lines, 10)
    frame.paragraphs[0].font.bold = True


def board_pack_pptx(pack: BoardPack, images: Mapping[str, bytes]) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = pack.title
    first.placeholders[
        1
    ].text = f"Board pack: {pack.subtitle}\n{pack.data_date}; projection run {pack.run_id}"
    summary = _titled(deck, f"Summary: {pack.subtitle}")
    figures = [f"{h.label}: {h.value}" + (f" ({h.note})" if h.note else "") for h in pack.headlines]
    _text_box(summary, Inches(0.6), Inches(1.5), Inches(6), Inches(5.6), figures, 14)
    _text_box(summary, Inches(6.9), Inches(1.5), Inches(6), Inches(5.6), pack.narrative, 16)
    for chart in pack.charts:
        if chart.key in images:
            _chart_slide(deck, chart, images[chart.key])
    _lines_slides(deck, "The scenario's assumptions", pack.assumptions or ["National defaults."])
    _lines_slides(
        deck, "Data and completeness", [f"Data date: {pack.data_date}.", *pack.completeness]
    )
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def board_pack_document(pack: BoardPack, fmt: str) -> Document:
    """The pack as a PDF or PPTX file (`fmt` one of FORMATS), its charts drawn once."""
    images = chart_images({chart.key: chart.figure for chart in pack.charts})
    render = board_pack_pdf if fmt == "pdf" else board_pack_pptx
    return Document(render(pack, images), FORMATS[fmt], pack.file_name(fmt))
