"""A scenario's assumptions for one staff group, and where each value comes from.

A value comes from the scenario's row for that staff group (a group override), else from
its row for every group (the scenario), else from the national default: the order in which
`workforce.projection.defaults.resolve` applies them, and `costs.money_assumptions` for the
money assumptions (whose defaults are planning assumptions, or None: measured from the
returns). Pure, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from dataclasses import field as dataclass_field

from core.calendar import year_label
from workforce.plans.units import pounds
from workforce.projection.costs import MoneyAssumptions, money_assumptions
from workforce.projection.defaults import ASSUMPTION_NAMES, Assumptions, resolve

MONEY_NAMES = tuple(f.name for f in fields(MoneyAssumptions))

NATIONAL_DEFAULT = "national default"
SCENARIO = "scenario"
GROUP_OVERRIDE = "group override"

# name: (what it is, how its value reads). Kinds: "rate" a fraction a year, "share" a
# fraction, "points" added to a rate, "relative" a relative change, "year" an academic year,
# "change" a relative change to one decimal place, "pounds" a cost in GBP.
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "leaver_rate": ("Leaver rate a year", "rate"),
    "leaver_rate_change": ("Change to the leaver rate", "points"),
    "recruitment_rate": ("Other recruitment a year", "rate"),
    "international_rate": ("International recruitment a year", "rate"),
    "international_change": ("Change to international recruitment", "relative"),
    "return_to_practice_rate": ("Return to practice a year", "rate"),
    "demand_growth": ("Demand growth a year", "rate"),
    "productivity": ("Productivity gain a year", "rate"),
    "retention_share": ("Newly qualified staff retained in the system", "share"),
    "intake_change": ("Change to planned training intake", "relative"),
    "intake_change_from": ("Intake change starts in", "year"),
    "vacancy_rate": ("Vacancy rate where no return gives vacancies", "share"),
    "fallback_leaver_rate": ("Leaver rate where no return gives leavers", "rate"),
    "leaver_rate_sd": ("Uncertainty of the leaver rate", "points"),
    "demand_growth_sd": ("Uncertainty of demand growth", "points"),
    "productivity_sd": ("Uncertainty of productivity", "points"),
    "attrition_sd": ("Uncertainty of training attrition", "points"),
    "international_sd": ("Uncertainty of international recruitment", "relative"),
    "pay_award": ("Pay award a year, where no award by year is set", "rate"),
    "on_cost_change": ("Change to employer on-costs", "change"),
    "temporary_share": ("Share of the gap filled by bank and agency staff", "share"),
    "bank_share": ("Share of bank and agency staffing that is bank", "share"),
    "agency_premium": ("Agency cost over substantive cost", "share"),
    "training_place_cost": ("Cost of a training place a year", "pounds"),
    "international_recruit_cost": ("Cost of an international recruit", "pounds"),
    "retention_point_cost": ("Cost a year per FTE of one point off the leaver rate", "pounds"),
}
# What an empty value means, where it is not "none".
EMPTY_MEANS = {
    "leaver_rate": "measured from the returns",
    "recruitment_rate": "from the joiners in the returns",
    "intake_change_from": "every year",
    "temporary_share": "measured from the returns",
    "bank_share": "measured from the returns",
    "agency_premium": "measured from the returns",
    "training_place_cost": "not costed",
    "international_recruit_cost": "not costed",
    "retention_point_cost": "not costed",
}


def describe(name: str, value: float | int | None) -> str:
    """A value as a workforce lead reads it: "9.5% a year", "-1.0 points", "-30%"."""
    if value is None:
        return EMPTY_MEANS.get(name, "none")
    kind = DESCRIPTIONS[name][1]
    if kind == "year":
        return f"from {year_label(int(value))}"
    if kind == "pounds":
        return pounds(value)
    if kind == "change":
        return f"{value * 100:+.1f}%"
    if kind == "points":
        return f"{value * 100:+.1f} points" if "change" in name else f"{value * 100:.1f} points"
    if kind == "relative":
        return f"{value * 100:+.0f}%" if "change" in name else f"{value * 100:.0f}%"
    if kind == "rate":
        return f"{value * 100:.1f}% a year"
    return f"{value * 100:.0f}%"


@dataclass(frozen=True)
class EffectiveValue:
    name: str
    label: str
    value: float | int | None
    text: str
    source: str  # NATIONAL_DEFAULT, SCENARIO or GROUP_OVERRIDE


@dataclass(frozen=True)
class GroupAssumptions:
    """One staff group's resolved assumptions, each with where it came from."""

    staff_group_code: str
    staff_group_name: str
    assumptions: Assumptions
    values: tuple[EffectiveValue, ...]
    money: MoneyAssumptions = dataclass_field(default_factory=MoneyAssumptions)

    def source_of(self, name: str) -> str:
        return next(v.source for v in self.values if v.name == name)


Row = Mapping[str, float | int | None]


def effective_for_group(code: str, name: str, general: Row, group: Row) -> GroupAssumptions:
    """Resolve one staff group's assumptions from the scenario-wide row and its own row."""
    resolved = resolve(code, projection_values(general), projection_values(group))
    money = money_assumptions(dict(general), dict(group))
    values = []
    for field in (*ASSUMPTION_NAMES, *MONEY_NAMES):
        if group.get(field) is not None:
            source = GROUP_OVERRIDE
        elif general.get(field) is not None:
            source = SCENARIO
        else:
            source = NATIONAL_DEFAULT
        value = getattr(money if field in MONEY_NAMES else resolved, field)
        values.append(
            EffectiveValue(
                name=field,
                label=DESCRIPTIONS[field][0],
                value=value,
                text=describe(field, value),
                source=source,
            )
        )
    return GroupAssumptions(
        staff_group_code=code,
        staff_group_name=name,
        assumptions=resolved,
        values=tuple(values),
        money=money,
    )


def projection_values(row: Row) -> dict[str, float | int | None]:
    """The values of a row that `defaults.resolve` takes: all but the money assumptions."""
    return {name: value for name, value in row.items() if name in ASSUMPTION_NAMES}


def effective_assumptions(
    groups: Sequence[tuple[str, str]], rows: Mapping[str | None, Row]
) -> list[GroupAssumptions]:
    """Every group's assumptions; groups are (code, name), rows keyed by code (None: all)."""
    general = rows.get(None, {})
    return [effective_for_group(code, name, general, rows.get(code, {})) for code, name in groups]


@dataclass(frozen=True)
class Difference:
    staff_group_code: str
    name: str
    label: str
    left: str
    right: str


def differences(
    left: Sequence[GroupAssumptions], right: Sequence[GroupAssumptions]
) -> list[Difference]:
    """The assumptions whose values differ between two scenarios, group by group."""
    right_by_code = {g.staff_group_code: g for g in right}
    found = []
    for group in left:
        other = right_by_code.get(group.staff_group_code)
        if other is None:
            continue
        for mine, theirs in zip(group.values, other.values, strict=True):
            if mine.value != theirs.value:
                found.append(
                    Difference(
                        staff_group_code=group.staff_group_code,
                        name=mine.name,
                        label=mine.label,
                        left=mine.text,
                        right=theirs.text,
                    )
                )
    return found
