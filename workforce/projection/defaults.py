"""National default assumptions, per staff group: what a scenario starts from.

Pure data. Each value is a rate a year (0.1 = 10%) unless said otherwise; docs/model.md says
where each comes from. A scenario overrides any of them, for all staff groups or for one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Assumptions:
    """Every assumption of the projection for one staff group."""

    leaver_rate: float | None = None  # None: measured from the returns
    leaver_rate_change: float = 0.0  # points added to the leaver rate
    recruitment_rate: float | None = None  # None: from the joiners of the returns
    international_rate: float = 0.0  # international recruits, share of baseline FTE a year
    international_change: float = 0.0  # relative change to international recruitment
    return_to_practice_rate: float = 0.0
    demand_growth: float = 0.025
    productivity: float = 0.015
    retention_share: float = 0.7  # newly qualified staff who take a job in the system
    intake_change: float = 0.0  # relative change to planned training intake
    intake_change_from: int | None = None  # academic year the change starts
    vacancy_rate: float = 0.075  # for organisations with no return: establishment from FTE
    fallback_leaver_rate: float = 0.10  # where no return gives leavers
    leaver_rate_sd: float = 0.01
    demand_growth_sd: float = 0.005
    productivity_sd: float = 0.005
    attrition_sd: float = 0.03
    international_sd: float = 0.2

    def updated(self, **changes: float | int | None) -> Assumptions:
        """A copy with the given fields replaced; None values are ignored (not set), and so
        are names that are not the projection's (a row's money fields: costs.py has them)."""
        known = self.__dataclass_fields__
        return replace(self, **{k: v for k, v in changes.items() if v is not None and k in known})


ASSUMPTION_NAMES = tuple(f.name for f in fields(Assumptions))

NATIONAL = Assumptions()

# Per staff group, what differs from NATIONAL.
BY_STAFF_GROUP: dict[str, dict[str, float]] = {
    "DOC": {"fallback_leaver_rate": 0.08, "international_rate": 0.04, "retention_share": 0.6},
    "NUR": {
        "fallback_leaver_rate": 0.095,
        "international_rate": 0.025,
        "return_to_practice_rate": 0.003,
        "vacancy_rate": 0.08,
    },
    "MID": {
        "fallback_leaver_rate": 0.09,
        "international_rate": 0.01,
        "return_to_practice_rate": 0.002,
    },
    "AMB": {"fallback_leaver_rate": 0.09, "vacancy_rate": 0.05},
    "STT": {"fallback_leaver_rate": 0.10, "international_rate": 0.01},
    "SUP-DNM": {"fallback_leaver_rate": 0.12, "vacancy_rate": 0.08},
    "SUP-AMB": {"fallback_leaver_rate": 0.11},
    "SUP-STT": {"fallback_leaver_rate": 0.11},
    "INF-CEN": {"fallback_leaver_rate": 0.10, "demand_growth": 0.01},
    "INF-HPE": {"fallback_leaver_rate": 0.11, "demand_growth": 0.01},
    "INF-SM": {"fallback_leaver_rate": 0.10, "demand_growth": 0.0},
    "INF-MGR": {"fallback_leaver_rate": 0.10, "demand_growth": 0.0},
    "OTH": {"fallback_leaver_rate": 0.10, "demand_growth": 0.0},
    "PC-GP": {"fallback_leaver_rate": 0.08, "international_rate": 0.01, "vacancy_rate": 0.06},
    "PC-NUR": {"fallback_leaver_rate": 0.11, "vacancy_rate": 0.07},
    "PC-DPC": {"fallback_leaver_rate": 0.13, "demand_growth": 0.04},
    "PC-ADM": {"fallback_leaver_rate": 0.13, "demand_growth": 0.01},
    # Social care: Skills for Care, "The state of the adult social care sector and workforce
    # in England". Turnover counts everyone who left a job, moves between providers included,
    # which is what an organisation's leaver rate counts too. All staff, 2023/24: turnover
    # 24.8%, vacancy rate 8.3% (2024 report); care workers are most of them. Registered
    # nurses, 2022/23: turnover 32.6%, vacancy rate 11.3% (2023 report). Other roles
    # (managers, regulated professions other than nursing, ancillary staff): no figure of
    # their own was found, so 22% and 7% are planning assumptions below the sector's rates.
    "SC-CW": {
        "fallback_leaver_rate": 0.25,
        "international_rate": 0.03,
        "vacancy_rate": 0.08,
        "demand_growth": 0.03,
    },
    "SC-RN": {"fallback_leaver_rate": 0.33, "international_rate": 0.05, "vacancy_rate": 0.11},
    "SC-OTH": {"fallback_leaver_rate": 0.22, "vacancy_rate": 0.07},
}
# The spreads (one standard deviation) of the leaver rate and of international recruitment of
# the HCHS staff groups, set by the national backtest of 2012-2020 (docs/model.md,
# "Backtests"; `manage.py backtest_national --calibrate` proposes them): those that would
# have held 80% of the outcomes inside P10-P90, capped at SPREAD_CAP where the history asked
# for more.
SPREAD_CAP = (0.03, 0.6)
BACKTEST_SPREADS: dict[str, tuple[float, float]] = {
    "DOC": (0.018, 0.36),
    "NUR": (0.023, 0.45),
    "MID": (0.006, 0.13),
    "STT": (0.018, 0.37),
    "SUP-DNM": (0.026, 0.52),
    "INF-HPE": (0.026, 0.51),
    **dict.fromkeys(
        ("AMB", "SUP-AMB", "SUP-STT", "INF-CEN", "INF-SM", "INF-MGR", "OTH"), SPREAD_CAP
    ),
}
for _code, (_leaver, _international) in BACKTEST_SPREADS.items():
    BY_STAFF_GROUP[_code] = {
        **BY_STAFF_GROUP[_code],
        "leaver_rate_sd": _leaver,
        "international_sd": _international,
    }

# The Additional Roles that primary care networks employ (PC-ARR-PHARM, PC-ARR-PARA, ...)
# are direct patient care roles: they take general practice direct patient care's defaults,
# and so does any role added under PC-ARR later, through the hierarchy (`national_defaults`).
BY_STAFF_GROUP["PC-ARR"] = BY_STAFF_GROUP["PC-DPC"]

# The general practice groups: their default demand growth follows the system's registered
# list growth where the practice series gives one (assembly), these values where it does not.
GENERAL_PRACTICE = "PC"


@dataclass(frozen=True)
class FtePerHead:
    """A published national FTE per head for a staff group, to turn a published headcount
    with no FTE into FTE."""

    ratio: float
    source: str


# Only where NHS Digital publishes both the FTE and the headcount of the same group nationally.
FTE_PER_HEAD: dict[str, FtePerHead] = {
    "PC-GP": FtePerHead(
        ratio=27_574 / 37_399,
        source="NHS Digital, General Practice Workforce, 31 March 2024: 27,574 FTE and "
        "37,399 headcount fully qualified GPs in England (as reported by the BMA, "
        "'Pressures in general practice data analysis', April 2024)",
    ),
}


def national_defaults(staff_group_code: str, ancestors: Sequence[str] = ()) -> Assumptions:
    """The national defaults of a staff group: its own entry in BY_STAFF_GROUP, else that of
    its nearest ancestor (`ancestors`, nearest first) that has one, else NATIONAL's."""
    for code in (staff_group_code, *ancestors):
        if code in BY_STAFF_GROUP:
            return NATIONAL.updated(**BY_STAFF_GROUP[code])
    return NATIONAL


def resolve(
    staff_group_code: str,
    scenario_default: dict[str, float | int | None],
    scenario_group: dict[str, float | int | None],
    ancestors: Sequence[str] = (),
) -> Assumptions:
    """The assumptions for one staff group: national default, then the scenario's row for
    all groups, then its row for this group; an empty (None) field never overrides."""
    return (
        national_defaults(staff_group_code, ancestors)
        .updated(**scenario_default)
        .updated(**scenario_group)
    )
