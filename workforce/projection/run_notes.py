"""The notes a run keeps beside its results: what it was built on. Pure, no Django."""

from __future__ import annotations

from collections.abc import Sequence

from education import pipeline

from . import sectors
from .run_data import BaselineSeries, RunData


def run_notes(
    series: Sequence[BaselineSeries],
    flow: pipeline.PipelineResult,
    data: RunData,
    left_out: Sequence[str],
    growth: dict,
) -> dict:
    """What a run says it was built on: who it covers and from what figures, the general
    practice demand growth it used, and the planned intakes capacity capped (with the binding
    sector of a programme whose placement weeks are split), and the organisations it counted
    in several systems by their shares."""
    projected = {s.organisation_code for s in series}
    return {
        "filled_from_published": sorted(
            {s.organisation_code for s in series if s.source != "return"}
        ),
        **sectors.coverage(
            series,
            data.headcount_only,
            data.organisation_kinds,
            left_out,
            flow,
            data.illustrative_organisations,
        ),
        "general_practice_demand_growth": growth,
        "shared_organisations": {
            code: [[ics, share] for ics, share in parts]
            for code, parts in sorted(data.shares.items())
            if code in projected
        },
        "intake_caps": [
            {
                "ics": c.ics,
                "programme": c.programme,
                "academic_year": c.academic_year,
                "planned": c.planned,
                "capacity": c.capacity,
                "over_by": c.over_by,
                "bound": c.bound,
                "sectors": list(c.sectors),
            }
            for c in flow.caps
        ],
    }
