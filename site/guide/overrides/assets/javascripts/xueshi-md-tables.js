// A table wider than the content scrolls sideways inside mkdocs-material's wrapper; a person
// on the keyboard must be able to scroll it too (axe scrollable-region-focusable, WCAG 2.1.1),
// and a screen reader names the box. Only wrappers that do overflow take focus, so narrow
// tables add no tab stop; checked again after each page (the theme's document$) and when the
// window's width changes. The name comes from the page (data-label, calculator/engine/words.py
// TABLE_REGION_LABEL), never from this file.
(function () {
  "use strict";
  var script = document.currentScript;
  var label = (script && script.getAttribute("data-label")) || "";
  function mark() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        if (label) wrap.setAttribute("aria-label", label);
      } else if (wrap.hasAttribute("tabindex")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    }
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mark);
  else document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
})();
