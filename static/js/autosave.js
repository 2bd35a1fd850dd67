// Saves a group's answers a moment after each change, so nothing typed is
// lost to a closed laptop. The form works without it: Save and "Save and
// mark done" post it as any form. A conflict stops the saving and says so;
// pressing Save then shows both people's answers.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("autosave-status");
  var revision = form.querySelector('input[name="revision"]');
  var timer = null;
  var pending = null;
  var stopped = false;

  function say(message) {
    if (status) status.textContent = message;
  }

  function save() {
    timer = null;
    if (stopped) return Promise.resolve();
    var body = new FormData(form);
    pending = fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (response.ok) {
            revision.value = answer.revision;
          } else if (response.status === 409) {
            stopped = true;
          }
          say(answer.message);
        });
      })
      .catch(function () {
        say("Not saved automatically: press Save to keep your answers.");
      })
      .then(function () {
        pending = null;
      });
    return pending;
  }

  function later() {
    if (stopped) return;
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, 1200);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", function (event) {
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    stopped = true;
    if (!pending) return;
    // wait for the save in flight, so the form carries the revision it made
    event.preventDefault();
    var submitter = event.submitter;
    pending.then(function () {
      if (submitter && submitter.name) {
        var pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        form.appendChild(pressed);
      }
      form.submit();
    });
  });
})();
