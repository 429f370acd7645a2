"""Showing points and rates: points to at most 4 places without trailing zeros, rates as %."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def pts(value: Any) -> str:
    """1.5000 → "1.5", 3 → "3", 2.33335 → "2.3334"; "" for None."""
    if value is None or value == "":
        return ""
    d = Decimal(str(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@register.filter
def pct(value: Any, places: int = 1) -> str:
    """A share 0–1 as a percentage with ``places`` decimals: 0.5 → "50.0%"; "" for None."""
    if value is None or value == "":
        return ""
    d = (Decimal(str(value)) * 100).quantize(
        Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP
    )
    return f"{d:f}%"


@register.filter
def width(value: Any) -> str:
    """A share 0–1 as a CSS width percentage, clamped to 0–100."""
    if value is None or value == "":
        return "0"
    d = max(Decimal(0), min(Decimal(1), Decimal(str(value))))
    return f"{(d * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}"
