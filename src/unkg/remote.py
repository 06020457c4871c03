"""Remote SPARQL servers: run queries over the SPARQL 1.1 Protocol, push graphs over the Graph Store Protocol.

`query_endpoint` goes through SPARQLWrapper and converts the answer into the same `QueryResult` the
embedded store produces. `push_graphs` copies named graphs of an `EmbeddedStore` to a server, one
`PUT ?graph=<iri>` per graph over one keep-alive connection, so a second push replaces rather than
duplicates.

Every request runs under one overall deadline (`timeout` seconds for the whole request: connect,
send, wait and read), not only a socket timeout: a server that accepts the connection and then
trickles bytes forever still cannot hold the caller longer than `timeout`. Queries get it from a
watchdog thread; pushes, many small requests, from socket timeouts set to the time left before
each read.
"""

from __future__ import annotations

import ast
import base64
import functools
import http.client
import io
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

import pyoxigraph as ox

from .errors import QueryError, RemoteError, StoreError
from .progress import Progress, tracked
from .queries import QueryResult, from_oxigraph, query_form
from .security import refuse_service
from .store import EmbeddedStore

T = TypeVar("T")

#: Queries longer than this are sent with POST (long GET URLs fail with 414, sparqlwrapper#83).
POST_THRESHOLD = 2000
#: Characters of a failing server's body quoted in error messages.
BODY_EXCERPT = 200
#: Environment variable with a bearer token (QLever access tokens, API gateways); used when no user is set.
TOKEN_ENV = "UNKG_ENDPOINT_TOKEN"

ENDPOINT_URLS: dict[str, dict[str, str]] = {
    "oxigraph": {
        "query": "http://HOST:7878/query",
        "update": "http://HOST:7878/update",
        "graph_store": "http://HOST:7878/store",
        "notes": "`oxigraph serve --location DIR --bind HOST:7878`; GSP PUT answers 201 (created) or 204 "
                 "(replaced); no authentication of its own (put a reverse proxy in front).",
    },
    "fuseki": {
        "query": "http://HOST:3030/{dataset}/sparql (also /{dataset}/query)",
        "update": "http://HOST:3030/{dataset}/update",
        "graph_store": "http://HOST:3030/{dataset}/data",
        "notes": "Service names come from the dataset configuration (fuseki:serviceQuery, serviceUpdate, "
                 "serviceReadWriteGraphStore); these are the defaults of `fuseki-server --update`. "
                 "HTTP basic authentication when configured with Shiro/--passwd.",
    },
    "graphdb": {
        "query": "http://HOST:7200/repositories/{repo}",
        "update": "http://HOST:7200/repositories/{repo}/statements",
        "graph_store": "http://HOST:7200/repositories/{repo}/rdf-graphs/service",
        "notes": "RDF4J REST API; the repository must exist. GraphDB's default graph is the union of all "
                 "graphs. HTTP basic authentication when security is on.",
    },
    "virtuoso": {
        "query": "http://HOST:8890/sparql",
        "update": "http://HOST:8890/sparql-auth",
        "graph_store": "http://HOST:8890/sparql-graph-crud-auth",
        "notes": "Writes need a user in the SPARQL_UPDATE role. The -auth variants use HTTP *digest* "
                 "authentication, which unkg does not send; /sparql-graph-crud (no auth) works only if "
                 "the SPARQL user may update. Graph parameter `graph` (older releases: `graph-uri`).",
    },
    "qlever": {
        "query": "http://HOST:7001/",
        "update": "http://HOST:7001/ (POST, needs the access token)",
        "graph_store": "http://HOST:7001/ (?graph=<iri>; GET and POST since early 2025)",
        "notes": "One root URL for query, update and graph store; the port is chosen at `qlever start`. "
                 f"Writes need the access token: set {TOKEN_ENV} (sent as `Authorization: Bearer`). "
                 "Older releases do not accept GSP PUT, which `push_graphs` uses.",
    },
}
"""Query, update and Graph Store Protocol URL patterns of common SPARQL servers (for the README)."""


# ---- errors -------------------------------------------------------------------------------------

