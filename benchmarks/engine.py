"""The projection engine at national scale, against the plain-Python reference and the bare
numpy update loop.

    python benchmarks/engine.py          # 1,500 organisations x 20 groups, 15 years, 1,000 draws
    python benchmarks/engine.py --quick  # 100 organisations, 10 years, 200 draws

Prints the figures and ratios; asserts nothing about time. No Django. The engine runs on its
default threads (or --workers); the bare loop on one, so the CPU-time ratio (the engine's
process CPU time over the loop's thread CPU time) is the fairer one on a machine that other
work shares.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit" / "projection"))

from reference import project_reference  # noqa: E402

from workforce.projection.arrays import MoneyInputs  # noqa: E402
from workforce.projection.engine import (  # noqa: E402
    EngineInputs,
    Spreads,
    chunk_bounds,
    default_chunk_series,
    project,
)
from workforce.projection.systems import order_statistics  # noqa: E402

N_ICS = 42
N_GROUPS = 20
# Seven parent groups over the twenty leaves, then all staff: 28 output groups.
PARENTS = [
    range(0, 3),
    range(3, 7),
    range(7, 9),
    range(9, 11),
    range(11, 14),
    range(14, 17),
    range(17, 20),
]


def national_inputs(
    organisations: int, horizon: int, draws: int, organisation_share: float
) -> EngineInputs:
    """Every organisation with every staff group, in 42 ICSs, figures of a plausible size."""
    rng = np.random.default_rng(2026)
    organisation = np.repeat(np.arange(organisations), N_GROUPS)
    group = np.tile(np.arange(N_GROUPS), organisations)
    ics_of = np.sort(rng.integers(0, N_ICS, organisations))
    n = len(organisation)
    rollup = np.zeros((N_GROUPS + len(PARENTS) + 1, N_GROUPS))
    rollup[:N_GROUPS] = np.eye(N_GROUPS)
    for k, leaves in enumerate(PARENTS):
        rollup[N_GROUPS + k, list(leaves)] = 1
    rollup[-1] = 1
    supply0 = rng.lognormal(4.0, 1.0, n)
    targets = np.full((N_ICS, len(rollup), horizon + 1), np.nan)
    targets[:, :, horizon] = 1.0e4
    return EngineInputs(
        series_ics=ics_of[organisation],
        series_group=group,
        series_organisation=organisation,
        n_ics=N_ICS,
        n_groups=N_GROUPS,
        n_organisations=organisations,
        supply0=supply0,
        demand0=supply0 * rng.uniform(1.0, 1.15, n),
        leaver_rate=rng.uniform(0.06, 0.14, n),
        recruitment=supply0 * rng.uniform(0.04, 0.1, n),
        international=supply0 * rng.uniform(0.0, 0.03, n),
        return_to_practice=supply0 * rng.uniform(0.0, 0.005, n),
        demand_growth=rng.uniform(0.01, 0.03, n),
        productivity=rng.uniform(0.0, 0.015, n),
        step_changes=np.zeros((n, horizon + 1)),
        newly_qualified=supply0[:, None] * rng.uniform(0.0, 0.03, (n, horizon + 1)),
        attrition=rng.uniform(0.1, 0.25, n),
        retention=rng.uniform(0.5, 0.9, n),
        horizon=horizon,
        draws=draws,
        seed=7,
        spreads=Spreads(
            leaver_rate=np.full(N_GROUPS, 0.01),
            demand_growth=np.full(N_GROUPS, 0.005),
            productivity=np.full(N_GROUPS, 0.005),
            attrition=np.full(N_GROUPS, 0.03),
            international=np.full(N_GROUPS, 0.2),
            organisation_share=organisation_share,
        ),
        group_rollup=rollup,
        targets=targets,
    )


def with_costs(inputs: EngineInputs) -> EngineInputs:
    """The same run with a pay bill, bank and agency spend: costs per FTE of a plausible size,
    a 3% award a year, and budgets for every system and group in the last year."""
    rng = np.random.default_rng(2027)
    n, horizon = len(inputs.supply0), inputs.horizon
    pay = rng.uniform(30_000, 120_000, n)
    index = np.tile(1.03 ** np.arange(horizon + 1), (n, 1))
    limits = np.full((inputs.n_ics, 3, len(inputs.group_rollup), horizon + 1), np.nan)
    limits[:, :, :, horizon] = 1.0e9
    money = MoneyInputs(
        pay_cost=pay,
        bank_cost=pay * 0.9,
        agency_cost=pay * 1.55,
        temporary_share=rng.uniform(0.5, 1.0, n),
        bank_share=rng.uniform(0.6, 0.9, n),
        pay_index=index,
        agency_index=index,
        costed=np.ones(n, bool),
        limits=limits,
    )
    return replace(inputs, money=money)


def bare_update_loop(inputs: EngineInputs) -> float:
    """Seconds for the recurrence alone, float32, in the engine's chunks: the floor."""
    return bare_update_loop_times(inputs)[0]


