from __future__ import annotations


class CaseError(Exception):
    """A change to a case was refused; ``message`` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionRefusedError(CaseError):
    """The action is not allowed from the case's current state."""


class StaleCaseError(CaseError):
    """Someone else changed the case between reading and writing it."""


class CaseValidationError(CaseError):
    """Field name → messages; nothing was written."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors
