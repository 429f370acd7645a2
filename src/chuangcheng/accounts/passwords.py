"""Password rules of 等保 2.0 level 3 (../shared/domain.md §9): at least 3 character classes."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CLASSES = (
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^a-zA-Z0-9]"),
)


class CharacterClassValidator:
    required = 3

    def validate(self, password: str, user: Any = None) -> None:
        if sum(1 for c in _CLASSES if c.search(password)) < self.required:
            raise ValidationError(
                _(
                    "The password must mix at least three of: lower-case letters, upper-case "
                    "letters, digits and symbols."
                ),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least three of: lower-case letters, upper-case letters, digits and symbols."
        )
