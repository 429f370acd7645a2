"""Bar widths as CSS classes: the content security policy admits no style attribute in our
templates, so ``<span class="{{ pct|bar }}">`` picks one of the classes ``w-0`` … ``w-100``
defined in app.css."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def bar(percent: Any) -> str:
    """A percentage (number or numeric text) as ``w-N``, N rounded and clamped to 0–100."""
    try:
        value = Decimal(str(percent).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        return "w-0"
    if not value.is_finite():
        return "w-0"
    whole = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"w-{max(0, min(100, whole))}"
