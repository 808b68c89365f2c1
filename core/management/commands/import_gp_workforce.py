from typing import Any

from django.core.management.base import CommandError, CommandParser

from core import calendar
from core.management.figures_import import FiguresFileImportCommand
from core.services.primary_care_figures import PrimaryCareImportReport, gp_workforce_import


def census_month(text: str):
    try:
        return calendar.parse_month(text)
    except ValueError as error:
        raise CommandError(f"--month: {error}") from None


class Command(FiguresFileImportCommand):
    help = (
        "Import a month's General Practice Workforce, Practice Level - Detailed CSV: FTE and "
        "headcount by practice for GPs (fully qualified), nurses, direct patient care and "
        "admin staff. A malformed file changes nothing; rows of practices the planner does not "
        "hold are listed by line and not imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--month",
            type=census_month,
            required=True,
            help="The month the file describes, YYYY-MM (NHS Digital names it in the file's "
            "name, not in its columns).",
        )

    def import_content(self, content: bytes, options: dict[str, Any]) -> PrimaryCareImportReport:
        return gp_workforce_import(content=content, month=options["month"])
