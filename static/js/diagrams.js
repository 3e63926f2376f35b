// Renders ```mermaid blocks of a note with the locally served Mermaid (loaded only on pages that have one), sizes
// each diagram to the content width without letting its labels shrink below a readable size, and opens it full
// screen (zoomable) on a click.
(function () {
  "use strict";
  // Scale of Mermaid's own drawing (16 px labels): never below MIN (so labels stay at least 13 px; a wider
  // diagram scrolls sideways inside its box instead), never above MAX (a small diagram is not blown up).
  var MIN_SCALE = 0.8, MAX_SCALE = 1.4, ZOOM_STEP = 1.25;

  function dark() {
    var explicit = document.documentElement.getAttribute("data-theme");
    if (explicit) return explicit === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function naturalWidth(svg) {
    var box = svg.viewBox && svg.viewBox.baseVal;
    return box && box.width ? box.width : svg.getBoundingClientRect().width;
  }

  function fit(figure) {
    var svg = figure.querySelector("svg");
    if (!svg) return;
    var natural = naturalWidth(svg), room = figure.clientWidth;
    var width = Math.min(Math.max(room, natural * MIN_SCALE), natural * MAX_SCALE);
    svg.removeAttribute("height");
    svg.style.maxWidth = "none";
    svg.style.width = Math.round(width) + "px";
    svg.style.height = "auto";
    var wide = width > room + 1;
    figure.classList.toggle("is-wide", wide);
    // A box that scrolls must be reachable from the keyboard (arrow keys scroll it once focused).
    if (wide) {
      figure.tabIndex = 0;
      figure.setAttribute("role", "region");
      figure.setAttribute("aria-label", "Diagram, scrolls sideways");
    } else {
      figure.removeAttribute("tabindex");
      figure.removeAttribute("role");
      figure.removeAttribute("aria-label");
    }
    var tools = figure.nextElementSibling;
    if (tools && tools.classList.contains("diagram-tools")) tools.classList.toggle("is-wide", width > room + 1);
  }

  function enhance(figure) {
    if (figure.dataset.enhanced) return;
    figure.dataset.enhanced = "1";
    figure.title = "Open full screen";
    figure.addEventListener("click", function () { openFull(figure); });
    // A real button under the drawing for the keyboard and screen readers (the drawing itself is an image).
    var tools = document.createElement("p");
    tools.className = "diagram-tools";
    var open = button("Open the diagram full screen", "Full screen", function () { openFull(figure); });
    var hint = document.createElement("small");
    hint.className = "diagram-hint";
    hint.textContent = "Wider than the page: scroll it sideways, or open it full screen.";
    tools.append(open, hint);
    figure.after(tools);
    fit(figure);
  }

  // ---- full screen: a <dialog> with a copy of the drawing, zoom buttons (and + / - / 0 keys), Escape closes.
  var dialog = null, zoom = 1, copy = null, natural = 0;
  function applyZoom() {
    copy.style.width = Math.round(natural * zoom) + "px";
    dialog.querySelector("[data-zoom-level]").textContent = Math.round(zoom * 100) + "%";
  }
  function button(label, text, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secondary outline";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", action);
    return b;
  }
  function buildDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "diagram-dialog";
    dialog.setAttribute("aria-label", "Diagram, full screen");
    var bar = document.createElement("div");
    bar.className = "diagram-dialog-bar";
    var level = document.createElement("span");
    level.setAttribute("data-zoom-level", "");
    level.setAttribute("aria-live", "polite");
    bar.append(
      button("Zoom out", "−", function () { zoom = Math.max(0.1, zoom / ZOOM_STEP); applyZoom(); }),
      level,
      button("Zoom in", "+", function () { zoom = Math.min(8, zoom * ZOOM_STEP); applyZoom(); }),
      button("Fit to the screen", "Fit", function () { fitZoom(); applyZoom(); }),
      button("Close the diagram", "Close", function () { dialog.close(); })
    );
    var stage = document.createElement("div");
    stage.className = "diagram-dialog-stage";
    dialog.append(bar, stage);
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "+" || event.key === "=") { zoom = Math.min(8, zoom * ZOOM_STEP); applyZoom(); }
      else if (event.key === "-") { zoom = Math.max(0.1, zoom / ZOOM_STEP); applyZoom(); }
      else if (event.key === "0") { fitZoom(); applyZoom(); }
    });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
    document.body.append(dialog);
  }
  function fitZoom() {
    var stage = dialog.querySelector(".diagram-dialog-stage");
    var box = copy.viewBox && copy.viewBox.baseVal;
    var byWidth = (stage.clientWidth - 16) / natural;
    var byHeight = box && box.height ? (stage.clientHeight - 16) / box.height : byWidth;
    zoom = Math.max(0.1, Math.min(byWidth, byHeight, 4));
  }
  function openFull(figure) {
    var svg = figure.querySelector("svg");
    if (!svg) return;
    if (!dialog) buildDialog();
    var stage = dialog.querySelector(".diagram-dialog-stage");
    copy = svg.cloneNode(true);
    // Mermaid scopes the drawing's styles by the SVG's id: the copy gets an id (and styles) of its own.
    if (svg.id) {
      copy.setAttribute("id", svg.id + "-full");
      var style = copy.querySelector("style");
      if (style) style.textContent = style.textContent.split("#" + svg.id).join("#" + svg.id + "-full");
    }
    copy.style.maxWidth = "none";
    copy.style.height = "auto";
    natural = naturalWidth(svg);
    stage.replaceChildren(copy);
    dialog.showModal();
    fitZoom();
    // Fitting a wide diagram onto a phone shrinks its labels to a few pixels: open it no smaller than the page
    // draws it (MIN_SCALE) and let the stage scroll; "Fit" still shows the whole drawing on request.
    zoom = Math.max(zoom, MIN_SCALE);
    applyZoom();
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      document.querySelectorAll(".note-body .mermaid[data-enhanced]").forEach(fit);
    }, 150);
  });

  function render() {
    if (!window.mermaid) return;
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark() ? "dark" : "default" });
    window.mermaid.run({ querySelector: ".note-body .mermaid:not([data-processed])" }).then(function () {
      document.querySelectorAll(".note-body .mermaid[data-processed]").forEach(enhance);
    }).catch(function (error) {
      console.warn("A diagram could not be drawn:", error);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();
