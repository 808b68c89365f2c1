from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from workforce.services.reference_data import reference_data_load


class Command(BaseCommand):
    help = "Load NHS regions, ICBs, trusts and staff groups from the shipped reference files."

    def handle(self, *args, **options) -> None:
        report = reference_data_load()
        self.stdout.write(report.summary())
        # Apps built on workforce name their own loader (the education programme catalogue):
        # found through the app registry, so workforce never imports them.
        for config in apps.get_app_configs():
            loader = getattr(config, "reference_data_loader", None)
            if loader:
                self.stdout.write(import_string(loader)().summary())
