"""Who a run covers, by planning sector: pure rules, no Django.

- Each organisation is planned in the sector of its kind (core.kinds): NHS trusts, general
  practice and PCNs, social care, independent and voluntary. An organisation of a kind with no
  planning sector (a higher education institution trains, it employs no one the plan counts)
  is left out, and the run's notes name it.
- An organisation with neither a return nor a published FTE, whose published figures give a
  headcount only, is projected from that headcount times the group's national FTE per head
  where NHS Digital publishes both for the group (`defaults.FTE_PER_HEAD`); otherwise it is
  not projected, and the notes count it.
- Newly qualified staff are shared among every organisation of the system, of whatever kind,
  with baseline FTE in the group their programme feeds (assembly); those of a group that no
  organisation of the system employs are reported, never silently dropped.
- The notes say, per sector, how many organisations came from returns, how many from
  published figures and of which months, and how many had a headcount only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from core.kinds import PLANNING_SECTOR_CODES, planning_sector
from education import pipeline

from . import defaults
from .run_data import BaselineSeries, Labels, PublishedHeadcount

DEFAULT_KIND = "nhs_trust"


def sector_of(organisation_code: str, kinds: Mapping[str, str]) -> str | None:
    """The planning sector of an organisation; None for a kind the plan does not count."""
    return planning_sector(kinds.get(organisation_code, DEFAULT_KIND))


def counted(
    series: Iterable[BaselineSeries], kinds: Mapping[str, str]
) -> tuple[list[BaselineSeries], list[str]]:
    """The series of organisations with a planning sector, and the codes of those left out."""
    kept, left_out = [], set()
    for s in series:
        if sector_of(s.organisation_code, kinds) is None:
            left_out.add(s.organisation_code)
        else:
            kept.append(s)
    return kept, sorted(left_out)


def from_headcounts(
    records: Iterable[PublishedHeadcount],
) -> tuple[list[BaselineSeries], list[PublishedHeadcount]]:
    """Series for the headcounts whose group has a published FTE per head, and the records
    that have none (not projected)."""
    converted, left = [], []
    for record in records:
        per_head = defaults.FTE_PER_HEAD.get(record.staff_group_code)
        if per_head is None:
            left.append(record)
            continue
        converted.append(
            BaselineSeries(
                organisation_code=record.organisation_code,
                ics_code=record.ics_code,
                staff_group_code=record.staff_group_code,
                source="published_headcount",
                period=record.period,
                fte=record.headcount * per_head.ratio,
                vacancies_fte=None,
                leaver_rate=None,
                joiners_a_year=None,
                months_of_returns=0,
            )
        )
    return converted, left


def sector_axis(organisations: Labels, kinds: Mapping[str, str]) -> tuple[Labels, np.ndarray]:
    """The sectors present, in core.kinds' order, and each organisation's index among them."""
    of = [sector_of(code, kinds) for code in organisations]
    sectors = Labels(tuple(code for code in PLANNING_SECTOR_CODES if code in set(of)))
    return sectors, np.array([sectors.position(s) for s in of], dtype=np.intp)


def coverage_notes(
    series: Sequence[BaselineSeries],
    headcounts: Sequence[PublishedHeadcount],
    kinds: Mapping[str, str],
    illustrative: frozenset[str] = frozenset(),
) -> dict[str, dict]:
    """Per sector, in core.kinds' order: the organisations projected, how many from returns,
    from published FTE (by month) and from published headcounts turned into FTE (by period),
    how many had a headcount only and are not projected, and how many of those projected
    have illustrative figures.

    `series` are the run's series, converted headcounts included (source
    "published_headcount"); `headcounts` every headcount-only record, converted or not.
    """
    how: dict[str, dict[str, str]] = defaultdict(dict)  # sector -> organisation -> source
    month: dict[str, str] = {}  # organisation -> the month of its published FTE
    for s in series:
        sector = sector_of(s.organisation_code, kinds)
        if sector is None:
            continue
        how[sector][s.organisation_code] = s.source  # one source per organisation
        if s.source == "published":
            month[s.organisation_code] = max(
                month.get(s.organisation_code, ""), f"{s.period:%Y-%m}"
            )
    label = {r.organisation_code: r.period_label for r in headcounts}
    not_projected: dict[str, set[str]] = defaultdict(set)
    for record in headcounts:
        sector = sector_of(record.organisation_code, kinds)
        if sector is not None and record.organisation_code not in how.get(sector, {}):
            not_projected[sector].add(record.organisation_code)
    notes = {}
    for sector in PLANNING_SECTOR_CODES:
        organisations = how.get(sector, {})
        unprojected = not_projected.get(sector, set())
        if not organisations and not unprojected:
            continue
        counts = Counter(organisations.values())
        published = Counter(month[c] for c, how_ in organisations.items() if how_ == "published")
        converted = Counter(
            label[c] for c, how_ in organisations.items() if how_ == "published_headcount"
        )
        notes[sector] = {
            "organisations": len(organisations),
            "from_returns": counts["return"],
            "from_published": counts["published"],
            "published_months": dict(sorted(published.items())),
            "from_headcount": counts["published_headcount"],
            "headcount_periods": dict(sorted(converted.items())),
            "headcount_only_not_projected": len(unprojected),
            "illustrative": len(illustrative & organisations.keys()),
        }
    return notes


def unplaced_newly_qualified(
    series: Sequence[BaselineSeries], flow: pipeline.PipelineResult
) -> list[dict]:
    """The pipeline's newly qualified for a system and staff group that no organisation of
    the system employs (no baseline FTE in it): nobody to share them among, so reported."""
    employed: dict[tuple[str, str], float] = defaultdict(float)
    for s in series:
        employed[s.ics_code, s.staff_group_code] += s.fte
    return [
        {"ics": ics, "staff_group": group, "fte": float(sum(by_year))}
        for (ics, group), by_year in sorted(flow.newly_qualified.items())
        if employed.get((ics, group), 0.0) <= 0 and sum(by_year) > 0
    ]


def coverage(
    series: Sequence[BaselineSeries],
    headcounts: Sequence[PublishedHeadcount],
    kinds: Mapping[str, str],
    left_out: Sequence[str],
    flow: pipeline.PipelineResult,
    illustrative: frozenset[str] = frozenset(),
) -> dict:
    """The run notes' part on who the run covers and from what."""
    return {
        "coverage_by_sector": coverage_notes(series, headcounts, kinds, illustrative),
        "left_out_no_planning_sector": list(left_out),
        "fte_per_head": {
            code: {"ratio": per_head.ratio, "source": per_head.source}
            for code, per_head in defaults.FTE_PER_HEAD.items()
            if any(s.source == "published_headcount" and s.staff_group_code == code for s in series)
        },
        "newly_qualified_unplaced": unplaced_newly_qualified(series, flow),
    }
