// Site behaviour that needs script. Kept in a file (no inline script) so the content security policy stays strict.
(function () {
  "use strict";
  // Move focus to content swapped in by htmx when it asks for it, so keyboard and screen-reader users follow along.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.hasAttribute("data-focus-on-swap")) {
      target.focus();
    }
  });
})();

// Error summaries and "what is missing" links: focus the question they point to, not only scroll to it.
(function () {
  "use strict";
  function focusQuestion(id) {
    var target = document.getElementById(id);
    if (!target) {
      return false;
    }
    var input = target.querySelector("input:not([type=hidden]), select, textarea") || target;
    target.scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (link && focusQuestion(link.getAttribute("href").slice(1))) {
      event.preventDefault();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    } else if (window.location.hash.indexOf("#q-") === 0) {
      focusQuestion(window.location.hash.slice(1));
    }
  });
})();
