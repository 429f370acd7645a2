"""What the map page hands to ``command/map.js``: tile settings, data URLs and every label
(translated here, so the script holds no words of its own)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chuangcheng.points.map_config import map_config


def _api(path: str) -> str:
    return reverse("api:api-root") + "map/" + path


def map_page_config(request: HttpRequest) -> dict[str, Any]:
    config = map_config(request)
    config["urls"] = {
        "regions": _api("regions"),
        "points": _api("points"),
        "cases": _api("cases"),
        "streets": _api("streets"),
        "heat": _api("heat"),
        "keyAreas": _api("key-areas"),
        "case": _api("cases/__id__"),
        "point": _api("points/__id__"),
    }
    config["labels"] = {
        # Layer control
        "points": _("Points: compliance"),
        "cases": _("Open cases"),
        "heat": _("Problem heat map"),
        "keyAreas": _("Key areas (重点区域)"),
        "shadeNone": _("Streets: outlines only"),
        "shadeRate": _("Streets: score rate"),
        "shadeOverdue": _("Streets: overdue cases"),
        # Point states
        "pass": _("All items compliant"),
        "minor": _("Some items non-compliant (≥ 80 % compliant)"),
        "major": _("Many items non-compliant (< 80 % compliant)"),
        "none": _("Not inspected yet"),
        # Case states
        "overdue": _("Overdue (督办)"),
        "soon": _("Due within 24 h"),
        "ok": _("In time"),
        "wait": _("Not with a unit"),
        # Streets
        "rateLegend": _("Score rate, %(period)s"),
        "overdueLegend": _("Overdue cases"),
        "notMeasured": _("not measured"),
        "noScores": _("Scores are not shown for your grants."),
        "openCases": _("Open cases: %(n)s"),
        "overdueCases": _("Overdue: %(n)s"),
        "rate": _("Score rate: %(r)s"),
        # Heat map
        "heatTitle": _("Problems reported"),
        "heatWindow": _("Weeks shown"),
        "heatEnd": _("Ending"),
        "heatRange": _("%(a)s to %(b)s: %(n)s problems"),
        "weeks": _("%(n)s weeks"),
        # Popups
        "number": _("Case number"),
        "category": _("Category"),
        "status": _("Status"),
        "unit": _("Unit"),
        "due": _("Deadline"),
        "reported": _("Reported"),
        "address": _("Address"),
        "timeline": _("Latest steps"),
        "escalated": _("Escalated (督办)"),
        "openCase": _("Open case page"),
        "type": _("Type"),
        "territorial": _("Territorial unit"),
        "line": _("Line department"),
        "visited": _("Latest inspection"),
        "neverVisited": _("Never inspected."),
        "results": _("%(p)s compliant, %(f)s non-compliant"),
        "openPoint": _("Open point page"),
        "case": pgettext("map popup", "case"),
        "keyAreaOpen": _("%(n)s open cases inside"),
        # Status
        "loading": _("Loading…"),
        "failed": _("The map data could not be loaded."),
        "legend": _("Legend"),
        "layers": _("Layers"),
    }
    return config