class EndpointError(RemoteError):
    """A server answered, but with an error status or with something that is not SPARQL results."""

    def __init__(self, message: str, endpoint: str, status: int | None = None, body: str = ""):
        super().__init__(message)
        self.endpoint = endpoint
        self.status = status
        self.body = body


@dataclass
class PushReport:
    """What `push_graphs` did: graphs and triples sent, bytes uploaded, graphs that failed."""

    graph_store_url: str
    graphs: list[str] = field(default_factory=list)  # graphs stored on the server
    triples: int = 0
    bytes: int = 0
    retries: int = 0  # requests repeated after a transient failure
    failures: dict[str, str] = field(default_factory=dict)  # graph -> error message

    @property
    def ok(self) -> bool:
        return not self.failures


class PushError(RemoteError):
    """A push stopped (server unreachable, persistent 5xx, authentication); `report` says how far it got."""

    def __init__(self, message: str, report: PushReport):
        super().__init__(message)
        self.report = report


class _Timeout(Exception):
    pass


# ---- helpers ------------------------------------------------------------------------------------

def _with_deadline(fn: Callable[[], T], timeout: float) -> T:
    """Run `fn` in a daemon thread; raise `_Timeout` when it has not finished after `timeout` seconds."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name="unkg-remote", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise _Timeout()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def _excerpt(body: bytes | str, limit: int = BODY_EXCERPT) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _looks_html(content_type: str, body: bytes) -> bool:
    if "html" in content_type.lower():
        return True
    start = body.lstrip()[:64].lower()
    return start.startswith(b"<!doctype html") or start.startswith(b"<html")


def _credentials(credentials_env: tuple[str, str]) -> tuple[str, str] | None:
    user = os.environ.get(credentials_env[0])
    if not user:
        return None
    return user, os.environ.get(credentials_env[1], "")


def _auth_header(credentials_env: tuple[str, str]) -> str | None:
    creds = _credentials(credentials_env)
    if creds is not None:
        token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode("ascii")
        return f"Basic {token}"
    bearer = os.environ.get(TOKEN_ENV)
    return f"Bearer {bearer}" if bearer else None


def _error_for(endpoint: str, status: int | None, content_type: str, body: bytes, what: str) -> EndpointError:
    text = _excerpt(body)
    if _looks_html(content_type, body):
        msg = (f"{endpoint} answered HTML (HTTP {status}) instead of {what}; is this the right URL? "
               f"Body starts: {text}")
    elif status is not None and status >= 400:
        msg = f"{endpoint} answered HTTP {status}: {text or '(empty body)'}"
    else:
        msg = f"{endpoint} answered HTTP {status} with {content_type or 'no content type'}, not {what}: {text}"
    return EndpointError(msg, endpoint, status, body.decode("utf-8", "replace")[:BODY_EXCERPT])


def _unreachable(endpoint: str, exc: BaseException) -> RemoteError:
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, TimeoutError):
        return RemoteError(f"{endpoint}: no answer in time (timeout: {reason})")
    return RemoteError(f"cannot reach {endpoint}: {reason}")


# ---- queries ------------------------------------------------------------------------------------

@dataclass
class _Answer:
    status: int
    content_type: str
    body: bytes


def _sw_status(exc: Exception) -> int | None:
    from SPARQLWrapper.SPARQLExceptions import (EndPointInternalError, EndPointNotFound, QueryBadFormed,
                                                Unauthorized, URITooLong)

    for cls, code in ((QueryBadFormed, 400), (Unauthorized, 401), (EndPointNotFound, 404),
                      (URITooLong, 414), (EndPointInternalError, 500)):
        if isinstance(exc, cls):
            return code
    return None


def _sw_body(exc: Exception) -> bytes:
    """The response body SPARQLWrapper put (as a bytes repr) into its exception message."""
    text = str(exc)
    mark = text.find("Response:\n")
    if mark < 0:
        return b""
    try:
        value = ast.literal_eval(text[mark + len("Response:\n"):])
    except (ValueError, SyntaxError):
        return text[mark + len("Response:\n"):].encode()
    return value if isinstance(value, bytes) else str(value).encode()


RETRY_STATUSES = (429, 502, 503, 504)
"""Answers that say "not now" (too many requests, a gateway or the server overloaded or restarting)."""
RETRY_AFTER_LIMIT = 30.0
"""The longest a server's Retry-After is honoured, in seconds."""


