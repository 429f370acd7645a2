"""Navigation shown to each user: only the sections their grants open."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, icon, permission or None for any user with a grant)
NAV: tuple[tuple[str, Any, str, str | None], ...] = (
    ("command:home", _("Overview"), "home", None),
    ("points:map", _("Map"), "map", None),
    ("points:list", _("Points"), "pin", None),
    ("cases:list", _("Cases"), "case", None),
    ("cases:intake", _("Intake"), "inbox", "cases.manage_case"),
    ("frameworks:list", _("Frameworks"), "tree", None),
    ("inspections:round_list", _("Inspection rounds"), "check", "inspections.view_rounds"),
    ("inspections:my_rounds", _("My rounds"), "phone", "inspections.inspect"),
    ("orgs:region_tree", _("Regions"), "layers", None),
    ("orgs:unit_list", _("Units"), "building", None),
    ("report:new", _("Report a problem"), "camera", "cases.report_problem"),
    ("report:mine", _("My reports"), "inbox", "cases.report_problem"),
    ("report:hotline", _("Hotline call"), "phone", "cases.take_hotline"),
    ("report:moderation", _("Moderation"), "eye", "cases.moderate"),
    ("casefigures:index", _("Unit figures"), "chart", "cases.view_figures"),
    ("scoring:index", _("Scores"), "chart", "scoring.view_scores"),
    ("appraisal:index", _("Appraisal"), "award", "appraisal.view_appraisal"),
    ("awards:index", _("Red flags & stars"), "flag", "awards.view_awards"),
    ("accounts:user_list", _("Users & grants"), "users", "accounts.manage_users"),
    ("open311:keys", _("Open311 keys"), "key", "open311.manage_keys"),
    ("command:outbox", _("Outbound messages"), "send", "command.view_outbound_messages"),
    ("core:audit", _("Audit log"), "shield", "accounts.view_audit"),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "product_version": _version()}
    from chuangcheng.accounts.scope import scope_of

    scope = scope_of(user)
    items = []
    for name, label, icon, perm in NAV:
        if perm is None and not (scope.roles or scope.everything):
            continue
        if perm is not None and not user.has_perm(perm):
            continue
        items.append({"url": reverse(name), "label": label, "icon": icon, "active": False})
    # The longest matching prefix wins, so /points/map/ marks "Map" and not also "Points".
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items, "product_version": _version(), "debug": settings.DEBUG}


def _version() -> str:
    from chuangcheng import __version__

    return __version__
