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
  // <details data-open-when="(media query)">: open while the query matches, closed otherwise.
  // The header's search and languages and the lists' filter forms are shown on a wide screen and
  // one tap away on a phone (templates/base.html, the list templates); without this script they
  // stay one tap away everywhere (portal.css shows the header's ones from 40rem on by itself).
  function openWhen(details) {
    var query = window.matchMedia && window.matchMedia(details.getAttribute("data-open-when"));
    if (!query) { return; }
    var sync = function () { details.open = query.matches; };
    sync();
    if (query.addEventListener) { query.addEventListener("change", sync); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("details[data-open-when]").forEach(openWhen);
    // The header's search opened with a tap: the cursor goes into its field.
    document.querySelectorAll(".search-tool").forEach(function (details) {
      details.addEventListener("toggle", function () {
        var summary = details.querySelector("summary");
        if (details.open && summary && summary.offsetParent !== null) {
          details.querySelector("input").focus();
        }
      });
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
