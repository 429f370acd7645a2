/* The big screen: draws the figures with ECharts (and the streets with Leaflet), then fetches
   fresh figures every data-refresh seconds and redraws them without reloading the page.
   The refresh sends X-Idle-Passive so it never keeps a session alive (ADR 0010); when the
   session has ended the answer is a redirect to the login page, and the page reloads there. */
(function () {
  "use strict";
  var root = document.getElementById("screen");
  if (!root) { return; }

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var labels = json("scr-labels") || {};
  var C = { text: "#d6e6ff", dim: "#7f98bf", line: "rgba(120,170,255,.18)", gold: "#ffcc4d",
            red: "#ff5a5f", blue: "#3fa7ff", green: "#3ddc97", orange: "#ff9f43" };
  var charts = {};
  var map = null;
  var layer = null;

  function chart(id) {
    if (!window.echarts) { return null; }
    if (!charts[id]) {
      var el = document.getElementById(id);
      if (!el) { return null; }
      charts[id] = window.echarts.init(el, null, { renderer: "canvas" });
    }
    return charts[id];
  }

  function axis(data, extra) {
    var base = { type: "category", data: data, axisLabel: { color: C.dim }, axisLine: { lineStyle: { color: C.line } } };
    return Object.assign(base, extra || {});
  }

  function valueAxis(extra) {
    var base = { type: "value", axisLabel: { color: C.dim }, splitLine: { lineStyle: { color: C.line } } };
    return Object.assign(base, extra || {});
  }

  var grid = { left: 8, right: 16, top: 16, bottom: 8, containLabel: true };

  function drawGauge(score) {
    var c = chart("c-gauge");
    if (!c) { return; }
    var rate = score && score.rate_pct !== null ? score.rate_pct : 0;
    var target = score && score.target_pct !== null ? score.target_pct : null;
    var stops = target === null ? [[1, C.blue]] : [[target / 100, C.red], [1, C.green]];
    c.setOption({
      series: [{
        type: "gauge", min: 0, max: 100, radius: "95%", center: ["50%", "58%"],
        progress: { show: true, width: 14, itemStyle: { color: C.gold } },
        axisLine: { lineStyle: { width: 14, color: stops } },
        axisTick: { show: false }, splitLine: { length: 8, lineStyle: { color: C.dim } },
        axisLabel: { color: C.dim, distance: 18 }, pointer: { itemStyle: { color: C.gold } },
        title: { color: C.gold, offsetCenter: [0, "-28%"] },
        detail: { color: C.text, fontSize: 30, offsetCenter: [0, "62%"],
                  formatter: score && score.rate_pct !== null ? "{value}%" : (labels.notMeasured || "—") },
        data: [{ value: rate, name: target === null ? "" : (labels.target + " " + target + "%") }]
      }]
    });
  }

  function drawSeries(id, rows, label, kind, color) {
    var c = chart(id);
    if (!c) { return; }
    var series = { type: kind, name: labels.cases, data: rows.map(function (r) { return r.n; }), itemStyle: { color: color } };
    if (kind === "line") {
      Object.assign(series, { smooth: true, lineStyle: { color: color, width: 3 }, areaStyle: { color: "rgba(63,167,255,.18)" } });
    }
    c.setOption({ grid: grid, tooltip: { trigger: "axis" }, xAxis: axis(rows.map(label)), yAxis: valueAxis({ minInterval: 1 }), series: [series] });
  }

  function drawBars(id, rows, name, value, color, unit) {
    var c = chart(id);
    if (!c) { return; }
    var sorted = rows.slice().reverse();
    c.setOption({
      grid: { left: 8, right: 52, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: valueAxis({ max: unit === "%" ? 100 : null, minInterval: unit === "%" ? 0 : 1 }),
      yAxis: axis(sorted.map(name), { axisLabel: { color: C.text, interval: 0, fontSize: sorted.length > 12 ? 10 : 12 } }),
      series: [{ type: "bar", data: sorted.map(value), itemStyle: { color: color },
                 label: { show: true, position: "right", color: C.text, formatter: "{c}" + (unit || "") } }]
    }, true);
  }

  function drawStreets(score) {
    var streets = (score && score.streets) || [];
    // Highest score rate at the top: the rows come lowest first.
    var measured = streets.filter(function (s) { return s.rate_pct !== null; });
    measured.sort(function (a, b) { return b.rate_pct - a.rate_pct; });
    drawBars("c-streets", measured, function (s) { return s.name; }, function (s) { return s.rate_pct; }, C.green, "%");
  }

  function drawMap(streets) {
    var el = document.getElementById("c-map");
    var outlines = json("scr-outlines");
    if (!el || !window.L || !outlines || !outlines.features.length) { return; }
    var counts = {};
    var top = 0;
    streets.forEach(function (s) { counts[s.code] = s.open; top = Math.max(top, s.open); });
    function style(feature) {
      var n = counts[feature.properties.code] || 0;
      var share = top ? n / top : 0;
      return { color: "#7fb2ff", weight: feature.properties.own ? 2 : 1, fillColor: C.red,
               fillOpacity: feature.properties.own ? 0 : 0.08 + 0.6 * share };
    }
    if (!map) {
      map = window.L.map(el, { zoomControl: false, attributionControl: false, dragging: false, zoomSnap: 0.1,
                               scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, keyboard: false });
      layer = window.L.geoJSON(outlines, { style: style }).addTo(map);
      map.invalidateSize();
      map.fitBounds(layer.getBounds(), { padding: [4, 4] });
    }
    layer.eachLayer(function (l) {
      var p = l.feature.properties;
      l.setStyle(style(l.feature));
      if (!p.own) { l.bindTooltip(p.name + " · " + (labels.open || "") + " " + (counts[p.code] || 0)); }
    });
  }

  function setFigures(f) {
    root.querySelectorAll("[data-k]").forEach(function (el) {
      var path = el.getAttribute("data-k").split(".");
      var v = f;
      path.forEach(function (k) { v = v === null || v === undefined ? v : v[k]; });
      el.textContent = v === null || v === undefined ? "—" : v + (el.getAttribute("data-suffix") || "");
    });
    var at = document.getElementById("scr-at");
    if (at) { at.textContent = f.at; }
  }

  function draw(f) {
    setFigures(f);
    drawGauge(f.score);
    drawSeries("c-day", f.per_day || [], function (r) { return r.day.slice(5); }, "line", C.blue);
    drawSeries("c-month", f.per_month || [], function (r) { return r.period.slice(2); }, "bar", C.gold);
    drawStreets(f.score);
    drawBars("c-units", f.overdue_units || [], function (u) { return u.unit; }, function (u) { return u.n; }, C.red, "");
    drawMap(f.streets || []);
    var ticker = document.getElementById("scr-ticker");
    if (ticker && typeof f.ticker === "string" && ticker.innerHTML !== f.ticker) { ticker.innerHTML = f.ticker; }
  }

  var status = document.getElementById("scr-status");
  var lastAt = "";

  function refresh() {
    fetch(root.getAttribute("data-url"), {
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Idle-Passive": "1" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || response.status === 401 || response.status === 404 || type.indexOf("json") < 0) {
        // The session ended (or the link expired): let the server say what now.
        if (status) { status.textContent = labels.ended || ""; }
        window.setTimeout(function () { window.location.reload(); }, 3000);
        throw new Error("ended");
      }
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (f) {
      draw(f);
      lastAt = f.at;
      if (status) { status.textContent = ""; }
      root.setAttribute("data-refreshes", String(Number(root.getAttribute("data-refreshes") || 0) + 1));
    }).catch(function (err) {
      if (err && err.message === "ended") { return; }
      if (status && labels.stale) { status.textContent = labels.stale.replace("%(at)s", lastAt); }
    });
  }

  var first = json("scr-figures");
  if (first) { lastAt = first.at; draw(first); }
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
    if (map) { map.invalidateSize(); map.fitBounds(layer.getBounds(), { padding: [4, 4] }); }
  });
  var full = document.getElementById("scr-full");
  if (full) {
    full.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (root.requestFullscreen) { root.requestFullscreen(); }
    });
  }
  var pick = root.querySelector("[data-autosubmit]");
  if (pick) { pick.addEventListener("change", function () { pick.form.submit(); }); }
  var seconds = Number(root.getAttribute("data-refresh")) || 60;
  window.setInterval(refresh, seconds * 1000);
})();