def query_endpoint(endpoint: str, sparql: str, *, timeout: float = 60.0, method: str = "auto",
                   credentials_env: tuple[str, str] = ("UNKG_ENDPOINT_USER", "UNKG_ENDPOINT_PASSWORD"),
                   allow_service: bool = False, retries: int = 2, backoff: float = 0.5,
                   on_retry: Callable[[str, float], None] | None = None) -> QueryResult:
    """Run a SELECT/ASK/CONSTRUCT/DESCRIBE query on a SPARQL endpoint and return a `QueryResult`.

    `method` is "auto" (GET, or POST when the query is longer than 2000 characters), "GET" or "POST".
    `timeout` bounds each request. HTTP basic credentials come from the two environment
    variables named by `credentials_env` when the first is set (else a bearer token from
    UNKG_ENDPOINT_TOKEN). A refused or dropped connection and the answers of `RETRY_STATUSES` are
    tried again `retries` times, after `backoff`, `2*backoff`… seconds (or the server's
    Retry-After, up to `RETRY_AFTER_LIMIT`); `on_retry(reason, delay)` is called before each wait.
    A timeout is not retried (the query would likely time out again), nor is any other answer.
    Raises `QueryError` for an update, or for a SERVICE call (the server would send requests on to
    a third server) unless `allow_service`, and `RemoteError` (`EndpointError` when the server
    answered) for every remote failure.
    """
    from SPARQLWrapper import BASIC, GET, JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    method = method.upper()
    if method not in ("AUTO", "GET", "POST"):
        raise QueryError(f"unknown HTTP method {method!r}; use auto, GET or POST")
    form = query_form(sparql)
    if not allow_service:
        refuse_service(sparql)
    sw = SPARQLWrapper(endpoint)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # its own (unreliable) query-type guess
        sw.setQuery(sparql)
    sw.queryType = form
    sw.setOnlyConneg(True)  # plain SPARQL Protocol: Accept header only, no format=/output= parameters
    if form in ("SELECT", "ASK"):
        sw.setReturnFormat(JSON)
    elif form in ("CONSTRUCT", "DESCRIBE"):
        sw.setReturnFormat(TURTLE)
        sw.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5")
    else:
        raise QueryError(f"{form} is an update, not a query; send updates to the server's update endpoint")
    use_post = method == "POST" or (method == "AUTO" and len(sparql) > POST_THRESHOLD)
    sw.setMethod(POST if use_post else GET)
    creds = _credentials(credentials_env)
    if creds is not None:
        sw.setHTTPAuth(BASIC)
        sw.setCredentials(creds[0], creds[1])
    elif os.environ.get(TOKEN_ENV):
        sw.addCustomHttpHeader("Authorization", f"Bearer {os.environ[TOKEN_ENV]}")
    sw.setTimeout(max(1, int(timeout + 0.999)))  # socket timeout; the deadline below bounds the total

    def run() -> _Answer:
        result = sw.query()
        response = result.response
        body = response.read()
        return _Answer(int(getattr(response, "status", 200)),
                       response.headers.get("Content-Type", "") or "", body)

    def attempt() -> _Answer | _Failure:
        try:
            return _with_deadline(run, timeout)
        except _Timeout:
            return _Failure(RemoteError(f"{endpoint}: no complete answer within {timeout:g} s (timeout)"))
        except SPARQLWrapperException as exc:  # 400, 401, 404, 414, 500: not retried
            return _Failure(_error_for(endpoint, _sw_status(exc), "", _sw_body(exc), "SPARQL results"))
        except urllib.error.HTTPError as exc:
            try:
                body = exc.read()
            except OSError:
                body = b""
            error = _error_for(endpoint, exc.code, exc.headers.get("Content-Type", "") or "", body,
                               "SPARQL results")
            if exc.code in RETRY_STATUSES:
                return _Failure(error, True, _retry_after(exc.headers.get("Retry-After")))
            return _Failure(error)
        except (OSError, ValueError) as exc:  # URLError, refused, reset, socket timeout, bad URL
            reason = getattr(exc, "reason", None) or exc
            transient = isinstance(reason, (ConnectionError, http.client.HTTPException))
            return _Failure(_unreachable(endpoint, exc), transient)
        except http.client.HTTPException as exc:  # the connection dropped mid-answer
            return _Failure(_unreachable(endpoint, exc), True)

    for tried in range(retries + 1):
        outcome = attempt()
        if isinstance(outcome, _Answer):
            return _convert(endpoint, form, outcome)
        if not outcome.transient or tried == retries:
            if tried:
                outcome.error.args = (f"{outcome.error} (after {tried + 1} attempts)", *outcome.error.args[1:])
            raise outcome.error
        delay = backoff * 2 ** tried
        if outcome.retry_after is not None:
            delay = max(delay, outcome.retry_after)
        if on_retry is not None:
            on_retry(str(outcome.error), delay)
        time.sleep(delay)
    raise AssertionError("unreachable")  # the loop returns or raises


