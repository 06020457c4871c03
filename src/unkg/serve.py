"""`unkg serve`: the linked-data site and a read-only SPARQL endpoint on one local port.

A small WSGI application served by waitress:
- `/sparql` (GET and POST) is passed to an Oxigraph server (`oxigraph serve-read-only`, PyPI
  package `oxigraph`) that unkg starts on a private 127.0.0.1 port over the same store with the
  union of all named graphs as default graph. Oxigraph implements the SPARQL 1.1 Protocol,
  result-format negotiation with q-values, a query timeout and the service description (GET
  without a query). Updates are refused here (403/415) before they reach it, and it is
  read-only besides.
- every other path names a resource `{base}{path}`: its page is negotiated from the Accept
  header among text/html, text/turtle and application/ld+json (q-values; 406 when none is
  acceptable; `Vary: Accept`), read from a published site folder (`--site`) when it has the
  file, otherwise rendered from the store. `{path}.html|.ttl|.jsonld` asks for one form; a
  document's part (paragraph, footnote…) answers 303 See Other to its document's page; other
  files of the site folder (void.ttl, dumps, sitemap.xml…) are served as they are. Pages
  need an index of the store, built in the background at start-up: until it is ready they
  answer 503 with Retry-After, while /sparql answers at once.
"""

from __future__ import annotations

import http.client
import mimetypes
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable
from urllib.parse import quote

from . import formats
from .errors import StoreError, UnkgError
from .security import uses_service
from .sitepaths import PAGE_EXTENSIONS, UnsafePathError, inside, iri_of

if TYPE_CHECKING:
    from .site_model import SiteIndex

StartResponse = Callable[..., Any]
PAGE_FORMATS = [formats.lookup("html", ("page",)), formats.lookup("ttl", ("rdf",)),
                formats.lookup("jsonld", ("rdf",))]
_CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".ttl": "text/turtle; charset=utf-8",
                  ".jsonld": "application/ld+json", ".nq": "application/n-quads",
                  ".gz": "application/gzip", ".xml": "application/xml", ".conf": "text/plain; charset=utf-8",
                  ".md": "text/markdown; charset=utf-8", ".sha256": "text/plain; charset=utf-8"}
_QUERY_TYPES = ("application/x-www-form-urlencoded", "application/sparql-query")


