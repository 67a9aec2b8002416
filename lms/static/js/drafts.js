// Enhancements for forms where people write at length; every page works without this file.
// - a live word count beside each [data-count] text box;
// - [data-warn-unsaved] forms warn before the page is left with text not yet saved;
// - [data-autosave] forms save the draft as the person types (the same rules as "Save draft":
//   the version the page was based on is sent, so a stale tab gets a conflict, never a save).
(function () {
  "use strict";

  function words(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  document.querySelectorAll("textarea[data-count]").forEach(function (box) {
    var out = document.getElementById(box.getAttribute("data-count"));
    if (!out) { return; }
    box.addEventListener("input", function () {
      var n = words(box.value);
      out.textContent = n.toLocaleString("en-GB") + (n === 1 ? " word." : " words.");
    });
  });

  var dirty = false;
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var status = form.querySelector("[data-save-status]");
    var version = form.querySelector("input[name=version]");
    var timer = null;
    var stopped = false;
    var saving = false;
    var again = false;
    if (!window.fetch || !window.FormData || !status || !version) { return; }
    status.setAttribute("aria-live", "polite");
    status.textContent = "Your draft is saved automatically as you type, and when you press " +
      "\u201cSave draft\u201d.";

    function say(text) { status.textContent = text; }

    function save() {
      timer = null;
      if (stopped) { return; }
      if (saving) { again = true; return; }
      saving = true;
      var data = new FormData(form);
      data.delete("attachment");
      data.set("action", "autosave");
      // form.action would be the button named "action": read the attribute itself.
      fetch(form.getAttribute("action"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (result.ok && result.body.saved) {
          version.value = result.body.version;
          if (result.body.action) {  // a new record's first save: later saves go to it
            form.setAttribute("action", result.body.action);
            if (window.history.replaceState) { window.history.replaceState(null, "", result.body.action); }
          }
          dirty = again;
          say("Draft saved automatically at " + result.body.at + ".");
        } else {
          // A conflict or a refusal: stop, and let the buttons show it in full.
          stopped = result.body.conflict === true;
          say(result.body.message || "Your draft could not be saved automatically. " +
            "Press \u201cSave draft\u201d.");
        }
      }).catch(function () {
        say("Your draft could not be saved automatically (no connection?). It is still in the " +
          "box: press \u201cSave draft\u201d when you are back online.");
      }).then(function () {
        saving = false;
        if (again) { again = false; schedule(); }
      });
    }

    function schedule() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 2000);
    }

    form.addEventListener("input", function (event) {
      // [data-autosave-any]: every field is part of the draft, not only the answer box.
      if (event.target.name === "answer" ||
          (form.hasAttribute("data-autosave-any") && event.target.type !== "file")) { schedule(); }
    });
    form.addEventListener("submit", function () {
      stopped = true;
      if (timer) { clearTimeout(timer); }
    });
  });
}());
