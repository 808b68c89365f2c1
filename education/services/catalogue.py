"""The programme catalogue: the shipped defaults, and national administrators' changes."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from core.access import can_plan_for
from core.errors import OutOfScope
from core.models import StaffGroup, User
from education.models import Programme
from education.placement_sectors import parse_split_text

from .rules import (
    Problems,
    fraction_problems,
    placement_split_problems,
    problem,
    range_problems,
    stored_split,
    text_problems,
)
from .writes import RecordKind, record_create, record_update, snapshot

CATALOGUE = Path(__file__).resolve().parent.parent / "reference_data" / "programmes.csv"
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
MAX_COURSE_YEARS = 10
PROGRAMME_CODE_LONGEST = Programme._meta.get_field("code").max_length
PROGRAMME_NAME_LONGEST = Programme._meta.get_field("name").max_length


def _problems(p: Programme) -> Problems:
    found = text_problems("code", p.code, max_length=PROGRAMME_CODE_LONGEST) + text_problems(
        "name", p.name, max_length=PROGRAMME_NAME_LONGEST
    )
    if p.code and not CODE.match(p.code):
        found += problem("code", "code may hold capital letters, digits and hyphens only.")
    if p.route not in Programme.Route.values:
        found += problem("route", f"route must be one of {', '.join(Programme.Route.values)}.")
    if p.staff_group_id is not None and not p.staff_group.reportable:
        found += problem(
            "staff_group",
            f"staff_group must be a group of the staffing return, not the roll-up "
            f"{p.staff_group.code}.",
        )
    if p.course_years is None or not 1 <= p.course_years <= MAX_COURSE_YEARS:
        found += problem(
            "course_years",
            f"course_years must be a whole number of years from 1 to {MAX_COURSE_YEARS}, "
            f"not {p.course_years}.",
        )
    weeks_found = range_problems("placement_weeks_per_year", p.placement_weeks_per_year, 0, 52)
    return (
        found
        + fraction_problems("attrition", p.attrition)
        + range_problems("graduate_fte", p.graduate_fte, 0, 1.5, low_open=True)
        + weeks_found
        + placement_split_problems(
            "placement_split",
            p.placement_split,
            None if weeks_found else p.placement_weeks_per_year,
        )
    )


def _check_may_change_catalogue(user: User, programme: Programme) -> None:
    # The catalogue is national reference data: only those who may write national plans.
    if not can_plan_for(user, None):
        raise OutOfScope("Only national administrators may change the programme catalogue.")


PROGRAMME = RecordKind(
    model=Programme,
    fields=(
        "code",
        "name",
        "route",
        "staff_group",
        "course_years",
        "attrition",
        "graduate_fte",
        "placement_weeks_per_year",
        "placement_split",
    ),
    unique=("code",),
    problems=_problems,
    check_may_write=_check_may_change_catalogue,
    ics_of=lambda programme: None,
    describe=lambda p: f"programme {p.code}",
)


def programme_create(
    *,
    user: User,
    code: str,
    name: str,
    route: str,
    staff_group: StaffGroup,
    course_years: int,
    attrition: Decimal,
    graduate_fte: Decimal = Decimal(1),
    placement_weeks_per_year: Decimal = Decimal(0),
    placement_split: list[dict] | None = None,
) -> Programme:
    """`placement_split`: parts {"sectors": [...], "weeks": n} adding up to the placement
    weeks a year (education.services.rules.placement_split_problems); none: not split."""
    return record_create(
        PROGRAMME,
        user=user,
        values={
            "code": code.strip(),
            "name": name.strip(),
            "route": route,
            "staff_group": staff_group,
            "course_years": course_years,
            "attrition": attrition,
            "graduate_fte": graduate_fte,
            "placement_weeks_per_year": placement_weeks_per_year,
            "placement_split": stored_split(placement_split),
        },
    )


def programme_update(
    *, user: User, programme: Programme, changes: Mapping[str, object]
) -> Programme:
    """A change of the placement weeks a year must come with a split that adds up to them
    (an empty one leaves the weeks undivided), or the programme's split is refused."""
    if "placement_split" in changes:
        changes = {**changes, "placement_split": stored_split(changes["placement_split"])}
    return record_update(PROGRAMME, user=user, instance=programme, changes=changes)


@dataclass
class CatalogueReport:
    added: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)  # stored values not the file's

    def audit_entries(self) -> list[tuple[type[Programme], str, dict[str, list[str]]]]:
        """The load as one bulk entry of the audit trail: the programmes it added."""
        if not self.added:
            return []
        return [
            (
                Programme,
                f"Programme catalogue load: {len(self.added)} added",
                {"added": self.added},
            )
        ]

    def summary(self) -> str:
        lines = [
            f"Programme catalogue: {len(self.added)} added."
            if self.added
            else "Programme catalogue already loaded: nothing changed."
        ]
        if self.differing:
            lines.append(
                "Kept as changed since they were loaded (the file differs): "
                + ", ".join(self.differing)
            )
        return "\n".join(lines)


def _programmes_in_file(path: Path) -> list[Programme]:
    groups = {g.code: g for g in StaffGroup.objects.all()}
    programmes, problems = [], []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            group = groups.get(row["staff_group_code"])
            if group is None:
                problems.append(f"line {line}: unknown staff group {row['staff_group_code']}")
                continue
            try:
                split = parse_split_text(row.get("placement_split") or "")
            except ValueError as error:
                problems.append(f"line {line}: placement_split: {error}")
                continue
            programme = Programme(
                code=row["code"],
                name=row["name"],
                route=row["route"],
                staff_group=group,
                course_years=int(row["course_years"]),
                attrition=Decimal(row["attrition"]),
                graduate_fte=Decimal(row["graduate_fte"]),
                placement_weeks_per_year=Decimal(row["placement_weeks_per_year"]),
                placement_split=stored_split(split),
            )
            problems += [f"line {line}: {p['message']}" for p in _problems(programme)]
            programmes.append(programme)
    if problems:
        raise ValueError(f"{path.name}: " + "; ".join(problems))
    return programmes


def programmes_load(*, path: Path = CATALOGUE) -> CatalogueReport:
    """Add the catalogue's programmes the database lacks; never overwrite a stored one.

    Once loaded the catalogue belongs to the national administrators, so a later load keeps
    their changes and only reports the programmes whose stored values differ from the file.
    Needs the staff groups loaded first. Idempotent.
    """
    report = CatalogueReport()
    wanted = _programmes_in_file(path)
    with transaction.atomic():
        stored = {p.code: p for p in Programme.objects.select_related("staff_group")}
        missing = [p for p in wanted if p.code not in stored]
        Programme.objects.bulk_create(missing)
    report.added = [p.code for p in missing]
    report.differing = [
        p.code
        for p in wanted
        if p.code in stored
        and snapshot(stored[p.code], PROGRAMME.fields) != snapshot(p, PROGRAMME.fields)
    ]
    return report
