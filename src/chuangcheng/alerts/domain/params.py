"""Checking a rule's parameters against its kind's ``Param`` declarations.

Every declared parameter must be there (or have a default) and read as its type within its
bounds; parameters the kind does not declare are refused, so a typo never passes silently.
Errors name the parameter by its label, in the user's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from chuangcheng.alerts.domain.kinds import KINDS, Kind, Param


class ParamError(ValueError):
    """Bad parameters: ``errors`` maps each parameter name ("" for the rule) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in errors.items()))
        self.errors = errors


def kind_of(code: str) -> Kind:
    kind = KINDS.get(code)
    if kind is None:
        raise ParamError({"": _("“%(code)s” is not a known kind of warning.") % {"code": code}})
    return kind


def _number(param: Param, raw: Any) -> float | int:
    text = str(raw).strip().replace("％", "").rstrip("%").strip()
    if param.type is int:
        try:
            value: float | int = int(text)
        except ValueError as exc:
            raise ValueError(_("Enter a whole number.")) from exc
    else:
        try:
            value = float(text)
        except ValueError as exc:
            raise ValueError(_("Enter a number.")) from exc
        if not math.isfinite(value):
            raise ValueError(_("Enter a number."))
    if param.minimum is not None and value < param.minimum:
        raise ValueError(_("Enter at least %(n)s.") % {"n": _plain(param.minimum)})
    if param.maximum is not None and value > param.maximum:
        raise ValueError(_("Enter at most %(n)s.") % {"n": _plain(param.maximum)})
    return value


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def clean_params(kind: Kind, raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """The parameters ``raw`` as the kind's types, defaults filled in; ParamError otherwise."""
    raw = dict(raw or {})
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name in sorted(set(raw) - set(kind.params)):
        errors[name] = _("This kind of warning has no parameter “%(name)s”.") % {"name": name}
    for name, param in kind.params.items():
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if param.default is None:
                errors[name] = _("%(label)s: this parameter is required.") % {"label": param.label}
            else:
                cleaned[name] = param.default
            continue
        if param.type is str:
            cleaned[name] = str(value).strip()
            continue
        try:
            cleaned[name] = _number(param, value)
        except ValueError as exc:
            errors[name] = f"{param.label}: {exc}"
    if errors:
        raise ParamError(errors)
    return cleaned
