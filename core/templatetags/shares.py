from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent_share(share: Decimal | float | None) -> str:
    """A share as people write it: 0.4 as 40%, 0.2134 as 21.34%."""
    if share is None:
        return ""
    return f"{float(share) * 100:.2f}".rstrip("0").rstrip(".") + "%"
