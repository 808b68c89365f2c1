from django.core.management.base import BaseCommand

from workforce.services.reference_data import reference_data_load


class Command(BaseCommand):
    help = "Load NHS regions, ICBs, trusts and staff groups from the shipped reference files."

    def handle(self, *args, **options) -> None:
        report = reference_data_load()
        self.stdout.write(report.summary())
