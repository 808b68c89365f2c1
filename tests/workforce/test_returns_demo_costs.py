"""The demo's returns carry costs at the staff groups' default cost per FTE, moved a little
per trust (illustrative: docs/model.md, "The demo's staffing returns")."""

from __future__ import annotations

import datetime

from workforce.demo import returns as demo_returns
from workforce.demo.return_figures import Figures
from workforce.demo.social_care import SOCIAL_CARE_RATES
from workforce.projection.costs import default_cost_per_fte
from workforce.returns import read_return

OCTOBER = datetime.date(2026, 10, 1)


def figures(*groups: str) -> Figures:
    made = Figures()
    for group in groups:
        made.fte[group] = {datetime.date(2026, 9, 1): 400.0, OCTOBER: 410.0}
    return made


def test_a_trusts_costs_are_its_fte_at_the_default_cost_per_fte_give_or_take_a_little():
    for code in ("RJ1", "RYJ", "RX1", "RRK"):
        for row in demo_returns._return_rows(code, OCTOBER, figures("NUR", "DOC"), ["NUR", "DOC"]):
            default = default_cost_per_fte(row.staff_group_code, "nhs_trust")
            assert 0.95 * default.pay <= float(row.pay_cost / row.fte) <= 1.05 * default.pay
            bank = float(row.bank_cost / row.bank_fte)
            assert 0.95 * default.bank <= bank <= 1.05 * default.bank
            agency = float(row.agency_cost / row.agency_fte)
            assert default.agency <= agency <= 1.2 * default.agency


def test_the_file_of_a_return_carries_the_costs_and_reads_back_to_them():
    rows = demo_returns._return_rows("RJ1", OCTOBER, figures("NUR"), ["NUR"])
    parsed = read_return(demo_returns._file(rows), "r.csv", staff_group_codes=["NUR"])
    assert parsed.ok, parsed.problems
    (row,) = parsed.rows
    assert (row.pay_cost, row.bank_cost, row.agency_cost) == (
        rows[0].pay_cost,
        rows[0].bank_cost,
        rows[0].agency_cost,
    )


def test_social_care_returns_carry_no_costs_since_no_national_scale_prices_them():
    rows = demo_returns._return_rows(
        "1-100", OCTOBER, figures("SC-CW"), ["SC-CW"], rates=SOCIAL_CARE_RATES
    )
    assert (rows[0].pay_cost, rows[0].bank_cost, rows[0].agency_cost) == (None, None, None)
    assert b"pay_cost" not in demo_returns._file(rows)


def test_a_cost_never_stands_beside_fte_written_as_nothing():
    small = Figures()
    small.fte["NUR"] = {datetime.date(2026, 9, 1): 0.2, OCTOBER: 0.2}
    (row,) = demo_returns._return_rows("RJ1", OCTOBER, small, ["NUR"])
    assert row.agency_fte == 0 and row.agency_cost == 0