@dataclass
class _Failure:
    error: RemoteError
    transient: bool = False
    retry_after: float | None = None


def _retry_after(value: str | None) -> float | None:
    """A Retry-After given in seconds, capped at `RETRY_AFTER_LIMIT` (an HTTP date is ignored)."""
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    if seconds is None or not seconds >= 0:
        return None
    return min(seconds, RETRY_AFTER_LIMIT)


def _convert(endpoint: str, form: str, answer: _Answer) -> QueryResult:
    media = answer.content_type.split(";")[0].strip().lower()
    if _looks_html(answer.content_type, answer.body):
        raise _error_for(endpoint, answer.status, answer.content_type, answer.body, "SPARQL results")
    try:
        if form in ("SELECT", "ASK"):
            rfmt = ox.QueryResultsFormat.from_media_type(media) if media else None
            parsed = ox.parse_query_results(answer.body, rfmt or ox.QueryResultsFormat.JSON)
            return from_oxigraph(parsed)
        gfmt = ox.RdfFormat.from_media_type(media) if media else None
        triples = [q.triple for q in ox.parse(answer.body, gfmt or ox.RdfFormat.TURTLE)]
        return QueryResult("GRAPH", triples=triples)
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(
            f"{endpoint} answered HTTP {answer.status} with {answer.content_type or 'no content type'} that "
            f"is not valid {form} results ({exc}): {_excerpt(answer.body)}",
            endpoint, answer.status, answer.body.decode("utf-8", "replace")[:BODY_EXCERPT]) from exc


# ---- Graph Store Protocol push ------------------------------------------------------------------

def default_graph_store(endpoint: str) -> str:
    """The Graph Store Protocol URL that usually goes with a query endpoint (see `ENDPOINT_URLS`).

    Oxigraph `.../query` → `.../store`; Fuseki `.../{dataset}/sparql` → `.../{dataset}/data`; GraphDB
    `.../repositories/{repo}` → `.../rdf-graphs/service`; Virtuoso `.../sparql` → `.../sparql-graph-crud`.
    A Fuseki `.../query` URL is taken for Oxigraph: pass Fuseki's `/data` URL explicitly.
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last == "query":
        new = f"{head}/store"
    elif last == "sparql" and head:  # Fuseki /{dataset}/sparql
        new = f"{head}/data"
    elif last == "sparql":  # Virtuoso /sparql
        new = "/sparql-graph-crud"
    elif last == "sparql-auth":
        new = "/sparql-graph-crud-auth"
    elif head.endswith("/repositories") or head == "/repositories":
        new = f"{path}/rdf-graphs/service"
    else:
        raise RemoteError(f"cannot derive a Graph Store Protocol URL from {endpoint}; pass it explicitly "
                          "(Oxigraph: …/store, Fuseki: …/{dataset}/data, GraphDB: "
                          "…/repositories/{repo}/rdf-graphs/service)")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new, "", ""))


def graph_url(graph_store_url: str, graph: str) -> str:
    """`{graph_store_url}?graph=<iri>` (indirect graph identification), the IRI percent-encoded."""
    sep = "&" if "?" in graph_store_url else "?"
    return f"{graph_store_url}{sep}graph={urllib.parse.quote(graph, safe='')}"


class _DeadlineReader(io.RawIOBase):
    """A socket's receiving side that never waits past `deadline` in total (not per read)."""

    def __init__(self, sock: socket.socket, deadline: float):
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # counted by the socket: it stays open until closed
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline passed while reading the answer")
        self._sock.settimeout(left)
        return self._raw.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _DeadlineSocket:
    """What `HTTPResponse` reads from: its `makefile` reads the real socket under the deadline."""

    def __init__(self, sock: socket.socket, deadline: float):
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "rb") -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


