"""The engine's plain data: its inputs, its results, and the checks of the inputs.

Pure numpy, no Django: the database side builds `EngineInputs` and reads `EngineResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MAX_HORIZON = 20
_INDEXES = ("series_ics", "series_group", "series_organisation")
_RATES = ("leaver_rate", "retention", "attrition")
_NON_NEGATIVE = ("supply0", "demand0", "recruitment", "international", "return_to_practice")
_SERIES_FIELDS = (*_INDEXES, *_RATES, *_NON_NEGATIVE, "demand_growth", "productivity")
_ASSUMPTIONS = ("leaver_rate", "demand_growth", "productivity", "attrition", "international")


@dataclass(frozen=True)
class Spreads:
    """Standard deviations of the draws, one per leaf staff group (arrays of shape (G,))."""

    leaver_rate: np.ndarray  # absolute, in rate points (0.01 = one point)
    demand_growth: np.ndarray  # absolute
    productivity: np.ndarray  # absolute
    attrition: np.ndarray  # absolute
    international: np.ndarray  # relative (0.2 = +-20% of I)
    organisation_share: float = 0.0  # share of each shock's variance that is the organisation's own


# The rows of an entity's figures: the FTE quantities, then, in a run with money, the spend.
SUPPLY, DEMAND, GAP, PAY, BANK, AGENCY, TOTAL = range(7)
# Those summed per draw from the organisations up (the others are derived from them per draw).
SUMMED_FTE = (SUPPLY, DEMAND)
SUMMED_MONEY = (PAY, BANK, AGENCY)
# A plan target's money limits, in this order: pay budget, bank and agency spend limits.
LIMITED = (PAY, BANK, AGENCY)
# Their names on a plan target and a stored result, in LIMITED's order.
LIMIT_NAMES = ("pay_budget", "bank_spend_limit", "agency_spend_limit")


@dataclass(frozen=True)
class MoneyInputs:
    """What turns each series' FTE into GBP a year (docs/model.md, "Money"): costs per FTE at
    the baseline year's prices, employer on-costs included, and each year's price index."""

    pay_cost: np.ndarray  # (n,) substantive, per FTE a year; 0 where no cost is known
    bank_cost: np.ndarray  # (n,) per bank FTE a year
    agency_cost: np.ndarray  # (n,) per agency FTE a year
    temporary_share: np.ndarray  # (n,) share of the gap (demand above supply) filled by both
    bank_share: np.ndarray  # (n,) bank's share of that
    pay_index: np.ndarray  # (n, H+1) prices of pay and bank: pay awards and on-cost change
    agency_index: np.ndarray  # (n, H+1) prices of agency: pay awards
    costed: np.ndarray  # (n,) bool: whether the series has a cost
    limits: np.ndarray  # (n_ics, 3, K, H+1) pay budget, bank and agency limits; NaN: none

    def of(self, series: np.ndarray) -> MoneyInputs:
        """The same, for some series only (the limits are per ICS and stay whole)."""
        taken = {
            name: np.asarray(getattr(self, name))[series]
            for name in self.__dataclass_fields__
            if name != "limits"
        }
        return MoneyInputs(**taken, limits=self.limits)


@dataclass(frozen=True, kw_only=True)
class EngineInputs:
    """One run's inputs: n series (organisation x leaf group), H years, M draws."""

    series_ics: np.ndarray  # (n,) int, 0..n_ics-1
    series_group: np.ndarray  # (n,) int, 0..n_groups-1
    series_organisation: np.ndarray  # (n,) int, 0..n_organisations-1; one ICS each
    n_ics: int
    n_groups: int
    n_organisations: int
    supply0: np.ndarray  # (n,) FTE in post
    demand0: np.ndarray  # (n,) funded establishment
    leaver_rate: np.ndarray  # (n,)
    recruitment: np.ndarray  # (n,) other recruitment, already net of I, B and r * N(0)
    international: np.ndarray  # (n,)
    return_to_practice: np.ndarray  # (n,)
    demand_growth: np.ndarray  # (n,)
    productivity: np.ndarray  # (n,)
    step_changes: np.ndarray  # (n, H+1); column 0 unused
    newly_qualified: np.ndarray  # (n, H+1), already shared to the series
    attrition: np.ndarray  # (n,) course attrition behind newly_qualified
    retention: np.ndarray  # (n,) share of the newly qualified retained locally
    horizon: int
    draws: int
    seed: int
    spreads: Spreads
    group_rollup: np.ndarray  # (K, G) 0/1: output group k sums leaf groups g with a 1
    targets: np.ndarray  # (n_ics, K, H+1) target FTE, NaN where none
    # The planning sector of each organisation (NHS trusts, primary care, ...), by index into
    # the run's sectors; None: every organisation in one sector.
    organisation_sector: np.ndarray | None = None  # (n_organisations,) int, 0..n_sectors-1
    n_sectors: int = 1
    # Organisations shared across systems: part s counts share_weight[s] of organisation
    # share_organisation[s] in ICS share_ics[s]. An organisation with parts counts only in
    # them; the others count wholly in their series' ICS.
    share_organisation: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    share_ics: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    share_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # What the workforce costs; None: a run in FTE only.
    money: MoneyInputs | None = None

    @property
    def summed(self) -> tuple[int, ...]:
        """The rows of the figures that are summed per draw from the organisations up."""
        return SUMMED_FTE if self.money is None else (*SUMMED_FTE, *SUMMED_MONEY)

    @property
    def quantities(self) -> int:
        """How many rows an entity's figures have: supply, demand, gap (and the spend)."""
        return 3 if self.money is None else 7


