from .access import AuditEntry, Role, User
from .reference import (
    ICS,
    ICSSuccession,
    NetworkMembership,
    Organisation,
    OrganisationMembership,
    OrganisationShare,
    PublishedFigure,
    Region,
    RegisteredPatients,
    StaffGroup,
    valid_on_q,
)

__all__ = [
    "ICS",
    "AuditEntry",
    "ICSSuccession",
    "NetworkMembership",
    "Organisation",
    "OrganisationMembership",
    "OrganisationShare",
    "PublishedFigure",
    "Region",
    "RegisteredPatients",
    "Role",
    "StaffGroup",
    "User",
    "valid_on_q",
]
