from core.management.figures_import import FiguresFileImportCommand
from core.services.primary_care_figures import pcn_workforce_import


class Command(FiguresFileImportCommand):
    help = (
        "Import NHS Digital's Primary Care Network Workforce individual-level CSV: FTE and "
        "headcount per PCN, staff group and month. A malformed file changes nothing; rows of "
        "PCNs the planner does not hold are listed by line and not imported."
    )
    importer = staticmethod(pcn_workforce_import)
