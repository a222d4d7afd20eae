/*
 * Date-only admin fields (core/admin/widgets.py, marked data-date-only) get no
 * "You are N hours ahead of server time" warning: a date has no time zone. Django's
 * DateTimeShortcuts.js adds that warning on window load; this script, loaded after it, makes it
 * skip date-only inputs and keeps it for time inputs.
 */
"use strict";
(function () {
  var shortcuts = window.DateTimeShortcuts;
  if (!shortcuts || shortcuts.dateOnlyWithoutWarning) {
    return;
  }
  var addTimezoneWarning = shortcuts.addTimezoneWarning;
  shortcuts.addTimezoneWarning = function (inp) {
    if (inp.hasAttribute("data-date-only")) {
      return;
    }
    return addTimezoneWarning.apply(this, arguments);
  };
  shortcuts.dateOnlyWithoutWarning = true;
})();
