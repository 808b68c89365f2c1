from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workforce.services.published_figures import published_figures_import


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
            report = published_figures_import(content=content)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
