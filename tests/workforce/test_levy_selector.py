"""The levy of a system's run: employers above the threshold, their funds against their
starts, and what the partners could receive (figures in tests/workforce/levy_data.py)."""

from __future__ import annotations

import pytest

from workforce.selectors.levy import levy_for

from .levy_data import levy_system


@pytest.fixture
def answer(cast):
    return levy_for(levy_system(cast))


def test_only_employers_paying_levy_are_listed(answer, cast):
    assert answer["costed"] is True
    assert [e["organisation"] for e in answer["employers"]] == [cast.trust_a.code]


def test_an_employer_s_year_sets_its_levy_against_its_starts(answer):
    first, second, third = answer["employers"][0]["years"]
    assert first["levy"] == pytest.approx(35_000)
    assert first["funds"] == pytest.approx(38_500)
    assert first["starts_cost"] == pytest.approx(13_000)  # 2 x 26,000 over 4 years
    assert first["unspent"] == pytest.approx(25_500)
    assert first["could_transfer"] == pytest.approx(19_250)  # half of 38,500
    # 2026/27: four months of top-up; 2025's 12,500 left and 2026's own funds expire.
    assert second["funds"] == pytest.approx(36_166.67, abs=0.01)
    assert second["expired"] == pytest.approx(12_500 + 36_166.67, abs=0.01)
    assert second["could_transfer"] == pytest.approx(36_166.67 / 2, abs=0.01)
    assert third["could_transfer"] == pytest.approx(17_500)


def test_the_system_s_partners_could_receive_what_their_starts_cost(answer):
    assert [p["organisation"] for p in answer["partners"]] == ["ZZC1"]
    by_year = {row["year"]: row for row in answer["system"]}
    assert by_year[2025]["partners_could_receive"] == 0
    assert by_year[2026]["partners_starts_cost"] == pytest.approx(12_000)  # 4 x 3,000
    assert by_year[2026]["partners_could_receive"] == pytest.approx(12_000)
    assert by_year[2027]["could_transfer"] == pytest.approx(17_500)


def test_starts_with_no_price_are_listed_not_costed(answer, cast):
    assert answer["unpriced"] == [
        {"organisation": cast.trust_a.code, "standard": "Doctor degree apprenticeship", "starts": 1}
    ]


def test_a_run_with_no_pay_bill_says_so_rather_than_zeros(cast):
    answer = levy_for(levy_system(cast, costed=False))
    assert answer["costed"] is False
    assert answer["message"].startswith("This run has no costs:")
    assert "employers" not in answer
