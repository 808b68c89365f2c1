"""A scenario's assumptions in words, each against what it changes: pure, no Django.

"Nurses & health visitors: leaver rate 1 point lower than measured from the returns (where
no return gives leavers: 9.5% to 8.5%)." A row for every staff group is compared with the
national defaults (`workforce.projection.defaults`); a row for one staff group with what
that group would have without it: the default, or the scenario's value for every group.
Where the leaver rate is measured from the returns, a change is "lower than measured".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from core.calendar import year_label
from workforce.plans.assumptions import projection_values
from workforce.projection.defaults import Assumptions, national_defaults, resolve

Row = Mapping[str, float | int | None]
EVERY_GROUP = "Every staff group"


@dataclass(frozen=True)
class Statement:
    """One change a scenario makes, in words."""

    staff_group_code: str | None  # None: the row for every staff group
    subject: str  # "Every staff group" or the group's name
    assumption: str  # the field it is about ("intake_change" for the intake and its year)
    phrase: str  # "leaver rate 1 point lower than measured from the returns"

    @property
    def text(self) -> str:
        return f"{self.subject}: {self.phrase}."


@dataclass(frozen=True)
class Case:
    """One staff group a row applies to: its values without the row, and with it."""

    code: str
    default: Assumptions  # the national default
    before: Assumptions  # without this row: the default, or the scenario's row for all
    after: Assumptions  # with every row of the scenario


def number(value: float) -> str:
    """Up to two decimal places, no trailing zeros: 9.5, 1.75, 10, 0."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent(value: float) -> str:
    return f"{number(value * 100)}%"


def points(value: float) -> str:
    size = number(abs(value) * 100)
    return f"{size} point" if size == "1" else f"{size} points"


def _direction(value: float) -> str:
    return "lower" if value < 0 else "higher"


def _one(values: Sequence[float | None]) -> float | str | None:
    """The value every case shares, or "mixed"."""
    distinct = set(values)
    return next(iter(distinct)) if len(distinct) == 1 else "mixed"


def _leaver_rate_change(change: float, cases: Sequence[Case]) -> str:
    if change == 0:
        return "no change to the leaver rate"
    head = f"leaver rate {points(change)} {_direction(change)}"
    rate = _one([c.after.leaver_rate for c in cases])
    if rate is None:
        fallback = _one([c.after.fallback_leaver_rate for c in cases])
        if fallback == "mixed":
            return f"{head} than measured from the returns"
        moved = max(0.0, fallback + change)
        return (
            f"{head} than measured from the returns (where no return gives leavers: "
            f"{percent(fallback)} to {percent(moved)})"
        )
    if rate == "mixed":
        return f"{head} than the rate measured or set"
    return f"{head} than this scenario's {percent(rate)} a year ({percent(rate)} to " + (
        f"{percent(max(0.0, rate + change))})"
    )


def _international_change(change: float, cases: Sequence[Case]) -> str:
    if change == 0:
        return "no change to international recruitment"
    if change <= -1:
        return "no international recruitment"
    head = f"international recruitment {percent(abs(change))} {_direction(change)}"
    rate = _one([c.after.international_rate for c in cases])
    from_default = [c.after.international_rate == c.default.international_rate for c in cases]
    source = (
        "the default"
        if all(from_default)
        else "this scenario's rate"
        if not any(from_default)
        else "each group's rate"
    )
    if rate == "mixed":
        return f"{head} than {source}"
    if rate == 0:
        return f"{head}, though {source} has none"
    moved = rate * (1 + change)
    return f"{head} than {source} ({percent(rate)} to {percent(moved)} of FTE a year)"


def _intake_change(cases: Sequence[Case], row: Row) -> str:
    change = _one([c.after.intake_change for c in cases])
    start = _one([c.after.intake_change_from for c in cases])
    when = ""
    if start != "mixed":
        when = f" from {year_label(start)}" if start else " in every year"
    if change == "mixed":
        return f"training intake changed{when}"
    if change == 0 and row.get("intake_change") is None:
        return f"a change to training intake would start{when}, but none is set"
    if change == 0:
        return f"training intake as planned{when}"
    return f"training intake {percent(abs(change))} {_direction(change)} than planned{when}"


