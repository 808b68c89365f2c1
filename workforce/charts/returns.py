"""Charts of the submitted returns: vacancy rates now, and the monthly trend with the asks."""

from __future__ import annotations

from collections.abc import Sequence

from core.names import display_name
from workforce.selectors.dashboards import OrganisationValue
from workforce.selectors.dashboards_returns import TrendMonth

from .base import (
    BLUE,
    DARK_BLUE,
    FTE_AXIS,
    MONTH_AXIS,
    NO_RETURNS,
    ORANGE,
    RED,
    WARM_YELLOW,
    Chart,
    columns,
    figure,
    fte,
    grid,
    heatmap_layout,
    layout,
    line,
    percent,
    tint,
    trace,
)


def vacancy_heatmap_chart(cells: Sequence[OrganisationValue], names: dict[str, str]) -> Chart:
    """Each member's vacancy rate by staff group, from its latest return."""
    title = "Vacancy rate by organisation and staff group, from the latest returns"
    cols = columns(
        "Organisation",
        "Code",
        "Staff group",
        ("Month", "month"),
        ("Vacancies", "fte"),
        ("Establishment", "fte"),
        ("Vacancy rate (%)", "percent"),
    )
    rows = [
        (
            display_name(c.organisation_name),
            c.organisation_code,
            names.get(c.staff_group, c.staff_group),
            c.period,
            fte((c.value or 0) * c.base),
            fte(c.base),
            percent(c.value),
        )
        for c in cells
    ]
    if not rows:
        return Chart("vacancy-heatmap", title, None, cols, rows, NO_RETURNS)
    y, x, z = grid([(r[0], r[2], r[6]) for r in rows], list(names.values()))
    heatmap = trace(
        "heatmap",
        x=x,
        y=y,
        z=z,
        zmin=0,
        zmax=max(15.0, *(r[6] or 0 for r in rows)),
        colorscale=[[0, "#ffffff"], [0.5, WARM_YELLOW], [1, RED]],
        colorbar={"title": {"text": "Vacancy rate (%)"}},
        texttemplate="%{z:.1f}",
        hovertemplate="%{y}<br>%{x}: %{z:.1f}% vacant<extra></extra>",
        xgap=2,
        ygap=2,
    )
    note = "Vacancies as a share of the funded establishment (staff in post plus vacancies), %."
    shape = heatmap_layout(title, "Staff group", "Organisation", len(y), note)
    return Chart("vacancy-heatmap", title, figure([heatmap], shape), cols, rows)


def _months(trend: Sequence[TrendMonth]) -> list[str]:
    return [m.period.strftime("%b %Y") for m in trend]


def _partial_note(trend: Sequence[TrendMonth]) -> str:
    """Which months are partial: not complete or signed off, so no system total."""
    partial = [m for m in trend if m.partial]
    if not partial:
        return ""
    named = [
        f"{m.period:%B %Y}: {m.submitted} of {m.expected} returns"
        if m.expected is not None
        else f"{m.period:%B %Y}"
        for m in partial[-3:]
    ]
    more = f" and {len(partial) - 3} more" if len(partial) > 3 else ""
    listed = "; ".join(named) + more
    return f"Dotted or pale: partial months, not the system's total ({listed})."


def _split(trend: Sequence[TrendMonth], values: list) -> tuple[list, list]:
    """`values` as two series: the complete or signed-off months, and the partial months
    joined to the complete month before each, so the dotted line starts where the solid
    one stops."""
    solid = [None if m.partial else v for m, v in zip(trend, values, strict=True)]
    dotted = [None] * len(values)
    for index, month in enumerate(trend):
        if month.partial:
            dotted[index] = values[index]
            if index and not trend[index - 1].partial:
                dotted[index - 1] = values[index - 1]
    return solid, dotted


def _lines(
    trend: Sequence[TrendMonth], x: list, values: list, name: str, colour: str, dash: str
) -> list[dict]:
    """A line of the trend: solid (or `dash`) over the months that stand for the system,
    dotted over the partial ones."""
    if not any(m.partial for m in trend):
        return [line(x, values, name, colour, dash)]
    solid, dotted = _split(trend, values)
    return [
        line(x, solid, name, colour, dash),
        {**line(x, dotted, f"{name}: partial months", colour, "dot"), "connectgaps": False},
    ]


