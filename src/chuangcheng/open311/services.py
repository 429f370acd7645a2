"""The services this server offers: the active case subclasses (小类), grouped by their class."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from chuangcheng.cases.models import Category


def active_services() -> QuerySet[Category]:
    """Active subclasses of active classes, in the catalogue's order, with their class."""
    return (
        Category.objects.filter(active=True, parent__isnull=False, parent__active=True)
        .select_related("parent")
        .order_by("kind", "parent__seq", "parent__code", "seq", "code")
    )


def service_for(code: str) -> Category | None:
    """The active service with this code, or None."""
    return active_services().filter(code=code).first()


def keywords(category: Category) -> str:
    """The category's keywords as the spec wants them: comma-separated."""
    return ", ".join(w for w in re.split(r"[\s,，、;；]+", category.keywords) if w)


def handling_notice(category: Category) -> str:
    """What a reporter may expect: the category's time limit from dispatch."""
    return _("Problems of this kind are handled within %(hours)d hours of dispatch.") % {
        "hours": category.handle_hours
    }
