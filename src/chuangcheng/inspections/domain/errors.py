"""Why a change to a round or an inspection was refused, in words for the user."""

from __future__ import annotations


class InspectionError(Exception):
    """A change was refused; ``message`` says why. Nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InspectionValidationError(InspectionError):
    """Field name → messages; nothing was written."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors
