"""Putting a domain function's refusal onto the form that was submitted."""

from __future__ import annotations

from typing import Any


def errors_into(form: Any, exc: Any) -> None:
    """Add each message of ``exc.errors`` ({field: [messages]}, the shape of ``PracticeError``
    and the cases app's validation errors) to its field, or to the whole form when the form has
    no such field."""
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
