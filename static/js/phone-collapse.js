// Below the large breakpoint the intake form's later parts and its live assessment start folded, so a phone shows
// one part at a time under a one-line assessment. Without this script everything is simply open.
(() => {
  if (!window.matchMedia("(max-width: 991.98px)").matches) return;
  document.querySelectorAll("details[data-phone-collapsed]").forEach((details) => {
    details.open = false;
  });
})();
