// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A print button where the page offers one, and expanded texts when printing.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
  // Filter forms: leave unused filters out of the URL, so that a shared link stays short.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("filters")) { return; }
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.value === "") { field.disabled = true; }
    });
    // Re-enable after the browser has read the form (back/forward cache keeps the page).
    window.setTimeout(function () {
      Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
    }, 0);
  });
  // The map (templates/includes/world_map.html): the name of the point or line under the pointer
  // or the keyboard focus, written under the map (the SVG <title> is a tooltip on hover only).
  function showMapName(event) {
    var link = event.target.closest && event.target.closest(".map a");
    if (!link) { return; }
    var caption = link.closest(".map-figure").querySelector("[data-map-name]");
    var title = link.querySelector("title");
    if (caption && title) { caption.textContent = title.textContent; }
  }
  document.addEventListener("focusin", showMapName);
  document.addEventListener("mouseover", showMapName);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.setAttribute("open", "");
      details.dataset.openedForPrint = "true";
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-opened-for-print]").forEach(function (details) {
      details.removeAttribute("open");
      delete details.dataset.openedForPrint;
    });
  });
})();
