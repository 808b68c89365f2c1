"""The Celery application: `celery -A ics_planner worker`, and one `celery -A ics_planner beat`
to send the periodic tasks of CELERY_BEAT_SCHEDULE (the upkeep of projection runs)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_planner.settings")

app = Celery("ics_planner")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
