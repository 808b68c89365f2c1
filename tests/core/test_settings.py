"""Settings come from the environment; production refuses what only development may use."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_django(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_a_missing_secret_key():
    result = run_django(["check"], DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = run_django(
        ["check"],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="development-only-secret-key-never-use-in-production",
    )
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_with_a_real_key_passes_check_deploy_with_no_warning():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k" * 20 + "a-random-production-secret-of-some-length-0123456789",
        DJANGO_ALLOWED_HOSTS="planner.example.nhs.uk",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 20 + "a-random-production-secret-of-some-length-0123456789",
}
SECURITY = (
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
    " s.SECURE_HSTS_SECONDS)"
)


def settings_say(code: str, **env: str) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env, DJANGO_SETTINGS_MODULE="ics_planner.settings")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings as s;{code}",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_is_https_only_unless_told_it_is_served_over_plain_http():
    assert settings_say(SECURITY, **PRODUCTION) == ["False", "True", "True", "True", "31536000"]
    # `make run`: the production settings on 127.0.0.1 over http, where secure cookies
    # would never come back and nobody could sign in.
    local = settings_say(SECURITY, **PRODUCTION, DJANGO_HTTPS="false")
    assert local == ["False", "False", "False", "False", "0"]


def test_production_over_plain_http_still_refuses_the_development_secret_key():
    result = run_django(["check"], DJANGO_DEBUG="false", DJANGO_HTTPS="false")
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_no_configuration_means_sqlite_and_in_process_tasks():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL") and not k.startswith("DJANGO_")
    }
    environment["DJANGO_SETTINGS_MODULE"] = "ics_planner.settings"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_a_database_url_and_a_broker_mean_postgresql_and_a_worker():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    environment = dict(
        os.environ,
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        DJANGO_SETTINGS_MODULE="ics_planner.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]
