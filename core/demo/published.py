"""Published baseline figures for every trust and reportable staff group over 24 months.

Sized from real figures: each trust's FTE from the NHS Sickness Absence Rates of March 2025
(FTE days available / 31) in the latest month, the staff-group mix from the national NHS
Workforce Statistics series, and each group's month-to-month movement from the rules of
core/demo/growth.py (the group's national growth, a trust's own offset, the stall to February
2026, the newly qualified intake). Ambulance trusts hold the ambulance groups; other trusts
the rest. A small stable variation per trust and group keeps them from being identical.
"""

from __future__ import annotations

import csv
import statistics
from decimal import Decimal

from core.models import PublishedFigure, StaffGroup
from core.national_series import NATIONAL_NAMES, read_national_series
from core.services.bulk_rows import rows_insert
from core.services.published_figures import NEW_COLUMNS
from core.services.reference_data import REFERENCE_DATA_DIR

from .common import LATEST_PUBLISHED_MONTH, MONTHS, demo_trusts, months_back, unit
from .growth import fte_factor

SOURCE = "Demo: sized from NHS Workforce Statistics and Sickness Absence Rates"
AMBULANCE_GROUPS = {"AMB", "SUP-AMB"}
# Groups an ambulance trust has beside its ambulance staff.
AMBULANCE_TRUST_GROUPS = AMBULANCE_GROUPS | {"INF-CEN", "INF-HPE", "INF-SM", "INF-MGR", "OTH"}


def national_series() -> dict[str, dict]:
    """{"fte"|"headcount": {(code, month): value}} for the reportable HCHS groups."""
    return read_national_series()


def trust_sizes() -> tuple[dict[str, float], set[str]]:
    """Each trust's FTE in March 2025, and the codes of ambulance trusts."""
    sizes, ambulance = {}, set()
    path = REFERENCE_DATA_DIR / "nhs_sickness_absence_rates_2025-03_org_ics.csv"
    with path.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            sizes[row["ORG_CODE"]] = float(row["FTE_DAYS_AVAILABLE"]) / 31
            if "ambulance" in row["ORG_TYPE"].lower():
                ambulance.add(row["ORG_CODE"])
    return sizes, ambulance


def seed(stdout) -> None:
    months = months_back(LATEST_PUBLISHED_MONTH, MONTHS)
    series = national_series()
    sizes, ambulance = trust_sizes()
    groups = {g.code: g for g in StaffGroup.objects.filter(code__in=NATIONAL_NAMES.values())}
    reference_month = months[-1]
    trusts = list(demo_trusts(reference_month))
    for trust in trusts:
        if "AMBULANCE" in trust.name:
            ambulance.add(trust.code)
    typical = statistics.median(sizes[t.code] for t in trusts if t.code in sizes)
    existing = set(
        PublishedFigure.objects.filter(month__in=months).values_list(
            "organisation_id", "staff_group_id", "month"
        )
    )
    figures = []
    for trust in trusts:
        is_ambulance = trust.code in ambulance
        codes = sorted(
            c
            for c in groups
            if (c in AMBULANCE_TRUST_GROUPS if is_ambulance else c not in AMBULANCE_GROUPS)
        )
        size = sizes.get(trust.code, typical * (0.5 + unit("size", trust.code)))
        weights = {
            c: series["fte"][(c, reference_month)] * (0.9 + 0.2 * unit(trust.code, c))
            for c in codes
        }
        if is_ambulance:
            # An ambulance trust is mostly ambulance staff and their support.
            weights = {c: w * (12 if c in AMBULANCE_GROUPS else 1) for c, w in weights.items()}
        total_weight = sum(weights.values())
        for month in months:
            for code in codes:
                trend = fte_factor(trust.code, code, month)
                fte = size * trend * weights[code] / total_weight
                per_head = series["headcount"][(code, month)] / series["fte"][(code, month)]
                key = (trust.pk, groups[code].pk, month)
                if key in existing:
                    continue
                figures.append(
                    (*key, PublishedFigure.Period.MONTH, Decimal(f"{fte:.2f}"),
                     round(fte * per_head), SOURCE)
                )  # fmt: skip
    rows_insert(PublishedFigure, NEW_COLUMNS, figures)
    stdout.write(
        f"Published figures: {len(figures)} added for {len(trusts)} trusts over {MONTHS} months."
    )
