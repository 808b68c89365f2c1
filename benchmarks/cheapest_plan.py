"""The cheapest plan for the largest system, against the plain "what it takes" answers.

    python benchmarks/cheapest_plan.py          # the largest system, 1,000 draws, 3 repeats
    python benchmarks/cheapest_plan.py --quick  # 200 draws, 1 repeat

On a throwaway database seeded as benchmarks/run_api.py seeds it: one run of the largest
system, with money assumptions and a nurses' target 5% above the run's P50 ten years on. The
baseline measured in the same run is the "what it takes" answer to the same question (it too
reads the run's inputs again and simulates the draws), so `cheapest / what it takes` is what
the programme adds. Each lever's cost alone is printed beside the plan's: the plan should cost
no more than the cheapest of them. Prints the figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime
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
os.environ["RUNS_IN_BACKGROUND"] = "false"  # a run is carried out before its start returns

COSTS = {
    "training_place_cost": 4_000,
    "international_recruit_cost": 15_000,
    "retention_point_cost": 150,
}


def timed(call, repeats: int) -> tuple[float, dict]:
    times, answer = [], {}
    for _ in range(repeats):
        started = time.perf_counter()
        answer = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    draws, repeats = (200, 1) if args.quick else (1000, 3)

    from ingestion import largest_demo_system, throwaway_database

    label, remove = throwaway_database()
    try:
        import django

        django.setup()
        from core.models import StaffGroup, User
        from workforce.models import PlanTarget, ProjectionResult, Scenario, ScenarioAssumption
        from workforce.selectors.cheapest_plan import cheapest_plan_for
        from workforce.selectors.what_it_takes import question_for, what_it_takes_for
        from workforce.services.runs import projection_run_start

        ics = largest_demo_system()
        user = User.objects.get(username="national")
        scenario = Scenario.objects.create(name="Bench", ics=ics, draws=draws, horizon=10, seed=1)
        ScenarioAssumption.objects.create(scenario=scenario, **COSTS)
        baseline = datetime.date(2026, 10, 1)

        def finished_run():
            run = projection_run_start(
                user=user, scenario=scenario, ics=ics, baseline_period=baseline
            )
            run.refresh_from_db()
            return run

        run = finished_run()
        year = baseline.year + 10 - (baseline.month < 4)
        p50 = ProjectionResult.objects.get(
            run=run, level="ics", staff_group__code="NUR", year=year, sector=""
        ).supply_p50
        PlanTarget.objects.create(
            ics=ics,
            staff_group=StaffGroup.objects.get(code="NUR"),
            year=year,
            target_fte=p50 * 1.05,
        )
        # The target enters the run's inputs: run again so the question is about this run.
        run = finished_run()
        print(
            f"{label}: {ics.name} ({ics.code}), {draws} draws, nurses in {year}, run {run.status}"
        )
        asked = {"run": run, "staff_group": "NUR", "year": year, "probability": 0.8}

        plain, alone = timed(lambda: what_it_takes_for(**asked), repeats)
        cheapest, plan = timed(lambda: cheapest_plan_for(question_for(**asked)), repeats)
        print(f"target {plan['target_fte']:,.0f} FTE; baseline FTE {plan['fte_in_post']:,.0f}")
        print("each lever alone (what it takes):")
        for lever, cost in alone["costs"].items():
            total = cost["total_gbp"]
            unanswered = cost["not_set"] or (
                "beyond the placement and educator capacity"
                if lever == "training_places" and not alone["intake_within_capacity"]
                else "no answer"
            )
            shown = f"GBP {total:,.0f}" if total is not None else unanswered
            print(f"  {lever}: {shown}")
        if plan["plan"] is None:
            print(f"cheapest plan: {plan['message']}")
        else:
            mix = plan["plan"]
            places = sum(p["places"] for p in mix["extra_places"])
            print(
                f"cheapest plan: GBP {plan['cost']['total_gbp']:,.0f}: "
                f"{mix['international_recruits_a_year']:.1f} recruits a year, "
                f"{mix['leaver_rate_reduction_points']:.2f} points off the leaver rate, "
                f"{places:.0f} places over {len(mix['extra_places'])} cohorts; "
                f"method {plan['method']}, probability achieved {plan['probability_achieved']:.3f}"
            )
        print(f"what it takes (median of {repeats}): {plain * 1000:.0f} ms")
        print(f"cheapest plan (median of {repeats}): {cheapest * 1000:.0f} ms")
        print(f"cheapest plan / what it takes = {cheapest / plain:.1f}x")
    finally:
        remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
