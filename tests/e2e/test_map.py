"""The points map draws exactly the points the user may see."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

# The map draws circle markers on a canvas (preferCanvas), so there is no DOM element per
# marker. Catch every Leaflet map as it is created: Leaflet 1.9 ends with `window.L = ...`.
CATCH_MAPS = """
(() => {
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      if (value && value.Map) {
        value.Map.addInitHook(function () { (window.__maps = window.__maps || []).push(this); });
      }
    },
  });
})();
"""

MARKERS = """
() => {
  const names = [];
  for (const map of window.__maps || []) {
    map.eachLayer((layer) => {
      if (layer instanceof L.CircleMarker && layer.getPopup()) {
        const html = layer.getPopup().getContent();
        const doc = new DOMParser().parseFromString(html, "text/html");
        names.push(doc.querySelector("h3").textContent);
      }
    });
  }
  return names.sort();
}
"""


def _open_map(page, base: str, username: str, password: str, count_text: str) -> list[str]:
    page.add_init_script(CATCH_MAPS)
    log_in(page, base, username, password)
    page.goto(f"{base}/points/map/")
    page.wait_for_function(
        "t => document.getElementById('map-count').textContent === t", arg=count_text
    )
    # fitBounds animates the zoom (the canvas is scaled meanwhile): let it settle.
    page.wait_for_function("!document.querySelector('#points-map.leaflet-zoom-anim')")
    page.wait_for_timeout(400)
    box = page.locator("#points-map").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    assert page.locator("#points-map.leaflet-container canvas").count() >= 1
    assert page.evaluate("(window.__maps || []).length") == 1
    return page.evaluate(MARKERS)


def test_street_unit_map_draws_only_its_point(page, live_server, world, password) -> None:
    names = _open_map(page, live_server.url, "unit_s1", password, "1 个点位")
    assert names == ["多福巷"]
    assert page.is_hidden("#map-status")
    shot(page, "e2e-map-unit-s1")


def test_office_map_draws_both_points(page, live_server, world, password) -> None:
    names = _open_map(page, live_server.url, "office", password, "2 个点位")
    assert names == sorted(["多福巷", "景山市场"])
    shot(page, "e2e-map-office")
