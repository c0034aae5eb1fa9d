/* Progressive enhancements for the search pages; every page works without this file.
 * - suggestions in the search box (datalist fed by /api/suggest, debounced);
 * - "copy citation" and "print" buttons. No inline scripts (CSP), no external requests. */
(function () {
  "use strict";

  function suggestions(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    if (!list || !url || !window.fetch) return;
    var timer = null;
    var pending = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var value = input.value.trim();
      if (value.length < 2) { list.replaceChildren(); return; }
      timer = setTimeout(function () {
        if (pending) pending.abort();
        pending = window.AbortController ? new AbortController() : null;
        fetch(url + "?q=" + encodeURIComponent(value), { signal: pending && pending.signal,
                                                         headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            var options = (data.suggestions || []).map(function (s) {
              var o = document.createElement("option");
              o.value = s.text;
              o.label = s.kind;
              return o;
            });
            list.replaceChildren.apply(list, options);
          })
          .catch(function () { /* aborted or offline: keep the previous suggestions */ });
      }, 200);
    });
  }

  function copyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = button.getAttribute("data-copy");
        var label = button.textContent;
        var done = function () {
          button.textContent = button.getAttribute("data-done") || "Đã sao chép";
          setTimeout(function () { button.textContent = label; }, 1500);
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () { window.prompt("Sao chép trích dẫn:", text); });
        } else {
          window.prompt("Sao chép trích dẫn:", text);
        }
      });
    });
  }

  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function focusSearch() {
    var input = document.getElementById("q");
    if (input && !location.hash && document.activeElement !== input) {
      input.focus();
      var end = input.value.length;
      try { input.setSelectionRange(end, end); } catch (e) { /* type=search may refuse it */ }
    }
    if (input) suggestions(input);
  }

  function ready() {
    focusSearch();
    copyButtons();
    printButtons();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
