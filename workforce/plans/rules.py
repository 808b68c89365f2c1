"""The rules a plan target and a scenario meet: pure, no Django.

Each check takes a parsed value and returns a message naming the field when the value
breaks a rule, or None. The services, the API, the pages and the target file all use these,
so a rule reads the same wherever it is broken.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from core.calendar import FIRST_YEAR as YEAR_FIRST
from core.calendar import LAST_YEAR as YEAR_LAST
from core.calendar import year_label
from workforce.projection.arrays import LIMIT_NAMES

from . import units

# docs/design.md section 2: from 2026/27 the strategic commissioning plan absorbs the joint
# forward plan, so a strategic commissioning plan target before then is a mistake.
STRATEGIC_COMMISSIONING_PLAN_FROM = 2026
PLANS: dict[str, str] = {
    "jfp": "joint forward plan",
    "scp": "strategic commissioning plan",
}

FTE_PLACES = Decimal("0.01")
RATE_PLACES = Decimal("0.00001")
PENNY = Decimal("0.01")  # costs are stored in pounds and pence
SHARE_PLACES = Decimal("0.001")
MONEY_PLACES = Decimal("0.01")
MAX_TARGET_FTE = Decimal("9999999999.99")  # what PlanTarget's 12 digits hold
MAX_MONEY = Decimal("9999999999999.99")  # what PlanTarget's 15 digits hold
MAX_STEP_CHANGE_FTE = Decimal("99999999.99")
# Values from 10**15 up are past every range here; `rounded` leaves them for the check to
# refuse, since rounding them to a few places could need more than decimal's 28 digits.
ROUNDED_DIGITS = 15

TARGET_RATE_FIELDS = ("target_vacancy_rate", "target_leaver_rate", "target_sickness_absence_rate")
# The financial plan's limits: GBP in the financial year, at that year's (nominal) prices.
TARGET_MONEY_FIELDS = LIMIT_NAMES
TARGET_OPTIONAL_FIELDS = (
    *TARGET_RATE_FIELDS,
    "target_bank_fte",
    "target_agency_fte",
    *TARGET_MONEY_FIELDS,
)

# name: (lowest, highest). Counts are whole numbers; organisation_share a fraction.
SCENARIO_LIMITS: dict[str, tuple[int, int]] = {
    "draws": (1, 10_000),
    "horizon": (1, 20),
    "seed": (0, 2**31 - 1),
}
SCENARIO_NAME_LONGEST = 120
STEP_CHANGE_DESCRIPTION_LONGEST = 200
# Caps on what one request may ask of a scenario: far above a real plan's needs, low enough
# that one request cannot fill the database.
SCENARIO_DESCRIPTION_LONGEST = 2_000
MOST_STEP_CHANGES = 200
MOST_PAY_AWARDS = 200

_SHARE = (Decimal(0), Decimal(1))
# Plausibility limits, a planning choice (not published figures): beyond them a value is far
# more likely a slip of units or a typing mistake than a plan. docs/decisions.md
# ("Scenarios: units and plausible ranges") gives the reasons.
_RATE_A_YEAR = (Decimal(0), Decimal("0.5"))  # 0% to 50% a year
_CHANGE_IN_POINTS = (Decimal("-0.2"), Decimal("0.2"))  # -20 to +20 points
_GROWTH = (Decimal("-0.2"), Decimal("0.2"))  # -20% to +20% a year
_RELATIVE_CHANGE = (Decimal(-1), Decimal(2))  # -100% to +200%
_SPREAD_IN_POINTS = (Decimal(0), Decimal("0.1"))  # a standard deviation of 0 to 10 points
_COST = (Decimal(0), Decimal(10_000_000))  # GBP: a training place costs tens of thousands
# Every settable assumption of a scenario (ScenarioAssumption's fields) and its range, as
# stored (fractions); `workforce.plans.units` says each in the units a lead types.
ASSUMPTION_LIMITS: dict[str, tuple[Decimal, Decimal]] = {
    "leaver_rate": _RATE_A_YEAR,
    "leaver_rate_change": _CHANGE_IN_POINTS,
    "recruitment_rate": _RATE_A_YEAR,
    "international_rate": _RATE_A_YEAR,
    "international_change": _RELATIVE_CHANGE,
    "return_to_practice_rate": _RATE_A_YEAR,
    "demand_growth": _GROWTH,
    "productivity": _GROWTH,
    "retention_share": _SHARE,
    "intake_change": _RELATIVE_CHANGE,
    # The establishment of an organisation without a return is its FTE / (1 - vacancy_rate),
    # so the rate stays well below 1; the highest national default is 0.14.
    "vacancy_rate": (Decimal(0), Decimal("0.5")),
    "fallback_leaver_rate": _RATE_A_YEAR,
    "leaver_rate_sd": _SPREAD_IN_POINTS,
    "demand_growth_sd": _SPREAD_IN_POINTS,
    "productivity_sd": _SPREAD_IN_POINTS,
    "attrition_sd": (Decimal(0), Decimal("0.2")),
    "international_sd": _SHARE,
    # Money (docs/model.md, "Money assumptions of a scenario"). A pay award from a 5% cut
    # (a pay cut scenario) to 20% a year, several times any recent award.
    "pay_award": (Decimal("-0.05"), Decimal("0.2")),
    "on_cost_change": _GROWTH,  # employer costs as a share of pay: -20% to +20%
    "temporary_share": _SHARE,
    "bank_share": _SHARE,
    # Agency cost per FTE over substantive: 0% to 300% more (four times the cost).
    "agency_premium": (Decimal(0), Decimal(3)),
    "training_place_cost": _COST,
    "international_recruit_cost": _COST,
    "retention_point_cost": _COST,
}
COST_ASSUMPTIONS = ("training_place_cost", "international_recruit_cost", "retention_point_cost")
YEAR_ASSUMPTIONS = ("intake_change_from",)


def not_projected(group: str, nearest: str | None) -> str:
    """The message refusing a target for a staff group the model does not project (a grade
    such as "Consultant (DOC-CON)"), pointing at the nearest group it does project."""
    instead = f": set it for {nearest}" if nearest else ""
    return (
        f"{group} is not a staff group the model projects, so a target for it would never "
        f"be compared with a projection{instead}."
    )


def check_year(year: int, field: str = "year") -> str | None:
    if not YEAR_FIRST <= year <= YEAR_LAST:
        shown = year if abs(year) < 10**6 else "that"
        return f"{field} must be a year from {YEAR_FIRST} to {YEAR_LAST}; {shown} is not."
    return None


def default_plan(year: int) -> str:
    """The plan a target of `year` belongs to when none is named."""
    return "scp" if year >= STRATEGIC_COMMISSIONING_PLAN_FROM else "jfp"


def check_plan(plan: str, year: int | None) -> str | None:
    if plan not in PLANS:
        return (
            f'plan must be "jfp" (joint forward plan) or "scp" (strategic commissioning '
            f'plan), not "{plan[:20]}".'
        )
    if plan == "scp" and year is not None and year < STRATEGIC_COMMISSIONING_PLAN_FROM:
        return (
            "plan: strategic commissioning plans start in "
            f"{year_label(STRATEGIC_COMMISSIONING_PLAN_FROM)}; a target for "
            f"{year_label(year)} belongs to the joint forward plan (jfp)."
        )
    return None


def to_decimal(value: object) -> Decimal:
    """A number given as a Decimal, int, float or plain text; ValueError otherwise."""
    if isinstance(value, bool) or value is None:
        raise ValueError("not a number")
    try:
        number = Decimal(value) if isinstance(value, int | Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not number.is_finite():
        raise ValueError("not a number")
    return number


def rounded(value: Decimal, places: Decimal) -> Decimal:
    """`value` to `places`, half up; never raises.

    Rounding 1e29 to cents needs more digits than decimal's 28, so a value that large comes
    back as it is: every caller checks the range too, which refuses it, and nothing is
    stored. Within any range here the value is rounded.
    """
    if not value.is_finite() or value.adjusted() >= ROUNDED_DIGITS:
        return value
    return value.quantize(places, rounding=ROUND_HALF_UP)


def shown(value: Decimal | int) -> str:
    """A number as a message quotes it: 1,500.5, or 1E+29 when it is huge or very long,
    so that a number of a million digits is not written out."""
    number = Decimal(value)
    if not number.is_finite():
        return str(number)
    huge_or_tiny = bool(number) and not -6 <= number.adjusted() < ROUNDED_DIGITS
    if huge_or_tiny or len(number.as_tuple().digits) > 30:
        return str(number.normalize(Context(prec=6)))
    return f"{number:,}"


def check_fte(
    value: Decimal, field: str, highest: Decimal = MAX_TARGET_FTE, *, unit: str = ""
) -> str | None:
    """Not negative and at most `highest`; `unit` goes before the highest in the message."""
    if not value.is_finite():
        return f"{field} must be a number; {value} is not."
    if value < 0:
        return f"{field} cannot be negative; {shown(value)} is."
    if value > highest:
        return f"{field} must be at most {unit}{highest:,}; {shown(value)} is more."
    return None


def check_money(value: Decimal, field: str) -> str | None:
    """A sum of money in pounds: not negative, and no more than the record holds."""
    return check_fte(value, field, MAX_MONEY, unit="£")


def clean_target_figure(name: str, value: Decimal) -> tuple[Decimal, str | None]:
    """One of a target's figures (target_fte or an optional one) rounded to the places it is
    kept to, with the message of the rule it breaks, or None."""
    if name in TARGET_RATE_FIELDS:
        return rounded(value, RATE_PLACES), check_fraction(value, name)
    if name in TARGET_MONEY_FIELDS:
        return rounded(value, MONEY_PLACES), check_money(value, name)
    return rounded(value, FTE_PLACES), check_fte(value, name)


def check_fraction(value: Decimal, field: str) -> str | None:
    if not value.is_finite():
        return f"{field} must be a number; {value} is not."
    if not 0 <= value <= 1:
        hint = f" (write {value}% as {value / 100})" if 1 < value <= 100 else ""
        return f"{field} must be a fraction from 0 to 1{hint}; {shown(value)} is not."
    return None


def check_assumption(name: str, value: Decimal | int) -> str | None:
    """A stored value (a fraction) out of its range: the message names the field and the
    range in fractions and in the units a lead reads, with a hint where the value looks
    typed in percent or points: "leaver_rate_change must be from -0.2 to 0.2 (-20 to +20
    points); -1 is not: fractions are asked for, and -1 point is -0.01."."""
    if name in YEAR_ASSUMPTIONS:
        return check_year(int(value), name)
    if isinstance(value, Decimal) and not value.is_finite():
        return f"{name} must be a number; {value} is not."
    low, high = ASSUMPTION_LIMITS[name]
    if low <= value <= high:
        return None
    in_words = units.range_in_words(name, low, high)
    hint = ""
    # A number of points or percent where a fraction was meant (it is larger than any
    # fraction of the range, and in range once read as percent or points): say so.
    as_fraction = Decimal(value).scaleb(-2)
    typed_in_percent = units.TYPED_UNITS[name] in (units.PERCENT, units.POINTS)
    if (
        typed_in_percent
        and abs(value) >= max(1, abs(low), abs(high))
        and low <= as_fraction <= high
    ):
        typed = units.typed_text(name, value)
        hint = f": fractions are asked for, and {typed} is {units.plain(as_fraction)}"
    if name in COST_ASSUMPTIONS:
        return f"{name} must be from {in_words}, in pounds; {shown(value)} is not."
    return f"{name} must be from {low} to {high} ({in_words}); {shown(value)} is not{hint}."


def stored_places(name: str) -> Decimal:
    """How finely an assumption is stored: costs to the penny, the rest to RATE_PLACES."""
    return PENNY if name in COST_ASSUMPTIONS else RATE_PLACES


def check_typed_assumption(name: str, typed: Decimal) -> str | None:
    """What a lead typed (percent or points, `workforce.plans.units`) out of its range, in the
    same units, for a message beside the box: "Give a number from -20 to +20 points; -25
    points is not."."""
    low, high = ASSUMPTION_LIMITS[name]
    if low <= units.stored_from_typed(name, typed) <= high:
        return None
    in_words = units.range_in_words(name, low, high)
    return f"Give a number from {in_words}; {units.typed_text(name, typed)} is not."


def check_scenario_count(name: str, value: int) -> str | None:
    low, high = SCENARIO_LIMITS[name]
    if not low <= value <= high:
        return f"{name} must be a whole number from {low:,} to {high:,}; {value:,} is not."
    return None