@dataclass(frozen=True)
class LevelResult:
    """Percentiles P10, P50, P90 in the last axis: (entities, K, H+1, 3). The spend is GBP a
    year at each year's prices, and None in a run in FTE only."""

    supply: np.ndarray
    demand: np.ndarray
    gap: np.ndarray  # demand - supply, per draw, then percentiles
    pay_bill: np.ndarray | None = None
    bank_spend: np.ndarray | None = None
    agency_spend: np.ndarray | None = None
    total_spend: np.ndarray | None = None  # pay + bank + agency, per draw, then percentiles


@dataclass(frozen=True)
class SectorResult:
    """The figures of each sector present in each entity: row b is sector `sector[b]` of
    entity `entity[b]` (an ICS index, or 0 for the nation), in entity then sector order."""

    entity: np.ndarray  # (B,) int
    sector: np.ndarray  # (B,) int
    figures: LevelResult  # entities = B


@dataclass(frozen=True)
class EngineResult:
    organisation: LevelResult  # entities = n_organisations, by organisation index
    ics: LevelResult  # entities = n_ics: all sectors
    national: LevelResult  # entities = 1: all sectors
    probability_meets_target: np.ndarray  # (n_ics, K, H+1), NaN where there is no target
    ics_sectors: SectorResult  # each ICS's sectors, summed per draw like the ICS
    national_sectors: SectorResult  # the nation's sectors (entity 0)
    # (n_ics, 3, K, H+1): the share of draws within each money limit (LIMITED), NaN where none
    probability_within_limits: np.ndarray | None = None


@dataclass(frozen=True)
class SampledAssumptions:
    """The assumptions of some series in every draw: arrays of shape (series, M)."""

    leaver_rate: np.ndarray
    demand_growth: np.ndarray
    productivity: np.ndarray
    attrition: np.ndarray
    international: np.ndarray


