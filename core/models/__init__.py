from .access import AuditEntry, Role, User
from .reference import (
    ICS,
    ICSSuccession,
    NetworkMembership,
    Organisation,
    OrganisationMembership,
    PublishedFigure,
    Region,
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
    "PublishedFigure",
    "Region",
    "Role",
    "StaffGroup",
    "User",
    "valid_on_q",
]
