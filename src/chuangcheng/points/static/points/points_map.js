/* The points map page: outlines, coloured points, filters, legend and popups. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var L_ = config.labels;
  var el = document.getElementById("points-map");
  var map = ccMap.create(el, config);
  var form = document.getElementById("map-filters");
  var panel = document.getElementById("map-panel");
  var status = document.getElementById("map-status");
  var count = document.getElementById("map-count");
  var note = document.getElementById("approx-note");
  var listLink = document.getElementById("map-list-link");
  var toggle = document.getElementById("show-communities");
  var regionLayer = L.layerGroup().addTo(map);
  var communityLayer = L.layerGroup();
  var pointLayer = L.featureGroup().addTo(map);
  var legend = L.control({ position: "bottomright" });
  var legendDiv = L.DomUtil.create("div", "cc-legend");
  legend.onAdd = function () { return legendDiv; };
  legend.addTo(map);
  var districtBounds = null;
  var regionsDrawn = false;

  if (window.matchMedia("(max-width: 640px)").matches) panel.removeAttribute("open");

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function show(msg) { status.textContent = msg; status.hidden = !msg; }

  function drawRegions(fc) {
    regionLayer.clearLayers();
    communityLayer.clearLayers();
    var drawn = ccMap.outlines(fc);
    drawn.main.addTo(regionLayer);
    drawn.communities.addTo(communityLayer);
    if (drawn.bounds) districtBounds = drawn.bounds;
    toggle.disabled = !drawn.communityCount;
  }

  function popup(p, t) {
    var url = config.detailUrl.replace("__code__", encodeURIComponent(p[0]));
    return '<div class="cc-popup"><h3>' + esc(p[1]) + '</h3><dl>' +
      '<dt>' + esc(L_.type) + '</dt><dd>' + esc(t ? t.name : "") + '</dd>' +
      (p[5] ? '<dt>' + esc(L_.address) + '</dt><dd>' + esc(p[5]) + '</dd>' : "") +
      '<dt>' + esc(L_.territorial) + '</dt><dd>' + esc(p[6]) + '</dd>' +
      (p[7] ? '<dt>' + esc(L_.line) + '</dt><dd>' + esc(p[7]) + '</dd>' : "") +
      '</dl><a href="' + url + '">' + esc(L_.open) + ' ›</a></div>';
  }

  function drawPoints(data) {
    pointLayer.clearLayers();
    data.points.forEach(function (p) {
      var t = data.types[String(p[2])];
      L.circleMarker(ccMap.latLng([p[3], p[4]]), {
        radius: 6, weight: 1.5, color: "#fff", fillColor: t ? t.color : "#c8102e", fillOpacity: 0.95,
      }).bindPopup(popup(p, t)).addTo(pointLayer);
    });
    var small = window.matchMedia("(max-width: 640px)").matches;
    var html = '<details' + (small ? '' : ' open') + '><summary>' + esc(L_.legend) + '</summary>';
    Object.keys(data.types).forEach(function (k) {
      var t = data.types[k];
      html += '<div><i style="background:' + t.color + '"></i>' + esc(t.name) + '</div>';
    });
    legendDiv.innerHTML = html + '</details>';
    L.DomEvent.disableClickPropagation(legendDiv);
    L.DomEvent.disableScrollPropagation(legendDiv);
    legendDiv.hidden = !Object.keys(data.types).length;
    count.textContent = L_.count.replace("%(n)s", data.points.length);
    show(data.points.length ? "" : L_.none);
  }

  function fit() {
    var b = pointLayer.getLayers().length ? pointLayer.getBounds() : districtBounds;
    if (b && b.isValid()) map.fitBounds(b, { padding: [24, 24], maxZoom: 16 });
  }

  function params() {
    var q = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (v && k !== "communities") q.set(k, v); });
    return q.toString();
  }

  function load() {
    var q = params();
    show(L_.loading);
    history.replaceState(null, "", q ? "?" + q : location.pathname);
    listLink.href = listLink.href.split("?")[0] + (q ? "?" + q : "");
    fetch(config.dataUrl + (q ? "?" + q : ""), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        if (!regionsDrawn) { drawRegions(data.regions); regionsDrawn = true; }
        note.hidden = !data.approximate;
        drawPoints(data);
        fit();
      })
      .catch(function () { show(L_.failed); });
  }

  form.addEventListener("change", function (e) { if (e.target !== toggle) load(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  toggle.addEventListener("change", function () {
    if (toggle.checked) communityLayer.addTo(map); else map.removeLayer(communityLayer);
  });
  load();
})();