def _deadline_response(sock: socket.socket, *args: Any, deadline: float, **kw: Any) -> http.client.HTTPResponse:
    return http.client.HTTPResponse(_DeadlineSocket(sock, deadline), *args, **kw)  # type: ignore[arg-type]


class _GraphStoreClient:
    """PUTs over one persistent HTTP/1.1 connection, reopened after an error or `Connection: close`.

    Each request has an overall deadline without a thread of its own: the connect and the send run
    under socket timeouts set to the time left, and every read of the answer checks the deadline.
    Proxies come from the environment (http_proxy, https_proxy, no_proxy) as with urllib.
    """

    def __init__(self, graph_store_url: str):
        parts = urllib.parse.urlsplit(graph_store_url)
        self.scheme = parts.scheme.lower()
        self.host = parts.hostname or ""
        self.port = parts.port
        self._conn: http.client.HTTPConnection | None = None
        self._absolute = False  # request-target is the whole URL (plain HTTP through a proxy)
        self._proxy_auth: str | None = None
        self._proxy: urllib.parse.SplitResult | None = None
        if self.scheme in ("http", "https") and self.host and not urllib.request.proxy_bypass(self.host):
            proxy = urllib.request.getproxies().get(self.scheme)
            if proxy:
                self._proxy = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
                if self._proxy.username is not None:
                    user = urllib.parse.unquote(self._proxy.username)
                    password = urllib.parse.unquote(self._proxy.password or "")
                    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
                    self._proxy_auth = f"Basic {token}"

    def _open(self, timeout: float) -> http.client.HTTPConnection:
        if self.scheme not in ("http", "https"):
            raise ValueError(f"unknown url type: {self.scheme or '(none)'}")
        if not self.host:
            raise ValueError("no host given")
        conn: http.client.HTTPConnection
        if self._proxy is None:
            cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
            conn = cls(self.host, self.port, timeout=timeout)
        elif self.scheme == "http":
            conn = http.client.HTTPConnection(self._proxy.hostname or "", self._proxy.port, timeout=timeout)
            self._absolute = True
        else:  # HTTPS through the proxy: a CONNECT tunnel
            conn = http.client.HTTPSConnection(self._proxy.hostname or "", self._proxy.port, timeout=timeout)
            tunnel_headers = {"Proxy-Authorization": self._proxy_auth} if self._proxy_auth else None
            conn.set_tunnel(self.host, self.port, headers=tunnel_headers)
        conn.connect()
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def put(self, url: str, body: bytes, timeout: float, auth: str | None) -> tuple[int, str, bytes]:
        """PUT `body` to `url`; the status, content type and body of the answer within `timeout` s."""
        deadline = time.monotonic() + timeout
        try:
            if self._conn is None or self._conn.sock is None:
                self.close()
                self._conn = self._open(timeout)
            conn = self._conn
            parts = urllib.parse.urlsplit(url)
            target = url if self._absolute else urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
            headers = {"Content-Type": "application/n-triples", "Content-Length": str(len(body))}
            if auth:
                headers["Authorization"] = auth
            if self._absolute and self._proxy_auth:
                headers["Proxy-Authorization"] = self._proxy_auth
            left = deadline - time.monotonic()
            if left <= 0 or conn.sock is None:
                raise TimeoutError("deadline passed while connecting")
            conn.sock.settimeout(left)  # sendall: a bound on the whole send (Python >= 3.5)
            conn.request("PUT", target, body=body, headers=headers)
            conn.response_class = functools.partial(_deadline_response, deadline=deadline)  # type: ignore[assignment]
            response = conn.getresponse()
            answer = response.read()
            status, ctype = response.status, response.getheader("Content-Type") or ""
            if response.will_close:
                self.close()
            return status, ctype, answer
        except BaseException:
            self.close()  # a half-read answer or a broken connection is never reused
            raise


