/* Progressive enhancement only: every page works without this file. No inline scripts (CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  // Buttons with data-confirm ask before submitting their form.
  function confirmations() {
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  // Elements with data-progress-url poll a JSON endpoint {percent, state, message, done, result_url}
  // and update a <progress> and a live region inside them; when done they reload or follow result_url.
  function progress() {
    document.querySelectorAll("[data-progress-url]").forEach(function (box) {
      var url = box.getAttribute("data-progress-url");
      var bar = box.querySelector("progress");
      var text = box.querySelector("[data-progress-text]");
      function tick() {
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            if (bar && typeof data.percent === "number") { bar.value = data.percent; bar.textContent = data.percent + "%"; }
            if (text && data.message) { text.textContent = data.message; }
            if (data.done) {
              if (data.result_url) { window.location.assign(data.result_url); } else { window.location.reload(); }
            } else { window.setTimeout(tick, 1000); }
          })
          .catch(function () { window.setTimeout(tick, 3000); });
      }
      tick();
    });
  }

  // Inputs with data-validate-url are checked as the user types; the server answers {ok, message}.
  function liveValidation() {
    document.querySelectorAll("input[data-validate-url]").forEach(function (input) {
      var url = input.getAttribute("data-validate-url");
      var out = document.createElement("p");
      out.className = "help";
      out.id = input.id + "_live";
      out.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", out);
      var described = (input.getAttribute("aria-describedby") || "").trim();
      input.setAttribute("aria-describedby", (described + " " + out.id).trim());
      var timer = null;
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          if (!input.value.trim()) { out.textContent = ""; out.className = "help"; return; }
          var sep = url.indexOf("?") === -1 ? "?" : "&";
          fetch(url + sep + "value=" + encodeURIComponent(input.value), { credentials: "same-origin" })
            .then(function (r) { return r.json(); })
            .then(function (data) {
              out.textContent = data.message || "";
              out.className = data.ok ? "help" : "error";
              input.setAttribute("aria-invalid", data.ok ? "false" : "true");
            });
        }, 300);
      });
    });
  }

  // A select with data-autosubmit submits its form when changed (the language switch); the form's button,
  // there for browsers without script, is then hidden from sight and from the tab order.
  function autosubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      var form = select.form;
      if (!form) { return; }
      form.querySelectorAll("[data-autosubmit-button]").forEach(function (button) {
        button.classList.add("visually-hidden");
        button.setAttribute("tabindex", "-1");
        button.setAttribute("aria-hidden", "true");
      });
      select.addEventListener("change", function () {
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    });
  }

  // A select with data-filter-by="<name>" offers only the options whose data-for lists the value of the
  // radio buttons or select named <name> in its form; a choice that no longer fits is cleared. The server
  // checks the pair anyway.
  function dependentChoices() {
    document.querySelectorAll("select[data-filter-by]").forEach(function (select) {
      var form = select.form;
      var name = select.getAttribute("data-filter-by");
      if (!form) { return; }
      function current() {
        var checked = form.querySelector("[name='" + name + "']:checked");
        var control = checked || form.querySelector("select[name='" + name + "']");
        return control ? control.value : "";
      }
      function apply() {
        var value = current();
        Array.prototype.forEach.call(select.options, function (option) {
          var fits = !value || (option.getAttribute("data-for") || "").split(" ").indexOf(value) !== -1;
          option.hidden = !fits;
          option.disabled = !fits;
          if (!fits && option.selected) { option.selected = false; }
        });
        var usable = Array.prototype.filter.call(select.options, function (option) { return !option.disabled; });
        if (select.selectedIndex === -1 || select.options[select.selectedIndex].disabled) {
          select.value = usable.length ? usable[0].value : "";
        }
      }
      form.querySelectorAll("[name='" + name + "']").forEach(function (control) {
        control.addEventListener("change", apply);
      });
      apply();
    });
  }

  onReady(function () { confirmations(); progress(); liveValidation(); autosubmit(); dependentChoices(); });
})();