def oxigraph_executable() -> str:
    """The `oxigraph` server binary installed beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise UnkgError("the Oxigraph server is not installed: pip install oxigraph")


def server_command(store: str | Path, host: str = "127.0.0.1", port: int = 7878,
                   timeout_s: int | None = 60, cors: bool = False) -> list[str]:
    """The command line of the Oxigraph server that answers SPARQL read-only over `store`."""
    if not (Path(store) / "CURRENT").exists():
        raise StoreError(f"no store at {store}: run `unkg load` first or pass --store")
    cmd = [oxigraph_executable(), "serve-read-only", "--location", str(store),
           "--bind", f"{host}:{port}", "--union-default-graph"]
    if timeout_s:
        cmd += ["--timeout-s", str(timeout_s)]
    if cors:
        cmd.append("--cors")
    return cmd


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_for(port: int, proc: subprocess.Popen[bytes], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StoreError(f"the SPARQL server stopped at start (exit {proc.returncode}); is the store valid?")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise StoreError("the SPARQL server did not start within 20 s")


def _response(start: StartResponse, status: str, body: bytes, content_type: str = "text/plain; charset=utf-8",
              headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    start(status, [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers])
    return [body]


class SiteApp:
    """The WSGI application: pages with content negotiation, site files, and /sparql.

    Pages need an index of the store's resources (a minute at 30,000 documents). With
    `background`, it is built in a thread: /sparql answers at once, and every other path answers
    503 with Retry-After until the index is ready (`log` hears when it is, or why it failed).
    """

    idx: SiteIndex
    sessions: dict[str, dict[str, list[str]]]

    def __init__(self, store_path: str | Path, base_iri: str, site: str | Path | None = None,
                 sparql_port: int | None = None, cors: bool = False, background: bool = False,
                 log: Callable[[str], None] | None = None):
        from .publish import render_page
        from .store import EmbeddedStore

        self.base = base_iri
        self.site = Path(site) if site else None
        self.sparql_port = sparql_port
        self.cors = cors
        self.store = EmbeddedStore(store_path, read_only=True)
        self._render = render_page
        self._log = log or (lambda message: None)
        self._ready = threading.Event()
        self._failed: str | None = None
        self._started = time.monotonic()
        if background:
            threading.Thread(target=self._index_in_background, name="unkg-page-index", daemon=True).start()
        else:
            self._index()

    def _index(self) -> None:
        from .publish import session_resolutions
        from .site_model import build_index

        idx = build_index(self.store, self.base)
        self.sessions = session_resolutions(idx)
        self.idx = idx
        self._ready.set()
        self._log(f"pages ready: {len(idx.pages):,} resources indexed in {time.monotonic() - self._started:.1f} s")

    def _index_in_background(self) -> None:
        try:
            self._index()
        except Exception as exc:  # any failure: said on every page request, and once here
            self._failed = f"{type(exc).__name__}: {exc}"
            self._log(f"the page index could not be built ({self._failed}); only /sparql answers")

    def _not_ready(self, start: StartResponse) -> list[bytes]:
        if self._failed is not None:
            return _response(start, "500 Internal Server Error",
                             f"the page index could not be built: {self._failed}; /sparql still answers\n".encode())
        waited = time.monotonic() - self._started
        return _response(start, "503 Service Unavailable",
                         f"building the page index of the store ({waited:.0f} s so far); "
                         "/sparql answers already\n".encode(), headers=[("Retry-After", "5")])

    # ---- WSGI ----------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        try:
            raw = environ.get("PATH_INFO", "/")
            # WSGI hands the decoded path as latin-1 text; the site's paths are UTF-8
            path = raw.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return _response(start, "400 Bad Request", b"bad path encoding\n")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/sparql":
            return self.sparql(environ, start)
        if method not in ("GET", "HEAD"):
            return _response(start, "405 Method Not Allowed", b"read-only: GET or HEAD\n",
                             headers=[("Allow", "GET, HEAD")])
        if not self._ready.is_set():
            return self._not_ready(start)
        return self.resource(path.lstrip("/"), environ.get("HTTP_ACCEPT"), start)

    # ---- pages and files -------------------------------------------------------------------------

    def _site_file(self, rel: str) -> Path | None:
        if self.site is None or not rel or any(seg.startswith(".") for seg in rel.split("/")):
            return None
        try:
            target = inside(self.site, rel)
        except UnsafePathError:
            return None
        return target if target.is_file() else None

    def _form(self, iri: str, ext: str) -> bytes | None:
        """One form of a resource's page: from the site folder if it has it, else rendered."""
        rel = self.idx.pages.get(iri)
        if rel is None:
            return None
        found = self._site_file(rel + ext)
        if found is not None:
            return found.read_bytes()
        return self._render(self.store, self.idx, iri, self.sessions)[ext]

    def resource(self, rel: str, accept: str | None, start: StartResponse) -> Iterable[bytes]:
        if rel in ("", "index.html"):
            index = self._site_file("index.html")
            body = index.read_bytes() if index else _home(self.idx).encode()
            return _response(start, "200 OK", body, _CONTENT_TYPES[".html"])
        for ext in PAGE_EXTENSIONS:  # one form asked for by its extension
            if rel.endswith(ext):
                stem = rel[: -len(ext)]
                iri = _iri(stem, self.base)
                if iri is not None and iri in self.idx.pages:
                    data = self._form(iri, ext)
                    if data is not None:
                        return _response(start, "200 OK", data, _CONTENT_TYPES[ext])
        static = self._site_file(rel)
        if static is not None:
            ctype = _CONTENT_TYPES.get(static.suffix) or mimetypes.guess_type(static.name)[0] \
                or "application/octet-stream"
            return _response(start, "200 OK", static.read_bytes(), ctype)
        iri = _iri(rel, self.base)
        where = self.idx.page_of(iri) if iri else None
        if iri is None or where is None:
            return _response(start, "404 Not Found", f"no resource at /{rel}\n".encode())
        page, anchor = where
        if anchor:  # a part: described on its document's page
            location = "/" + quote(self.idx.pages[page], safe="/-._~!$&'()*+,;=:@") \
                + "#" + quote(anchor, safe="/-._~")
            return _response(start, "303 See Other", f"see {location}\n".encode(),
                             headers=[("Location", location), ("Vary", "Accept")])
        chosen = formats.negotiate(accept, PAGE_FORMATS)
        if chosen is None:
            offered = ", ".join(f.mime for f in PAGE_FORMATS)
            return _response(start, "406 Not Acceptable", f"available: {offered}\n".encode(),
                             headers=[("Vary", "Accept")])
        ext = chosen.extensions[0]
        data = self._form(page, ext)
        assert data is not None
        name = quote(rel.rsplit("/", 1)[-1], safe="-._~!$&'()*+,;=:@")
        return _response(start, "200 OK", data, _CONTENT_TYPES[ext],
                         headers=[("Vary", "Accept"), ("Content-Location", name + ext)])

    # ---- SPARQL ----------------------------------------------------------------------------------

    def sparql(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        cors = [("Access-Control-Allow-Origin", "*")] if self.cors else []
        if method == "OPTIONS" and self.cors:
            return _response(start, "204 No Content", b"", headers=cors + [
                ("Access-Control-Allow-Methods", "GET, POST"),
                ("Access-Control-Allow-Headers", "Content-Type, Accept")])
        if method not in ("GET", "HEAD", "POST"):
            return _response(start, "405 Method Not Allowed", b"GET or POST a SPARQL query\n",
                             headers=[("Allow", "GET, POST")])
        body = b""
        ctype = (environ.get("CONTENT_TYPE") or "").split(";", 1)[0].strip().lower()
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            if ctype == "application/sparql-update" or (
                    ctype == "application/x-www-form-urlencoded" and _has_param(body, "update")):
                return _response(start, "403 Forbidden", b"this endpoint is read-only: no SPARQL update\n",
                                 headers=cors)
            if ctype not in _QUERY_TYPES:
                return _response(start, "415 Unsupported Media Type",
                                 b"POST a query as application/sparql-query or a form\n", headers=cors)
        query_string = environ.get("QUERY_STRING", "")
        if _has_param(query_string.encode("latin-1"), "update"):
            return _response(start, "403 Forbidden", b"this endpoint is read-only: no SPARQL update\n",
                             headers=cors)
        if uses_service(_query_text(method, ctype, body, query_string)):
            # Oxigraph would send the query on to the SERVICE's server: no network unless asked
            return _response(start, "403 Forbidden", b"this endpoint does not run SERVICE (federated) "
                             b"queries\n", headers=cors)
        if self.sparql_port is None:
            return _response(start, "503 Service Unavailable", b"no SPARQL server\n")
        headers = {"Accept": environ.get("HTTP_ACCEPT") or "*/*"}
        if method == "POST":
            headers["Content-Type"] = environ.get("CONTENT_TYPE", ctype)
        conn = http.client.HTTPConnection("127.0.0.1", self.sparql_port, timeout=3600)
        try:
            conn.request("GET" if method == "HEAD" else method,
                         "/query" + (f"?{query_string}" if query_string else ""), body=body or None,
                         headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            status = f"{answer.status} {answer.reason}"
            out_type = answer.getheader("Content-Type") or "text/plain"
        except OSError as exc:
            return _response(start, "502 Bad Gateway", f"SPARQL server: {exc}\n".encode())
        finally:
            conn.close()
        return _response(start, status, data, out_type, headers=cors + [("Vary", "Accept")])


def _query_text(method: str, ctype: str, body: bytes, query_string: str) -> str:
    """The SPARQL text of a protocol request: `query=` in the URL or form, or the POSTed query."""
    from urllib.parse import parse_qs

    texts = parse_qs(query_string, keep_blank_values=True).get("query", [])
    if method == "POST" and ctype == "application/sparql-query":
        texts.append(body.decode("utf-8", "replace"))
    elif method == "POST":
        texts += parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).get("query", [])
    return "\n".join(texts)


def _has_param(body: bytes, name: str) -> bool:
    from urllib.parse import parse_qs
    return name in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)


