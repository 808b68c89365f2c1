import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_planner.settings")
application = get_wsgi_application()

# Only web servers import this module: without a broker (no beat) they keep runs in order.
from workforce.upkeep import upkeep_timer_start  # noqa: E402  (needs Django set up)

upkeep_timer_start()
