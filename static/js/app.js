// Site-wide behaviour, wired by data attributes (no inline scripts): theme switch and JS marker.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var stored = null;
  try { stored = localStorage.getItem("theme"); } catch (e) { /* storage may be blocked */ }
  if (stored === "light" || stored === "dark") root.setAttribute("data-theme", stored);

  function currentTheme() {
    var explicit = root.getAttribute("data-theme");
    if (explicit) return explicit;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-theme-toggle]").forEach(function (button) {
      var label = function () {
        var next = currentTheme() === "dark" ? "light" : "dark";
        button.textContent = next === "dark" ? "Dark theme" : "Light theme";
        button.setAttribute("aria-label", "Switch to the " + next + " theme");
      };
      button.hidden = false;
      label();
      button.addEventListener("click", function () {
        var next = currentTheme() === "dark" ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { localStorage.setItem("theme", next); } catch (e) { /* ignore */ }
        label();
        document.dispatchEvent(new CustomEvent("themechange", { detail: next }));
      });
    });
  });
})();
