"""The national backtest end to end through the API, in the embedded (in-process) mode.

    python benchmarks/backtest.py            # 9 baselines, 17 groups, 5 horizons, 1,000 draws
    python benchmarks/backtest.py --quick    # 200 draws, 2 runs

`POST /api/v1/backtests/` with no broker carries the backtest out in the request: the
national series read, each baseline's flows, the engine on every baseline, the scores stored.
The baseline measured in the same run is the pure backtest alone (`workforce.backtest`) on the
same history and assumptions, so the ratio is what the request, the checks and storing add.
Prints the figures and the coverage of nurses at 3 years; asserts nothing about time.
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

        from core.demo import people
        from core.models import User
        from workforce.backtest import backtest_run, national_history
        from workforce.models import Backtest, Scenario
        from workforce.selectors.backtests import backtest_spec

        seeded(people)
        client = Client()
        client.force_login(User.objects.get(username="national"))
        print(f"{label}: the national backtest, 2012-09 to 2020-09, 5 years, {draws} draws")

        end_to_end, alone = [], []
        for seed in range(repeats):
            scenario = Scenario.objects.create(
                name=f"Backtest bench {seed}", draws=draws, horizon=10, seed=seed + 1
            )
            started = time.perf_counter()
            response = client.post(
                "/api/v1/backtests/",
                {
                    "scenario": scenario.pk,
                    "ics": None,
                    "first_baseline": "2012-09",
                    "last_baseline": "2020-09",
                    "horizon": 5,
                },
                content_type="application/json",
            )
            end_to_end.append(time.perf_counter() - started)
            if response.status_code != 202:
                print(f"unexpected answer {response.status_code}: {response.json()}")
                return 1
            backtest = Backtest.objects.get(pk=response.json()["id"])
            if backtest.status != "succeeded":
                print(f"backtest of seed {seed + 1} ended {backtest.status}: {backtest.error}")
                return 1
            started = time.perf_counter()
            history = national_history()
            spec = backtest_spec(
                scenario,
                history,
                first_baseline=backtest.first_baseline,
                last_baseline=backtest.last_baseline,
                horizon=5,
            )
            backtest_run(history, spec)
            alone.append(time.perf_counter() - started)
        groups = {row["staff_group"] for row in backtest.results}
        nurses = next(
            r for r in backtest.results if r["staff_group"] == "NUR" and r["horizon"] == 3
        )
        e2e, pure = statistics.median(end_to_end), statistics.median(alone)
        print(f"baselines: 9, staff groups: {len(groups)}, horizons: 5, draws: {draws}")
        print(f"end to end through the API (median of {repeats}): {e2e * 1000:.0f} ms")
        print(f"the pure backtest alone on the same inputs: {pure * 1000:.0f} ms")
        print(f"end to end / backtest alone = {e2e / pure:.1f}x")
        print(
            f"nurses at 3 years: {round(nurses['coverage'] * nurses['baselines'])} of "
            f"{nurses['baselines']} outcomes inside P10-P90"
        )
    finally:
        remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
