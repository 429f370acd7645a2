/* 挂图指挥: the command map. Region outlines always; switchable layers in Leaflet's layer control:
 * points by latest compliance, open cases (clustered) by deadline, a heat map of problems with a
 * week slider, key areas, and the streets shaded by score rate or by overdue cases.
 * Every layer's data comes from /api/v1/map/ (scoped to the user) and is fetched once, when the
 * layer is first shown. Labels come from the page (config.labels); this file holds no words. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var T = config.labels;
  var U = config.urls;
  var el = document.getElementById("command-map");
  var status = document.getElementById("map-status");
  var small = window.matchMedia("(max-width: 640px)").matches;
  var map = ccMap.create(el, config);
  // Without tiles Leaflet has no zoom limit, and the clusters need one.
  if (!isFinite(map.getMaxZoom())) map.setMaxZoom(18);

  var POINT_COLORS = { pass: "#1a7f37", minor: "#d4650c", major: "#c8102e", none: "#9aa5b1" };
  var CASE_STATES = ["overdue", "soon", "ok", "wait"];
  var RATE_CLASSES = [[0.9, "#1a7f37"], [0.8, "#6cbf6c"], [0.7, "#f2c94c"], [0.6, "#f2994a"], [0, "#c8102e"]];
  var OVERDUE_CLASSES = [[11, "#7a0916"], [6, "#c8102e"], [3, "#f2994a"], [1, "#f6d5a8"], [0, "#ffffff"]];

  map.createPane("cm-shade").style.zIndex = 350;
  map.createPane("cm-areas").style.zIndex = 380;
  var shadeRenderer = L.svg({ pane: "cm-shade" });
  var areaRenderer = L.svg({ pane: "cm-areas" });

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function fmt(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (m, k) { return values[k] == null ? "" : values[k]; });
  }
  var pending = 0;
  function say(text) { status.textContent = text || ""; status.hidden = !text; }
  function get(url) {
    pending += 1;
    say(T.loading);
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { pending -= 1; if (!pending) say(""); return data; })
      .catch(function (e) { pending -= 1; say(T.failed); throw e; });
  }
  function once(fn) {
    var p = null;
    return function () { return p || (p = fn()); };
  }

  /* ---- region outlines (always) and the street shading ---- */
  var outlineLayer = L.layerGroup().addTo(map);
  var regionBounds = null;
  var regions = once(function () { return get(U.regions); });
  var streetFigures = once(function () { return get(U.streets); });
  regions().then(function (fc) {
    var drawn = ccMap.outlines(fc, { renderer: shadeRenderer, style: function (f) {
      var s = ccMap.regionStyle(f);
      s.fill = false;
      return s;
    } });
    drawn.main.addTo(outlineLayer);
    regionBounds = drawn.bounds;
    el.dataset.regions = fc.features.length;
  }).catch(function () {});

  function classOf(classes, value) {
    for (var i = 0; i < classes.length; i++) if (value >= classes[i][0]) return classes[i][1];
    return classes[classes.length - 1][1];
  }

  function shading(kind) {
    var group = L.layerGroup();
    group.on("add", function () {
      Promise.all([regions(), streetFigures()]).then(function (both) {
        group.clearLayers();
        var figures = {};
        both[1].streets.forEach(function (s) { figures[s.code] = s; });
        var streets = { type: "FeatureCollection", features: both[0].features.filter(function (f) {
          return f.properties.level === "street" && figures[f.properties.code];
        }) };
        ccMap.geoJSON(streets, {
          renderer: shadeRenderer,
          style: function (f) {
            var s = figures[f.properties.code];
            var color = kind === "rate"
              ? (s.rate == null ? "#d9dde3" : classOf(RATE_CLASSES, s.rate))
              : classOf(OVERDUE_CLASSES, s.overdue);
            return { color: "#52606d", weight: 1, fillColor: color, fillOpacity: 0.6 };
          },
          onEachFeature: function (f, lyr) {
            var s = figures[f.properties.code];
            var rate = s.rate == null ? T.notMeasured : (s.rate * 100).toFixed(1) + "%";
            lyr.bindTooltip("<strong>" + esc(s.name) + "</strong><br>" +
              esc(kind === "rate" ? fmt(T.rate, { r: rate }) : fmt(T.overdueCases, { n: s.overdue })) +
              "<br>" + esc(fmt(T.openCases, { n: s.open })), { sticky: true });
          },
        }).addTo(group);
        el.dataset.shade = kind;
        shadeInfo = both[1];
        legend();
      }).catch(function () {});
    });
    return group;
  }
  var shadeInfo = null;
  var shadeNone = L.layerGroup().on("add", function () { el.dataset.shade = "none"; legend(); });
  var shadeRate = shading("rate");
  var shadeOverdue = shading("overdue");

  /* ---- points by compliance ---- */
  var pointsLayer = L.featureGroup();
  var loadPoints = once(function () {
    return get(U.points).then(function (data) {
      data.rows.forEach(function (p) {
        L.circleMarker(ccMap.latLng([p[2], p[3]]), {
          radius: 6, weight: 1.5, color: "#fff", fillColor: POINT_COLORS[p[4]], fillOpacity: 0.95,
        }).bindPopup(T.loading, { maxWidth: 300, minWidth: 220 })
          .on("popupopen", function (e) { pointPopup(e.popup, p[0]); })
          .addTo(pointsLayer);
      });
      el.dataset.points = data.rows.length;
    });
  });
  pointsLayer.on("add", function () { loadPoints().catch(function () {}); });

  function photosHtml(photos) {
    if (!photos.length) return "";
    return '<div class="cm-photos">' + photos.map(function (ph) {
      return '<a href="' + esc(ph.url) + '" target="_blank" rel="noopener"><img src="' + esc(ph.thumb) + '" alt="" loading="lazy"></a>';
    }).join("") + "</div>";
  }
  function row(label, value) { return value ? "<dt>" + esc(label) + "</dt><dd>" + esc(value) + "</dd>" : ""; }

  function pointPopup(popup, code) {
    get(U.point.replace("__id__", encodeURIComponent(code))).then(function (d) {
      var items = d.items.map(function (i) {
        return '<li class="cm-r-' + esc(i.result) + '"><span>' + esc(i.label) + "</span> " + esc(i.clause) +
          (i.case ? ' <a href="' + esc(i.case) + '">' + esc(T.case) + "</a>" : "") + "</li>";
      }).join("");
      popup.setContent('<div class="cc-popup cm-popup"><h3>' + esc(d.name) + '</h3><dl>' +
        row(T.type, d.type) + row(T.address, d.address) + row(T.territorial, d.territorial) + row(T.line, d.line) +
        row(T.visited, d.visited ? d.visited + (d.round ? " · " + d.round : "") : T.neverVisited) + "</dl>" +
        (d.visited ? '<p class="cm-sum">' + esc(fmt(T.results, { p: d.passed, f: d.failed })) + "</p><ul class=\"cm-items\">" + items + "</ul>" : "") +
        photosHtml(d.photos) + '<a href="' + esc(d.url) + '">' + esc(T.openPoint) + " ›</a></div>");
    }).catch(function () { popup.setContent(esc(T.failed)); });
  }

  /* ---- open cases, clustered ---- */
  var RANK = { overdue: 3, soon: 2, ok: 1, wait: 0 };
  var casesLayer = L.markerClusterGroup({
    maxClusterRadius: 50,
    showCoverageOnHover: false,
    iconCreateFunction: function (cluster) {
      var worst = "wait";
      cluster.getAllChildMarkers().forEach(function (m) { if (RANK[m.options.state] > RANK[worst]) worst = m.options.state; });
      var n = cluster.getChildCount();
      var size = n < 10 ? 30 : n < 100 ? 36 : 44;
      return L.divIcon({ className: "cm-cluster cm-" + worst, iconSize: [size, size], html: "<span>" + n + "</span>" });
    },
  });
  var loadCases = once(function () {
    return get(U.cases).then(function (data) {
      var markers = data.rows.map(function (r) {
        return L.marker(ccMap.latLng([r[2], r[3]]), {
          state: r[4],
          title: r[1],
          icon: L.divIcon({ className: "cm-case cm-" + r[4], iconSize: [18, 18], html: "" }),
        }).bindPopup(T.loading, { maxWidth: 300, minWidth: 220 })
          .on("popupopen", function (e) { casePopup(e.popup, r[0]); });
      });
      casesLayer.addLayers(markers);
      el.dataset.cases = data.rows.length;
    });
  });
  casesLayer.on("add", function () { loadCases().catch(function () {}); });

  function casePopup(popup, pk) {
    get(U["case"].replace("__id__", pk)).then(function (d) {
      var events = d.events.map(function (e) {
        return "<li><span>" + esc(e.at) + "</span> " + esc(e.action) + (e.unit ? " · " + esc(e.unit) : "") + "</li>";
      }).join("");
      var badge = d.escalated ? ' <span class="badge badge-red">' + esc(T.escalated) + "</span>"
        : d.state === "overdue" ? ' <span class="badge badge-red">' + esc(T.overdue) + "</span>"
        : d.state === "soon" ? ' <span class="badge badge-gold">' + esc(T.soon) + "</span>" : "";
      popup.setContent('<div class="cc-popup cm-popup"><h3 class="cm-number">' + esc(d.number) + badge + "</h3><dl>" +
        row(T.category, (d.category_class ? d.category_class + " › " : "") + d.category) +
        row(T.status, d.status) + row(T.unit, d.unit) + row(T.due, d.due) + row(T.reported, d.reported) +
        row(T.address, d.address) + "</dl>" + photosHtml(d.photos) +
        (events ? "<h4>" + esc(T.timeline) + '</h4><ul class="cm-events">' + events + "</ul>" : "") +
        '<a href="' + esc(d.url) + '">' + esc(T.openCase) + " ›</a></div>");
    }).catch(function () { popup.setContent(esc(T.failed)); });
  }

  /* ---- heat map of problems with a week slider ---- */
  var heatLayer = L.heatLayer([], { radius: 20, blur: 16, maxZoom: 16, minOpacity: 0.3 });
  var heat = null;
  var heatBox = L.control({ position: "bottomleft" });
  var heatDiv = L.DomUtil.create("div", "cm-heatbox");
  heatBox.onAdd = function () { return heatDiv; };
  L.DomEvent.disableClickPropagation(heatDiv);
  L.DomEvent.disableScrollPropagation(heatDiv);
  heatDiv.innerHTML = '<div class="cm-heat-title">' + esc(T.heatTitle) + '</div>' +
    '<label>' + esc(T.heatWindow) + ' <select id="heat-window">' + [4, 13, 26, 52].map(function (n) {
      return '<option value="' + n + '"' + (n === 13 ? " selected" : "") + ">" + esc(fmt(T.weeks, { n: n })) + "</option>";
    }).join("") + "</select></label>" +
    '<label class="cm-heat-end">' + esc(T.heatEnd) + ' <input id="heat-end" type="range" min="0" max="51" value="51" step="1"></label>' +
    '<div id="heat-range" class="cm-heat-range" aria-live="polite"></div>';
  var windowSelect = heatDiv.querySelector("#heat-window");
  var endInput = heatDiv.querySelector("#heat-end");
  var rangeText = heatDiv.querySelector("#heat-range");

  function day(n) {
    var d = new Date(heat.start + "T00:00:00");
    d.setDate(d.getDate() + n);
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  function drawHeat() {
    if (!heat) return;
    var end = +endInput.value, size = +windowSelect.value;
    var first = Math.max(0, end - size + 1) * 7, last = end * 7 + 6;
    var shown = heat.rows.filter(function (r) { return r[2] >= first && r[2] <= last; });
    heatLayer.setLatLngs(shown.map(function (r) { var at = ccMap.latLng([r[1], r[0]]); return [at.lat, at.lng, 1]; }));
    rangeText.textContent = fmt(T.heatRange, { a: day(first), b: day(Math.min(last, heat.days - 1)), n: shown.length });
    el.dataset.heat = shown.length;
  }
  var loadHeat = once(function () {
    return get(U.heat).then(function (data) {
      heat = data;
      endInput.max = Math.max(0, Math.ceil(data.days / 7) - 1);
      endInput.value = endInput.max;
      drawHeat();
    });
  });
  windowSelect.addEventListener("change", drawHeat);
  endInput.addEventListener("input", drawHeat);
  heatLayer.on("add", function () { heatBox.addTo(map); loadHeat().catch(function () {}); });
  heatLayer.on("remove", function () { heatBox.remove(); });

  /* ---- key areas ---- */
  var keyLayer = L.featureGroup();
  var loadKeyAreas = once(function () {
    return get(U.keyAreas).then(function (areas) {
      areas.forEach(function (a) {
        ccMap.geoJSON(a.geometry, {
          renderer: areaRenderer,
          style: { color: "#6b3fa0", weight: 2.5, dashArray: "8 5", fillColor: "#6b3fa0", fillOpacity: 0.08 },
        }).bindTooltip(esc(a.name) + " · " + esc(fmt(T.keyAreaOpen, { n: a.open })), { className: "cm-key-label", permanent: !small, direction: "center" })
          .bindPopup('<div class="cc-popup"><h3>' + esc(a.name) + "</h3><dl>" + row(T.keyAreas, a.region) +
            "</dl><p>" + esc(fmt(T.keyAreaOpen, { n: a.open })) + "</p>" + (a.note ? "<p>" + esc(a.note) + "</p>" : "") + "</div>")
          .addTo(keyLayer);
      });
      el.dataset.keyAreas = areas.length;
    });
  });
  keyLayer.on("add", function () { loadKeyAreas().catch(function () {}); });

  /* ---- layer control and legend ---- */
  var bases = {};
  bases[T.shadeNone] = shadeNone;
  bases[T.shadeRate] = shadeRate;
  bases[T.shadeOverdue] = shadeOverdue;
  var overlays = {};
  overlays[T.points] = pointsLayer;
  overlays[T.cases] = casesLayer;
  overlays[T.heat] = heatLayer;
  overlays[T.keyAreas] = keyLayer;
  L.control.layers(bases, overlays, { collapsed: small, position: "topright" }).addTo(map);

  var legendBox = L.control({ position: "bottomright" });
  var legendDiv = L.DomUtil.create("div", "cc-legend cm-legend");
  legendBox.onAdd = function () { return legendDiv; };
  legendBox.addTo(map);
  L.DomEvent.disableClickPropagation(legendDiv);
  L.DomEvent.disableScrollPropagation(legendDiv);

  function swatch(color, text, round) {
    return '<div><i class="' + (round ? "" : "cm-sq") + '" style="background:' + color + '"></i>' + esc(text) + "</div>";
  }
  function legend() {
    var html = "";
    if (map.hasLayer(pointsLayer)) {
      html += "<h4>" + esc(T.points) + "</h4>" + ["pass", "minor", "major", "none"].map(function (k) { return swatch(POINT_COLORS[k], T[k], true); }).join("");
    }
    if (map.hasLayer(casesLayer)) {
      html += "<h4>" + esc(T.cases) + "</h4>" + CASE_STATES.map(function (k) { return '<div><i class="cm-case cm-' + k + '"></i>' + esc(T[k]) + "</div>"; }).join("");
    }
    if (map.hasLayer(shadeRate) && shadeInfo) {
      html += "<h4>" + esc(fmt(T.rateLegend, { period: shadeInfo.period_label })) + "</h4>";
      html += shadeInfo.scored
        ? ["≥ 90%", "80–90%", "70–80%", "60–70%", "< 60%"].map(function (t, i) { return swatch(RATE_CLASSES[i][1], t); }).join("") + swatch("#d9dde3", T.notMeasured)
        : "<div>" + esc(T.noScores) + "</div>";
    }
    if (map.hasLayer(shadeOverdue) && shadeInfo) {
      html += "<h4>" + esc(T.overdueLegend) + "</h4>" +
        ["≥ 11", "6–10", "3–5", "1–2", "0"].map(function (t, i) { return swatch(OVERDUE_CLASSES[i][1], t); }).join("");
    }
    legendDiv.innerHTML = html ? "<details" + (small ? "" : " open") + "><summary>" + esc(T.legend) + "</summary>" + html + "</details>" : "";
    legendDiv.hidden = !html;
  }
  map.on("overlayadd overlayremove baselayerchange", legend);

  shadeNone.addTo(map);
  pointsLayer.addTo(map);
  keyLayer.addTo(map);
  legend();
  // Open on the user's own points (a street sees its street, not the whole district).
  function settle(p) { return p.catch(function () {}); }
  Promise.all([settle(regions()), settle(loadPoints())]).then(function () {
    var b = pointsLayer.getLayers().length ? pointsLayer.getBounds() : regionBounds;
    if (b && b.isValid()) map.fitBounds(b, { padding: [16, 16], maxZoom: 16 });
  });
  window.ccCommandMap = { map: map, cases: casesLayer };
})();
