// "Add another image" shows the story form's next image slot in place. The
// form works without it: the button then posts the form back with one more
// slot, everything typed and every image kept.
(function () {
  "use strict";
  var button = document.querySelector("[data-add-image-slot]");
  var count = document.getElementById("image-slots");
  if (!button || !count) return;
  button.addEventListener("click", function (event) {
    var next = document.querySelector("[data-image-slot][hidden]");
    if (!next) return;
    event.preventDefault();
    next.hidden = false;
    count.value = String((parseInt(count.value, 10) || 1) + 1);
    if (!document.querySelector("[data-image-slot][hidden]")) {
      button.parentNode.hidden = true;
    }
    var file = next.querySelector('input[type="file"]');
    if (file) file.focus();
  });
})();
