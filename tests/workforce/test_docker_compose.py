"""No Docker engine runs here: check that the compose file parses and names real commands."""

import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_database_broker_web_worker_and_beat_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    for name in services:
        assert "healthcheck" in services[name], name
    assert "gunicorn ics_planner.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "ics_planner", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "ics_planner", "beat"]
    assert services["web"]["environment"]["DJANGO_HTTPS"] == "${DJANGO_HTTPS:-true}"
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["CELERY_BROKER_URL"].startswith("redis://")


def test_the_commands_compose_names_exist():
    from django.core.management import get_commands

    commands = get_commands()
    for command in ("migrate", "load_reference_data", "collectstatic"):
        assert command in commands
    assert (ROOT / "ics_planner" / "wsgi.py").is_file()
    assert (ROOT / "ics_planner" / "celery.py").is_file()


def test_collectstatic_succeeds_with_the_production_storage(tmp_path, settings):
    from django.core.management import call_command

    from tests.conftest import require

    require((ROOT / "static" / "vendor" / "nhsuk").is_dir(), "needs static/vendor: make static")
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0)

    assert (tmp_path / "staticfiles.json").is_file()


def test_the_beat_health_check_fails_without_a_fresh_schedule_file_and_passes_with_one(tmp_path):
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    beat = compose["services"]["beat"]
    schedule = next(a.split("=", 1)[1] for a in beat["command"] if a.startswith("--schedule="))
    check = beat["healthcheck"]["test"]
    assert check[:3] == ["CMD", "python", "-c"]
    code = check[3].replace(schedule, str(tmp_path / "celerybeat-schedule"))

    def healthy() -> bool:
        return subprocess.run([sys.executable, "-c", code], timeout=30).returncode == 0

    assert not healthy()  # beat never wrote it
    written = tmp_path / "celerybeat-schedule.db"
    written.write_bytes(b"")
    assert healthy()
    stale = time.time() - 600
    os.utime(written, (stale, stale))
    assert not healthy()
