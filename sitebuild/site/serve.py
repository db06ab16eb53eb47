"""A small static file server for the built site (local use, tests, benchmarks).

    with serve(Path("_site"), base_path="/tools/xueshi/") as server:
        print(server.url)   # http://127.0.0.1:PORT/tools/xueshi/

CLI: ``python -m sitebuild.site.serve DIR [--port N] [--base /tools/xueshi/] [--gzip] [--cache]``
(sends the site's security headers, `sitebuild.site.security.SECURITY_HEADERS`, like ``python build.py serve``).

Not a production server: it exists so that the site is always exercised the
way a static host serves it (right MIME types, under a sub-path, optionally
compressed and with long-lived caching).
"""

from __future__ import annotations

import argparse
import email.utils
import gzip as gzip_mod
import mimetypes
import re
import socket
import sys
import threading
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from .security import SECURITY_HEADERS

# Explicit types: the platform mimetypes table varies and often lacks .mjs,
# .wasm or .woff2 (a wrong wasm type breaks WebAssembly.instantiateStreaming).
MIME_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".gz": "application/gzip",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json; charset=utf-8",
}

# Worth compressing on the fly: text, and wasm (9.6 MB -> about 3 MB).
# .zip/.whl are already deflated; fonts and images are compressed formats.
_COMPRESSIBLE = re.compile(
    r"^(text/|application/(json|javascript|wasm|xml|manifest\+json)|image/svg)"
)

# A content hash as its own token in a path ("app.3f9c2a7b.js",
# "807be9520b3d05fa/x.whl"): 8+ hex digits with at least one letter, so
# that plain dates and version numbers do not count.
_HASH_TOKEN = re.compile(r"(?:^|[./_-])(?=[0-9]*[a-f])[0-9a-f]{8,}(?:[./_-]|$)")

IMMUTABLE = "public, max-age=31536000, immutable"


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in MIME_TYPES:
        return MIME_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def is_versioned(rel_path: str, query: str = "") -> bool:
    """True if the URL of this file changes whenever its content does.

    Everything under ``pyodide/`` counts (names carry pinned versions, and
    the app wheel sits in a content-hash folder) except the JSON index files
    that point at them; so does a name with a content hash, and a URL with the
    build's ``?v=<version>`` (the pages' scripts and styles, and every import between
    the scripts: `sitebuild.site.modules`), as the service worker (sw.js isVersioned) counts them.
    """
    if rel_path.startswith("pyodide/") and not rel_path.endswith(".json"):
        return True
    return bool(_HASH_TOKEN.search(rel_path)) or "v" in parse_qs(query)


# Pre-compressed siblings a build writes (`sitebuild.site.precompress`), best first:
# (file suffix, Content-Encoding).
SIBLINGS: tuple[tuple[str, str], ...] = ((".br", "br"), (".zst", "zstd"), (".gz", "gzip"))


def _accepted(header: str | None) -> set[str]:
    """Content codings an Accept-Encoding header allows ("*" stands for any)."""
    found = set()
    for part in (header or "").split(","):
        coding, _, params = part.strip().partition(";")
        if params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            found.add(coding.strip().lower())
    return found