def validate_inputs(inputs: EngineInputs) -> None:
    """Raise ValueError, naming the field, for anything the engine cannot run on."""
    horizon = inputs.horizon
    if not isinstance(horizon, int | np.integer) or not 1 <= horizon <= MAX_HORIZON:
        raise ValueError(f"horizon must be whole years from 1 to {MAX_HORIZON}, got {horizon!r}")
    for name in ("draws", "n_ics", "n_groups", "n_organisations"):
        if int(getattr(inputs, name)) < 1:
            raise ValueError(f"{name} must be at least 1, got {getattr(inputs, name)}")
    if int(inputs.seed) < 0:
        raise ValueError(f"seed must be zero or more, got {inputs.seed}")
    if np.ndim(inputs.series_ics) != 1:
        raise ValueError(f"series_ics must be one-dimensional, got {np.shape(inputs.series_ics)}")
    n = len(inputs.series_ics)
    rollup = np.asarray(inputs.group_rollup)
    if rollup.ndim != 2 or rollup.shape[0] < 1 or rollup.shape[1] != inputs.n_groups:
        raise ValueError(
            f"group_rollup must have shape (K, n_groups={inputs.n_groups}), got {rollup.shape}"
        )
    expected = dict.fromkeys(_SERIES_FIELDS, (n,))
    expected |= {"step_changes": (n, horizon + 1), "newly_qualified": (n, horizon + 1)}
    expected["targets"] = (inputs.n_ics, rollup.shape[0], horizon + 1)
    for name, shape in expected.items():
        if np.shape(getattr(inputs, name)) != shape:
            raise ValueError(
                f"{name} must have shape {shape}, got {np.shape(getattr(inputs, name))}"
            )
        if name != "targets" and not np.all(np.isfinite(getattr(inputs, name))):
            raise ValueError(f"{name} must be finite (no NaN or infinity)")
    if not np.isin(rollup, (0, 1)).all():
        raise ValueError("group_rollup must hold only 0 and 1")
    for name in (*_RATES, "newly_qualified", *_NON_NEGATIVE):
        values = np.asarray(getattr(inputs, name))
        if (values < 0).any() or (name in _RATES and (values > 1).any()):
            kind = "a fraction from 0 to 1" if name in _RATES else "zero or more"
            raise ValueError(f"{name} must be {kind} for every series")
    sizes = (inputs.n_ics, inputs.n_groups, inputs.n_organisations)
    for name, size in zip(_INDEXES, sizes, strict=True):
        index = np.asarray(getattr(inputs, name))
        if index.size and (index.min() < 0 or index.max() >= size or (index % 1 != 0).any()):
            raise ValueError(f"{name} must hold whole numbers from 0 to {size - 1}")
    for name in _ASSUMPTIONS:
        values = np.asarray(getattr(inputs.spreads, name))
        if values.shape != (inputs.n_groups,) or not np.all(values >= 0):
            raise ValueError(f"spreads.{name} must be ({inputs.n_groups},) values, each >= 0")
    if not 0.0 <= inputs.spreads.organisation_share <= 1.0:
        raise ValueError("spreads.organisation_share must be from 0 to 1")
    if int(inputs.n_sectors) < 1:
        raise ValueError(f"n_sectors must be at least 1, got {inputs.n_sectors}")
    if inputs.organisation_sector is not None:
        sector = np.asarray(inputs.organisation_sector)
        if sector.shape != (inputs.n_organisations,):
            raise ValueError(
                f"organisation_sector must have shape ({inputs.n_organisations},), "
                f"got {sector.shape}"
            )
        if sector.size and (
            sector.min() < 0 or sector.max() >= inputs.n_sectors or (sector % 1 != 0).any()
        ):
            raise ValueError(
                f"organisation_sector must hold whole numbers from 0 to {inputs.n_sectors - 1}"
            )
    _validate_shares(inputs)
    if inputs.money is not None:
        _validate_money(inputs, n, rollup.shape[0])
    ics_of = np.full(inputs.n_organisations, -1)
    ics_of[np.asarray(inputs.series_organisation, int)] = inputs.series_ics
    if (ics_of[np.asarray(inputs.series_organisation, int)] != inputs.series_ics).any():
        raise ValueError("every organisation must belong to one ICS in all its series")


def _validate_shares(inputs: EngineInputs) -> None:
    parts = [np.asarray(inputs.share_organisation), np.asarray(inputs.share_ics)]
    weight = np.asarray(inputs.share_weight, dtype=np.float64)
    if any(np.shape(a) != weight.shape for a in parts) or weight.ndim != 1:
        raise ValueError("share_organisation, share_ics and share_weight must be (s,) alike")
    for name, index, size in zip(
        ("share_organisation", "share_ics"),
        parts,
        (inputs.n_organisations, inputs.n_ics),
        strict=True,
    ):
        if index.size and (index.min() < 0 or index.max() >= size or (index % 1 != 0).any()):
            raise ValueError(f"{name} must hold whole numbers from 0 to {size - 1}")
    if not np.all((weight > 0) & (weight <= 1)):
        raise ValueError("share_weight must be more than 0 and at most 1")
    pairs = np.stack(parts, axis=1) if weight.size else np.zeros((0, 2))
    if len(np.unique(pairs, axis=0)) != len(pairs):
        raise ValueError("an organisation has at most one share in each ICS")


def _validate_money(inputs: EngineInputs, n: int, k: int) -> None:
    money = inputs.money
    shapes = dict.fromkeys(
        ("pay_cost", "bank_cost", "agency_cost", "temporary_share", "bank_share", "costed"), (n,)
    )
    shapes |= {"pay_index": (n, inputs.horizon + 1), "agency_index": (n, inputs.horizon + 1)}
    shapes["limits"] = (inputs.n_ics, len(LIMITED), k, inputs.horizon + 1)
    for name, shape in shapes.items():
        values = np.asarray(getattr(money, name))
        if values.shape != shape:
            raise ValueError(f"money.{name} must have shape {shape}, got {values.shape}")
        if name == "limits":
            if (values[~np.isnan(values)] < 0).any():
                raise ValueError("money.limits must be zero or more where given")
        elif name != "costed" and (not np.all(np.isfinite(values)) or (values < 0).any()):
            raise ValueError(f"money.{name} must be finite and zero or more for every series")
    for name in ("temporary_share", "bank_share"):
        if (np.asarray(getattr(money, name)) > 1).any():
            raise ValueError(f"money.{name} must be a fraction from 0 to 1 for every series")
