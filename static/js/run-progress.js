/* After a projection finishes and its results replace the old ones (htmx swaps them in),
 * move the focus to the results' heading, so that keyboard and screen reader users know
 * they have arrived. The progress bar itself is polled by htmx (hx-trigger="every 1s").
 */
(function () {
  "use strict";

  document.addEventListener("htmx:load", function (event) {
    var element = event.target;
    if (!element || !element.getAttribute || element.getAttribute("data-announce") !== "true") {
      return;
    }
    var heading = element.querySelector("#results-heading");
    if (heading) {
      heading.focus();
    }
  });

  // A failure message takes the focus too: it says why the projection did not finish.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.querySelector) {
      return;
    }
    var failure = target.querySelector(".nhsuk-error-summary");
    if (failure) {
      failure.focus();
    }
  });
})();
