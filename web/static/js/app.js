// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A form shown again with errors: focus its error summary, so keyboard
  // and screen-reader users start at the list of what to fix. (Without
  // JavaScript the form's action fragment already scrolls to it.)
  var summary = document.querySelector(".bk-error-summary");
  if (summary) {
    summary.focus();
  }
  // On a phone the menu is one row that scrolls sideways: bring the
  // current page's item into view (without scrolling the page itself).
  var menu = document.querySelector(".bk-nav ul");
  var current = menu && menu.querySelector("[aria-current=page]");
  if (current && menu.scrollWidth > menu.clientWidth) {
    menu.scrollLeft = current.parentNode.offsetLeft - menu.offsetLeft - 16;
  }
  // Confirm destructive actions marked with data-confirm.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var msg = form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
      return;
    }
    // Prevent accidental double submits; the server is idempotent anyway.
    if (form.dataset.submitted === "1") {
      ev.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    window.setTimeout(function () { form.dataset.submitted = ""; }, 4000);
  });
})();
