"""The board pack's charts as PNG images: the dashboard's Plotly figures drawn by kaleido in
the system's Chromium (settings.CHROMIUM_PATH), with the vendored plotly.js and no MathJax,
so nothing is fetched from the internet."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping

import kaleido
from django.conf import settings

PLOTLY_JS = settings.BASE_DIR / "static" / "vendor" / "plotly" / "plotly.min.js"
WIDTH = 1100  # pixels, at SCALE: sharp on a slide and on an A4 page
HEIGHT = 520  # where the figure's layout sets none
SCALE = 1.5
TIMEOUT = 60  # seconds for any one image
# Tries with a new browser: on a busy machine kaleido's page can be asked to draw before its
# script has loaded ("kaleido_scopes is not defined"), which a second browser does not repeat.
ATTEMPTS = 2


logger = logging.getLogger(__name__)
# The browser driver logs every tab it takes and returns at INFO: a line per chart.
for _name in ("kaleido", "choreographer"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class ChartImageError(RuntimeError):
    """Chromium could not draw a chart."""


def _size(figure: dict) -> tuple[int, int]:
    return WIDTH, int(figure.get("layout", {}).get("height") or HEIGHT)


async def _draw(figures: Mapping[str, dict]) -> dict[str, bytes]:
    drawn = {}
    options = {"n": 1, "timeout": TIMEOUT, "plotlyjs": PLOTLY_JS, "mathjax": False}
    async with kaleido.Kaleido(**options) as k:
        for key, figure in figures.items():
            width, height = _size(figure)
            opts = {"format": "png", "width": width, "height": height, "scale": SCALE}
            drawn[key] = await k.calc_fig(figure, opts=opts)
    return drawn


def chart_images(figures: Mapping[str, dict]) -> dict[str, bytes]:
    """Each figure (plotly.js JSON, by key) as PNG bytes, by the same key: one browser for all."""
    if not figures:
        return {}
    if not os.path.exists(settings.CHROMIUM_PATH):
        raise ChartImageError(f"No Chromium at {settings.CHROMIUM_PATH} to draw the charts.")
    # choreographer (kaleido's browser driver) takes the browser from BROWSER_PATH.
    os.environ["BROWSER_PATH"] = settings.CHROMIUM_PATH
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return asyncio.run(_draw(figures))
        except Exception as error:  # the browser's failures come in many types
            if attempt < ATTEMPTS:
                logger.warning("drawing the charts failed, trying a new browser: %s", error)
                continue
            raise ChartImageError(f"The charts could not be drawn: {error}") from error
    return {}  # not reached: the last attempt returns or raises
