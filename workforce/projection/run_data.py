"""What a projection run reads from the database, as plain data: pure, no Django.

`workforce.projection.inputs` fills a `RunData` with queries only; `assembly` turns it into
the engine's arrays with the model's rules. Keeping the two apart lets every rule be tested on
plain data, beside the engine.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from education import pipeline

AssumptionRow = Mapping[str, float | int | None]  # assumption name -> value; None: not set
# One month of a series' costs: (fte, pay_cost, bank_fte, bank_cost, agency_fte, agency_cost),
# GBP in the month; a cost None is not given (projection.costs.Month).
CostMonth = tuple[float, float | None, float, float | None, float, float | None]


@dataclass(frozen=True)
class BaselineSeries:
    """One organisation x staff group at the baseline."""

    organisation_code: str
    ics_code: str
    staff_group_code: str
    source: str  # "return", "published", or "published_headcount" (FTE from a headcount)
    period: datetime.date  # the month the FTE comes from
    fte: float
    vacancies_fte: float | None  # None when not known: published figures, or left blank
    leaver_rate: float | None  # a year; None when no return has leavers
    joiners_a_year: float | None
    months_of_returns: int  # months in the 12-month window with a return
    cost_months: tuple[CostMonth, ...] = ()  # the window's months, for the cost per FTE
    bank_fte: float | None = None  # at the baseline month; None: no return gives it
    agency_fte: float | None = None

    @property
    def establishment(self) -> float | None:
        """Funded establishment: FTE in post plus vacancies."""
        return None if self.vacancies_fte is None else self.fte + self.vacancies_fte


@dataclass(frozen=True)
class PublishedHeadcount:
    """A published headcount with no FTE, for an organisation that has neither a return nor a
    published FTE: turned into FTE where a national FTE per head is published for its group,
    else left out of the projection (and counted in the run's notes)."""

    organisation_code: str
    ics_code: str
    staff_group_code: str
    period: datetime.date  # the first month of the period the figure describes
    period_label: str  # "2022-09", or "2023/24" for a financial year's mean
    headcount: float


@dataclass(frozen=True)
class ReturnUnderReview:
    """A current return with warnings not yet confirmed or accepted: a run leaves it out and
    uses the version before it, or the organisation's latest month before it."""

    organisation_code: str
    period: datetime.date
    version: int
    return_id: int


@dataclass(frozen=True)
class StaffGroupNode:
    """One staff group of the hierarchy: where it sorts and what it rolls up into."""

    code: str
    parent: str | None
    sort_order: int
    reportable: bool = True


@dataclass(frozen=True)
class StepChange:
    """A one-off change in demand, in FTE, for a staff group in a financial year."""

    staff_group_code: str
    year: int
    fte: float


@dataclass(frozen=True)
class PayAwardValue:
    """A scenario's pay award in a financial year, for one staff group or (code None) every
    group: it wins over the assumption rows' pay_award in that year, a group's over all's."""

    staff_group_code: str | None
    year: int
    rate: float  # 0.036 = 3.6%


@dataclass(frozen=True)
class TargetValue:
    """A plan target: FTE for an ICS and staff group in a financial year, with the financial
    plan's limits (GBP in the year; None where none is set)."""

    ics_code: str
    staff_group_code: str
    year: int
    fte: float
    pay_budget: float | None = None
    bank_spend_limit: float | None = None
    agency_spend_limit: float | None = None


@dataclass(frozen=True)
class RunData:
    """Everything a run depends on, as read: nothing derived yet."""

    series: tuple[BaselineSeries, ...]
    baseline_year: int  # the financial year holding the baseline month
    horizon: int
    draws: int
    seed: int
    organisation_share: float
    # staff group code (None: the scenario's row for every group) -> the row's values
    assumption_rows: Mapping[str | None, AssumptionRow]
    step_changes: tuple[StepChange, ...]
    staff_groups: tuple[StaffGroupNode, ...]
    # The education pipeline's inputs as recorded, before the scenario's intake change.
    programmes: tuple[pipeline.Programme, ...]
    intakes: tuple[pipeline.Intake, ...]
    placements: tuple[pipeline.PlacementCapacity, ...] = ()
    educators: tuple[pipeline.EducatorCapacity, ...] = ()
    targets: tuple[TargetValue, ...] = ()
    # organisation code -> Organisation.Kind value; an organisation not in it is an NHS trust,
    # the kind every organisation was before the planner took in the one workforce
    organisation_kinds: Mapping[str, str] = field(default_factory=dict)
    # codes of the organisations whose figures are illustrative (the demo's social care)
    illustrative_organisations: frozenset[str] = frozenset()
    # organisations whose only figures are published headcounts
    headcount_only: tuple[PublishedHeadcount, ...] = ()
    # ICS code -> financial year (the year it starts) -> patients registered at its member
    # practices, from the shipped practice series
    registered_patients: Mapping[str, Mapping[int, int]] = field(default_factory=dict)
    # organisation code -> ((ICS code, share), ...) for the organisations shared across
    # systems (core.models.OrganisationShare); the others count wholly in their series' ICS
    shares: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    # What completeness is measured against: the baseline month, every organisation of the
    # scope (codes), and the returns for review the run left out
    baseline_period: datetime.date | None = None
    members: tuple[str, ...] = ()
    under_review: tuple[ReturnUnderReview, ...] = ()
    # The scenario's pay awards by year, in year order, each year's award for every group first
    pay_awards: tuple[PayAwardValue, ...] = ()


@dataclass(frozen=True)
class Labels:
    """The codes along one axis of the engine's arrays, in order, with each code's position."""

    codes: tuple[str, ...]
    _positions: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        positions = {code: i for i, code in enumerate(self.codes)}
        if len(positions) != len(self.codes):
            raise ValueError(f"labels must be unique: {self.codes}")
        object.__setattr__(self, "_positions", positions)

    def position(self, code: str) -> int:
        """Where `code` is along the axis (KeyError when it is not there)."""
        return self._positions[code]

    def __contains__(self, code: object) -> bool:
        return code in self._positions

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class RunAxes:
    """The labels of every axis of the engine's arrays, kept together with them."""

    organisations: Labels  # EngineInputs.series_organisation indexes these
    ics: Labels  # series_ics, and the first axis of targets
    leaf_groups: Labels  # series_group: the staff groups of the series
    output_groups: Labels  # the rows of group_rollup: the leaves, then their parents
    baseline_year: int
    # the planning sectors present (core.kinds order): EngineInputs.organisation_sector
    # indexes these
    sectors: Labels = field(default_factory=lambda: Labels(("nhs_trusts",)))

    def year(self, t: int) -> int:
        """The financial year of projection year t."""
        return self.baseline_year + t


@dataclass(frozen=True)
class TrainingPipeline:
    """The education pipeline's inputs after the scenario's intake change: what the newly
    qualified were computed from, kept so that "what it takes" can add places and ask again."""

    programmes: tuple[pipeline.Programme, ...]
    intakes: tuple[pipeline.Intake, ...]
    placements: tuple[pipeline.PlacementCapacity, ...]
    educators: tuple[pipeline.EducatorCapacity, ...]
    baseline_year: int
    horizon: int

    def newly_qualified(
        self,
        extra_places: Mapping[tuple[str, str], float] | None = None,
        extra_from_year: int | None = None,
    ) -> pipeline.PipelineResult:
        return pipeline.newly_qualified_supply(
            programmes=self.programmes,
            intakes=self.intakes,
            placements=self.placements,
            educators=self.educators,
            baseline_year=self.baseline_year,
            horizon=self.horizon,
            extra_places=extra_places,
            extra_from_year=extra_from_year,
        )
