"""Load: 20 trusts uploading their returns at once while 50 people read dashboards and the API.

    python benchmarks/load.py            # 60 seconds of load
    python benchmarks/load.py --quick    # 10 seconds

Starts everything itself, on 127.0.0.1 only: a throwaway PostgreSQL database `ics_planner_load`
(migrated, reference data loaded, the demo seeded), Redis database 14 as the broker, a Celery
worker, and gunicorn as in production (DJANGO_DEBUG=false, collected static files). Then a
bounded asyncio + httpx client: every uploader signs in as its trust and all upload a new
version of this month's return at the same instant, then again every 5-10 s, as a trust
correcting its file would; each reader signs in (ICB leads, analysts, trust staff, national
users) and reads the pages and API lists of its scope in turn, 1-3 s apart. A fixed number of
people for a fixed time: nothing grows without bound.

Prints requests a second, p50/p95/p99 latency per kind of request and the error count, with
two ratios measured in the same run: each kind's p95 under load against its own median when
requested alone before the load (idle), and against the login page's p95 under the same load.
Then checks in the database that every accepted upload is stored exactly once, and stops
and drops everything it started. Where PostgreSQL or Redis cannot be reached it says so and
exits. Asserts nothing about time.

To load another page, add a line to the PAGES of the role that may read it.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime
import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
from load_client import Reader, Uploader, drive, report

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DATABASE = "ics_planner_load"
BROKER_DB = 14
AIM_MS = 300
SYSTEMS = 10  # the readers of systems work in this many ICSs, several people in each
# Starts a projection, on the worker, for each of those ICSs that has no results yet.
START_RUNS = """
import datetime
from core.models import ICS, User
from workforce.models import ProjectionRun, Scenario
from workforce.services.runs import projection_run_start
for code in {codes!r}:
    ics = ICS.objects.get(code=code)
    if not ProjectionRun.objects.filter(ics=ics, status="succeeded").exists():
        projection_run_start(user=User.objects.get(username="icb-" + code.lower()),
                             scenario=Scenario.objects.filter(ics=ics).earliest("pk"),
                             ics=ics, baseline_period=datetime.date({year}, {month}, 1))
