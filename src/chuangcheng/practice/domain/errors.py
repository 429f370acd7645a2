"""The one error type practice domain functions raise for refused input or moves.

``errors`` maps a field name (or ``"__all__"``) to messages, the shape forms and the API show."""

from __future__ import annotations


class PracticeError(Exception):
    def __init__(self, errors: dict[str, list[str]] | str) -> None:
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = errors
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
