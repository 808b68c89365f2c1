"""Organisation kinds: the sector each is planned in, and the staff groups each employs.

Pure data, shared by the returns (which rows a template lists), the projection (which sector
an organisation's figures add to) and the dashboards (the sector filter). A higher education
institution employs no one the plan counts: it trains, so it has no planning sector.
"""

from __future__ import annotations

# The sectors of the one workforce, in the order pages list them: (code, label).
PLANNING_SECTORS: tuple[tuple[str, str], ...] = (
    ("nhs_trusts", "NHS trusts"),
    ("primary_care", "General practice and PCNs"),
    ("social_care", "Social care"),
    ("independent", "Independent and voluntary sector"),
)
PLANNING_SECTOR_CODES = tuple(code for code, _ in PLANNING_SECTORS)
PLANNING_SECTOR_LABELS = dict(PLANNING_SECTORS)

# Organisation.Kind value -> planning sector.
SECTOR_OF_KIND: dict[str, str] = {
    "nhs_trust": "nhs_trusts",
    "gp_practice": "primary_care",
    "pcn": "primary_care",
    "social_care": "social_care",
    "independent": "independent",
}

# Organisation.Kind value -> the StaffGroup.sector values of the groups it employs. An
# independent or voluntary provider (a hospice, an independent hospital) employs the NHS's
# professions and care staff.
GROUP_SECTORS_OF_KIND: dict[str, frozenset[str]] = {
    "nhs_trust": frozenset({"hchs"}),
    "gp_practice": frozenset({"primary_care"}),
    "pcn": frozenset({"primary_care"}),
    "social_care": frozenset({"social_care"}),
    "independent": frozenset({"hchs", "social_care"}),
}


def planning_sector(kind: str) -> str | None:
    """The planning sector of an organisation kind; None for a kind the plan does not count."""
    return SECTOR_OF_KIND.get(kind)


def employs(kind: str, group_sector: str) -> bool:
    """Whether an organisation of `kind` employs staff groups of `group_sector`."""
    return group_sector in GROUP_SECTORS_OF_KIND.get(kind, frozenset())