def _iri(rel: str, base: str) -> str | None:
    if not rel or any(seg in ("", ".", "..") for seg in rel.split("/")):
        return None
    return iri_of(rel, base)


def _home(idx: Any) -> str:
    from .site_html import index_page
    from .site_model import UNKG
    sessions = sorted((i for i in idx.pages if UNKG + "Session" in idx.types.get(i, set())),
                      key=lambda i: (idx.label(i), i))
    resolutions = sorted((i for i in idx.pages if i in idx.doc_graph and idx.is_resolution(i)),
                         key=lambda i: (idx.label(i), i))
    return index_page(idx, sessions, resolutions, [("sparql", "SPARQL endpoint (/sparql)")],
                      "unkg: United Nations resolutions as linked data")


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(store: str | Path, host: str = "127.0.0.1", port: int = 7878, timeout_s: int | None = 60,
          cors: bool = False, base_iri: str = "https://w3id.org/unkg/", site: str | Path | None = None,
          threads: int = 4, log: Callable[[str], None] | None = None) -> int:
    """Run the site and the SPARQL endpoint in the foreground until interrupted. The port
    answers at once; pages follow when the store's index is built (`SiteApp`, background)."""
    import waitress

    if site is not None and not Path(site).is_dir():
        raise UnkgError(f"no published site at {site}: run `unkg publish {site}` first")
    sparql_port = _free_port()
    proc = subprocess.Popen(server_command(store, "127.0.0.1", sparql_port, timeout_s, cors),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # `kill` (SIGTERM) ends the server like Ctrl-C, so the Oxigraph child is stopped too
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        _wait_for(sparql_port, proc)
        app = SiteApp(store, base_iri, site, sparql_port, cors, background=True, log=log)
        waitress.serve(app, host=host, port=port, threads=threads, ident="unkg")
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
