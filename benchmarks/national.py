"""The national run in chunks of systems on real Celery workers: one worker, then two.

    python benchmarks/national.py          # 15 years, 1,000 draws
    python benchmarks/national.py --quick  # 5 years, 100 draws

Needs PostgreSQL (DATABASE_URL names the server; a throwaway database is made on it, named by
BENCH_DATABASE, default ics_planner_bench_national) and Redis (BENCH_BROKER_URL, default
redis://127.0.0.1:6379/12, flushed first). The reference data with the shipped primary care
figures, the demo's trusts, returns, social care and education, as benchmarks/one_workforce.py.
Then the same national run twice, each on fresh `celery -A ics_planner worker --concurrency=1`
processes (one, then two; DJANGO_DEBUG=false, as in production; PROJECTION_ENGINE_THREADS as
README advises, 1 once there are as many workers as cores) against that Redis and
database: the time from sending the run to its national rows, and each worker's peak resident
memory (the pool process's VmHWM). Ends with `two workers / one worker = R`. Prints the
figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
os.environ["CELERY_BROKER_URL"] = BROKER  # tasks go to the workers, not in process
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_planner.settings")


def engine_threads(count: int) -> str:
    """PROJECTION_ENGINE_THREADS for `count` workers on this host, as README advises: 1 where
    there are as many worker processes as cores, else the default (0: the cores, up to 4);
    PROJECTION_ENGINE_THREADS set in the environment holds for both runs."""
    if os.environ.get("PROJECTION_ENGINE_THREADS"):
        return os.environ["PROJECTION_ENGINE_THREADS"]
    return "1" if count >= (os.cpu_count() or 1) else "0"


def start_workers(count: int, log: Path) -> list[subprocess.Popen]:
    # As in production: with DEBUG on, Django would keep every query a worker makes, the
    # chunks' stored sums among them.
    env = dict(
        os.environ,
        CELERY_BROKER_URL=BROKER,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        PROJECTION_ENGINE_THREADS=engine_threads(count),
    )
    workers = []
    for i in range(count):
        output = (log.parent / f"{log.stem}-{i}.log").open("ab")
        workers.append(
            subprocess.Popen(
                [
                    *(sys.executable, "-m", "celery", "-A", "ics_planner", "worker"),
                    *("--loglevel=info", "--concurrency=1", "--pool=prefork"),
                    *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                    f"--hostname=bench{i}@%h",
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(pool_process(w) for w in workers):
        time.sleep(0.2)
    time.sleep(1)
    return workers


def pool_process(worker: subprocess.Popen) -> int | None:
    out = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True)
    pids = out.stdout.split()
    return int(pids[0]) if pids else None


def peak_mib(pid: int | None) -> float:
    """The process's peak resident memory so far (VmHWM), in MiB."""
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def timed_run(scenario, baseline, count: int, log: Path) -> tuple[float, list[float], int]:
    """One national run on `count` fresh workers: seconds, each worker's peak MiB, chunks."""
    from workforce.models import ProjectionRun
    from workforce.tasks import run_projection

    workers = start_workers(count, log)
    try:
        pools = [pool_process(w) for w in workers]
        run = ProjectionRun.objects.create(
            scenario=scenario,
            baseline_period=baseline,
            seed=scenario.seed,
            draws=scenario.draws,
            horizon=scenario.horizon,
        )
        started = time.perf_counter()
        run_projection.apply_async((run.pk,))
        peaks = [0.0] * count
        while True:
            run.refresh_from_db()
            peaks = [max(p, peak_mib(pid)) for p, pid in zip(peaks, pools, strict=True)]
            if run.status in ("succeeded", "failed"):
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        if run.status != "succeeded":
            raise RuntimeError(f"the run failed: {run.error}")
        chunks = run.chunks.count()
        # Not a source for the next run of the same inputs, which would reuse its rows.
        ProjectionRun.objects.filter(pk=run.pk).update(input_hash="")
        return seconds, peaks, chunks
    finally:
        stop_workers(workers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    horizon, draws = (5, 100) if args.quick else (15, 1000)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("benchmarks/national.py needs PostgreSQL: set DATABASE_URL")
        return 2

    import ingestion
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    label, remove = ingestion.throwaway_database(
        os.environ.get("BENCH_DATABASE", "ics_planner_bench_national")
    )
    try:
        import django

        django.setup()

        from django.conf import settings

        from core.demo import people, providers, published
        from education import demo as education_demo
        from workforce.demo import returns, social_care
        from workforce.models import Scenario

        started = time.perf_counter()
        ingestion.seeded(providers, people, published, returns, social_care, education_demo)
        print(f"{label}: reference data and demo in {time.perf_counter() - started:.0f} s")
        scenario = Scenario.objects.create(name="Bench", draws=draws, horizon=horizon, seed=1)
        print(
            f"national run: {horizon} years, {draws:,} draws, "
            f"{settings.PROJECTION_RUN_CHUNKS} chunks asked for, broker {BROKER}"
        )
        logs = Path(tempfile.mkdtemp(prefix="ics-planner-national-"))
        seconds = {}
        for count in (1, 2):
            took, peaks, chunks = timed_run(
                scenario, returns.FINAL_MONTH, count, logs / f"workers{count}"
            )
            seconds[count] = took
            memory = ", ".join(f"{p:,.0f} MiB" for p in peaks)
            threads = engine_threads(count)
            print(
                f"{count} worker{'s' if count > 1 else ''} (engine threads "
                f"{'the default' if threads == '0' else threads}): {took:.1f} s for {chunks} "
                f"chunks; peak resident memory per worker {memory}"
            )
        print(f"worker logs in {logs}")
        print(f"two workers / one worker = {seconds[2] / seconds[1]:.2f}")
    finally:
        remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
