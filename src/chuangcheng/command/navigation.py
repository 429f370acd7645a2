"""Navigation shown to each user: only the sections their grants open."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Sections of the menu, in the order shown; a heading appears only above a section the user has
# items in, and only when the whole menu is long enough to need headings.
GROUPS: dict[str, Any] = {
    "command": _("Command"),
    "field": _("Field inspection"),
    "cases": _("Cases"),
    "evaluation": _("Evaluation"),
    "practice": _("Civilization practice"),
    "basics": _("Basic data"),
    "admin": _("Administration"),
}
HEADINGS_FROM = 7

# (section, url name, label, icon, permission or None for any user with a grant)
NAV: tuple[tuple[str, str, Any, str, str | None], ...] = (
    ("command", "command:home", _("Overview"), "home", None),
    ("command", "command:screen", _("Big screen"), "screen", "command.view_screen"),
    ("command", "command:map", _("Map command"), "map", "command.view_map"),
    ("command", "command:trends", _("Trend analysis"), "chart", "command.view_trends"),
    ("command", "alerts:list", _("Warnings"), "alert", "alerts.view_warnings"),
    ("command", "agenda:month", _("Calendar"), "calendar", "agenda.view_calendar"),
    ("command", "agenda:my_tasks", _("My tasks"), "check", "agenda.do_tasks"),
    ("field", "points:map", _("Map"), "map", None),
    ("field", "points:list", _("Points"), "pin", None),
    ("field", "inspections:round_list", _("Inspection rounds"), "check", "inspections.view_rounds"),
    ("field", "inspections:my_rounds", _("My rounds"), "phone", "inspections.inspect"),
    (
        "field",
        "surveys:interview_list",
        _("Door-to-door and street surveys"),
        "phone",
        "surveys.interview",
    ),
    ("cases", "cases:list", _("Cases"), "case", None),
    ("cases", "cases:intake", _("Intake"), "inbox", "cases.manage_case"),
    ("cases", "report:new", _("Report a problem"), "camera", "cases.report_problem"),
    ("cases", "report:mine", _("My reports"), "inbox", "cases.report_problem"),
    ("cases", "report:hotline", _("Hotline call"), "phone", "cases.take_hotline"),
    ("cases", "report:moderation", _("Moderation"), "eye", "cases.moderate"),
    ("evaluation", "archives:index", _("Archives"), "folder", "archives.view_archives"),
    ("evaluation", "scoring:index", _("Scores"), "chart", "scoring.view_scores"),
    ("evaluation", "appraisal:index", _("Appraisal"), "award", "appraisal.view_appraisal"),
    ("evaluation", "casefigures:index", _("Unit figures"), "chart", "cases.view_figures"),
    ("evaluation", "awards:index", _("Red flags & stars"), "flag", "awards.view_awards"),
    ("evaluation", "surveys:list", _("Surveys"), "survey", "surveys.view_survey"),
    ("practice", "practice:home", _("Practice network"), "layers", "practice.view_network"),
    ("practice", "practice:figures", _("Practice figures"), "chart", "practice.view_figures"),
    ("practice", "practice:order_list", _("Service orders"), "inbox", "practice.view_network"),
    ("practice", "practice:my_tasks", _("My service tasks"), "check", "practice.take_orders"),
    ("practice", "practice:my_orders", _("My service orders"), "phone", "practice.order_service"),
    ("practice", "practice:wish_wall", _("Wish wall"), "heart", "practice.view_wishes"),
    ("practice", "practice:my_wishes", _("My wishes"), "heart", "practice.view_wishes"),
    (
        "practice",
        "practice:wish_manage",
        _("Manage wishes"),
        "inbox",
        "practice.view_network",
    ),
    (
        "practice",
        "practice:bank_home",
        _("Civilization points bank"),
        "award",
        "practice.view_network",
    ),
    ("practice", "practice:award_new", _("Award points"), "award", "practice.award_points"),
    ("practice", "practice:redeem", _("Love supermarket counter"), "gift", "practice.redeem"),
    ("practice", "practice:my_balance", _("My balance"), "wallet", "practice.order_service"),
    (
        "practice",
        "practice:category_list",
        _("Services offered"),
        "list",
        "practice.manage_categories",
    ),
    ("basics", "frameworks:list", _("Frameworks"), "tree", None),
    ("basics", "orgs:region_tree", _("Regions"), "layers", None),
    ("basics", "orgs:unit_list", _("Units"), "building", None),
    ("admin", "accounts:user_list", _("Users & grants"), "users", "accounts.view_users"),
    ("admin", "open311:keys", _("Open311 keys"), "key", "open311.manage_keys"),
    ("admin", "command:outbox", _("Outbound messages"), "send", "command.view_outbound_messages"),
    ("admin", "core:audit", _("Audit log"), "shield", "accounts.view_audit"),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "product_version": _version()}
    from chuangcheng.accounts.scope import scope_of

    scope = scope_of(user)
    items = []
    for group, name, label, icon, perm in NAV:
        if perm is None and not (scope.roles or scope.everything):
            continue
        if perm is not None and not user.has_perm(perm):
            continue
        items.append(
            {"url": reverse(name), "label": label, "icon": icon, "group": group, "active": False}
        )
    # The longest matching prefix wins, so /points/map/ marks "Map" and not also "Points".
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {
        "nav_items": items,
        "nav_groups": _grouped(items),
        "product_version": _version(),
        "debug": settings.DEBUG,
    }


def _grouped(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items by section in GROUPS order; headings only when the menu is long."""
    headed = len(items) >= HEADINGS_FROM
    groups = []
    for code, label in GROUPS.items():
        members = [i for i in items if i["group"] == code]
        if members:
            groups.append({"code": code, "label": label if headed else "", "items": members})
    return groups


def _version() -> str:
    from chuangcheng import __version__

    return __version__