"""

# {ics}: the reader's system, {return_id}: a current return of it (or of the reader's trust),
# {run_id}: a succeeded projection run of it. The kind is what the report groups by.
SYSTEM_PAGES = [
    ("page: home", "/"),
    ("page: system dashboard", "/systems/{ics}/dashboard/"),
    ("page: scenario comparison", "/systems/{ics}/compare/"),
    ("page: returns", "/returns/"),
    ("page: return", "/returns/{return_id}/"),
    ("page: submission tracker", "/returns/tracker/"),
    ("page: scenarios", "/scenarios/"),
    ("page: targets", "/targets/{ics}/"),
    ("api: returns", "/api/v1/returns/"),
    ("api: workforce figures", "/api/v1/workforce/?ics={ics}&period_from=2026-01"),
    ("api: runs", "/api/v1/runs/"),
    ("api: run results", "/api/v1/runs/{run_id}/results/?level=ics"),
]
TRUST_PAGES = [
    ("page: home", "/"),
    ("page: returns", "/returns/"),
    ("page: return", "/returns/{return_id}/"),
    ("api: returns", "/api/v1/returns/"),
]
NATIONAL_PAGES = [
    ("page: home", "/"),
    ("page: national", "/national/"),
    ("page: submission tracker", "/returns/tracker/"),
    ("api: returns", "/api/v1/returns/"),
    ("api: runs", "/api/v1/runs/"),
]
# Measured under the same load, for the ratios: a page that reads no figures.
BASELINE = ("baseline: login page", "/accounts/login/")


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Stack:
    """The database, the worker and gunicorn this run starts, and how to remove them."""

    def __init__(self, workers: int, threads: int):
        given = os.environ.get("DATABASE_URL", "")
        server = (
            given
            if given.startswith(("postgres://", "postgresql://"))
            else ("postgres://postgres@127.0.0.1:5432/postgres")
        )
        parts = urlsplit(server)
        self.admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        self.url = urlunsplit(parts._replace(path=f"/{DATABASE}"))
        broker = urlsplit(os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0")
        self.broker = urlunsplit(broker._replace(path=f"/{BROKER_DB}"))  # a database of its own
        self.missing = [
            name
            for name, host, port in (
                ("PostgreSQL", parts.hostname or "127.0.0.1", parts.port or 5432),
                ("Redis", broker.hostname or "127.0.0.1", broker.port or 6379),
            )
            if not reachable(host, port)
        ]
        self.workers, self.threads = workers, threads
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_urlsafe(12)
        self.tmp = Path(tempfile.mkdtemp(prefix="ics-load-"))
        self.processes: list[subprocess.Popen] = []
        self.env = dict(
            os.environ,
            DATABASE_URL=self.url,
            CELERY_BROKER_URL=self.broker,
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_STATIC_ROOT=str(self.tmp / "static"),
            DEMO_PASSWORD=self.password,
            API_THROTTLE_USER="1000000/hour",
            LOG_LEVEL="WARNING",
        )

    def sql(self, query: str, *params) -> list[tuple]:
        with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1)) as connection:
            return connection.execute(query, params).fetchall()

    def manage(self, *args: str) -> None:
        log = self.tmp / "setup.log"
        with log.open("ab") as out:
            done = subprocess.run(
                [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, stdout=out, stderr=out
            )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{log.read_text()[-3000:]}")

    def start(self, name: str, *command: str) -> None:
        out = (self.tmp / f"{name}.log").open("ab")
        self.processes.append(
            subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        )

    def up(self) -> None:
        with psycopg.connect(self.admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {DATABASE}")
        import redis

        redis.Redis.from_url(self.broker).flushdb()
        for command in (
            ["migrate", "--noinput"],
            ["load_reference_data"],
            ["seed_demo"],
            ["collectstatic", "--noinput"],
        ):
            self.manage(*command)
        self.start(
            "worker",
            PYTHON,
            "-m",
            "celery",
            "-A",
            "ics_planner",
            "worker",
            "--concurrency=1",
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
        )
        self.start(
            "gunicorn",
            PYTHON,
            "-m",
            "gunicorn",
            "ics_planner.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            # One thread is gunicorn's sync worker, as docker-compose.yml runs it; with more,
            # connections are kept open longer than a reader's pause, which httpx (unlike a
            # browser) does not retry when the server closes one as it is reused.
            "--threads",
            str(self.threads),
            "--keep-alive",
            "30",
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"{self.base}/healthz", timeout=5, trust_env=False)
                if health.status_code == 200 and health.json()["workers"]["count"]:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the server did not become healthy; logs in {self.tmp}")

    def down(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        try:
            import redis

            redis.Redis.from_url(self.broker).flushdb()
            with psycopg.connect(self.admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        finally:
            subprocess.run(["rm", "-rf", str(self.tmp)], check=False)


def dashboard_runs(stack: Stack, codes: list[str]) -> dict[int, int]:
    """A succeeded projection for each of these ICSs, run by the worker where there is none."""
    newest = max(
        period for (period,) in stack.sql("SELECT DISTINCT period FROM workforce_staffingreturn")
    )
    script = START_RUNS.format(codes=codes, year=newest.year, month=newest.month)
    stack.manage("shell", "-c", script)
    deadline = time.monotonic() + 300
    while stack.sql("SELECT 1 FROM workforce_projectionrun WHERE status IN ('queued', 'running')"):
        if time.monotonic() > deadline:
            raise RuntimeError("the projections for the dashboards did not finish in 5 minutes")
        time.sleep(1)
    return dict(
        stack.sql(
            "SELECT ics_id, max(id) FROM workforce_projectionrun WHERE status = 'succeeded' "
            "AND ics_id IS NOT NULL GROUP BY ics_id"
        )
    )


def plan_users(stack: Stack, uploaders: int, readers: int) -> tuple[list[Uploader], list[Reader]]:
    """Who uploads and who reads, from the seeded demo; one ICS per reader where it can."""
    latest = stack.sql(
        "SELECT DISTINCT ON (o.code) o.code, r.id, r.content, m.ics_id FROM "
        "workforce_staffingreturn r JOIN core_organisation o ON o.id = r.organisation_id "
        "JOIN core_organisationmembership m "
        "ON m.organisation_id = o.id AND m.valid_to IS NULL "
        "JOIN core_user u ON u.username = 'trust-' || lower(o.code) "
        "WHERE r.status = 'submitted' ORDER BY o.code, r.period DESC"
    )
    if len(latest) < uploaders + 10:
        raise RuntimeError("the demo has too few trusts with returns for this load")
    systems = stack.sql(
        "SELECT i.code, i.id FROM core_ics i JOIN core_user u "
        "ON u.username = 'icb-' || lower(i.code) WHERE EXISTS (SELECT 1 FROM workforce_scenario "
        "s WHERE s.ics_id = i.id) ORDER BY i.code LIMIT %s",
        SYSTEMS,
    )
    runs = dashboard_runs(stack, [code for code, _ in systems])
    returns_of = {ics: return_id for _, return_id, _, ics in reversed(latest)}
    chosen = [
        Uploader(
            f"trust-{code.lower()}", code, list(csv.reader(io.StringIO(bytes(content).decode())))
        )
        for code, _, content, _ in latest[:uploaders]
    ]
    people: list[Reader] = []
    for i in range(readers):
        kind = i % 10
        if kind == 9:
            name = "national" if i % 20 == 9 else "analyst-national"
            people.append(Reader(name, [*NATIONAL_PAGES, BASELINE]))
        elif kind in (7, 8):
            code, return_id, _, _ = latest[uploaders + i % (len(latest) - uploaders)]
            pages = [(k, u.format(return_id=return_id)) for k, u in TRUST_PAGES] + [BASELINE]
            people.append(Reader(f"trust-{code.lower()}", pages))
        else:
            code, ics_id = systems[i % len(systems)]
            fill = {"ics": code, "return_id": returns_of.get(ics_id), "run_id": runs.get(ics_id)}
            pages = [
                (k, u.format(**fill))
                for k, u in SYSTEM_PAGES
                if not any(f"{{{name}}}" in u and fill[name] is None for name in fill)
            ]
            prefix = "icb" if kind < 4 else "analyst"
            people.append(Reader(f"{prefix}-{code.lower()}", [*pages, BASELINE]))
    return chosen, people


def check_stored(stack: Stack, accepted: list[tuple[str, str, int]], period: str) -> bool:
    """Every accepted upload is stored once, with its bytes' hash, and nothing else is."""
    rows = stack.sql(
        "SELECT o.code, r.sha256, r.id, r.version, r.status FROM workforce_staffingreturn r "
        "JOIN core_organisation o ON o.id = r.organisation_id WHERE r.period = %s",
        datetime.date.fromisoformat(f"{period}-01"),
    )
    stored = defaultdict(list)
    for code, sha256, return_id, _, _ in rows:
        stored[(code, sha256)].append(return_id)
    once = sum(1 for code, sha256, rid in accepted if stored.get((code, sha256)) == [rid])
    per_trust = defaultdict(list)
    for code, _, _, version, status in rows:
        per_trust[code].append((version, status))
    consistent = all(
        sorted(v for v, _ in found) == list(range(1, len(found) + 1))
        and sum(1 for _, s in found if s == "submitted") == 1
        for found in per_trust.values()
    )
    ok = once == len(accepted) == len(rows) and consistent
    print(
        f"Stored exactly once: {once} of {len(accepted)} accepted uploads; {len(rows)} returns "
        f"for {period}; versions consecutive with one current for every trust: {consistent}. "
        f"{'OK' if ok else 'NOT OK'}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 seconds instead of 60")
    parser.add_argument("--seconds", type=float, help="how long to load")
    parser.add_argument("--uploaders", type=int, default=20)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (as compose)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    args = parser.parse_args()
    seconds = args.seconds or (10 if args.quick else 60)
    stack = Stack(args.workers, args.threads)
    if stack.missing:
        print(f"Load benchmark skipped: {' and '.join(stack.missing)} not reachable on 127.0.0.1.")
        return 0
    print(
        f"Load: {args.uploaders} trusts uploading and {args.readers} readers for {seconds:.0f} s "
        f"against gunicorn ({args.workers} workers x {args.threads} threads), PostgreSQL "
        f"'{DATABASE}', Redis db {BROKER_DB}, a Celery worker; {os.cpu_count()} CPUs."
    )
    try:
        started = time.monotonic()
        stack.up()
        uploaders, readers = plan_users(stack, args.uploaders, args.readers)
        print(
            f"  set up in {time.monotonic() - started:.0f} s (database, demo, static, server); "
            f"load average of the machine {os.getloadavg()[0]:.1f}"
        )
        samples, accepted, period, elapsed, idle = asyncio.run(
            drive(stack.base, stack.password, uploaders, readers, seconds)
        )
        report(samples, elapsed, idle, BASELINE[0], AIM_MS)
        # Other work on the machine shows in every figure; this says how much there was.
        print(f"Load average of the machine after the run: {os.getloadavg()[0]:.1f}")
        return 0 if check_stored(stack, accepted, period) else 1
    finally:
        stack.down()


if __name__ == "__main__":
    sys.exit(main())