def bare_update_loop_times(inputs: EngineInputs) -> tuple[float, float]:
    """(seconds by the clock, seconds of this thread's CPU) for the recurrence alone."""
    rng = np.random.default_rng(1)
    draws, horizon = inputs.draws, inputs.horizon
    organisations = np.asarray(inputs.series_organisation)
    seconds = cpu_seconds = 0.0
    for start, stop in chunk_bounds(organisations, default_chunk_series(draws)):
        shape = (stop - start, draws)
        keep = rng.uniform(0.85, 0.95, shape).astype(np.float32)
        inflow = rng.uniform(1.0, 5.0, shape).astype(np.float32)
        retained = rng.uniform(0.5, 1.0, shape).astype(np.float32)
        growth = rng.uniform(1.0, 1.03, shape).astype(np.float32)
        newly_qualified = inputs.newly_qualified[start:stop].T.astype(np.float32)
        step_changes = inputs.step_changes[start:stop].T.astype(np.float32)
        supply = np.repeat(inputs.supply0[start:stop, None].astype(np.float32), draws, axis=1)
        demand = np.repeat(inputs.demand0[start:stop, None].astype(np.float32), draws, axis=1)
        scratch = np.empty_like(supply)
        start_time, start_cpu = time.perf_counter(), time.thread_time()  # only the loop
        for t in range(1, horizon + 1):
            supply *= keep
            supply += inflow
            np.multiply(retained, newly_qualified[t][:, None], out=scratch)
            supply += scratch
            demand *= growth
            demand += step_changes[t][:, None]
        seconds += time.perf_counter() - start_time
        cpu_seconds += time.thread_time() - start_cpu
    return seconds, cpu_seconds


def ranked_rows(inputs: EngineInputs, money: bool) -> int:
    """The rows of draws the engine ranks in a run at the organisation level (the systems' and
    the nation's add a few per cent): each organisation's leaves and parent groups, every year
    after the first; supply, demand and gap, and with money each row's total and a parent's
    pay, bank and agency spend (a leaf's are found from its supply's and gap's ranks)."""
    leaves, parents = N_GROUPS, len(PARENTS) + 1
    per_organisation = 3 * (leaves + parents) + (leaves + 4 * parents if money else 0)
    return inputs.n_organisations * per_organisation * inputs.horizon


