/* A form sent back with errors: focus its summary, so that screen readers read it out and
   phones scroll to it; each entry's link moves focus into its field. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-link]");
    var field = link && document.getElementById(link.getAttribute("data-error-link"));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector('label[for="' + field.id + '"]');
    (label || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
})();