def _bars(trend: Sequence[TrendMonth], x: list, values: list, name: str, colour: str) -> list:
    if not any(m.partial for m in trend):
        return [trace("bar", x=x, y=values, name=name, marker={"color": colour})]
    solid = [None if m.partial else v for m, v in zip(trend, values, strict=True)]
    pale = [v if m.partial else None for m, v in zip(trend, values, strict=True)]
    return [
        trace("bar", x=x, y=solid, name=name, marker={"color": colour}),
        trace(
            "bar",
            x=x,
            y=pale,
            name=f"{name}: partial months",
            marker={"color": tint(colour, 0.35), "line": {"color": colour, "width": 1}},
        ),
    ]


def _trend_layout(title: str, y_title: str, note: str = "", **extra) -> dict:
    return layout(
        title, MONTH_AXIS, y_title, note, hovermode="x unified", xaxis={"type": "category"}, **extra
    )


def trend_staff_chart(trend: Sequence[TrendMonth]) -> Chart:
    title = "Staff in post and vacancies (together, the funded establishment)"
    cols = columns(
        ("Month", "month"),
        ("Organisations reporting", "count"),
        ("Staff in post", "fte"),
        ("Vacancies", "fte"),
        ("Vacancy rate (%)", "percent"),
    )
    rows = [
        (m.period, m.organisations, fte(m.fte), fte(m.vacancies_fte), percent(m.vacancy_rate))
        for m in trend
    ]
    if not rows:
        return Chart("trend-staff", title, None, cols, rows, NO_RETURNS)
    x = _months(trend)
    traces = [
        *_bars(trend, x, [r[2] for r in rows], "Staff in post", BLUE),
        *_bars(trend, x, [r[3] for r in rows], "Vacancies", WARM_YELLOW),
    ]
    shape = _trend_layout(title, FTE_AXIS, _partial_note(trend), barmode="stack")
    return Chart("trend-staff", title, figure(traces, shape), cols, rows)


def trend_bank_agency_chart(trend: Sequence[TrendMonth]) -> Chart:
    title = "Bank and agency staff against the national planning asks"
    cols = columns(
        ("Month", "month"),
        ("Bank", "fte"),
        ("National ask for bank", "fte"),
        ("Agency", "fte"),
        ("National ask for agency", "fte"),
    )
    rows = [
        (m.period, fte(m.bank_fte), fte(m.bank_ask), fte(m.agency_fte), fte(m.agency_ask))
        for m in trend
    ]
    if not rows:
        return Chart("trend-bank-agency", title, None, cols, rows, NO_RETURNS)
    x = _months(trend)
    traces = [
        *_lines(trend, x, [r[1] for r in rows], "Bank", BLUE, "solid"),
        line(x, [r[2] for r in rows], "Bank: national ask", BLUE, "dash"),
        *_lines(trend, x, [r[3] for r in rows], "Agency", ORANGE, "solid"),
        line(x, [r[4] for r in rows], "Agency: national ask", ORANGE, "dash"),
    ]
    note = "Dashed: national asks against 2025/26: agency 30% lower in 2026/27, bank 10% a year."
    note = " ".join(filter(None, [note, _partial_note(trend)]))
    shape = _trend_layout(title, FTE_AXIS, note, yaxis={"rangemode": "tozero"})
    return Chart("trend-bank-agency", title, figure(traces, shape), cols, rows)


def trend_rates_chart(trend: Sequence[TrendMonth]) -> Chart:
    title = "Leaver rate and sickness absence, from the monthly returns"
    cols = columns(
        ("Month", "month"),
        ("Leaver rate (% a year, from the month's leavers)", "percent"),
        ("Sickness absence rate (%)", "percent"),
    )
    rows = [(m.period, percent(m.leaver_rate), percent(m.sickness_absence_rate)) for m in trend]
    if not rows:
        return Chart("trend-rates", title, None, cols, rows, NO_RETURNS)
    x = _months(trend)
    traces = [
        *_lines(trend, x, [r[1] for r in rows], "Leaver rate (a year)", DARK_BLUE, "solid"),
        *_lines(trend, x, [r[2] for r in rows], "Sickness absence rate", RED, "solid"),
    ]
    note = "Leaver rate: the month's leavers over staff in post, times 12, as a rate a year."
    note = " ".join(filter(None, [note, _partial_note(trend)]))
    shape = _trend_layout(title, "Per cent (%)", note, yaxis={"rangemode": "tozero"})
    return Chart("trend-rates", title, figure(traces, shape), cols, rows)
