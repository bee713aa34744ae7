// Draws every <canvas data-chart="ID"> from the JSON in <script id="ID"> (Django's json_script),
// with Chart.js served locally. Numbers are shown Vietnamese-style (decimal comma) in axes and tooltips.
(function () {
  "use strict";
  var format = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en" : "vi-VN", { maximumFractionDigits: 3 });

  function draw(root) {
    if (typeof Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var config = JSON.parse(source.textContent);
      config.options = config.options || {};
      config.options.responsive = true;
      config.options.maintainAspectRatio = false;
      config.options.animation = false;
      config.options.locale = document.documentElement.lang === "en" ? "en" : "vi-VN";
      config.options.plugins = config.options.plugins || {};
      config.options.plugins.tooltip = {
        callbacks: {
          label: function (item) {
            var value = item.parsed.y !== undefined && config.options.indexAxis !== "y" ? item.parsed.y : item.parsed.x;
            return item.dataset.label + ": " + (value === null ? "—" : format.format(value));
          }
        }
      };
      new Chart(canvas, config);
      canvas.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
