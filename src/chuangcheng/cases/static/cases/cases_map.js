/* The case map: open cases coloured by deadline state. Many cases are grouped client-side in a
 * pixel grid (one circle with a count per cell) until the map is zoomed in far enough. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var L_ = config.labels;
  var COLORS = { overdue: "#c8102e", soon: "#d4650c", ok: "#1a7f37", wait: "#7b8794" };
  var RANK = { overdue: 3, soon: 2, ok: 1, wait: 0 };
  var GRID_PX = 56, CLUSTER_ABOVE = 150, DETAIL_ZOOM = 17;
  var el = document.getElementById("cases-map");
  var map = ccMap.create(el, config);
  var layer = L.layerGroup().addTo(map);
  var status = document.getElementById("map-status");
  var rows = [];

  function say(text) { status.textContent = text || ""; status.hidden = !text; }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }

  function popup(r) {
    var url = config.detailUrl.replace("__pk__", r[0]);
    return '<div class="cc-popup"><h3>' + esc(r[1]) + "</h3><dl><dt>" + esc(r[6]) + "</dt><dd>" + esc(r[5]) + "</dd>" +
      (r[7] ? "<dt>" + esc(L_.due) + "</dt><dd>" + esc(r[7].slice(0, 16).replace("T", " ")) + "</dd>" : "") +
      '</dl><a href="' + url + '">' + esc(L_.open) + "</a></div>";
  }

  function marker(r) {
    return L.circleMarker(r.at, { radius: 7, weight: 2, color: "#fff", fillColor: COLORS[r[4]], fillOpacity: 0.95 })
      .bindPopup(popup(r));
  }

  function cluster(cell) {
    var n = cell.items.length, size = n < 10 ? 28 : n < 100 ? 34 : 42;
    var icon = L.divIcon({ className: "", iconSize: [size, size],
      html: '<div class="cs-cluster" style="width:' + size + "px;height:" + size + "px;background:" + COLORS[cell.worst] + '">' + n + "</div>" });
    return L.marker(cell.at, { icon: icon, title: L_.zoom }).on("click", function () {
      map.fitBounds(L.latLngBounds(cell.items.map(function (r) { return r.at; })).pad(0.3), { maxZoom: DETAIL_ZOOM });
    });
  }

  function draw() {
    layer.clearLayers();
    var bounds = map.getBounds().pad(0.2);
    var visible = rows.filter(function (r) { return bounds.contains(r.at); });
    if (visible.length <= CLUSTER_ABOVE || map.getZoom() >= DETAIL_ZOOM) {
      visible.forEach(function (r) { layer.addLayer(marker(r)); });
      return;
    }
    var cells = {};
    visible.forEach(function (r) {
      var p = map.latLngToLayerPoint(r.at);
      var key = Math.floor(p.x / GRID_PX) + ":" + Math.floor(p.y / GRID_PX);
      var cell = cells[key] || (cells[key] = { items: [], worst: "wait", lat: 0, lng: 0 });
      cell.items.push(r);
      cell.lat += r.at.lat; cell.lng += r.at.lng;
      if (RANK[r[4]] > RANK[cell.worst]) cell.worst = r[4];
    });
    Object.keys(cells).forEach(function (k) {
      var cell = cells[k];
      if (cell.items.length === 1) { layer.addLayer(marker(cell.items[0])); return; }
      cell.at = L.latLng(cell.lat / cell.items.length, cell.lng / cell.items.length);
      layer.addLayer(cluster(cell));
    });
  }

  function legend() {
    var box = L.control({ position: "bottomright" });
    box.onAdd = function () {
      var div = L.DomUtil.create("div", "cc-legend cs-legend");
      div.innerHTML = ["overdue", "soon", "ok", "wait"].map(function (k) {
        return '<div><i class="st-' + k + '"></i>' + esc(L_[k]) + "</div>";
      }).join("");
      return div;
    };
    box.addTo(map);
  }

  function load() {
    say(L_.loading);
    var qs = window.location.search;
    fetch(config.dataUrl + qs, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        if (data.regions && data.regions.features.length) {
          ccMap.geoJSON(data.regions, {
            interactive: false,
            style: function (ft) {
              var district = ft.properties.level === "district";
              return { color: district ? "#52606d" : "#9aa5b1", weight: district ? 2 : 1, dashArray: district ? null : "4 4", fill: false };
            },
          }).addTo(map);
        }
        rows = data.cases.map(function (r) { r.at = ccMap.latLng([r[2], r[3]]); return r; });
        document.getElementById("map-count").textContent = L_.cases.replace("%(n)s", rows.length);
        var link = document.getElementById("map-list-link");
        link.href = link.href.split("?")[0] + qs;
        el.dataset.count = rows.length;
        if (!rows.length) { say(L_.none); return; }
        say("");
        map.fitBounds(L.latLngBounds(rows.map(function (r) { return r.at; })).pad(0.1), { maxZoom: 16 });
        draw();
      })
      .catch(function () { say(L_.failed); });
  }

  map.on("zoomend moveend", draw);
  legend();
  load();
})();
