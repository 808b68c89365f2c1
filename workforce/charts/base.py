"""What every chart shares: the Chart and its table's columns, NHS colours, the layout.

Figures are plain dicts and lists, in plotly.js's own JSON shape, built with no
plotly.graph_objects: checking a figure there costs about 5 ms, and a dashboard draws about
ten. The tests check every figure against plotly's schema instead (docs/decisions.md).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

# NHS identity colours (NHS digital service manual, "Colour").
BLUE, DARK_BLUE = "#005eb8", "#003087"
ORANGE, WARM_YELLOW, RED, GREEN = "#ed8b00", "#ffb81c", "#d5281b", "#007f3b"
GREY, PALE_GREY, BLACK = "#425563", "#e8edee", "#212b32"
SCENARIO_COLOURS = (BLUE, ORANGE, "#330072", "#00a499")
RAG_COLOURS = {"red": RED, "amber": WARM_YELLOW, "green": GREEN, None: PALE_GREY}
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", None: "No target"}
FTE_AXIS = "Staff (full-time equivalent)"
YEAR_AXIS = "Financial year"
MONTH_AXIS = "Month of the return"
PROBABILITY = "Probability of meeting the target (%)"
NO_RETURNS = "No returns have been submitted yet."
NO_TARGETS = "No plan targets fall in this year."


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = "text"  # text, fte, percent, month (a date), count, status (RAG)
    short: str = ""  # a shorter heading for a narrow table on a page

    @property
    def label(self) -> str:
        return self.short or self.heading


@dataclass(frozen=True)
class Chart:
    key: str  # the chart's name in its download address
    title: str
    figure: dict | None  # None: nothing to draw; the page says `empty`
    columns: tuple[Column, ...]
    rows: list[tuple]  # numbers stay numbers, rounded as the table shows them
    empty: str = "There are no figures to show yet."

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]


def columns(*specs: str | tuple[str, ...]) -> tuple[Column, ...]:
    """Columns from headings, or (heading, kind[, short heading]) tuples."""
    return tuple(Column(*spec) if isinstance(spec, tuple) else Column(spec) for spec in specs)


def label(text: str) -> str:
    """A name typed by a user, safe in a figure: plotly reads a few HTML tags in its text."""
    return html.escape(text, quote=False)


def fte(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def percent(fraction: float | None) -> float | None:
    return None if fraction is None else round(fraction * 100, 1)


def layout(title: str, x_title: str, y_title: str, note: str = "", **extra) -> dict:
    """The house style: the title, how to read the chart (`note`, under the title), short
    axis titles, the legend on the right, where it never covers a title or an axis.
    `extra` adds to it (dicts such as `xaxis` merge)."""
    base = {
        "title": {
            "text": title,
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "pad": {"l": 8},
            "font": {"size": 18},
            "subtitle": {"text": note, "font": {"size": 14, "color": GREY}},
        },
        "font": {"family": "Arial, sans-serif", "size": 14, "color": BLACK},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 10, "r": 10, "t": 90 if note else 60, "b": 10, "pad": 4},
        "legend": {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"},
        "xaxis": {"title": {"text": x_title}, "automargin": True, "gridcolor": PALE_GREY},
        "yaxis": {"title": {"text": y_title}, "automargin": True, "gridcolor": PALE_GREY},
    }
    for key, value in extra.items():
        merge = isinstance(value, dict) and isinstance(base.get(key), dict)
        base[key] = {**base[key], **value} if merge else value
    return base


def figure(traces: Sequence[dict], layout_: dict) -> dict:
    """The figure as plain JSON data for plotly.js."""
    return {"data": list(traces), "layout": layout_}


def trace(kind: str, **spec) -> dict:
    """A trace of the given type ("scatter", "bar", "heatmap"), as plotly.js reads it."""
    return {"type": kind, **spec}


def line(x: list, y: list, name: str, colour: str, dash: str = "solid") -> dict:
    width = 3 if dash == "solid" else 2
    # A line of one or two points is hard to see: mark the points too.
    mode = "lines" if len(x) > 2 else "lines+markers"
    return trace(
        "scatter",
        x=x,
        y=y,
        name=name,
        mode=mode,
        line={"color": colour, "width": width, "dash": dash},
    )


def tint(colour: str, alpha: float) -> str:
    """A "#rrggbb" colour as rgba() with the given opacity."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def band(x: list, low: list, high: list, name: str, colour: str) -> list[dict]:
    """The P10-P90 range as a pale band (the P90 edge, then P10 filled up to it), so that the
    median line drawn over it stays visible."""
    edge = {"width": 0, "color": colour}
    return [
        trace("scatter", x=x, y=high, mode="lines", line=edge, hoverinfo="skip", showlegend=False),
        trace(
            "scatter",
            x=x,
            y=low,
            mode="lines",
            line=edge,
            fill="tonexty",
            fillcolor=tint(colour, 0.2),
            name=name,
            hoverinfo="skip",
        ),
    ]


def targets(points: dict[str, float]) -> dict:
    x = sorted(points)
    return trace(
        "scatter",
        x=x,
        y=[points[k] for k in x],
        name="Plan target",
        mode="markers",
        marker={"symbol": "diamond", "size": 12, "color": BLACK},
    )


def bars_height(count: int, each: int = 34, least: int = 340) -> int:
    """A horizontal bar chart tall enough for every label."""
    return max(least, 100 + each * count)


def grid(
    cells: Sequence[tuple[str, str, float | None]], order: Sequence[str] = ()
) -> tuple[list, list, list]:
    """(row label, column label, value) cells as a heatmap's y, x and z; the columns in
    `order` (the staff groups' names in the taxonomy's order) where it names them."""
    y = list(dict.fromkeys(c[0] for c in cells))
    seen = set(c[1] for c in cells)
    x = [c for c in order if c in seen] + [
        c for c in dict.fromkeys(c[1] for c in cells) if c not in order
    ]
    z: list[list[float | None]] = [[None] * len(x) for _ in y]
    for row, column, value in cells:
        z[y.index(row)][x.index(column)] = value
    return y, x, z


def heatmap_layout(title: str, x_title: str, y_title: str, rows: int, note: str = "") -> dict:
    return layout(
        title,
        x_title,
        y_title,
        note,
        height=max(420, 260 + 34 * rows),
        xaxis={"tickangle": -40, "gridcolor": "white"},
        yaxis={"autorange": "reversed", "gridcolor": "white"},
    )