class _Handler(BaseHTTPRequestHandler):
    server: _SiteHTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive: the page fetches ~12 files

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _respond(self, send_body: bool) -> None:
        cfg = self.server
        url = urlsplit(self.path)
        path = unquote(url.path)
        if not path.startswith(cfg.base_path):
            if path + "/" == cfg.base_path:
                return self._redirect(cfg.base_path, url.query)
            return self._error(HTTPStatus.NOT_FOUND)
        rel = path[len(cfg.base_path) :]
        parts = [p for p in rel.split("/") if p]
        if any(p in (".", "..") or "\\" in p or "\0" in p for p in parts):
            return self._error(HTTPStatus.NOT_FOUND)
        file = cfg.root.joinpath(*parts)
        if file.is_dir():
            if not path.endswith("/"):
                return self._redirect(url.path + "/", url.query)
            file = file / "index.html"
            parts.append("index.html")
        # is_relative_to: a symlink must not lead out of the site directory.
        if not file.is_file() or not file.resolve().is_relative_to(cfg.root):
            return self._error(HTTPStatus.NOT_FOUND)
        self._send_file(file, "/".join(parts), send_body, url.query)

    def _send_file(self, file: Path, rel: str, send_body: bool, query: str = "") -> None:
        cfg = self.server
        ctype = content_type(file)
        encoding: str | None = None
        source = file
        accepted = _accepted(self.headers.get("Accept-Encoding")) if cfg.gzip else set()
        for suffix, coding in SIBLINGS:
            sibling = file.with_name(file.name + suffix)
            if accepted & {coding, "*"} and sibling.is_file():
                source, encoding = sibling, coding
                break
        else:
            if accepted & {"gzip", "*"} and _COMPRESSIBLE.match(ctype):
                encoding = "gzip"
        stat = source.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-" + encoding if encoding else ""}"'

        if self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._common_headers(ctype, rel, etag, stat.st_mtime, query)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if encoding and source is file:
            body = cfg.compressed(file)
        else:
            body = source.read_bytes()
        self.send_response(HTTPStatus.OK)
        self._common_headers(ctype, rel, etag, stat.st_mtime, query)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _common_headers(self, ctype: str, rel: str, etag: str, mtime: float, query: str = "") -> None:
        cfg = self.server
        self.send_header("Content-Type", ctype)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
        if cfg.gzip:
            self.send_header("Vary", "Accept-Encoding")
        if cfg.cache and is_versioned(rel, query) and not ctype.startswith("text/html"):
            self.send_header("Cache-Control", IMMUTABLE)
        else:
            # Revalidate (cheap 304 via ETag) so a rebuild is seen at once.
            self.send_header("Cache-Control", "no-cache")
        for name, value in cfg.extra_headers.items():
            self.send_header(name, value)

    def _redirect(self, location: str, query: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location + (f"?{query}" if query else ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _error(self, status: HTTPStatus) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _SiteHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        base_path: str,
        gzip: bool,
        cache: bool,
        extra_headers: Mapping[str, str],
        verbose: bool,
    ) -> None:
        self.root = root
        self.base_path = base_path
        self.gzip = gzip
        self.cache = cache
        self.extra_headers = dict(extra_headers)
        self.verbose = verbose
        self._gz_cache: dict[tuple[Path, int, int], bytes] = {}
        self._gz_lock = threading.Lock()
        self._open: set[socket.socket] = set()  # connections being served (kept alive)
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def get_request(self) -> tuple[socket.socket, object]:
        conn, addr = super().get_request()
        with self._open_lock:
            self._open.add(conn)
        return conn, addr

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that hangs up (or a connection close_connections ended) is not a fault
        # of the server; anything else is printed as before.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """End the connections still open: a stopped server must not answer on a connection the
        browser kept alive (the offline tests stop it to take the network away)."""
        with self._open_lock:
            open_now = list(self._open)
        for conn in open_now:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def compressed(self, file: Path) -> bytes:
        """gzip of ``file``, memoised per (path, mtime, size): wasm takes ~0.5 s."""
        stat = file.stat()
        key = (file, stat.st_mtime_ns, stat.st_size)
        with self._gz_lock:
            hit = self._gz_cache.get(key)
        if hit is None:
            hit = gzip_mod.compress(file.read_bytes(), compresslevel=6, mtime=0)
            with self._gz_lock:
                self._gz_cache[key] = hit
        return hit


class StaticServer:
    """A running server; stop it with ``stop()`` or use it as a context manager."""

    def __init__(self, httpd: _SiteHTTPServer, host: str) -> None:
        self._httpd = httpd
        self.host = host
        self.port: int = httpd.server_address[1]
        self.base_path = httpd.base_path
        self.root = httpd.root
        shown = f"[{host}]" if ":" in host else host
        self.origin = f"http://{shown}:{self.port}"
        self.url = self.origin + self.base_path  # ends with "/"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
            name=f"sitebuild.site.serve:{self.port}", daemon=True,
        )  # fmt: skip
        self._thread.start()

    def wait_until_interrupted(self) -> None:
        """Serve until Ctrl-C (the command lines), then stop."""
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.close_connections()
        self._thread.join(timeout=5)

    def __enter__(self) -> StaticServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def normalize_base_path(base_path: str) -> str:
    """ "tools/xueshi" -> "/tools/xueshi/"."""
    inner = "/".join(p for p in base_path.split("/") if p)
    return f"/{inner}/" if inner else "/"


def serve(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    base_path: str = "/",
    *,
    gzip: bool = False,
    cache: bool = False,
    headers: Mapping[str, str] | None = None,
    verbose: bool = False,
) -> StaticServer:
    """Serve ``root`` at ``http://host:port{base_path}`` from a background thread.

    ``port=0`` picks a free port (read it from ``.port`` / ``.url``).
    ``gzip``: send the ``X.br``, ``X.zst`` or ``X.gz`` sibling the browser accepts
    (in that order) if present, else gzip text and wasm on the fly.
    ``cache``: ``immutable`` for versioned assets (see ``is_versioned``),
    ``no-cache`` for everything else; without it everything is ``no-cache``.
    ``headers``: added to every file response, e.g. a Content-Security-Policy
    (a worker script obeys the CSP of its own response, not the page's).
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"not a directory: {root}")
    httpd = _SiteHTTPServer(
        (host, port), root, normalize_base_path(base_path), gzip, cache, headers or {}, verbose
    )
    return StaticServer(httpd, host)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sitebuild.site.serve", description="Serve the built site."
    )
    parser.add_argument("root", type=Path, help="site directory")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port (default 8000)")
    parser.add_argument("--base", default="/", help="URL sub-path, e.g. /tools/xueshi/")
    parser.add_argument("--gzip", action="store_true", help="compress responses (pre-compressed .br/.zst/.gz siblings first)")
    parser.add_argument(
        "--cache", action="store_true", help="long-lived caching of versioned assets"
    )
    parser.add_argument("--header", action="append", default=[], metavar="'Name: value'")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    given = dict(h.split(":", 1) for h in args.header)
    # The site's security headers (CSP for the worker too), unless --header overrides one.
    headers = {**SECURITY_HEADERS, **{k.strip(): v.strip() for k, v in given.items()}}
    server = serve(
        args.root, args.host, args.port, args.base,
        gzip=args.gzip, cache=args.cache, headers=headers, verbose=args.verbose,
    )  # fmt: skip
    print(f"Serving {server.root} at {server.url}  (Ctrl-C to stop)", flush=True)
    server.wait_until_interrupted()
    return 0


if __name__ == "__main__":
    sys.exit(main())