def ranking_alone_times(rows: int, draws: int) -> tuple[float, float]:
    """(seconds by the clock, seconds of this thread's CPU) for the engine's own ranking
    (systems.order_statistics, float32, as the engine ranks) of `rows` rows of `draws` values,
    in blocks of about a chunk's year, one thread: the exact P10, P50 and P90 with nothing
    else."""
    block = 512
    base = np.random.default_rng(3).lognormal(4.0, 1.0, (block, draws)).astype(np.float32)
    seconds = cpu_seconds = 0.0
    for start in range(0, rows, block):
        values = base[: min(block, rows - start)].copy()
        start_time, start_cpu = time.perf_counter(), time.thread_time()
        order_statistics(values)
        seconds += time.perf_counter() - start_time
        cpu_seconds += time.thread_time() - start_cpu
    return seconds, cpu_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 organisations, 200 draws")
    parser.add_argument("--organisation-share", type=float, default=0.25)
    parser.add_argument("--workers", type=int, default=None, help="engine threads")
    args = parser.parse_args()
    organisations, horizon, draws = (100, 10, 200) if args.quick else (1500, 15, 1000)
    inputs = national_inputs(organisations, horizon, draws, args.organisation_share)
    n = len(inputs.supply0)
    work = n * horizon * draws
    workers = args.workers or min(4, os.cpu_count() or 1)
    print(
        f"{organisations} organisations x {N_GROUPS} groups = {n} series, {horizon} years, "
        f"{draws} draws, organisation share {args.organisation_share}, {workers} thread(s)"
    )

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu_start, start = time.process_time(), time.perf_counter()
    project(inputs, workers=workers)
    engine_seconds = time.perf_counter() - start
    engine_cpu = time.process_time() - cpu_start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"engine: {engine_seconds:.2f} s ({engine_cpu:.2f} s of CPU), "
        f"{work / engine_seconds:,.0f} series-years-draws a second"
    )
    print(
        f"peak resident memory: {rss_after:,.0f} MiB ({rss_after - rss_before:,.0f} MiB above "
        f"the {rss_before:,.0f} MiB before the run)"
    )

    floor_seconds, floor_cpu = bare_update_loop_times(inputs)
    print(
        f"bare numpy update loop (one thread): {floor_seconds:.2f} s ({floor_cpu:.2f} s of CPU); "
        f"engine / loop = {engine_seconds / floor_seconds:.1f}x by the clock, "
        f"{engine_cpu / floor_cpu:.1f}x in CPU time"
    )

    plain_rows, money_rows = ranked_rows(inputs, False), ranked_rows(inputs, True)
    rank_seconds, rank_cpu = ranking_alone_times(plain_rows, draws)
    print(
        f"ranking alone ({plain_rows:,} rows of {draws:,} draws, one thread): {rank_seconds:.2f} s "
        f"({rank_cpu:.2f} s of CPU) = {rank_cpu / floor_cpu:.1f}x the loop in CPU time"
    )
    print(
        f"with costs the engine ranks {money_rows:,} rows, {money_rows / plain_rows:.2f} times as "
        "many"
    )

    cpu_start, start = time.process_time(), time.perf_counter()
    project(with_costs(inputs), workers=workers)
    costed_seconds = time.perf_counter() - start
    costed_cpu = time.process_time() - cpu_start
    print(
        f"engine with costs (pay bill, bank and agency spend, budgets): {costed_seconds:.2f} s "
        f"({costed_cpu:.2f} s of CPU); with costs / without = "
        f"{costed_seconds / engine_seconds:.2f} by the clock, {costed_cpu / engine_cpu:.2f} "
        "in CPU time (aim: at most 1.30)"
    )

    # The reference runs one draw; M draws would take M times as long, and n series n / subset.
    subset = np.flatnonzero(inputs.series_organisation < max(1, organisations // 100))
    small = _subset(inputs, subset)
    start = time.perf_counter()
    project_reference(small)
    reference_seconds = (time.perf_counter() - start) * (n / len(subset)) * draws
    print(
        f"plain-Python reference, scaled from {len(subset)} series and one draw: "
        f"{reference_seconds:,.0f} s; reference / engine = "
        f"{reference_seconds / engine_seconds:,.0f}x"
    )


def _subset(inputs: EngineInputs, series: np.ndarray) -> EngineInputs:
    per_series = (
        "series_ics",
        "series_group",
        "series_organisation",
        "supply0",
        "demand0",
        "leaver_rate",
        "recruitment",
        "international",
        "return_to_practice",
        "demand_growth",
        "productivity",
        "step_changes",
        "newly_qualified",
        "attrition",
        "retention",
    )
    fields = {name: np.asarray(getattr(inputs, name))[series] for name in per_series}
    return replace(inputs, draws=1, **fields)


if __name__ == "__main__":
    main()
