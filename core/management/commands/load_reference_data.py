from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from core.services.audit import audit_bulk
from core.services.primary_care_figures import primary_care_audit, primary_care_figures_load
from core.services.reference_data import reference_data_load


def record(report) -> None:
    """What a load wrote, into the audit trail: one entry per kind of record written."""
    for model, description, changes in report.audit_entries():
        audit_bulk(user=None, model=model, description=description, changes=changes)


class Command(BaseCommand):
    help = (
        "Load NHS regions, ICBs, trusts, GP practices, PCNs and staff groups from the shipped "
        "reference files, then the shipped PCN workforce and GP practice series figures."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():  # the data and its audit entries, or neither
            report = reference_data_load()
            record(report)
        self.stdout.write(report.summary())
        with transaction.atomic():
            for filename, loaded in primary_care_figures_load():
                for model, text, changes in primary_care_audit(loaded, filename=filename):
                    audit_bulk(user=None, model=model, description=text, changes=changes)
                self.stdout.write(loaded.summary())
        # Apps built on workforce name their own loader (the education programme catalogue):
        # found through the app registry, so workforce never imports them.
        for config in apps.get_app_configs():
            loader = getattr(config, "reference_data_loader", None)
            if loader:
                with transaction.atomic():
                    loaded = import_string(loader)()
                    record(loaded)
                self.stdout.write(loaded.summary())
