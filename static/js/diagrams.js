// Renders ```mermaid blocks of a note with the locally served Mermaid (loaded only on pages that have one).
(function () {
  "use strict";
  function dark() {
    var explicit = document.documentElement.getAttribute("data-theme");
    if (explicit) return explicit === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  function render() {
    if (!window.mermaid) return;
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark() ? "dark" : "default" });
    window.mermaid.run({ querySelector: ".note-body .mermaid:not([data-processed])" }).catch(function (error) {
      console.warn("A diagram could not be drawn:", error);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();
