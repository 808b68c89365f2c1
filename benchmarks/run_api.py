"""One system's projection end to end through the API, in the embedded (in-process) mode.

    python benchmarks/run_api.py            # the largest system, 1,000 draws, 5 runs
    python benchmarks/run_api.py --quick    # 200 draws, 2 runs

`POST /api/v1/runs/` with no broker carries the run out in the request: the baseline from the
stored returns, the scenario, the education pipeline, the engine, the results stored. The
baseline measured in the same run is the engine alone on the same inputs, so the ratio is
what reading and storing add around it. Prints the figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.pop("CELERY_BROKER_URL", None)  # the embedded mode: tasks in process
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_planner.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    draws, repeats = (200, 2) if args.quick else (1000, 5)

    from ingestion import seeded, throwaway_database

    label, remove = throwaway_database()
    try:
        import django

        django.setup()
        from django.test import Client
        from django.utils import timezone

        from core.demo import people, published
        from core.models import ICS, User
        from core.selectors.reference import scope_members
        from education import demo as education_demo
        from workforce.demo import returns
        from workforce.models import Scenario
        from workforce.projection.engine import project
        from workforce.projection.inputs import prepare_run

        seeded(people, published, returns, education_demo)
        today = timezone.localdate()
        systems = list(ICS.objects.valid_on(today))
        ics = max(systems, key=lambda s: len(scope_members(ics=s, on=today)))
        members = len(scope_members(ics=ics, on=today))
        client = Client()
        client.force_login(User.objects.get(username="national"))
        baseline = "2026-10"
        print(f"{label}: {ics.name} ({ics.code}), {members} organisations, {draws} draws")

        end_to_end, engine_alone = [], []
        for seed in range(repeats):
            scenario = Scenario.objects.create(
                name=f"Bench {seed}", ics=ics, draws=draws, horizon=10, seed=seed + 1
            )
            started = time.perf_counter()
            response = client.post(
                "/api/v1/runs/",
                {"scenario": scenario.pk, "ics": ics.code, "baseline_period": baseline},
                content_type="application/json",
            )
            end_to_end.append(time.perf_counter() - started)
            if response.status_code != 202:
                print(f"unexpected answer {response.status_code}: {response.json()}")
            prepared = prepare_run(
                scenario=scenario, ics=ics, baseline_period=scenario.runs.get().baseline_period
            )
            started = time.perf_counter()
            project(prepared.inputs)
            engine_alone.append(time.perf_counter() - started)
            status = scenario.runs.get().status
            if status != "succeeded":
                print(f"run of seed {seed + 1} ended {status}")
        e2e, alone = statistics.median(end_to_end), statistics.median(engine_alone)
        print(f"series: {len(prepared.series)}, years: 10, draws: {draws}")
        print(f"end to end through the API (median of {repeats}): {e2e * 1000:.0f} ms")
        print(f"engine alone on the same inputs: {alone * 1000:.0f} ms")
        print(f"end to end / engine alone = {e2e / alone:.1f}x")
    finally:
        remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
