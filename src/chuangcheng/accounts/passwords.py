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


class PasswordHistoryValidator:
    """Refuse the current password and the previous ones kept in ``PasswordHistory``.

    With five kept (the current one and four before it), the sixth-oldest may be used again.
    """

    def validate(self, password: str, user: Any = None) -> None:
        from django.contrib.auth.hashers import check_password

        from chuangcheng.accounts.models import PasswordHistory, User

        if user is None or not getattr(user, "pk", None):
            return
        kept = PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)
        hashes = list(kept[: PasswordHistory.KEEP])
        # The stored hash, not the instance's: a form may already have set the new one.
        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if current and current not in hashes:
            hashes.append(current)
        # The module's check_password, not the user's: it must never rehash or save.
        if any(check_password(password, h) for h in hashes):
            raise ValidationError(
                _(
                    "You have used this password recently. Choose one different from your "
                    "last %(count)d passwords."
                )
                % {"count": PasswordHistory.KEEP},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        from chuangcheng.accounts.models import PasswordHistory

        return _("It must differ from your last %(count)d passwords.") % {
            "count": PasswordHistory.KEEP
        }
