/* Browse's filters (discovery/includes/_browse_filters.html) work without this
   file: "Show stories" sends them, and the server sends an address with empty
   fields on to the one without them. With it, a chosen filter applies at once
   and the address carries only what was chosen.

   A closed <select> changes at each arrow key: chosen that way, a filter
   applies on Enter or on leaving the field (and the field has the focus
   again on the new page), so the arrows can go through the choices. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-browse-filters]");
  if (!form || !window.URLSearchParams) return;
  var REFOCUS = "p2s-browse-refocus";
  var BROWSING_KEYS = /^(Arrow(Up|Down|Left|Right)|Home|End|Page(Up|Down)|.)$/;

  function address() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && !field.disabled && field.value.trim() !== "") {
        params.append(field.name, field.value.trim());
      }
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function apply(refocus) {
    if (refocus) {
      try {
        window.sessionStorage.setItem(REFOCUS, refocus.name);
      } catch (error) {
        // no storage: the new page starts at its top
      }
    }
    window.location.assign(address());
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply(null);
  });

  Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
    var byKeyboard = false;
    select.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && byKeyboard && select.value !== select.dataset.shown) {
        event.preventDefault();
        byKeyboard = false;
        apply(select);
      } else if (
        !event.altKey && !event.ctrlKey && !event.metaKey &&
        event.key !== " " && BROWSING_KEYS.test(event.key)
      ) {
        byKeyboard = true;
      }
    });
    select.addEventListener("change", function () {
      if (!byKeyboard) apply(null);
    });
    select.addEventListener("blur", function () {
      var changed = byKeyboard && select.value !== select.dataset.shown;
      byKeyboard = false;
      if (changed) apply(select);
    });
  });

  // the fields show what the page does: a page kept whole for Back keeps the
  // choice made on it (the selects' autocomplete="off" stops the browser
  // restoring them otherwise)
  function showChosen() {
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      select.dataset.shown = select.value;
    });
  }
  showChosen();
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      form.reset();
      showChosen();
    }
  });

  var hint = form.querySelector("[data-browse-hint]");
  if (hint) hint.hidden = false;

  var name = null;
  try {
    name = window.sessionStorage.getItem(REFOCUS);
    window.sessionStorage.removeItem(REFOCUS);
  } catch (error) {
    name = null;
  }
  var field = name && form.elements.namedItem(name);
  if (field && field.focus) {
    var folded = field.closest("details");
    if (folded) folded.open = true;
    field.focus();
  }
})();
