"""The national asks on temporary staffing, and the limits they set from a baseline year."""

import pytest

from workforce.plans import national_asks
from workforce.plans.national_asks import AGENCY, BANK, SpendAsk, ask_limits, asks_of


def test_every_ask_names_its_source_and_whether_it_was_checked():
    for ask in national_asks.NATIONAL_ASKS:
        assert ask.source and ask.url.startswith("https://") and ask.wording
        assert 0 < ask.reduction < 1
    guidance = [a for a in national_asks.NATIONAL_ASKS if a.year == 2025]
    assert {(a.kind, a.reduction) for a in guidance} == {(AGENCY, 0.30), (BANK, 0.10)}
    assert all(a.confirmed for a in guidance)


def test_agency_is_thirty_percent_lower_in_2026_and_then_holds():
    limits = ask_limits(
        AGENCY, baseline_year=2025, baseline_spend=1_000_000, years=range(2025, 2030)
    )
    assert limits == pytest.approx({2026: 700_000, 2027: 700_000, 2028: 700_000, 2029: 700_000})


def test_bank_is_ten_percent_lower_each_year_of_the_framework_and_then_holds():
    limits = ask_limits(BANK, baseline_year=2025, baseline_spend=1000, years=[2026, 2028, 2030])
    assert limits == pytest.approx({2026: 900, 2028: 729, 2030: 729})


def test_asks_of_the_baseline_year_or_before_are_already_in_its_spend():
    limits = ask_limits(AGENCY, baseline_year=2026, baseline_spend=500, years=[2026, 2027])
    assert limits == {2027: 500}
    assert ask_limits(BANK, baseline_year=2030, baseline_spend=5, years=[2029]) == {}


def test_other_asks_may_be_given():
    asks = [SpendAsk(BANK, 2031, 0.5, "A test", "https://example.org", "Halve it.", False)]
    assert ask_limits(BANK, baseline_year=2030, baseline_spend=10, years=[2031], asks=asks) == {
        2031: 5
    }


def test_a_kind_that_is_not_bank_or_agency_is_refused():
    with pytest.raises(ValueError, match="bank or agency"):
        asks_of("overtime")
