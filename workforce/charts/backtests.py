"""A backtest's chart: each baseline's P10-P90 band and P50 against what happened."""

from __future__ import annotations

from collections.abc import Sequence

from .base import BLACK, SCENARIO_COLOURS, Chart, band, columns, figure, fte, layout, line


def backtest_bands_chart(bands: Sequence[dict], staff_group: str) -> Chart:
    """The band from each baseline of `staff_group`, and the outcome, in one chart; the rows
    (baseline, years on, P10, P50, P90, outcome) are its table."""
    rows = [r for r in bands if r["staff_group"] == staff_group]
    by_baseline: dict[str, list[dict]] = {}
    for row in rows:
        by_baseline.setdefault(row["baseline"], []).append(row)
    traces: list[dict] = []
    outcome: dict[str, float] = {}
    for i, (baseline, points) in enumerate(sorted(by_baseline.items())):
        colour = SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]
        x = [_month(baseline, r["horizon"]) for r in points]
        traces += band(x, [r["p10"] for r in points], [r["p90"] for r in points], "", colour)
        traces[-1]["name"] = f"From {baseline}: P10-P90"
        traces[-1]["showlegend"] = False
        traces.append(line(x, [r["p50"] for r in points], f"From {baseline}", colour, "dash"))
        outcome.update({xi: r["outcome"] for xi, r in zip(x, points, strict=True)})
    months = sorted(outcome)
    traces.append(line(months, [outcome[m] for m in months], "What happened", BLACK))
    title = f"{staff_group}: each baseline's band against what happened"
    return Chart(
        key=f"backtest-{staff_group}",
        title=title,
        figure=figure(
            traces,
            layout(
                title,
                "Month",
                "Staff (full-time equivalent)",
                "Dashed: P50 from each baseline; shaded: its P10-P90; black: the figures.",
            ),
        )
        if rows
        else None,
        columns=columns(
            "Baseline",
            ("Years on", "count"),
            ("P10", "fte"),
            ("P50", "fte"),
            ("P90", "fte"),
            ("Outcome", "fte"),
        ),
        rows=[
            (
                r["baseline"],
                r["horizon"],
                fte(r["p10"]),
                fte(r["p50"]),
                fte(r["p90"]),
                fte(r["outcome"]),
            )
            for r in rows
        ],
        empty="This backtest has no figures for that staff group.",
    )


def _month(baseline: str, years: int) -> str:
    year, month = baseline.split("-")
    return f"{int(year) + years:04d}-{month}"
