/* 动态分析: draws the trend page's charts with ECharts from the figures the page already shows
 * (json_script "trends-data"); the tables below each chart hold the same numbers. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("trends-data").textContent);
  var T = data.labels;
  var RED = "#c8102e", GREY = "#9aa5b1", GREEN = "#1a7f37";
  var charts = [];
  var TOP = 10;

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el, null, { renderer: "canvas" });
    c.setOption(Object.assign({
      animation: false,
      textStyle: { fontFamily: "inherit" },
      tooltip: { trigger: "axis", confine: true },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    }, option));
    charts.push(c);
    el.dataset.drawn = "1";
  }

  function bars(id, rows) {
    var top = rows.slice(0, TOP).reverse();
    var names = top.map(function (r) { return r.name.length > 14 ? r.name.slice(0, 13) + "…" : r.name; });
    var el = document.getElementById(id);
    if (el) el.style.height = Math.max(160, 60 + top.length * 30) + "px";
    chart(id, {
      legend: { top: 0, data: [T.now, T.before] },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names, axisLabel: { width: 110, overflow: "truncate" } },
      series: [
        { name: T.before, type: "bar", data: top.map(function (r) { return r.before; }), itemStyle: { color: GREY } },
        { name: T.now, type: "bar", data: top.map(function (r) { return r.now; }), itemStyle: { color: RED } },
      ],
    });
  }

  var periods = data.cases.periods;
  chart("chart-periods", {
    legend: { top: 0, data: [T.reported, T.closed] },
    xAxis: { type: "category", data: periods.map(function (p) { return p.label; }) },
    yAxis: { type: "value", minInterval: 1, name: T.cases },
    series: [
      { name: T.reported, type: "bar", data: periods.map(function (p) { return p.reported; }), itemStyle: { color: RED } },
      { name: T.closed, type: "line", data: periods.map(function (p) { return p.closed; }), itemStyle: { color: GREEN } },
    ],
  });
  bars("chart-categories", data.cases.categories);
  bars("chart-streets", data.cases.streets);
  bars("chart-units", data.cases.units);

  var comp = data.compliance;
  chart("chart-compliance", {
    legend: { top: 0, type: "scroll" },
    tooltip: { trigger: "axis", confine: true, valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    xAxis: { type: "category", data: comp.labels },
    yAxis: { type: "value", min: function (v) { return Math.max(0, Math.floor((v.min - 5) / 10) * 10); }, max: 100, name: T.rate },
    series: comp.streets.map(function (s) {
      // A period with nothing rated is a gap in the line, never 0 %.
      return { name: s.name, type: "line", connectNulls: false, data: s.rates.map(function (r) { return r.rate; }) };
    }),
  });

  var clusters = data.recurring.streets.slice(0, TOP).reverse();
  var clusterEl = document.getElementById("chart-clusters");
  if (clusterEl) clusterEl.style.height = Math.max(160, 60 + clusters.length * 30) + "px";
  chart("chart-clusters", {
    legend: { top: 0, data: [T.groups, T.rework] },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: clusters.map(function (c) { return c.name; }) },
    series: [
      { name: T.groups, type: "bar", data: clusters.map(function (c) { return c.groups; }), itemStyle: { color: RED } },
      { name: T.rework, type: "bar", data: clusters.map(function (c) { return c.rework; }), itemStyle: { color: "#d4650c" } },
    ],
  });

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
  });
})();
