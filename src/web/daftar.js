// daftar's own behaviour, beside htmx: ask before leaving a page whose form (marked
// data-warn-unsaved) has changes that were neither saved as a draft nor submitted.
(function () {
  "use strict";
  var dirty = false;
  document.addEventListener("input", function (event) {
    var form = event.target && event.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) {
      dirty = true;
    }
  });
  document.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