def push_graphs(store: EmbeddedStore, graph_store_url: str, *, graphs: list[str] | None = None,
                timeout: float = 60.0, retries: int = 3, backoff: float = 0.5,
                progress: Callable[[str, int, int], None] | None = None,
                credentials_env: tuple[str, str] = ("UNKG_ENDPOINT_USER", "UNKG_ENDPOINT_PASSWORD"),
                meter: Progress | None = None) -> PushReport:
    """Replace each named graph on a server by the store's copy: one GSP `PUT ?graph=<iri>` per graph.

    The body is the graph's sorted N-Triples, so pushing twice leaves the server unchanged. `graphs`
    limits the push to some graphs of the store (default: all named graphs; the default graph is
    not pushed). Connection errors, timeouts (`timeout` per request) and 5xx answers are retried
    `retries` times after `backoff`, `2*backoff`, `4*backoff`… seconds; 4xx answers are not. A 4xx
    that concerns one graph (400, 413, 415…) is recorded in `failures` and the push goes on; when the
    server stays unreachable or failing, or refuses access (401, 403, 404, 405), `PushError` is raised
    with the report so far. `progress(graph, done, total)` is called after each graph is stored;
    `meter` counts the graphs settled (stored or failed). The requests share one HTTP/1.1
    connection (reopened after an error or `Connection: close`), and the next body is read from
    the store while the server stores the current one.
    """
    available = store.named_graphs()
    if graphs is None:
        targets = available
    else:
        known = set(available)
        missing = [g for g in graphs if g not in known]
        if missing:
            raise StoreError(f"the store has no graph {missing[0]}" +
                             (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
        targets = list(dict.fromkeys(graphs))
    report = PushReport(graph_store_url)
    auth = _auth_header(credentials_env)
    client = _GraphStoreClient(graph_store_url)
    # The next graph's body is read from the store while the server stores the current one: one
    # worker for the whole push, so the store read (~12 µs a triple) and the server overlap.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unkg-push")
    try:
        ahead = pool.submit(store.ntriples_lines, targets[0]) if targets else None
        for index, graph in enumerate(tracked(targets, meter, len(targets), "graphs")):
            assert ahead is not None
            lines = ahead.result()
            ahead = pool.submit(store.ntriples_lines, targets[index + 1]) if index + 1 < len(targets) else None
            body = b"\n".join(lines) + b"\n" if lines else b""
            url = graph_url(graph_store_url, graph)
            last_error = ""
            for attempt in range(retries + 1):
                if attempt:
                    report.retries += 1
                    time.sleep(backoff * 2 ** (attempt - 1))
                try:
                    status, ctype, answer = client.put(url, body, timeout, auth)
                except TimeoutError:
                    last_error = f"no answer within {timeout:g} s (timeout)"
                    continue
                except (OSError, ValueError, http.client.HTTPException) as exc:
                    # refused, reset, dropped mid-answer, a malformed answer, a bad URL
                    last_error = str(_unreachable(graph_store_url, exc))
                    continue
                if not 200 <= status < 300:  # as urllib did: 3xx (no redirect of a PUT) and up are errors
                    err = _error_for(url, status, ctype, answer, "a Graph Store Protocol answer")
                    if status >= 500:
                        last_error = str(err)
                        continue
                    if status in (401, 403, 404, 405):
                        raise PushError(f"push to {graph_store_url} refused: {err}", report)
                    report.failures[graph] = str(err)
                    last_error = ""
                    break
                if _looks_html(ctype, answer) and status == 200:
                    # a web page, not a graph store (GSP answers 200/201/204 with no or a short body)
                    raise PushError(str(_error_for(url, status, ctype, answer,
                                                   "a Graph Store Protocol answer")), report)
                report.graphs.append(graph)
                report.triples += len(lines)
                report.bytes += len(body)
                last_error = ""
                if progress is not None:
                    progress(graph, len(report.graphs), len(targets))
                break
            if last_error:
                raise PushError(f"push to {graph_store_url} stopped at graph {graph} after {retries + 1} "
                                f"attempt(s): {last_error}; {len(report.graphs)} of {len(targets)} graphs "
                                "were stored; pushing again is safe (each graph is replaced)", report)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        client.close()
    return report
