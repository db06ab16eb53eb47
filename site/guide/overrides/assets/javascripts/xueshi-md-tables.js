// A wide table scrolls sideways in its own box (mkdocs-material wraps every table in
// .md-typeset__scrollwrap when it draws the page): the box is made reachable by keyboard and
// named for screen readers (axe 'scrollable-region-focusable'). The name comes from the page
// (data-label, calculator/engine/words.py TABLE_REGION_LABEL), never from this file.
(function () {
  "use strict";
  var script = document.currentScript;
  var label = (script && script.getAttribute("data-label")) || "";
  function mark() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.hasAttribute("tabindex")) continue;
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      if (label) box.setAttribute("aria-label", label);
    }
  }
  // document$ emits once the theme has drawn a page (also after its instant navigation).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { mark(); });
  } else {
    document.addEventListener("DOMContentLoaded", mark);
  }
})();