# field: (how the value reads, how it is shown, what an empty earlier value means).
VALUES: dict[str, tuple[str, Callable[[float], str], str | None]] = {
    "leaver_rate": ("leaver rate {} a year", percent, "the rate measured from the returns"),
    "recruitment_rate": (
        "other recruitment {} of FTE a year",
        percent,
        "the joiners in the returns",
    ),
    "international_rate": ("international recruitment {} of FTE a year", percent, None),
    "return_to_practice_rate": ("return to practice {} of FTE a year", percent, None),
    "demand_growth": ("demand growth {} a year", percent, None),
    "productivity": ("productivity gain {} a year", percent, None),
    "retention_share": ("{} of newly qualified staff retained in the system", percent, None),
    "vacancy_rate": ("vacancy rate {} where no return gives vacancies", percent, None),
    "fallback_leaver_rate": ("leaver rate {} a year where no return gives leavers", percent, None),
    "leaver_rate_sd": ("uncertainty of the leaver rate {}", points, None),
    "demand_growth_sd": ("uncertainty of demand growth {}", points, None),
    "productivity_sd": ("uncertainty of productivity {}", points, None),
    "attrition_sd": ("uncertainty of training attrition {}", points, None),
    "international_sd": ("uncertainty of international recruitment {}", percent, None),
}


def _value(name: str, value: float, cases: Sequence[Case], every_group: bool) -> str:
    words, shown, empty_means = VALUES[name]
    head = words.format(shown(value))
    before = [getattr(c.before, name) for c in cases]
    source = (
        "the default"
        if every_group or all(getattr(c.before, name) == getattr(c.default, name) for c in cases)
        else "this scenario's value for every staff group"
    )
    if all(b is None for b in before):
        return f"{head}, instead of {empty_means}" if empty_means else head
    known = sorted(b for b in before if b is not None)
    if known[0] != known[-1]:
        plural = "the defaults" if source == "the default" else source
        return f"{head} ({plural}: {shown(known[0])} to {shown(known[-1])} by staff group)"
    was = known[0]
    if was == value:
        return f"{head}, the same as {source}"
    if shown is points:
        return f"{head} ({source}: {shown(was)})"
    difference = value - was
    return f"{head}, {points(difference)} {_direction(difference)} than {source} ({shown(was)})"


def _phrases(
    row: Row, cases_for: Callable[[str], Sequence[Case]], every_group: bool
) -> list[tuple[str, str]]:
    """(field, phrase) for each value the row sets; `cases_for(field)` are the groups the
    row's value of that field applies to."""
    found = []
    for name, value in row.items():
        if value is None or name == "intake_change_from":
            continue
        cases = cases_for(name)
        if not cases:
            continue  # every group sets its own value: the row's is never used
        if name == "leaver_rate_change":
            found.append((name, _leaver_rate_change(float(value), cases)))
        elif name == "international_change":
            found.append((name, _international_change(float(value), cases)))
        elif name == "intake_change":
            found.append((name, _intake_change(cases, row)))
        elif name in VALUES:
            found.append((name, _value(name, float(value), cases, every_group)))
    if row.get("intake_change_from") is not None and row.get("intake_change") is None:
        cases = cases_for("intake_change_from")
        if cases:
            found.append(("intake_change", _intake_change(cases, row)))
    return found


def scenario_in_words(
    groups: Sequence[tuple[str, str]], rows: Mapping[str | None, Row]
) -> list[Statement]:
    """What a scenario changes, in words: its row for every staff group first, then each
    group's own row in the order of `groups` ((code, name) of the groups projected)."""
    # The money assumptions are said on the scenario's page beside the others, not in words.
    general = projection_values(rows.get(None) or {})
    own_rows = {code: projection_values(rows.get(code) or {}) for code, _ in groups}
    statements: list[Statement] = []
    if general:
        every = [
            Case(
                code=code,
                default=national_defaults(code),
                before=national_defaults(code),
                after=resolve(code, general, own_rows[code]),
            )
            for code, _ in groups
        ]

        def not_overridden(field: str) -> list[Case]:
            return [c for c in every if own_rows[c.code].get(field) is None]

        for name, phrase in _phrases(general, not_overridden, every_group=True):
            statements.append(Statement(None, EVERY_GROUP, name, phrase))
    for code, group_name in groups:
        own = own_rows[code]
        if not any(value is not None for value in own.values()):
            continue
        case = Case(
            code=code,
            default=national_defaults(code),
            before=resolve(code, general, {}),
            after=resolve(code, general, own),
        )
        for name, phrase in _phrases(own, lambda field, case=case: [case], every_group=False):
            statements.append(Statement(code, group_name, name, phrase))
    return statements
