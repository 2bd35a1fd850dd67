/* A story page's copy and print buttons (templates/stories/includes/_share.html).
   Without JavaScript they stay hidden: the address and the citation are on the
   page to select, and the browser's own Print uses the print stylesheet.
   A button `data-copy="ID"` copies the value (or the text) of #ID and says so
   in the `role="status"` beside it; `data-print` prints the page. */
(function () {
  "use strict";

  function textOf(target) {
    return ("value" in target ? target.value : target.textContent).trim();
  }

  function selectAll(target) {
    if (typeof target.select === "function") {
      target.focus();
      target.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(target);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(target) {
    var text = textOf(target);
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // an address without TLS: the older way, from a selection
    selectAll(target);
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  function say(button, words) {
    var status = button.parentNode.querySelector(".copy-status");
    if (!status) return;
    status.textContent = "";
    // a fresh text each time, so that copying twice is announced twice
    window.setTimeout(function () { status.textContent = words; }, 50);
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.dataset.copy);
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(target).then(
        function () { say(button, button.dataset.copied || "Copied."); },
        function () {
          selectAll(target);
          say(button, "Couldn't copy: it is selected, so copy it with your keyboard.");
        }
      );
    });
  });

  document.querySelectorAll("input[readonly]#share-address").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });

  // what is said for a page without JavaScript (how to print it) goes
  document.querySelectorAll("[data-without-js]").forEach(function (words) {
    words.hidden = true;
  });

  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
