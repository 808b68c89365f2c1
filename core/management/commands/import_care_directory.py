from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.services.care_directory import care_directory_import

from .import_gp_practices import file_date, problems_text
from .load_reference_data import record


class Command(BaseCommand):
    help = (
        "Add the social care and independent providers of CQC's care directory (with "
        "filters, as CSV) in their ICS. All or nothing: a file with any wrong row changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--date",
            type=file_date,
            default=None,
            help="The day the file describes; today by default. New locations join their "
            "ICS from this day.",
        )

    def handle(self, *args, **options) -> None:
        on = options["date"] or timezone.localdate()
        try:
            with transaction.atomic():
                report = care_directory_import(content=options["file"].read_bytes(), on=on)
                record(report)
        except ApplicationError as error:
            raise CommandError(problems_text(error)) from None
        self.stdout.write(report.summary())
