"""`unkg push` against a real Oxigraph server behind a fault-injecting proxy (5xx answers, dropped
connections, a request that never gets an answer) and a server stopped mid-push: a clear error, a
retry with back-off, and a re-run that leaves the server holding exactly the store's graphs."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

import pytest
from click.testing import CliRunner, Result

from unkg.cli import cli
from unkg.remote import query_endpoint
from unkg.store import EmbeddedStore

if TYPE_CHECKING:
    from conftest import OxigraphServer

TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def _local_only(local_only: None) -> None:
    """Every test here talks to 127.0.0.1 only (`local_only` in conftest)."""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "store"
    texts = [str(p) for p in sorted(TEXTS.glob("*.txt"))[:8]]
    assert run("--store", str(path), "load", *texts).exit_code == 0
    return path


def local_quads(store: Path) -> set[tuple[str, str, str, str]]:
    with EmbeddedStore(store, create=False) as st:
        return {(str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)) for q in st.quads()}


def remote_quads(server: OxigraphServer) -> list[tuple[str, str, str, str]]:
    """Every quad on the server, as a list: a duplicate would show up twice."""
    result = query_endpoint(server.query_url, ALL_QUADS, timeout=30)
    return [tuple(str(r[v]) for v in ("g", "s", "p", "o")) for r in result.rows]  # type: ignore[misc]


def assert_server_holds_store(server: OxigraphServer, store: Path) -> None:
    remote, local = remote_quads(server), local_quads(store)
    assert len(remote) == len(set(remote)), "duplicate quads on the server"
    missing, extra = local - set(remote), set(remote) - local
    assert not missing and not extra, (sorted(missing)[:5], sorted(extra)[:5])


Fault = Callable[[int], str]  # request index -> "forward" | "503" | "drop" | "hang"


class FaultProxy:
    """A proxy on 127.0.0.1 in front of the server's Graph Store: `fault(i)` decides request i's fate."""

    def __init__(self, target: str, fault: Fault, after: Callable[[int], None] | None = None):
        self.seen: list[str] = []
        parts = urllib.parse.urlsplit(target)
        lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_PUT(self) -> None:
                with lock:
                    index = len(proxy.seen)
                    proxy.seen.append(self.path)
                action = fault(index)
                length = int(self.headers.get("Content-Length") or 0)
                if action == "drop":  # read half the body, then hang up without an answer
                    self.rfile.read(length // 2)
                    self.close_connection = True
                    self.connection.close()
                    return
                body = self.rfile.read(length)
                if action == "hang":  # never answer (the client's timeout must end the wait)
                    time.sleep(3)
                    self.close_connection = True
                    return
                if action == "503":
                    self._reply(503, "text/plain", b"Service Unavailable: overloaded")
                    return
                conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
                query = urllib.parse.urlsplit(self.path).query
                try:
                    conn.request("PUT", f"{parts.path}?{query}", body=body,
                                 headers={"Content-Type": self.headers["Content-Type"]})
                    answer = conn.getresponse()
                    data = answer.read()
                except OSError:  # the server went away: so does the answer
                    self.close_connection = True
                    return
                finally:
                    conn.close()
                self._reply(answer.status, answer.getheader("Content-Type") or "", data)
                if after is not None:
                    after(index)

            def _reply(self, status: int, ctype: str, body: bytes) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/store"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def proxies() -> Iterator[list[FaultProxy]]:
    made: list[FaultProxy] = []
    yield made
    for p in made:
        p.close()


def test_transient_faults_are_retried_with_backoff(oxigraph_server: OxigraphServer, store: Path,
                                                  proxies: list[FaultProxy]) -> None:
    oxigraph_server.clear()
    plan = {0: "503", 2: "drop", 4: "hang", 5: "503"}
    proxy = FaultProxy(oxigraph_server.store_url, lambda i: plan.get(i, "forward"))
    proxies.append(proxy)
    start = time.monotonic()
    result = run("--store", str(store), "push", "--graph-store", proxy.url, "--timeout", "1", "--retries", "3")
    elapsed = time.monotonic() - start
    assert result.exit_code == 0, result.output
    assert "pushed 8 graphs" in result.stderr and "4 retries, 0 failed" in result.stderr, result.stderr
    assert len(proxy.seen) == 8 + 4
    # each retry waited 0.5 s first (back-off starts at 0.5 s; the hang cost the 1 s timeout)
    assert elapsed >= 4 * 0.5 + 1, elapsed
    assert_server_holds_store(oxigraph_server, store)
    again = run("--store", str(store), "push", "--graph-store", oxigraph_server.store_url)
    assert again.exit_code == 0
    assert_server_holds_store(oxigraph_server, store)


def test_persistent_5xx_gives_a_clear_error_then_a_rerun_completes(oxigraph_server: OxigraphServer, store: Path,
                                                                   proxies: list[FaultProxy]) -> None:
    oxigraph_server.clear()
    proxy = FaultProxy(oxigraph_server.store_url, lambda i: "forward" if i < 3 else "503")
    proxies.append(proxy)
    start = time.monotonic()
    result = run("--store", str(store), "push", "--graph-store", proxy.url, "--retries", "2")
    assert result.exit_code == 6, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert "HTTP 503" in lines[0] and "after 3 attempt(s)" in lines[0] and "3 of 8 graphs" in lines[0]
    assert "pushing again is safe" in lines[0]
    assert time.monotonic() - start >= 0.5 + 1.0  # two back-offs: 0.5 s, then 1 s
    assert len(proxy.seen) == 3 + 3
    again = run("--store", str(store), "push", "--graph-store", oxigraph_server.store_url)
    assert again.exit_code == 0, again.output
    assert_server_holds_store(oxigraph_server, store)


def test_server_stopped_mid_push(fresh_oxigraph_server: OxigraphServer, store: Path,
                                 proxies: list[FaultProxy]) -> None:
    server = fresh_oxigraph_server
    closed = threading.Event()

    def stop_after_fourth(index: int) -> None:
        if index == 3:  # the server goes away, and with it the port the client talks to
            server.stop()
            proxy.httpd.socket.close()
            closed.set()

    proxy = FaultProxy(server.store_url, lambda i: "forward", after=stop_after_fourth)
    proxies.append(proxy)
    result = run("--store", str(store), "push", "--graph-store", proxy.url, "--retries", "1", "--timeout", "5")
    assert result.exit_code == 6, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "4 of 8 graphs were stored" in lines[0], result.stderr
    assert "cannot reach" in lines[0] and "after 2 attempt(s)" in lines[0] and closed.is_set()
    server.start()
    assert len(remote_quads(server)) > 0
    again = run("--store", str(store), "push", "--graph-store", server.store_url)
    assert again.exit_code == 0, again.output
    assert_server_holds_store(server, store)
