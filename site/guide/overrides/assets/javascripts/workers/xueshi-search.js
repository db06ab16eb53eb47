// Search worker of the policy guides: mkdocs-material's own worker, with the query split
// exactly like the index, and the pages that hold what was typed, as typed, listed first.
//
// The index is split by the configured `separator` (site/guide/mkdocs.yml; the theme's
// tokenizer applies it to every page), but the theme splits a query only at white space
// (lunr's query lexer keeps its default separator), so "40分钟" or "〔2021〕61号" stayed
// one term that no indexed word begins with. Here the same `separator`, received with the
// index, is applied to the query first: "湘人社函〔2021〕61号" -> "湘人社函 2021 61 号".
// The theme then cuts the Chinese runs into words the index holds, as it always does.
//
// Ranking: lunr scores words, not phrases, so a page titled "…40号" outranked the page
// that says "每40分钟". A page whose text contains the whole query (separators removed
// from both, so "40分钟" matches "每 40 分钟") comes before one that has only its parts;
// otherwise the theme's order stands. A figure typed must be on the page ("+135").
//
// main.html points the theme at this file as workers/xueshi-search.js?theme=<its worker>.
"use strict";

(function () {
  var theme = new URL(self.location.href).searchParams.get("theme") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(theme)) {
    throw new Error("xueshi-search.js: no theme worker given (?theme=search.<hash>.min.js)");
  }
  var separator = null;
  var plain = new Map(); // location -> title + text, tags and separators removed
  var phrase = "";

  function squash(text) {
    return text.replace(/<[^>]*>/g, "").replace(separator, "").toLowerCase();
  }

  // Registered before the theme's handler, so it runs first on the same message object.
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (!message || typeof message !== "object") return;
    if (message.data && message.data.config && typeof message.data.config.separator === "string") {
      separator = new RegExp(message.data.config.separator, "g"); // the index's setup message
      plain.clear();
      (message.data.docs || []).forEach(function (doc) {
        plain.set(doc.location, squash((doc.title || "") + " " + (doc.text || "")));
      });
    } else if (typeof message.data === "string" && separator) {
      phrase = /["+\-*~^:]/.test(message.data) ? "" : squash(message.data); // plain typing only
      message.data = message.data // a query
        .replace(separator, " ")
        .split(" ")
        .map(function (part) { return /^[0-9]+$/.test(part) ? "+" + part : part; })
        .join(" ");
    }
  });

  // The theme answers with postMessage({type, data: {items: SearchItem[][]}}).
  var post = self.postMessage.bind(self);
  self.postMessage = function (message) {
    var items = message && message.data && message.data.items;
    if (Array.isArray(items) && phrase.length > 1) {
      var holds = function (group) {
        return group.some(function (item) { return (plain.get(item.location) || "").indexOf(phrase) >= 0; });
      };
      message.data.items = items.filter(holds).concat(items.filter(function (g) { return !holds(g); }));
    }
    post(message);
  };

  importScripts(theme);
})();
