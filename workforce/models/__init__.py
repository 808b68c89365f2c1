from .backtests import Backtest
from .months import MonthSignOff
from .planning import (
    ASSUMPTION_FIELDS,
    DemandStepChange,
    PlanTarget,
    Scenario,
    ScenarioAssumption,
)
from .returns import ReturnComment, StaffingReturn, StaffingReturnRow, for_review_q
from .runs import ProjectionResult, ProjectionRun, ProjectionRunChunk

__all__ = [
    "ASSUMPTION_FIELDS",
    "Backtest",
    "DemandStepChange",
    "MonthSignOff",
    "PlanTarget",
    "ProjectionResult",
    "ProjectionRun",
    "ProjectionRunChunk",
    "ReturnComment",
    "Scenario",
    "ScenarioAssumption",
    "StaffingReturn",
    "StaffingReturnRow",
    "for_review_q",
]
