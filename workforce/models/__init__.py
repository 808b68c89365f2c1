from .access import AuditEntry, Role, User
from .planning import (
    ASSUMPTION_FIELDS,
    DemandStepChange,
    PlanTarget,
    Scenario,
    ScenarioAssumption,
)
from .reference import (
    ICS,
    ICSSuccession,
    Organisation,
    OrganisationMembership,
    PublishedFigure,
    Region,
    StaffGroup,
    valid_on_q,
)
from .returns import StaffingReturn, StaffingReturnRow
from .runs import ProjectionResult, ProjectionRun

__all__ = [
    "ASSUMPTION_FIELDS",
    "ICS",
    "AuditEntry",
    "DemandStepChange",
    "ICSSuccession",
    "Organisation",
    "OrganisationMembership",
    "PlanTarget",
    "ProjectionResult",
    "ProjectionRun",
    "PublishedFigure",
    "Region",
    "Role",
    "Scenario",
    "ScenarioAssumption",
    "StaffGroup",
    "StaffingReturn",
    "StaffingReturnRow",
    "User",
    "valid_on_q",
]
