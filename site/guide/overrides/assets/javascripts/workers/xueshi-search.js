// Search worker of the policy guides: mkdocs-material's own worker, with the query split
// exactly like the index, and the pages that hold what was typed, as typed, listed first.
//
// The index is split by the configured `separator` (site/guide/mkdocs.yml; the theme's
// tokenizer applies it to every page), but the theme splits a query only at white space
// (lunr's query lexer keeps its default separator), so "40分钟" or "〔2021〕61号" stayed
// one term that no indexed word begins with. Here the same `separator`, received with the
// index, is applied to the query first: "湘人社函〔2021〕61号" -> "湘人社函 2021 61 号".
// Chinese runs are then cut into words the index holds (longest first, left to right:
// "法宣在线" -> "法宣 在线"), the words being those of the index's own text split by the
// same separator. (The theme cuts them too, but joins the pieces with "*" before adding
// its own, and a doubled "**" makes lunr walk the whole index: 1-3 s per query.)
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
  var words = new Set(); // every word of the index
  var LONGEST = 8;

  function cut(run) {
    var out = [];
    for (var i = 0; i < run.length;) {
      var n = Math.min(LONGEST, run.length - i);
      while (n > 1 && !words.has(run.substr(i, n))) n--;
      out.push(run.substr(i, n));
      i += n;
    }
    return out.join(" ");
  }

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
      words.clear();
      (message.data.docs || []).forEach(function (doc) {
        var text = (doc.title || "") + " " + (doc.text || "");
        plain.set(doc.location, squash(text));
        text.replace(/<[^>]*>/g, " ").split(separator).forEach(function (word) {
          if (word && word.length <= LONGEST) words.add(word.toLowerCase());
        });
      });
    } else if (typeof message.data === "string" && separator) {
      phrase = /["+\-*~^:]/.test(message.data) ? "" : squash(message.data); // plain typing only
      message.data = message.data // a query
        .replace(separator, " ")
        .replace(/[\u3400-\u9fff]+/g, cut)
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
