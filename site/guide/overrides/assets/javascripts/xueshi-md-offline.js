// The policy guides register the site's service worker (sw.js in the site root, see
// sitebuild/site/offline.py), as the calculator page does (static/boot.js), so one visit
// to the guides keeps the calculator and the guides' shell for use without a network.
// Same rule as the calculator page: HTTPS only (browsers allow service workers only in a
// secure context; on plain-HTTP intranet hosts there is none and nothing changes); on
// localhost only with ?sw=1, so that tests and local development see every request.
// data-sw: the worker's URL relative to the guide root (set only when the guides are built
// into the site, by the site build's guide step).
//
// A page the worker controls asks it to keep the rule set whose own page this is, with the
// pages that go with it (the worker knows which: build data); the answer is put on
// <html data-offline-kept="<ids>">. The page shown offline for a page not kept gets its
// "open again" link pointed at the page that was asked for (?page=, within the site).
(function (script) {
  "use strict";
  if (!script || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  var root = document.documentElement;
  var guideRoot = new URL(script.getAttribute("data-md-scope") || ".", location.href);
  var worker = new URL(script.getAttribute("data-sw"), guideRoot);
  var scope = new URL("./", worker);
  pointRetry();
  var local = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(location.hostname);
  var flagged = /[?&]sw=1(&|$)/.test(location.search);
  var register = location.protocol === "https:" || (local && flagged);
  if (!register && !navigator.serviceWorker.controller) return;
  if (register) {
    navigator.serviceWorker.register(worker.href, { scope: scope.href }).catch(function (err) {
      console.warn("service worker not registered:", err);
    });
  }
  navigator.serviceWorker.ready.then(function (registration) {
    root.setAttribute("data-offline", "ready");
    return keep(registration.active, { type: "xueshi-keep", page: location.href });
  }).then(function (answer) {
    if (answer) root.setAttribute("data-offline-kept", answer.kept.join(" "));
  }, function (err) {
    console.warn("service worker:", err);
  });

  function keep(active, message) {
    if (!active) return null;
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) { resolve(event.data); };
      active.postMessage(message, [channel.port2]);
    });
  }

  function pointRetry() {
    var retry = document.getElementById("xs-offline-retry");
    var asked = new URLSearchParams(location.search).get("page");
    if (!retry || !asked) return;
    var target = new URL(asked, scope);
    if (target.origin === location.origin && target.href.indexOf(scope.href) === 0) retry.href = target.href;
  }
})(document.currentScript);
