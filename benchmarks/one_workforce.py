"""The national projection of the one workforce: every organisation the reference data and the
demo hold (NHS trusts, GP practices, PCNs, social care), 15 years, 1,000 draws.

    python benchmarks/one_workforce.py          # 15 years, 1,000 draws
    python benchmarks/one_workforce.py --quick  # 5 years, 100 draws

On a throwaway database (DATABASE_URL's PostgreSQL server if it names one, else SQLite): the
reference data with the shipped primary care figures, the demo's trusts, returns, social care
and education. Then one national run in three parts, each timed: reading and assembling its
inputs, the engine, storing the results. The baseline measured in the same run is the bare
numpy update loop on the same arrays (benchmarks/engine.py), so `engine / loop` is the engine's
overhead at this size. Prints the figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "unit" / "projection"))
os.environ.pop("CELERY_BROKER_URL", None)  # the embedded mode: tasks in process
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_planner.settings")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    horizon, draws = (5, 100) if args.quick else (15, 1000)

    from engine import bare_update_loop
    from ingestion import seeded, throwaway_database

    label, remove = throwaway_database()
    try:
        import django

        django.setup()

        from core.demo import people, providers, published
        from core.models import Organisation
        from education import demo as education_demo
        from workforce.demo import returns, social_care
        from workforce.models import ProjectionRun, Scenario
        from workforce.projection.engine import project
        from workforce.projection.inputs import prepare_run
        from workforce.projection.results import results_store

        started = time.perf_counter()
        seeded(providers, people, published, returns, social_care, education_demo)
        print(f"{label}: reference data and demo in {time.perf_counter() - started:.0f} s")

        scenario = Scenario.objects.create(name="Bench", draws=draws, horizon=horizon, seed=1)
        run = ProjectionRun.objects.create(
            scenario=scenario,
            baseline_period=returns.FINAL_MONTH,
            seed=1,
            draws=draws,
            horizon=horizon,
        )
        before = peak_mib()
        started = time.perf_counter()
        prepared = prepare_run(scenario=scenario, ics=None, baseline_period=returns.FINAL_MONTH)
        prepare_seconds = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        result = project(prepared.inputs)
        engine_seconds, engine_cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        rows = results_store(run=run, prepared=prepared, result=result)
        store_seconds = time.perf_counter() - started
        peak = peak_mib()

        kinds = Organisation.objects.filter(code__in=prepared.organisations).values_list(
            "kind", flat=True
        )
        by_kind: dict[str, int] = {}
        for kind in kinds:
            by_kind[kind] = by_kind.get(kind, 0) + 1
        n = len(prepared.inputs.supply0)
        work = n * horizon * draws
        print(
            f"{len(prepared.organisations):,} organisations ("
            + ", ".join(f"{count:,} {kind}" for kind, count in sorted(by_kind.items()))
            + f"), {n:,} series, {horizon} years, {draws:,} draws"
        )
        print(f"inputs read and assembled: {prepare_seconds:.2f} s")
        print(
            f"engine: {engine_seconds:.2f} s ({engine_cpu:.2f} s of CPU), "
            f"{work / engine_seconds:,.0f} series-years-draws a second"
        )
        print(f"results stored: {rows:,} rows in {store_seconds:.2f} s")
        print(
            f"national run in all: {prepare_seconds + engine_seconds + store_seconds:.2f} s; "
            f"peak resident memory {peak:,.0f} MiB ({peak - before:,.0f} MiB above the "
            f"{before:,.0f} MiB before the run)"
        )
        floor = bare_update_loop(prepared.inputs)
        print(
            f"bare numpy update loop (one thread): {floor:.2f} s; engine / loop = "
            f"{engine_seconds / floor:.1f}x"
        )
    finally:
        remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
