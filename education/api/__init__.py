"""The education API: programmes, intakes, placements, educators and apprenticeship starts
(`records`, what they take and give in `record_serializers`), and a system's placement
capacity by sector (`placement_sectors`).

`ROUTES` are registered by the project's router (ics_planner/api.py)."""

from .placement_sectors import PlacementSectorViewSet
from .records import (
    ApprenticeshipViewSet,
    EducatorViewSet,
    IntakeViewSet,
    PlacementViewSet,
    ProgrammeViewSet,
)

ROUTES = [
    ("programmes", ProgrammeViewSet, "programme"),
    ("intakes", IntakeViewSet, "intake"),
    ("placements", PlacementViewSet, "placement"),
    ("educators", EducatorViewSet, "educator"),
    ("apprenticeships", ApprenticeshipViewSet, "apprenticeship"),
    ("placement-sectors", PlacementSectorViewSet, "placement-sector"),
]
