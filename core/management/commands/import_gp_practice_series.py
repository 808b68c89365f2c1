from core.management.figures_import import FiguresFileImportCommand
from core.services.primary_care_figures import gp_practice_series_import


class Command(FiguresFileImportCommand):
    help = (
        "Import the GP practice series by financial year (fully qualified GPs' headcount and "
        "registered patients), as shipped in core/reference_data/. A malformed file changes "
        "nothing; rows of practices the planner does not hold are listed by line."
    )
    importer = staticmethod(gp_practice_series_import)
