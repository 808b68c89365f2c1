from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from core.models import User
from workforce.demo import STEPS


class Command(BaseCommand):
    help = "Seed deterministic demo data: users of every role, figures, returns, plans."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Do nothing when the demo is already seeded."
        )

    def handle(self, *args, once: bool, **options) -> None:
        if once and User.objects.filter(username="national").exists():
            self.stdout.write("The demo is already seeded (user 'national' exists).")
            return
        for step in STEPS:
            with transaction.atomic():
                import_module(step).seed(self.stdout)
