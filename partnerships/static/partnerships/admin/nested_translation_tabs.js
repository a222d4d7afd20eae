/*
 * Language tabs for rows added with "Add another" in django-nested-admin inlines.
 *
 * modeltranslation's tabbed_translation_fields.js tabs the fields present when the page loads,
 * and tabs an added row by looking at the last row when the "Add another" link is clicked. With
 * django-nested-admin that click can run before the row is inserted (and rows of inlines nested
 * in a new signing event have no handler at all), so added rows kept their three language fields
 * side by side. This script listens to nested-admin's "formset:added" event, which fires after
 * the row is in the page, and builds the same jQuery UI tabs for any translation field of the
 * new row that is not tabbed yet. It uses the vendored jQuery UI (no CDN).
 */
"use strict";
(function () {
  var PREFIX = "mt-field-";

  function languageOf(el) {
    var found = null;
    (el.getAttribute("class") || "").split(/\s+/).forEach(function (cls) {
      if (cls.indexOf(PREFIX) === 0) {
        var bits = cls.substring(PREFIX.length).split("-");
        found = { field: bits[0], lang: bits.slice(1).join("-") };
      }
    });
    return found;
  }

  function tabRow($, row) {
    var groups = {};
    var order = [];
    $(row)
      .find("input.mt, textarea.mt, select.mt")
      .each(function () {
        if ($(this).closest(".ui-tabs").length || this.name.indexOf("__prefix__") !== -1) {
          return;
        }
        if ($(this).closest(".djn-item")[0] !== row) {
          return; // belongs to a row nested inside this one
        }
        var info = languageOf(this);
        if (!info) {
          return;
        }
        var key = this.name.replace(/_[a-z]{2}(?:_[a-z]{2})?$/, "");
        if (!groups[key]) {
          groups[key] = [];
          order.push(key);
        }
        groups[key].push({ el: this, lang: info.lang });
      });
    order.forEach(function (key) {
      var fields = groups[key];
      if (fields.length < 2) {
        return;
      }
      var $tabs = $("<div></div>");
      var $list = $("<ul></ul>").appendTo($tabs);
      var $first = $(fields[0].el).closest(".form-row");
      $first.before($tabs);
      fields.forEach(function (field) {
        var $container = $(field.el).closest(".form-row");
        var id = "tab_" + field.el.id;
        $container.find("label").each(function () {
          this.innerHTML = this.innerHTML.replace(/ \[.+\]/, "");
        });
        $list.append(
          $("<li></li>").append(
            $("<a></a>").attr("href", "#" + id).text(field.lang.replace("_", "-"))
          )
        );
        $("<div></div>").attr("id", id).append($container).appendTo($tabs);
      });
      $tabs.tabs({ active: 0 });
    });
  }

  // modeltranslation binds a plain (un-namespaced) click handler to every "Add another" link,
  // which tabs the *last existing* row again when it runs before nested-admin inserts the new
  // one, stacking a second tab bar on it. nested-admin's own handler is namespaced
  // ("click.djnesting") and stays; this script tabs the new row instead.
  function dropUnnamespacedClickHandlers($, scope) {
    $(scope)
      .find("a.djn-add-handler")
      .each(function () {
        var events = $._data(this, "events");
        var handlers = (events && events.click) || [];
        var link = this;
        handlers
          .filter(function (h) { return !h.namespace; })
          .forEach(function (h) { $(link).off("click", h.handler); });
      });
  }

  function init() {
    var $ = window.django && window.django.jQuery;
    if (!$ || !$.fn.tabs) {
      return;
    }
    // After every ready handler (modeltranslation binds its handlers in one).
    window.addEventListener("load", function () {
      dropUnnamespacedClickHandlers($, document);
    });
    // modeltranslation binds them from a ready handler that can run after "load" (jQuery runs a
    // late ready handler asynchronously): a row added then got two tab bars, the outer one's
    // other languages empty. So also drop them from a link as it is clicked, before any of its
    // own handlers run (the capture phase at the document comes first).
    document.addEventListener(
      "click",
      function (event) {
        var link = event.target.closest && event.target.closest("a.djn-add-handler");
        if (link) {
          dropUnnamespacedClickHandlers($, link.parentNode);
        }
      },
      true
    );
    $(document).on("formset:added", function (event, $row) {
      var row = $row && $row.jquery ? $row[0] : event.target;
      if (row && row.nodeType === 1) {
        dropUnnamespacedClickHandlers($, row); // copied along with the row template
        tabRow($, row);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
