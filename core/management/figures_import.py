"""The shape of the commands that import a published figures file: all or nothing, audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core.errors import ApplicationError
from core.services.audit import audit_bulk
from core.services.primary_care_figures import PrimaryCareImportReport, primary_care_audit

from .dated_import import problems_text


class FiguresFileImportCommand(BaseCommand):
    """Reads FILE through `importer(content=...)`, whose report is recorded in the audit trail
    in the same transaction; a malformed file changes nothing and its problems are listed by
    line and column."""

    importer: Callable[..., PrimaryCareImportReport]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def import_content(self, content: bytes, options: dict[str, Any]) -> PrimaryCareImportReport:
        return self.importer(content=content)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from None
        try:
            with transaction.atomic():  # the figures and their audit entries, or neither
                report = self.import_content(content, options)
                for model, text, changes in primary_care_audit(report, filename=path.name):
                    audit_bulk(user=None, model=model, description=text, changes=changes)
        except ApplicationError as error:
            raise CommandError(problems_text(error)) from None
        for line in report.lines():
            self.stdout.write(line)
