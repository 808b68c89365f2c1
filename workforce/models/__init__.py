from .backtests import Backtest
from .months import MonthSignOff
from .planning import (
    ASSUMPTION_FIELDS,
    MONEY_ASSUMPTION_FIELDS,
    MONEY_COST_FIELDS,
    SCENARIO_ASSUMPTION_FIELDS,
    TARGET_MONEY_FIELDS,
    DemandStepChange,
    PayAward,
    PlanTarget,
    Scenario,
    ScenarioAssumption,
)
from .returns import ReturnComment, StaffingReturn, StaffingReturnRow, for_review_q
from .runs import ProjectionResult, ProjectionRun, ProjectionRunChunk, ProjectionRunChunkPart

__all__ = [
    "ASSUMPTION_FIELDS",
    "MONEY_ASSUMPTION_FIELDS",
    "MONEY_COST_FIELDS",
    "SCENARIO_ASSUMPTION_FIELDS",
    "TARGET_MONEY_FIELDS",
    "Backtest",
    "DemandStepChange",
    "MonthSignOff",
    "PayAward",
    "PlanTarget",
    "ProjectionResult",
    "ProjectionRun",
    "ProjectionRunChunk",
    "ProjectionRunChunkPart",
    "ReturnComment",
    "Scenario",
    "ScenarioAssumption",
    "StaffingReturn",
    "StaffingReturnRow",
    "for_review_q",
]
