// The dashboard's score trend, drawn with Chart.js from the json_script data (the table below holds the same
// numbers, for screen readers and for anyone without JavaScript).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var canvas = document.getElementById("trend-chart"), source = document.getElementById("trend-chart-data");
    if (!canvas || !source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    var styles = getComputedStyle(document.documentElement);
    var primary = styles.getPropertyValue("--pico-primary").trim() || "#0172ad";
    var muted = styles.getPropertyValue("--pico-muted-color").trim() || "#646b79";
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [{ label: "Percent correct", data: data.values, borderColor: primary, backgroundColor: primary,
                     pointRadius: 4, pointHoverRadius: 6, tension: 0 }]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: {
          y: { min: 0, max: 100, ticks: { color: muted, callback: function (v) { return v + "%"; } } },
          // offset keeps a lone first score off the axis line.
          x: { offset: true, ticks: { color: muted, maxRotation: 0, autoSkip: true } }
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (c) { return c.parsed.y + "% correct"; } } }
        }
      },
      // The assumed pass mark, as a dashed line across the whole chart (a dataset would need two points).
      plugins: data.cut ? [{
        id: "passLine",
        afterDraw: function (chart) {
          var y = chart.scales.y.getPixelForValue(data.cut), area = chart.chartArea, ctx = chart.ctx;
          ctx.save(); ctx.strokeStyle = muted; ctx.setLineDash([4, 4]);
          ctx.beginPath(); ctx.moveTo(area.left, y); ctx.lineTo(area.right, y); ctx.stroke();
          ctx.fillStyle = muted; ctx.font = "12px sans-serif"; ctx.textAlign = "right";
          ctx.fillText("pass mark (assumed) " + data.cut + "%", area.right - 4, y - 4);
          ctx.restore();
        }
      }] : []
    });
  });
})();
