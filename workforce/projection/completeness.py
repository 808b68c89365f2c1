"""What a run was built on, organisation by organisation: pure, no Django.

For each organisation of the scope that the plan counts: the month whose figures the run used
and how many months that is before the baseline (carried forward), or that its figures were
filled from published data, or that it had none; and the returns for review the run left out
(the version before one is used, or the organisation's latest month before it).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence

from core.calendar import month_label

from .run_data import BaselineSeries, ReturnUnderReview

RETURN = "return"
PUBLISHED = "published"
NONE = "none"


def _months_between(earlier: datetime.date, later: datetime.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def completeness(
    *,
    baseline_period: datetime.date,
    members: Iterable[str],
    series: Sequence[BaselineSeries],
    under_review: Sequence[ReturnUnderReview],
) -> dict:
    """The counts and the list (by organisation code) of what the run was built on.

    `members`: the organisations the run is told against; an organisation with series that is
    not among them (a shared one, hosted elsewhere) is added. `series`: those projected.
    """
    baseline = baseline_period.replace(day=1)
    used: dict[str, tuple[str, datetime.date]] = {}
    for s in series:
        source = RETURN if s.source == RETURN else PUBLISHED
        before = used.get(s.organisation_code)
        if before is None or s.period > before[1]:
            used[s.organisation_code] = (source, s.period)
    left_out: dict[str, list[ReturnUnderReview]] = {}
    for r in under_review:
        taken = used.get(r.organisation_code)
        # Only a return newer than, or of the same month as, the one used was left out.
        if taken is None or taken[0] != RETURN or r.period >= taken[1]:
            left_out.setdefault(r.organisation_code, []).append(r)
    rows = []
    for code in sorted(set(members) | set(used)):
        source, month = used.get(code, (NONE, None))
        rows.append(
            {
                "organisation": code,
                "source": source,
                "month": month_label(month) if month else None,
                "months_carried_forward": (
                    _months_between(month, baseline) if source == RETURN and month else None
                ),
                "under_review": [
                    {
                        "return_id": r.return_id,
                        "month": month_label(r.period),
                        "version": r.version,
                        "earlier_version_used": source == RETURN and month == r.period,
                    }
                    for r in left_out.get(code, [])
                ],
            }
        )
    carried = Counter(
        row["month"] for row in rows if row["source"] == RETURN and row["months_carried_forward"]
    )
    return {
        "baseline_month": month_label(baseline),
        "counts": {
            "organisations": len(rows),
            "baseline_month_returns": sum(
                row["source"] == RETURN and row["months_carried_forward"] == 0 for row in rows
            ),
            "carried_forward": sum(carried.values()),
            "published": sum(row["source"] == PUBLISHED for row in rows),
            "no_figures": sum(row["source"] == NONE for row in rows),
            "under_review_left_out": sum(bool(row["under_review"]) for row in rows),
        },
        "carried_forward_from": dict(sorted(carried.items(), reverse=True)),
        "organisations": rows,
    }


def same_baseline(accounts: Sequence[tuple[datetime.date, dict]]) -> bool:
    """Whether runs, each given by its baseline month and what it was built on, stand on the
    same baseline: the same month and, where both say so, the same month used for each
    organisation from the same source, with the same returns under review left out (a return
    that came, or was accepted, between two runs moves one). A run from before runs kept the
    account is judged by its month alone."""
    if len({month for month, _ in accounts}) > 1:
        return False
    used = {
        tuple(
            (
                r["organisation"],
                r["source"],
                r["month"],
                *(u["return_id"] for u in r["under_review"]),
            )
            for r in built_on["organisations"]
        )
        for _, built_on in accounts
        if built_on and "organisations" in built_on
    }
    return len(used) <= 1


def summary(built_on: dict) -> str:
    """The run's completeness in a line: "built on 5 of 6 organisations' October 2026
    returns; 1 carried forward from September 2026; 1 under review left out"."""
    if not built_on or "counts" not in built_on:
        return ""
    counts = built_on["counts"]
    month = _month_words(built_on["baseline_month"])
    parts = [
        f"built on {counts['baseline_month_returns']} of {counts['organisations']} "
        f"organisations' {month} returns"
    ]
    for label, count in built_on.get("carried_forward_from", {}).items():
        parts.append(f"{count} carried forward from {_month_words(label)}")
    if counts["published"]:
        parts.append(f"{counts['published']} filled from published figures")
    if counts["no_figures"]:
        parts.append(f"{counts['no_figures']} with no figures")
    if counts["under_review_left_out"]:
        parts.append(f"{counts['under_review_left_out']} under review left out")
    return "; ".join(parts)


def _month_words(label: str) -> str:
    year, month = label.split("-")
    return datetime.date(int(year), int(month), 1).strftime("%B %Y")
