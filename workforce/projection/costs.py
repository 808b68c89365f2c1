"""Cost per FTE: the published defaults, the plausible range, and the measurement. Pure.

Costs are GBP a month per FTE, employer on-costs included. Defaults hold for NHS trusts'
staff groups only (Agenda for Change and medical pay scales); primary and social care pay
is not set by them, so those groups have no default and are measured or left unknown.

Sources (docs/model.md, "Cost per FTE", shows every derivation):
- Agenda for Change pay scales 2025/26, England, from 1 April 2025 (NHS Employers).
- Resident doctors' foundation year 1 basic salary 2025/26, £38,831 (Nuffield Trust, 2025).
- Consultants (2003 contract) basic pay thresholds £105,504 to £139,882 (England, 2024/25;
  the 2025/26 award is not applied, so the default is low rather than invented).
- Employer on-costs: NHS Pension Scheme employer contribution 23.7% including the
  administration levy; employer National Insurance 15% above the secondary threshold
  of £5,000 a year (HMRC, 2025/26).
- Agency: NHS England's agency price cap, basic pay plus 55% (the cap covers on-costs,
  holiday pay and the agency's fee).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

PENSION_EMPLOYER = 0.237
NI_EMPLOYER = 0.15
NI_SECONDARY_THRESHOLD = 5000.0
AGENCY_CAP_UPLIFT = 0.55

# Annual basic pay, England, 2025/26 (NHS Employers): band -> (entry point, top point).
AFC_2025_26: dict[str, tuple[float, float]] = {
    "2": (24465.0, 24465.0),
    "3": (24937.0, 26598.0),
    "4": (27485.0, 30162.0),
    "5": (31049.0, 37796.0),
    "6": (38682.0, 46580.0),
    "7": (47810.0, 54710.0),
    "8a": (55690.0, 62682.0),
    "8b": (64455.0, 74896.0),
    "8c": (76965.0, 88682.0),
    "8d": (91342.0, 105337.0),
    "9": (109179.0, 125637.0),
}
FY1_2025_26 = 38831.0
CONSULTANT_TOP_2024_25 = 139882.0

# The representative pay of each NHS staff group: a derived choice, not a published figure.
# AfC groups take the midpoint of the band(s) most of the group is paid on; doctors the
# midpoint of FY1 entry and the consultant top threshold.
_GROUP_BASIS: dict[str, tuple[str, ...]] = {
    "NUR": ("5", "6"),
    "MID": ("6",),
    "AMB": ("5", "6"),
    "STT": ("6", "7"),
    "SUP-DNM": ("3",),
    "SUP-AMB": ("3",),
    "SUP-STT": ("3",),
    "INF-CEN": ("4",),
    "INF-HPE": ("2",),
    "INF-MGR": ("8a",),
    "INF-SM": ("8d",),
    "OTH": ("4",),
}
DEFAULT_KINDS = ("nhs_trust",)


def on_costs(annual_pay: float) -> float:
    """Annual cost to the employer of an annual basic pay: pay, pension and NI."""
    national_insurance = NI_EMPLOYER * max(annual_pay - NI_SECONDARY_THRESHOLD, 0.0)
    return annual_pay * (1 + PENSION_EMPLOYER) + national_insurance


def _basic_pay(group: str) -> float | None:
    if group == "DOC":
        return (FY1_2025_26 + CONSULTANT_TOP_2024_25) / 2
    bands = _GROUP_BASIS.get(group)
    if bands is None:
        return None
    low = min(AFC_2025_26[band][0] for band in bands)
    high = max(AFC_2025_26[band][1] for band in bands)
    return (low + high) / 2


@dataclass(frozen=True)
class CostPerFte:
    """GBP a month per FTE; None where neither the returns nor a default give one."""

    pay: float | None
    bank: float | None
    agency: float | None
    measured: frozenset[str]  # which of pay, bank, agency come from the returns


def default_cost_per_fte(group: str, kind: str) -> CostPerFte:
    """The published-source default of a staff group in an organisation of a kind."""
    basic = _basic_pay(group) if kind in DEFAULT_KINDS else None
    if basic is None:
        return CostPerFte(None, None, None, frozenset())
    pay = on_costs(basic) / 12
    # Bank staff are paid on the same scales as substantive staff.
    return CostPerFte(pay, pay, basic * (1 + AGENCY_CAP_UPLIFT) / 12, frozenset())


# A month's substantive cost per FTE outside this range is warned of: from half the lowest
# AfC point with on-costs (part months, unpaid leave) to twice the top consultant threshold
# with on-costs (arrears, awards, overtime).
PLAUSIBLE_PAY_PER_FTE = (
    round(on_costs(AFC_2025_26["2"][0]) / 12 / 2),
    round(on_costs(CONSULTANT_TOP_2024_25) / 12 * 2),
)
# Bank and agency: the same floor; agency's ceiling three times the substantive one's top.
PLAUSIBLE_BANK_PER_FTE = PLAUSIBLE_PAY_PER_FTE
PLAUSIBLE_AGENCY_PER_FTE = (PLAUSIBLE_PAY_PER_FTE[0], PLAUSIBLE_PAY_PER_FTE[1] * 3)


# One month of a series: (fte, pay_cost, bank_fte, bank_cost, agency_fte, agency_cost);
# a cost None is not given.
Month = tuple[float, float | None, float, float | None, float, float | None]


def _per_fte(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    known = [(fte, cost) for fte, cost in pairs if cost is not None]
    total_fte = sum(fte for fte, _ in known)
    return sum(cost for _, cost in known) / total_fte if total_fte > 0 else None


def measured_cost_per_fte(months: Iterable[Month], default: CostPerFte) -> CostPerFte:
    """Cost per FTE over the months of a window (total cost over total FTE, of the months
    that give the cost), each falling back to its default where no month gives it."""
    months = list(months)
    found = {
        "pay": _per_fte((m[0], m[1]) for m in months),
        "bank": _per_fte((m[2], m[3]) for m in months),
        "agency": _per_fte((m[4], m[5]) for m in months),
    }
    fallback = {"pay": default.pay, "bank": default.bank, "agency": default.agency}
    return CostPerFte(
        pay=found["pay"] if found["pay"] is not None else fallback["pay"],
        bank=found["bank"] if found["bank"] is not None else fallback["bank"],
        agency=found["agency"] if found["agency"] is not None else fallback["agency"],
        measured=frozenset(name for name, value in found.items() if value is not None),
    )


# Planning assumptions, not published figures (docs/model.md, "Money"): a pay award of 2% a
# year (the Bank of England's inflation target) after the baseline year; where no return gives
# bank or agency FTE, every vacant FTE covered by temporary staff, four fifths of it bank.
DEFAULT_PAY_AWARD = 0.02
FALLBACK_TEMPORARY_SHARE = 1.0
FALLBACK_BANK_SHARE = 0.8


@dataclass(frozen=True)
class MoneyAssumptions:
    """A scenario's money assumptions for one staff group; None: measured, or not known."""

    pay_award: float = DEFAULT_PAY_AWARD  # a year, from the first projected year
    on_cost_change: float = 0.0  # relative change to employer costs (pay and bank)
    temporary_share: float | None = None  # of the gap; None: measured from the returns
    bank_share: float | None = None  # of temporary staffing; None: measured
    agency_premium: float | None = None  # over substantive cost; None: measured or default
    training_place_cost: float | None = None  # GBP a place a year
    international_recruit_cost: float | None = None  # GBP a recruit, once
    retention_point_cost: float | None = None  # GBP a year per FTE in post per point

    def updated(self, **changes: float | None) -> MoneyAssumptions:
        """A copy with the given fields replaced; None values are ignored (not set)."""
        known = set(self.__dataclass_fields__)
        return replace(
            self, **{k: float(v) for k, v in changes.items() if v is not None and k in known}
        )


def money_assumptions(general: dict, group: dict) -> MoneyAssumptions:
    """One staff group's money assumptions: the defaults, then the scenario's row for every
    group, then its row for this group; an empty (None) value never overrides."""
    return MoneyAssumptions().updated(**general).updated(**group)
