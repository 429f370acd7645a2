/* Small charts of the dashboards: each [data-chart] element names a json_script with rows
   {period, n | rate_pct, url}; a click on a bar or point opens the rows behind it. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source) { return; }
    var rows = JSON.parse(source.textContent);
    var kind = el.getAttribute("data-chart");
    var unit = el.getAttribute("data-unit") || "";
    var values = rows.map(function (r) { return r.rate_pct !== undefined ? r.rate_pct : r.n; });
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      grid: { left: 8, right: 12, top: 12, bottom: 4, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + unit; } },
      xAxis: { type: "category", data: rows.map(function (r) { return r.period.slice(2); }) },
      yAxis: { type: "value", minInterval: unit ? 0 : 1, max: unit === "%" ? 100 : null },
      series: [{
        type: kind === "line" ? "line" : "bar", data: values, connectNulls: false, showAllSymbol: true,
        itemStyle: { color: kind === "line" ? "#1f6feb" : "#c8102e" }, symbolSize: 7
      }]
    });
    chart.on("click", function (params) {
      var row = rows[params.dataIndex];
      if (row && row.url) { window.location.href = row.url; }
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
