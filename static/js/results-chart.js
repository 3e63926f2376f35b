// The results page's per-domain bar chart, drawn with Chart.js (the table below holds the same numbers).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var canvas = document.getElementById("domain-chart"), source = document.getElementById("domain-chart-data");
    if (!canvas || !source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    var styles = getComputedStyle(document.documentElement);
    var primary = styles.getPropertyValue("--pico-primary").trim() || "#0172ad";
    var muted = styles.getPropertyValue("--pico-muted-color").trim() || "#646b79";
    var datasets = [{ label: "Percent correct", data: data.values, backgroundColor: primary }];
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { min: 0, max: 100, ticks: { color: muted, callback: function (v) { return v + "%"; } } },
                  y: { ticks: { color: muted } } },
        plugins: { legend: { display: false },
                   tooltip: { callbacks: { label: function (c) { return c.parsed.x + "% correct"; } } } }
      },
      plugins: data.cut ? [{
        id: "passLine",
        afterDraw: function (chart) {
          var x = chart.scales.x.getPixelForValue(data.cut), area = chart.chartArea, ctx = chart.ctx;
          ctx.save(); ctx.strokeStyle = muted; ctx.setLineDash([4, 4]);
          ctx.beginPath(); ctx.moveTo(x, area.top); ctx.lineTo(x, area.bottom); ctx.stroke(); ctx.restore();
        }
      }] : []
    });
  });
})();
