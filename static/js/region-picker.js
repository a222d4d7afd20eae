/* Pickers (regions, organisations): suggest as the visitor types into an input with
   data-suggest="<url>" (or data-region-suggest) and a list="<datalist id>". The URL answers
   {"results": [{value, label}]}. Without JavaScript the input is a plain text field that the
   server resolves (slug, code, or name). No dependencies. */
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest], input[data-region-suggest]");
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest") || input.getAttribute("data-region-suggest");
    if (!list || !url || !window.fetch) { return; }
    var timer = null;
    var last = "";
    var controller = null;
    function render(results) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      results.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.value;
        option.label = item.label;
        option.textContent = item.label;
        list.appendChild(option);
      });
    }
    function suggest() {
      var text = input.value.trim();
      if (text === last) { return; }
      last = text;
      if (text.length < 1) { render([]); return; }
      if (controller && controller.abort) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === text) { render(data.results || []); } })
        .catch(function () { /* offline or aborted: the plain field still works */ });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 150);
    });
  });
})();
