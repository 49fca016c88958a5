/* zengzhi pages: draws the price charts (ECharts) and lets HTMX show error pages. */
(function () {
  "use strict";

  function drawCharts(root) {
    if (!window.echarts || !root.querySelectorAll) { return; }
    root.querySelectorAll("[data-price-chart]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var source = document.getElementById(el.dataset.priceChart);
      if (!source) { return; }
      var rows = JSON.parse(source.textContent);  // [[seq, at_ms, "price"], ...]
      var data = rows.map(function (r) { return [r[0], Number(r[2]), r[1]]; });
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption({
        animation: false,
        grid: { left: 64, right: 24, top: 44, bottom: 48 },
        tooltip: {
          trigger: "axis",
          formatter: function (items) {
            var p = items[0].data;
            var when = p[2] ? new Date(p[2]).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "";
            return "#" + p[0] + "<br>¥" + p[1].toFixed(4) + "<br>" + when;
          }
        },
        xAxis: { type: "value", name: el.dataset.xLabel, nameLocation: "middle", nameGap: 28,
                 min: "dataMin", max: "dataMax", minInterval: 1 },
        yAxis: { type: "value", name: el.dataset.yLabel, scale: true,
                 axisLabel: { formatter: function (v) { return v.toFixed(4); } } },
        series: [{ type: "line", step: "end", showSymbol: data.length < 60, data: data,
                   lineStyle: { color: "#b91c1c", width: 2 }, itemStyle: { color: "#b91c1c" },
                   areaStyle: { color: "rgba(185,28,28,0.08)" } }]
      });
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:load", function (event) { drawCharts(event.detail.elt); });
  // show the server's error pages (403 form expired, 404 …) instead of ignoring them
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 401 || status === 403 || status === 404) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
