// Search worker of the policy guides: mkdocs-material's own worker, with the query split
// exactly like the index.
//
// The index is split by the configured `separator` (site/guide/mkdocs.yml; the theme's
// tokenizer applies it to every page), but the theme splits a query only at white space
// (lunr's query lexer keeps its default separator), so "40分钟" or "〔2021〕61号" stayed
// one term that no indexed word begins with. Here the same `separator`, received with the
// index, is applied to the query first: "湘人社函〔2021〕61号" -> "湘人社函 2021 61 号".
// The theme then cuts the Chinese runs into words the index holds, as it always does.
// A figure typed is what the reader is after ("135学时", "144元"): a page must contain it
// ("+135", lunr's required term), or a page full of 学 outranks the one that says 135.
//
// main.html points the theme at this file as workers/xueshi-search.js?theme=<its worker>.
"use strict";

(function () {
  var theme = new URL(self.location.href).searchParams.get("theme") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(theme)) {
    throw new Error("xueshi-search.js: no theme worker given (?theme=search.<hash>.min.js)");
  }
  var separator = null;

  // Registered before the theme's handler, so it runs first on the same message object.
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (!message || typeof message !== "object") return;
    if (message.data && message.data.config && typeof message.data.config.separator === "string") {
      separator = new RegExp(message.data.config.separator, "g"); // the index's setup message
    } else if (typeof message.data === "string" && separator) {
      message.data = message.data  // a query
        .replace(separator, " ")
        .split(" ")
        .map(function (part) { return /^[0-9]+$/.test(part) ? "+" + part : part; })
        .join(" ");
    }
  });

  importScripts(theme);
})();
