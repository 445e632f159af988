// daftar's own behaviour, beside htmx: ask before leaving a page whose form (marked
// data-warn-unsaved) has changes that were neither saved as a draft nor submitted; and read
// a chosen file into the text box its input names (data-fills), so a JSON document can be
// uploaded without the page posting files; and copy a token shown once.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[type=file][data-fills]").forEach(function (input) {
      var holder = input.closest("[hidden]");
      if (holder) {
        holder.hidden = false;
      }
      input.addEventListener("change", function () {
        var target = document.getElementById(input.getAttribute("data-fills"));
        var file = input.files && input.files[0];
        if (!target || !file) {
          return;
        }
        file.text().then(function (text) {
          target.value = text;
          target.dispatchEvent(new Event("input", { bubbles: true }));
        });
      });
    });
  });
  // A button marked data-copy="ID" copies the text of element ID (a token shown once);
  // without JavaScript it stays hidden and the text is selected by hand.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          var live = document.getElementById("live");
          if (live) {
            live.textContent = button.getAttribute("data-copied") || "";
          }
        });
      });
    });
  });
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
// The copy buttons of the verify page: a selectable <code> works without script; with it,
// a button copies the text of the element its data-copy names.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        var live = document.getElementById("live");
        if (live) {
          live.textContent = document.documentElement.lang === "fa" ? "رونوشت شد." : "Copied.";
        }
      });
    });
  });
});
