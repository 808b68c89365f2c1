"""Filters of the peers card: rates to one decimal place, where a system stands in words."""

from __future__ import annotations

from django import template

register = template.Library()

NOTHING = "\u2013"


@register.filter
def rate_percent(fraction: float | None) -> str:
    """0.0942 -> "9.4%"; None -> an en dash."""
    return NOTHING if fraction is None else f"{fraction * 100:.1f}%"


@register.filter
def standing_words(standing) -> str:
    """ "3rd lowest of 42, higher than 5% of the others" (a Standing); an en dash for none."""
    if standing is None:
        return NOTHING
    words = f"{_ordinal(standing.rank)} lowest of {standing.of}"
    if standing.percentile is not None:
        words += f", higher than {standing.percentile * 100:.0f}% of the others"
    return words


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"
