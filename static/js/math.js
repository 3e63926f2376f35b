// Typesets math written as $...$ / $$...$$ in notes with the locally served KaTeX.
(function () {
  "use strict";
  function typeset() {
    if (!window.katex) return;
    document.querySelectorAll(".arithmatex").forEach(function (element) {
      var tex = element.textContent.trim();
      var display = element.tagName === "DIV";
      tex = display ? tex.replace(/^\\\[/, "").replace(/\\\]$/, "") : tex.replace(/^\\\(/, "").replace(/\\\)$/, "");
      try {
        window.katex.render(tex, element, { displayMode: display, throwOnError: false });
      } catch (error) {
        console.warn("A formula could not be typeset:", error);
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", typeset);
  else typeset();
})();
