/* Draws the dashboards' charts with plotly.js.
 *
 * Each chart is a <div data-figure="ID"> whose figure (data and layout, built on the server)
 * is in <script type="application/json" id="ID">, written by Django's json_script filter.
 * Charts are drawn when the page loads and whenever htmx puts new content into the page
 * (the results of a projection that has just finished). No inline script is needed.
 */
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
    toImageButtonOptions: { format: "png", scale: 2 }
  };

  function draw(root) {
    if (!window.Plotly || !root || !root.querySelectorAll) {
      return;
    }
    var charts = root.querySelectorAll("[data-figure]");
    Array.prototype.forEach.call(charts, function (element) {
      if (element.getAttribute("data-drawn") === "true") {
        return;
      }
      var source = document.getElementById(element.getAttribute("data-figure"));
      if (!source) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      var config = Object.assign({}, CONFIG, {
        toImageButtonOptions: Object.assign({}, CONFIG.toImageButtonOptions, { filename: element.id })
      });
      element.setAttribute("data-drawn", "true");
      window.Plotly.newPlot(element, figure.data, figure.layout, config);
    });
  }

  document.addEventListener("htmx:load", function (event) {
    draw(event.target);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
})();
