"""Model fields for personal data: encrypted in the database, clear in Python."""

from __future__ import annotations

from typing import Any

from django.db import models

from chuangcheng.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A string encrypted at rest. Not searchable or sortable in SQL, by design."""

    description = "Encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        return crypto.decrypt(value) if value else ""

    def to_python(self, value: Any) -> str:
        return "" if value is None else str(value)

    def get_prep_value(self, value: Any) -> str:
        return crypto.encrypt(str(value)) if value else ""
