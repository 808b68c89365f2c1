"""The board pack of the largest system: time to PDF and to PowerPoint through the API.

    python benchmarks/board_pack.py            # 3 of each
    python benchmarks/board_pack.py --quick    # 1 of each

A throwaway database as benchmarks/run_api.py builds it (reference data, people, published
figures, returns, education), one run of the largest system (most organisations), then
`GET /api/v1/runs/{id}/board-pack/?format=pdf` and `pptx`. The baseline measured in the same
run is one chart drawn to PNG on its own (a Chromium started for it), so the ratio says how
many such images a pack costs. Prints the figures; asserts nothing about time.
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


def _timed(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3

    from ingestion import seeded, throwaway_database

    label, remove = throwaway_database()
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.test import Client
        from django.utils import timezone

        from core.demo import people, published
        from core.models import ICS, User
        from core.selectors.reference import scope_members
        from education import demo as education_demo
        from workforce.boardpack.content import board_pack_for
        from workforce.boardpack.images import chart_images
        from workforce.demo import returns
        from workforce.models import Scenario

        if not Path(settings.CHROMIUM_PATH).exists():
            print(f"board pack: no Chromium at {settings.CHROMIUM_PATH}; nothing measured")
            return 0
        seeded(people, published, returns, education_demo)
        today = timezone.localdate()
        systems = list(ICS.objects.valid_on(today))
        ics = max(systems, key=lambda s: len(scope_members(ics=s, on=today)))
        members = len(scope_members(ics=ics, on=today))
        user = User.objects.get(username="national")
        client = Client()
        client.force_login(user)
        scenario = Scenario.objects.create(
            name="Board pack bench", ics=ics, draws=200, horizon=10, seed=1
        )
        response = client.post(
            "/api/v1/runs/",
            {"scenario": scenario.pk, "ics": ics.code, "baseline_period": "2026-10"},
            content_type="application/json",
        )
        run = scenario.runs.get()
        if response.status_code != 202 or run.status != "succeeded":
            print(f"the run did not succeed: {response.status_code} {run.status} {run.error}")
            return 1
        print(f"{label}: {ics.name} ({ics.code}), {members} organisations, run {run.pk}")

        pack = board_pack_for(user=user, run=run, staff_group=None, year=None)
        print(f"pack: {len(pack.charts)} charts, {pack.staff_group}, {pack.year}")
        first = pack.charts[0]
        baseline = _timed(lambda: chart_images({first.key: first.figure}), repeats)
        every = {chart.key: chart.figure for chart in pack.charts}
        drawn = _timed(lambda: chart_images(every), repeats)
        content = _timed(
            lambda: board_pack_for(user=user, run=run, staff_group=None, year=None), repeats
        )
        sizes = {}

        def download(kind: str):
            def fetch() -> None:
                answer = client.get(f"/api/v1/runs/{run.pk}/board-pack/?format={kind}")
                if answer.status_code != 200:
                    raise SystemExit(f"{kind}: {answer.status_code} {answer.content[:300]!r}")
                sizes[kind] = (len(answer.content), answer["Content-Disposition"])

            return fetch

        pdf = _timed(download("pdf"), repeats)
        pptx = _timed(download("pptx"), repeats)
        print(f"one chart to PNG (baseline, median of {repeats}): {baseline * 1000:.0f} ms")
        print(f"the pack's figures and words alone: {content * 1000:.0f} ms")
        print(f"all {len(every)} charts to PNG in one browser: {drawn * 1000:.0f} ms")
        for kind, seconds in (("PDF", pdf), ("PowerPoint", pptx)):
            size, name = sizes["pdf" if kind == "PDF" else "pptx"]
            print(
                f"board pack {kind} (median of {repeats}): {seconds * 1000:.0f} ms, "
                f"{size / 1024:.0f} KB, {name.split('filename=')[-1]}"
            )
            print(f"board pack {kind} / one chart = {seconds / baseline:.1f}x (aim: under 10 s)")
    finally:
        remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
