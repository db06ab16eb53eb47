"""The site's security policy: one Content-Security-Policy for every page, and the headers
a server should send with every file.

Every built page carries `SITE_CSP` in a ``<meta http-equiv>`` tag (the calculator, the
batch page and every guide page). A ``<meta>`` policy does not reach a Web Worker or a
service worker: a worker obeys only the policy of its own HTTP response, so a server should
also send `SECURITY_HEADERS` (``python build.py serve`` and the test servers do; the README's
"在单位内网部署" section shows the same values for nginx, and a test keeps them equal).

Why each part:

* ``default-src 'self'``: nothing from another host, ever (no CDN, font, analytics).
* ``script-src 'self' 'wasm-unsafe-eval'``: scripts only from the site's own files, no
  inline script, no ``eval``; ``'wasm-unsafe-eval'`` lets Pyodide compile WebAssembly
  (it does not allow ``eval`` or ``new Function``).
* ``worker-src 'self'``: the engine's worker, the guides' search worker and the service
  worker are files of the site (no ``blob:`` workers).
* ``style-src 'self'``: no inline ``<style>`` or ``style=""``.
* ``img-src 'self' data:``: the guides' theme draws a few icons from ``data:`` URLs, and the
  tool's pages carry their own icon as one (sitebuild.site.pages.icon_data_url).
* ``connect-src 'self'``: fetch/XHR only to the site itself.
* ``object-src 'none'; base-uri 'self'; form-action 'self'``: no plugins, no ``<base>``
  hijack, no form posting elsewhere.
"""

from __future__ import annotations

SITE_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": SITE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

__all__ = ["SECURITY_HEADERS", "SITE_CSP"]
