// mkdocs-material's inline content snippet (partials/javascripts/content.html), moved into
// a file for `script-src 'self'`: open the content tab a link's #fragment points at.
(function () {
  "use strict";
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.indexOf("__tabbed_") === 0;
})();
