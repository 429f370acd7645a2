/* 问卷调查 results: draws the page's charts with ECharts from the figures the tables below them
 * already show (json_script "survey-results-data"), and the cross-tabulation's chart from its
 * own json_script ("crosstab-data"), again whenever the builder swaps a new table in. */
(function () {
  "use strict";
  var RED = "#c8102e", BLUE = "#1f6feb", COLORS = [RED, BLUE, "#1a7f37", "#d4650c", "#8250df", "#b58900", "#52606d"];
  var charts = {};

  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function draw(id, option, height) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") return;
    if (height) el.style.height = height + "px";
    if (charts[id]) { charts[id].dispose(); }
    var c = echarts.init(el, null, { renderer: "canvas" });
    c.setOption(Object.assign({
      animation: false,
      color: COLORS,
      textStyle: { fontFamily: "inherit" },
      tooltip: { trigger: "axis", confine: true, valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    }, option));
    charts[id] = c;
    el.dataset.drawn = "1";
  }

  function short(name, n) { return name && name.length > n ? name.slice(0, n - 1) + "…" : name; }

  function page() {
    var data = read("survey-results-data");
    if (!data) return;
    var L = data.labels;
    // Rates by street: one row per street, one dot per measure (a dot plot stays readable at 375 px).
    var streets = data.streets.slice().reverse();
    draw("chart-streets", {
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true, valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      grid: { left: 8, right: 16, top: 30, bottom: 26, containLabel: true },
      xAxis: { type: "value", name: L.rate, nameLocation: "middle", nameGap: 24, min: function (v) { return Math.max(0, Math.floor((v.min - 5) / 10) * 10); }, max: 100 },
      yAxis: { type: "category", data: streets.map(function (s) { return short(s, 8); }), axisLabel: { width: 90, overflow: "truncate" } },
      series: data.measures.map(function (m) {
        return { name: m.label, type: "scatter", symbolSize: 10, data: m.rates.slice().reverse() };
      }),
    }, Math.max(200, 70 + streets.length * 24));
    data.questions.forEach(function (q) {
      var series = [{ name: L.share, type: "bar", data: q.pct.slice().reverse(), itemStyle: { color: RED } }];
      if (q.weighted) series.push({ name: L.weighted, type: "bar", data: q.weighted.slice().reverse(), itemStyle: { color: BLUE } });
      draw("chart-q-" + q.id, {
        legend: q.weighted ? { top: 0 } : { show: false },
        grid: { left: 8, right: 24, top: q.weighted ? 30 : 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", max: 100 },
        yAxis: { type: "category", data: q.choices.slice().reverse().map(function (c) { return short(c, 10); }) },
        series: series,
      }, Math.max(120, (q.weighted ? 40 : 16) + q.choices.length * (q.weighted ? 34 : 26)));
    });
  }

  function crosstab() {
    var t = read("crosstab-data");
    if (!t || !document.getElementById("chart-crosstab")) return;
    var cols = t.columns.slice().reverse();
    draw("chart-crosstab", {
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true, valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      xAxis: { type: "value", max: t.rows.length && !t.multiple ? 100 : null },
      yAxis: { type: "category", data: cols.map(function (c) { return short(c.label, 8); }), axisLabel: { width: 90, overflow: "truncate" } },
      series: t.rows.map(function (r) {
        return { name: short(r.label, 12), type: "bar", stack: t.multiple ? null : "all", data: r.pct.slice().reverse() };
      }),
    }, Math.max(160, 70 + cols.length * (t.multiple ? 14 * Math.max(1, t.rows.length) : 26)));
  }

  function start() {
    page();
    crosstab();
    document.body.addEventListener("htmx:afterSettle", function () {
      var el = document.getElementById("chart-crosstab");
      if (el && !el.dataset.drawn) crosstab();
    });
    var resizing = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizing);
      resizing = setTimeout(function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); }, 150);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
