// The policy guides register the site's service worker (sw.js in the site root, see
// sitebuild/site/offline.py), as the calculator page does (static/boot.js), so one visit
// to the guides keeps them, and the calculator, for reading without a network.
// Same rule as the calculator page: HTTPS only (browsers allow service workers only in a
// secure context; on plain-HTTP intranet hosts there is none and nothing changes); on
// localhost only with ?sw=1, so that tests and local development see every request.
// data-sw: the worker's URL relative to the guide root (set only when the guides are built
// into the site, by the site build's guide step).
(function (script) {
  "use strict";
  if (!script || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  var local = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(location.hostname);
  var flagged = /[?&]sw=1(&|$)/.test(location.search);
  if (location.protocol !== "https:" && !(local && flagged)) return;
  var guideRoot = new URL(script.getAttribute("data-md-scope") || ".", location.href);
  var worker = new URL(script.getAttribute("data-sw"), guideRoot);
  var scope = new URL("./", worker);
  navigator.serviceWorker.register(worker.href, { scope: scope.href }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function () {
    document.documentElement.setAttribute("data-offline", "ready");
  }, function (err) {
    console.warn("service worker not registered:", err);
  });
})(document.currentScript);
