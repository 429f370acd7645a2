"""The base-map configuration handed to ``mapkit.js`` (``window.ccMap.create``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


def map_config(request: HttpRequest) -> dict[str, Any]:
    """``tiles`` is "" (outlines only), "tianditu", "amap" or a custom WGS-84 XYZ URL."""
    tiles = settings.MAP_TILE_URL.strip()
    return {
        "tiles": tiles,
        "tiandituKey": settings.MAP_TIANDITU_KEY if tiles == "tianditu" else "",
        "detailUrl": reverse("points:detail", args=["__code__"]),
        "labels": {
            "type": _("Type"),
            "address": _("Address"),
            "territorial": _("Territorial unit"),
            "line": _("Line department"),
            "open": _("Open point page"),
            "legend": _("Point types"),
            "count": _("%(n)s points"),
            "none": _("No points match the filters."),
            "loading": _("Loading…"),
            "failed": _("The map data could not be loaded."),
        },
    }
