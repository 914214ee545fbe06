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
