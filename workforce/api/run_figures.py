"""How a run's figures read in the API: its result rows, with spend at each year's prices or
the baseline year's, and its spend against the national asks."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from core import calendar
from workforce.models import ProjectionResult
from workforce.projection.results import LIMIT_COLUMNS, MONEY_COLUMNS, SPEND_COLUMNS
from workforce.selectors.runs import PRICES as PRICE_BASES
from workforce.selectors.spend_asks import SpendAsks


class ResultSerializer(serializers.ModelSerializer):
    staff_group = serializers.CharField(source="staff_group.code")

    class Meta:
        model = ProjectionResult
        fields = [
            "level",
            "entity_code",
            "staff_group",
            "year",
            "supply_p10",
            "supply_p50",
            "supply_p90",
            "demand_p10",
            "demand_p50",
            "demand_p90",
            "gap_p10",
            "gap_p50",
            "gap_p90",
            "target_fte",
            "probability_meets_target",
            # After the FTE, so that a CSV read by column position before sectors and money
            # still reads the same.
            "sector",
            *MONEY_COLUMNS,
        ]

    def to_representation(self, instance: ProjectionResult) -> dict:
        data = super().to_representation(instance)
        divisors = self.context.get("divisors")
        if divisors:
            for name in GBP_COLUMNS:
                data[name] = at_prices(data[name], divisors.get(instance.year))
        return data


RESULT_FIELDS = ResultSerializer.Meta.fields
GBP_COLUMNS = (*SPEND_COLUMNS, *LIMIT_COLUMNS)
PRICES = OpenApiParameter(
    "prices",
    str,
    enum=list(PRICE_BASES),
    description="Spend, budgets and limits at each year's own prices (nominal, the default) "
    "or at the baseline year's (baseline: divided by the run's `prices` index).",
)


def at_prices(value: float | None, divisor: float | None) -> float | None:
    """A GBP figure at the baseline year's prices, to the pound."""
    if value is None or divisor is None:
        return value
    return round(value / divisor)


def csv_at_prices(rows, divisors: dict[int, float]):
    """The results CSV's rows with their pounds at the baseline year's prices."""
    year = RESULT_FIELDS.index("year")
    columns = [RESULT_FIELDS.index(name) for name in GBP_COLUMNS]
    for row in rows:
        values = list(row)
        for i in columns:
            values[i] = at_prices(values[i], divisors.get(values[year]))
        yield values


def _spend(spend) -> dict:
    return {
        "p10": spend.p10,
        "p50": spend.p50,
        "p90": spend.p90,
        "ask_limit": spend.ask_limit,
        "against_ask": spend.against_ask,
        "plan_limit": spend.plan_limit,
        "probability_within_plan_limit": spend.probability_within_plan_limit,
    }


def spend_asks_data(asked: SpendAsks) -> dict:
    """The answer of /runs/{id}/spend-asks/ as JSON."""
    return {
        "run": asked.run_id,
        "entity": asked.entity,
        "staff_group": asked.staff_group,
        "baseline_year": asked.baseline_year,
        "has_costs": asked.has_costs,
        "message": asked.message,
        "asks": [
            {
                "kind": ask.kind,
                "year": ask.year,
                "year_label": calendar.year_label(ask.year),
                "reduction": ask.reduction,
                "wording": ask.wording,
                "source": ask.source,
                "url": ask.url,
                "confirmed": ask.confirmed,
            }
            for ask in asked.asks
        ],
        "years": [
            {
                "year": row.year,
                "year_label": row.label,
                "bank": _spend(row.bank),
                "agency": _spend(row.agency),
            }
            for row in asked.years
        ],
    }
