"""The list of what a run was built on, with the organisations' names: one query."""

from __future__ import annotations

from core.models import Organisation
from workforce.models import ProjectionRun

# Those that need a second look first: no figures, published, carried forward, then on time.
ORDER = {"none": 0, "published": 1, "return": 2}


def built_on_rows(run: ProjectionRun) -> list[dict]:
    """The run's completeness entries, each with its organisation's `name`, those not built
    on the baseline month's return first."""
    rows = list((run.completeness or {}).get("organisations", []))
    names = dict(
        Organisation.objects.filter(code__in=[r["organisation"] for r in rows]).values_list(
            "code", "name"
        )
    )
    rows = [{**row, "name": names.get(row["organisation"], row["organisation"])} for row in rows]
    return sorted(
        rows,
        key=lambda r: (
            ORDER.get(r["source"], 0) + (0 if r["under_review"] else 0.5),
            -(r["months_carried_forward"] or 0),
            r["name"],
        ),
    )
