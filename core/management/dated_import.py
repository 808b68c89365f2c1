"""The shape of the commands that import a file describing one day: all or nothing, audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError

from .commands.load_reference_data import record


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


class DatedFileImportCommand(BaseCommand):
    """Reads FILE as of `--date` (today by default) through `importer(content=, on=)`, whose
    report is recorded in the audit trail in the same transaction; any problem changes nothing
    and is listed by row and column."""

    importer: Callable[..., Any]
    date_help = "The day the file describes; today by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--date", type=file_date, default=None, help=self.date_help)

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["date"] or timezone.localdate()
        try:
            with transaction.atomic():  # the changes and their audit entries, or neither
                report = self.importer(content=options["file"].read_bytes(), on=on)
                record(report)
        except ApplicationError as error:
            raise CommandError(problems_text(error)) from None
        self.stdout.write(report.summary())
