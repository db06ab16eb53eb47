// A classic (non-module) script that runs before the page's module: it tells the person
// what is wrong when the module cannot run at all, instead of a page that never starts.
//
// * Opened from disk (file://): browsers refuse module scripts, Web Workers and
//   WebAssembly streaming for file: pages, so the calculator cannot work there. Say how
//   to serve the folder instead.
// * The page's module (or one of its imports) fails to load, e.g. a missing file or a
//   server sending .js with a wrong MIME type: the <script type="module"> element fires
//   "error", caught here in the capture phase.
//
// No inline script is needed (CSP script-src 'self'); a classic script still runs on
// file: pages. Sets <html data-boot="failed"> for tests.
(function () {
  "use strict";
  var root = document.documentElement;

  function show(title, lines) {
    if (root.getAttribute("data-boot") === "failed") return;
    root.setAttribute("data-boot", "failed");
    var box = document.createElement("div");
    box.className = "boot-failure wrap";
    box.id = "boot-failure";
    box.setAttribute("role", "alert");
    var heading = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = title;
    heading.appendChild(strong);
    box.appendChild(heading);
    for (var i = 0; i < lines.length; i++) {
      var p = document.createElement("p");
      p.textContent = lines[i];
      box.appendChild(p);
    }
    var place = function () {
      var engine = document.getElementById("engine");
      if (engine) {
        engine.hidden = true; // its spinner would never finish
        engine.parentNode.insertBefore(box, engine);
      } else {
        document.body.insertBefore(box, document.body.firstChild);
      }
      document.body.setAttribute("data-engine", "failed");
      var status = document.getElementById("status");
      if (status) {
        status.className = "status status-bad";
        var label = status.querySelector(".status-label");
        var icon = status.querySelector(".status-icon");
        var summary = status.querySelector(".status-summary");
        if (label) label.textContent = "无法计算";
        if (icon) icon.textContent = "!";
        if (summary) summary.textContent = "本页的程序没有运行，原因和处理办法见页面上方的红色提示。";
      }
    };
    if (document.body) place();
    else document.addEventListener("DOMContentLoaded", place);
  }

  if (location.protocol === "file:") {
    show("请通过网址打开本工具，不要直接双击打开文件", [
      "浏览器不允许从本地文件（file://）运行本工具的计算引擎（JavaScript 模块、后台线程和 WebAssembly），所以这样打开无法计算。",
      "请在站点文件夹（包含 index.html 的文件夹）中运行：python3 -m http.server 8000，然后在浏览器中打开 http://localhost:8000/ 。",
      "也可以把整个文件夹交给单位的网站管理员，放到内网的 Web 服务器上（见 README“在单位内网部署”）。",
    ]);
    return;
  }

  registerServiceWorker();

  window.addEventListener("error", function (event) {
    var target = event.target;
    if (!target || target.tagName !== "SCRIPT" || target.type !== "module") return;
    if (target.async) return; // static/start.js only starts the engine early; the page does it itself without it
    // Nothing will use the engine static/start.js began loading: stop its download.
    var early = window.xueshiEarlyWorker;
    if (early && early.worker && !early.taken) early.worker.terminate();
    show("页面程序未能加载", [
      "文件 " + (target.getAttribute("src") || "").split("?")[0] + "（或它引用的文件）无法从服务器加载。",
      "请检查：本站的 static/ 文件夹完整；服务器把 .js 文件的 MIME 类型设为 text/javascript（见 README“在单位内网部署”）；广告拦截等浏览器插件没有拦截本站文件。然后刷新页面重试。",
    ]);
  }, true);

  // The service worker (sw.js in the site root, see sitebuild/site/offline.py) keeps the
  // site's files for a visit without network. Browsers allow one only in a secure
  // context, so it is registered over HTTPS only; on plain-HTTP intranet hosts there is
  // none and nothing is said about offline use. On localhost (a secure context) only
  // with ?sw=1, so that tests and local development see every request.
  function registerServiceWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    var local = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(location.hostname);
    var flagged = /[?&]sw=1(&|$)/.test(location.search);
    if (location.protocol !== "https:" && !(local && flagged)) return;
    var base = document.baseURI.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
    navigator.serviceWorker.register(base + "sw.js", { scope: base }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      root.setAttribute("data-offline", "ready");
      var footer = document.querySelector(".site-footer");
      if (footer && !document.getElementById("offline-note")) {
        var note = document.createElement("p");
        note.id = "offline-note";
        note.textContent = "本页已存入浏览器：以后断网时也能打开和计算。";
        footer.appendChild(note);
      }
    }, function (err) {
      console.warn("service worker not registered:", err);
    });
  }
})();
