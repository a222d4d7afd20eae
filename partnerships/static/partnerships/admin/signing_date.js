/*
 * Agreement admin page: a signing added with "Add another Signing" starts with the agreement's
 * signing date ("Signed on" above), which is almost always the signing's date too, instead of
 * the manager typing it twice. A date already in the row is kept; the manager may change it.
 */
"use strict";
(function () {
  var SIGNING_DATE = /^signing_events-\d+-signed_on$/;

  function prefill(row) {
    var agreementDate = document.getElementById("id_signed_on");
    if (!row || !row.querySelectorAll || !agreementDate || !agreementDate.value) {
      return;
    }
    row.querySelectorAll("input[name$='-signed_on']").forEach(function (input) {
      if (SIGNING_DATE.test(input.name) && !input.value) {
        input.value = agreementDate.value;
      }
    });
  }

  function init() {
    var $ = window.django && window.django.jQuery;
    if (!$) {
      return;
    }
    // django-nested-admin triggers the jQuery event "formset:added" once the row is in the page.
    $(document).on("formset:added", function (event, $row) {
      prefill($row && $row.jquery ? $row[0] : event.target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
