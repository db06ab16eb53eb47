// Asks the site's service worker (sw.js, registered by static/boot.js) to keep the chosen
// rule set's guide pages and original notices for reading offline; which pages those are
// is the worker's build data (sitebuild/site/offline.py), this module knows only the id.
//
// Nothing happens without a worker (plain HTTP, localhost without ?sw=1): `ready` then never
// resolves. The answer goes on <html data-offline-kept="<ids>"> (for tests) and, once, into
// the footer's offline note.

const KEPT_NOTE = "所选规则集的政策指南页面和原文也已存入，断网时可以查看。";

let asked = Promise.resolve();

/** Keep `ruleSetId`'s guide pages; the requests go one after another, in the order chosen. */
export function keepGuidePages(ruleSetId) {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  asked = asked
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => ask(registration.active, { type: "xueshi-keep", rule_set: ruleSetId }))
    .then(show, (err) => console.warn("service worker:", err));
}

function ask(worker, message) {
  if (!worker) return null;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    worker.postMessage(message, [channel.port2]);
  });
}

function show(answer) {
  if (!answer) return;
  document.documentElement.setAttribute("data-offline-kept", answer.kept.join(" "));
  const note = document.getElementById("offline-note");
  if (answer.kept.length && note && !note.textContent.includes(KEPT_NOTE)) note.append(KEPT_NOTE);
}
