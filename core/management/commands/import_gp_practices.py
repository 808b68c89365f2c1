import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.services.epraccur import gp_practices_import

from .load_reference_data import record


def file_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date {text!r} is not a date: use YYYY-MM-DD.") from None


def problems_text(error: ApplicationError) -> str:
    lines = []
    for problem in error.errors:
        where = ", ".join(f"{k} {problem[k]}" for k in ("row", "column") if k in problem)
        lines.append(f"{where}: {problem['message']}" if where else problem["message"])
    return "Nothing was changed:\n" + "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Update GP practices (names, open and closed, ICS) from the current NHS ODS GP "
        "practice file, epraccur.csv. All or nothing: a file with any wrong row changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--date",
            type=file_date,
            default=None,
            help="The day the file describes (its publication); today by default. Each "
            "practice is in the file's ICB from this day.",
        )

    def handle(self, *args, **options) -> None:
        on = options["date"] or timezone.localdate()
        try:
            with transaction.atomic():  # the changes and their audit entries, or neither
                report = gp_practices_import(content=options["file"].read_bytes(), on=on)
                record(report)
        except ApplicationError as error:
            raise CommandError(problems_text(error)) from None
        self.stdout.write(report.summary())
