"""Figures as plain JSON values for the API and the big screen's refresh."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from typing import Any


def plain(value: Any) -> Any:
    """Numbers stay numbers (Decimal → float), dates become ISO text, lazy texts and model
    rows their text; containers are converted through."""
    if value is None or isinstance(value, (bool, int, float, str)):
        found: Any = value
    elif isinstance(value, Decimal):
        found = float(value)
    elif isinstance(value, (dt.datetime, dt.date, dt.time)):
        found = value.isoformat()
    elif isinstance(value, dict):
        found = {str(k): plain(v) for k, v in value.items()}
    elif isinstance(value, (list, tuple, set, frozenset)):
        found = [plain(v) for v in value]
    elif is_dataclass(value) and not isinstance(value, type):
        found = plain(asdict(value))
    else:
        # Lazy texts, model rows and anything else: their text.
        found = str(value)
    return found
