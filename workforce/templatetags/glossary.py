"""Links from the dashboards' charts and cards to the glossary (docs/glossary.md at
/methods/glossary/): `{% glossary_link "likely-range" %}`, `{% chart_glossary_link chart.key %}`."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()

# The glossary's entries the pages link to: the heading's id -> the term, for the link's
# hidden text. tests/core/test_methods.py holds every id to a heading of docs/glossary.md.
ENTRIES = {
    "fte": "FTE",
    "p10-p50-and-p90": "P10, P50 and P90",
    "likely-range": "likely range",
    "draws": "draws",
    "seed": "seed",
    "probability-of-meeting-the-target": "probability of meeting the target",
    "shortfall-against-demand": "shortfall against demand",
    "gap-to-target": "gap to target",
    "shortfall-as-a-share-of-demand": "shortfall as a share of demand",
    "shared-by-baseline-fte": "shared by baseline FTE",
    "central-scenario": "central scenario",
    "programme-codes": "programme codes",
    "planning-sector": "planning sector",
    "illustrative-figures": "illustrative figures",
    "vacancy-rate": "vacancy rate",
    "leaver-rate": "leaver rate",
    "sickness-absence-rate": "sickness absence rate",
    "temporary-staffing-share": "temporary staffing share",
    "peers-rank-and-percentile": "rank and percentile",
    "pay-bill-and-temporary-staffing-spend": "pay bill and temporary staffing spend",
}

# Each chart (workforce.charts, by key) -> the entry that explains what it shows.
CHART_ENTRIES = {
    "supply-demand": "likely-range",
    "probability": "probability-of-meeting-the-target",
    "gap-by-group": "shortfall-against-demand",
    "gap-heatmap": "shortfall-against-demand",
    "vacancy-heatmap": "vacancy-rate",
    "trend-staff": "fte",
    "trend-bank-agency": "temporary-staffing-share",
    "trend-rates": "leaver-rate",
    "sectors": "planning-sector",
    "national-gap": "shortfall-as-a-share-of-demand",
    "national-probability": "probability-of-meeting-the-target",
    "compare-supply": "likely-range",
    "compare-gap": "shortfall-against-demand",
    "compare-probability": "probability-of-meeting-the-target",
}


@register.simple_tag
def glossary_link(entry: str) -> str:
    """A small "What is this?" link to one glossary entry; its term is said to screen
    readers. An entry not in ENTRIES raises KeyError, so a misspelt one fails the page's
    tests rather than linking nowhere."""
    url = f"{reverse('glossary')}#{entry}"
    return format_html(
        '<a class="app-glossary-link" href="{}">What is this?'
        '<span class="nhsuk-u-visually-hidden"> ({})</span></a>',
        url,
        ENTRIES[entry],
    )


@register.simple_tag
def chart_glossary_link(chart_key: str) -> str:
    """The glossary link of a chart, or nothing for a chart with no entry."""
    entry = CHART_ENTRIES.get(chart_key)
    return glossary_link(entry) if entry else ""
