from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.services.audit import audit_bulk
from core.services.published_figures import published_figures_audit, published_figures_import


class Command(BaseCommand):
    help = "Import an NHS Workforce Statistics organisation-level CSV (either published layout)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            content = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            with transaction.atomic():  # the figures and their audit entry, or neither
                report = published_figures_import(content=content)
                for model, text, changes in published_figures_audit(report, filename=file.name):
                    audit_bulk(user=None, model=model, description=text, changes=changes)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
