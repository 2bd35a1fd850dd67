/* The header's menus (<details data-menu>) work without this file; with it, a
   menu closes on Escape (focus back on its button), on a click elsewhere and
   when the focus leaves it, and opening one closes the others. */
(function () {
  "use strict";
  var menus = Array.prototype.slice.call(document.querySelectorAll("details[data-menu]"));
  if (!menus.length) return;

  function close(menu) {
    menu.open = false;
  }

  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (!menu.open) return;
      menus.forEach(function (other) {
        if (other !== menu && other.open && !other.contains(menu)) close(other);
      });
    });
    menu.addEventListener("focusout", function (event) {
      if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) {
        close(menu);
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = menus.filter(function (menu) { return menu.open; });
    if (!open.length) return;
    // the innermost open menu closes first
    var menu = open[open.length - 1];
    close(menu);
    menu.querySelector("summary").focus();
  });

  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) close(menu);
    });
  });
})();
