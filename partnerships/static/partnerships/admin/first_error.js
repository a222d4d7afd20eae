// The agreement page: after a refused save, the focus goes to the first field with an error
// (in a section, a nested row or an inline), which is scrolled into view; a link in the list of
// error places at the top focuses its field too. Runs once per page load, after the others.
(function () {
  "use strict";
  function fieldIn(container) {
    if (!container) return null;
    return container.querySelector(
      "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])"
    );
  }
  function errorContainer(list) {
    return list.closest(".form-row, td, .fieldBox, .djn-item, .inline-related") || list.parentElement;
  }
  function focusField(field) {
    if (!field) return false;
    var details = field.closest("details");
    if (details) details.open = true;
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
    return true;
  }
  function start() {
    var form = document.querySelector("#agreement_form, #content-main form");
    if (!form || form.dataset.firstErrorReady) return;
    form.dataset.firstErrorReady = "1";
    var lists = form.querySelectorAll("ul.errorlist");
    for (var i = 0; i < lists.length; i++) {
      if (focusField(fieldIn(errorContainer(lists[i])))) break;
    }
    document.querySelectorAll(".error-places a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        var field = target && (target.matches("input, select, textarea") ? target : fieldIn(target));
        if (focusField(field)) event.preventDefault();
      });
    });
  }
  // After everything else: Django's change_form.js focuses the first field of an add page, and
  // other scripts set up tabs and widgets on "ready".
  if (document.readyState === "complete") {
    setTimeout(start, 0);
  } else {
    window.addEventListener("load", function () { setTimeout(start, 0); });
  }
})();
