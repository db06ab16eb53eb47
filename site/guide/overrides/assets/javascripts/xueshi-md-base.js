// mkdocs-material's inline head snippet (partials/javascripts/base.html), moved into a
// file so that the guides run under `script-src 'self'`. Same globals, same behaviour:
// the storage scope is the site root, passed in data-md-scope by the template.
(function (script) {
  "use strict";
  var scope = new URL(script.getAttribute("data-md-scope") || ".", location);
  window.__md_scope = scope;
  window.__md_hash = function (value) {
    return Array.prototype.reduce.call(value, function (hash, ch) {
      return (hash << 5) - hash + ch.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try {
      storage.setItem(base.pathname + "." + key, JSON.stringify(value));
    } catch (e) {
      /* storage full or disabled: the palette simply is not remembered */
    }
  };
})(document.currentScript);
