"""The notes a run keeps: the intakes capacity capped, with the binding sector."""

from __future__ import annotations

from education import pipeline
from workforce.projection.run_notes import run_notes

from .test_assembly import run_data, series


def test_a_capped_intake_is_noted_with_the_sector_whose_places_bind():
    flow = pipeline.PipelineResult(
        newly_qualified={},
        effective_intake={},
        caps=(
            pipeline.CapApplied(
                ics="QKK",
                programme="NUR-ADULT-BSC",
                academic_year=2027,
                planned=120.0,
                capacity=90.0,
                over_by=30.0,
                bound="placements",
                sectors=("primary_care", "social_care"),
            ),
            pipeline.CapApplied("QKK", "MED", 2027, 10.0, 8.0, 2.0, "educators"),
        ),
        attrition_by_group={},
    )
    nurses = series("RJ1", "NUR", 100.0)
    notes = run_notes([nurses], flow, run_data(nurses), [], {})
    first, second = notes["intake_caps"]
    assert first["sectors"] == ["primary_care", "social_care"] and first["over_by"] == 30.0
    assert second["sectors"] == [] and second["bound"] == "educators"
    assert notes["filled_from_published"] == ["RJ1"]  # no return: published figures
