/*
 * Agreement admin page: keep the "on behalf of" / "for party" choices of signatures and contacts
 * in step with the party rows entered above them, so that a party added on the same page can be
 * chosen before saving. Without JavaScript the choices are the saved parties, and the server
 * checks every choice against the parties submitted with the page either way.
 */
"use strict";
(function () {
  var PARTY_SELECT = /^parties-\d+-organization$/;

  function currentParties() {
    var parties = [];
    var seen = {};
    document.querySelectorAll("select[name$='-organization']").forEach(function (select) {
      if (!PARTY_SELECT.test(select.name) || !select.value || seen[select.value]) {
        return;
      }
      var remove = document.querySelector(
        "input[name='" + select.name.replace(/-organization$/, "-DELETE") + "']"
      );
      if (remove && remove.checked) {
        return;
      }
      var option = select.options[select.selectedIndex];
      seen[select.value] = true;
      parties.push({ value: select.value, label: option ? option.text : select.value });
    });
    return parties;
  }

  function refresh(select, parties) {
    var chosen = select.value;
    var kept = Array.prototype.find.call(select.options, function (option) {
      return option.value === chosen;
    });
    var keptLabel = kept ? kept.text : chosen;
    select.innerHTML = "";
    select.add(new Option("---------", ""));
    parties.forEach(function (party) {
      select.add(new Option(party.label, party.value));
    });
    if (chosen && !parties.some(function (party) { return party.value === chosen; })) {
      // Not (or no longer) a party: keep it visible; the server will say what is wrong.
      select.add(new Option(keptLabel, chosen));
    }
    select.value = chosen;
  }

  function refreshAll() {
    var hasPartyRows = Array.prototype.some.call(
      document.querySelectorAll("select[name$='-organization']"),
      function (select) { return PARTY_SELECT.test(select.name); }
    );
    if (!hasPartyRows) {
      return; // e.g. the signing-event page: the server-rendered choices are complete
    }
    var parties = currentParties();
    // The empty rows that "Add another" copies (__prefix__) too: a new signature row then lists
    // the parties at once, without first needing focus.
    document.querySelectorAll("select.js-party-choice").forEach(function (select) {
      refresh(select, parties);
    });
  }

  document.addEventListener("DOMContentLoaded", refreshAll);
  // Django's inlines announce an added row with a bubbling "formset:added" event.
  document.addEventListener("formset:added", refreshAll);
  // Refresh when a choice is about to be made, and when a party changes.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("select.js-party-choice")) {
      refreshAll();
    }
  });
  document.addEventListener("mousedown", function (event) {
    if (event.target.matches && event.target.matches("select.js-party-choice")) {
      refreshAll();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.name && PARTY_SELECT.test(event.target.name)) {
      refreshAll();
    }
  });
  if (window.django && window.django.jQuery) {
    // select2 (the autocomplete widget) announces changes through jQuery only.
    window.django.jQuery(document).on("change", "select", function () {
      if (PARTY_SELECT.test(this.name || "")) {
        refreshAll();
      }
    });
    // django-nested-admin announces added rows through jQuery.
    window.django.jQuery(document).on("formset:added djnesting:added", refreshAll);
  }
})();
