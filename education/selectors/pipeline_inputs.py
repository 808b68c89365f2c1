"""The education pipeline's inputs, read from the database in exactly the shape it takes."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Mapping

from django.utils import timezone

from core.models import ICS
from core.selectors.reference import scope_members
from education import pipeline
from education.models import CommissionedIntake, EducatorCapacity, PlacementCapacity, Programme
from education.plan_measures import intakes_held_at_year

PipelineInputs = tuple[
    list[pipeline.Programme],
    list[pipeline.Intake],
    list[pipeline.PlacementCapacity],
    list[pipeline.EducatorCapacity],
]


def at_or_before(by_year: Mapping[int, float], year: int) -> float | None:
    """The value of the latest year at or before `year` (None before the first)."""
    known = [y for y in by_year if y <= year]
    return by_year[max(known)] if known else None


def _summed(
    records: Mapping[Hashable, Mapping[int, Mapping[int, float]]],
) -> dict[Hashable, dict[int, float]]:
    """key -> organisation -> year -> value, summed over organisations into key -> year -> value.

    Each organisation's figure carries forward to the later years another organisation
    records, so one that recorded only once keeps counting; the pipeline then carries the sums.
    """
    sums: dict[Hashable, dict[int, float]] = {}
    for key, by_organisation in records.items():
        years = sorted({y for by_year in by_organisation.values() for y in by_year})
        sums[key] = {
            year: sum(at_or_before(by_year, year) or 0.0 for by_year in by_organisation.values())
            for year in years
        }
    return sums


def placement_parts(split: list[dict]) -> tuple[pipeline.PlacementPart, ...]:
    """A programme's stored split as the pipeline's parts (empty: the weeks are not split)."""
    return tuple(
        pipeline.PlacementPart(tuple(part["sectors"]), float(part["weeks"])) for part in split
    )


def pipeline_inputs_for(*, ics: ICS | None, on: datetime.date | None = None) -> PipelineInputs:
    """(programmes, intakes, placements, educators) of one ICS, or of every ICS when None.

    - programmes: the whole catalogue, one `pipeline.Programme` each;
    - intakes: one `pipeline.Intake` per recorded intake of the ICS (national: of every ICS
      valid on `on`), places as floats, actual starts None where not recorded;
    - placements: one `pipeline.PlacementCapacity` per ICS, programme, placement sector and
      academic year that any member records, the places summed over the ICS's member
      organisations in that sector (sector None for places attributed to no sector);
    - educators: one `pipeline.EducatorCapacity` per ICS and academic year, the educator FTE
      summed over the members and students per educator the FTE-weighted mean, so that FTE x
      students per educator is the members' students summed.

    Membership is taken on `on` (default today): an organisation's figures count for the ICS
    it belongs to that day, as the projection's baseline does. Five queries whatever the scope.
    """
    on = on or timezone.localdate()
    members = scope_members(ics=ics, on=on)
    programmes = [
        pipeline.Programme(
            code, group, years, float(attrition), float(fte), float(weeks), placement_parts(split)
        )
        for code, group, years, attrition, fte, weeks, split in Programme.objects.values_list(
            "code",
            "staff_group__code",
            "course_years",
            "attrition",
            "graduate_fte",
            "placement_weeks_per_year",
            "placement_split",
        ).order_by("code")
    ]
    recorded = CommissionedIntake.objects.all()
    recorded = (
        recorded.filter(ics=ics) if ics else recorded.filter(ics__in=ICS.objects.valid_on(on))
    )
    intakes = [
        pipeline.Intake(
            ics_code, code, year, float(planned), None if actual is None else float(actual)
        )
        for ics_code, code, year, planned, actual in recorded.values_list(
            "ics__code", "programme__code", "academic_year", "planned_places", "actual_starts"
        ).order_by("ics__code", "programme__code", "academic_year")
    ]

    places: dict[Hashable, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for org_id, code, sector, year, n in (
        PlacementCapacity.objects.filter(organisation_id__in=list(members))
        .values_list("organisation_id", "programme__code", "sector", "academic_year", "places")
        .order_by()
    ):
        places[members[org_id], code, sector][org_id][year] = float(n)
    placements = [
        pipeline.PlacementCapacity(ics_code, code, year, total, sector or None)
        for (ics_code, code, sector), by_year in sorted(_summed(places).items())
        for year, total in sorted(by_year.items())
    ]

    fte: dict[Hashable, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    students: dict[Hashable, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for org_id, year, educator_fte, per_educator in (
        EducatorCapacity.objects.filter(organisation_id__in=list(members))
        .values_list("organisation_id", "academic_year", "educator_fte", "students_per_educator")
        .order_by()
    ):
        fte[members[org_id]][org_id][year] = float(educator_fte)
        students[members[org_id]][org_id][year] = float(educator_fte * per_educator)
    fte_sums, student_sums = _summed(fte), _summed(students)
    educators = [
        pipeline.EducatorCapacity(
            ics_code, year, total_fte, student_sums[ics_code][year] / total_fte if total_fte else 0
        )
        for ics_code, by_year in sorted(fte_sums.items())
        for year, total_fte in sorted(by_year.items())
    ]
    return programmes, intakes, placements, educators


def pipeline_inputs_without_planned_change(
    *, ics: ICS | None, baseline_year: int, on: datetime.date | None = None
) -> PipelineInputs:
    """The inputs of `pipeline_inputs_for` as they would be without the planned intake change.

    Every intake from the first academic year that can still change is held at the level of
    the academic year `baseline_year` (the one starting inside the baseline financial year);
    programmes, placements and educators are as recorded. A projection run compares the two
    to show the effect of the plan on supply.
    """
    programmes, intakes, placements, educators = pipeline_inputs_for(ics=ics, on=on)
    held = intakes_held_at_year(intakes, academic_year=baseline_year)
    return programmes, held, placements, educators
