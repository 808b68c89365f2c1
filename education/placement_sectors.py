"""Placement sectors: the settings in which students spend their practice placement weeks.

Pure data and rules, no Django. A programme's placement weeks a year may be split across these
sectors (multi-professional rotational placements: so many weeks in hospital, so many in the
community, so many in general practice or social care); an organisation's placement places
are recorded in one of them. The sectors are settings of care rather than kinds of employer:
an NHS trust may offer acute, community, mental health or ambulance placements, so a trust
names the sector of each figure it records. The kinds whose placements can only be in one
sector (a GP practice, a care home) take it by default.
"""

from __future__ import annotations

from core.kinds import planning_sector

# (code, label), in the order pages list them: hospital, community and specialist NHS
# settings first, then primary care, social care and the independent and voluntary sector.
PLACEMENT_SECTORS: tuple[tuple[str, str], ...] = (
    ("acute", "Acute"),
    ("community", "Community"),
    ("mental_health", "Mental health"),
    ("ambulance", "Ambulance"),
    ("primary_care", "Primary care"),
    ("social_care", "Social care"),
    ("independent", "Independent and voluntary"),
)
SECTOR_CODES: tuple[str, ...] = tuple(code for code, _ in PLACEMENT_SECTORS)
SECTOR_LABELS: dict[str, str] = dict(PLACEMENT_SECTORS)
_ORDER = {code: i for i, code in enumerate(SECTOR_CODES)}

NHS_SETTINGS = ("acute", "community", "mental_health", "ambulance")

# Planning sector of an organisation kind (core.kinds) -> the placement sectors its places
# may be in, the default first. An independent or voluntary provider (a hospice, an
# independent hospital, a community interest company running community services) may also
# place students in the NHS's settings of care it provides. A kind the plan does not count
# (a higher education institution) has no default and may name any sector.
_SECTORS_OF_PLANNING_SECTOR: dict[str, tuple[str, ...]] = {
    "nhs_trusts": NHS_SETTINGS,
    "primary_care": ("primary_care",),
    "social_care": ("social_care",),
    "independent": ("independent", *NHS_SETTINGS),
}


def sectors_for_kind(kind: str) -> tuple[str, ...]:
    """The placement sectors an organisation of `kind` may record places in, default first."""
    planning = planning_sector(kind)
    if planning is None:
        return SECTOR_CODES
    return _SECTORS_OF_PLANNING_SECTOR[planning]


def default_sector(kind: str) -> str | None:
    """The sector an organisation's places are in when it does not say (None: it must say)."""
    if planning_sector(kind) is None:
        return None
    return sectors_for_kind(kind)[0]


def in_sector_order(sectors: object) -> tuple[str, ...]:
    """Known sector codes in the order pages list them (unknown codes are the caller's check)."""
    return tuple(sorted(sectors, key=lambda code: _ORDER.get(code, len(_ORDER))))  # type: ignore[arg-type]


def part_label(sectors: tuple[str, ...] | list[str]) -> str:
    """ "Primary care or social care"; "Any sector" for weeks that are not split."""
    if not sectors:
        return "Any sector"
    names = [SECTOR_LABELS.get(code, code) for code in sectors]
    return " or ".join([names[0], *(name.lower() for name in names[1:])])


def split_text(split: list[dict]) -> str:
    """A stored split as the catalogue file writes it: "acute:14;primary_care+social_care:3"."""
    return ";".join(f"{'+'.join(part['sectors'])}:{part['weeks']:g}" for part in split)


def parse_split_text(text: str) -> list[dict]:
    """The catalogue file's split ("acute:14;community:3") as parts; ValueError when unreadable.

    Only the shape is read here; the sectors and weeks are checked by the rules of a split.
    """
    parts = []
    for chunk in filter(None, (c.strip() for c in text.split(";"))):
        sectors, colon, weeks = chunk.partition(":")
        if not colon:
            raise ValueError(f"'{chunk}' is not sectors:weeks (e.g. acute:14)")
        try:
            value = float(weeks)
        except ValueError:
            raise ValueError(f"'{weeks}' in '{chunk}' is not a number of weeks") from None
        parts.append({"sectors": [s.strip() for s in sectors.split("+")], "weeks": value})
    return parts
