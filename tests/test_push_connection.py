"""How `push_graphs` talks HTTP: one keep-alive connection, reopened after `Connection: close` or a
broken connection, an overall deadline while the answer trickles in; and its bodies, Oxigraph's own
N-Triples sorted as bytes, which must be exactly the text of `nquads_lines`."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import tcp_server
from unkg.remote import PushError, push_graphs
from unkg.store import EmbeddedStore

EX = "https://un.example/"
GRAPHS = {f"{EX}graph/{n}": f'<{EX}r{n}> <{EX}symbol> "A/RES/{n}/1" .\n<{EX}r{n}> <{EX}n> "{n}" .\n'
          for n in range(1, 5)}


@pytest.fixture(autouse=True)
def _local_only(local_only: None) -> None:
    """Every test here talks to 127.0.0.1 only (`local_only` in conftest)."""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    s = EmbeddedStore(tmp_path / "s")
    s.replace_graphs(GRAPHS)
    yield s
    s.close()


class KeepAliveServer:
    """An HTTP/1.1 server on 127.0.0.1 recording, per request, the client's port (its connection).

    `close_after(i)` answers request i with `Connection: close`; `drop_after(i)` closes the
    connection after answering request i without saying so (a server's idle timeout)."""

    def __init__(self, close_after: set[int] = set(), drop_after: set[int] = set()):
        self.requests: list[tuple[int, str, bytes]] = []  # (client port, path, body)
        lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_PUT(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    index = len(server.requests)
                    server.requests.append((self.client_address[1], self.path, body))
                self.send_response(201)
                self.send_header("Content-Length", "0")
                if index in close_after:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.flush()
                if index in drop_after:
                    self.close_connection = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/store"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def connections(self) -> list[int]:
        return [port for port, _, _ in self.requests]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def servers() -> Iterator[list[KeepAliveServer]]:
    made: list[KeepAliveServer] = []
    yield made
    for s in made:
        s.close()


def test_one_connection_for_the_whole_push(store: EmbeddedStore, servers: list[KeepAliveServer]) -> None:
    server = KeepAliveServer()
    servers.append(server)
    report = push_graphs(store, server.url, timeout=5)
    assert report.ok and len(report.graphs) == 4 and report.retries == 0
    assert len(server.requests) == 4 and len(set(server.connections())) == 1, server.connections()
    # and the bodies are the graphs' sorted N-Triples, in the store's graph order
    assert [body.decode().splitlines() for _, _, body in server.requests] == \
        [store.nquads_lines(g) for g in store.named_graphs()]


def test_connection_close_is_honoured(store: EmbeddedStore, servers: list[KeepAliveServer]) -> None:
    server = KeepAliveServer(close_after={0, 2})
    servers.append(server)
    report = push_graphs(store, server.url, timeout=5)
    assert report.ok and len(report.graphs) == 4 and report.retries == 0
    ports = server.connections()
    # request 0 said close: 1 came on a new connection, 2 on the same as 1, 3 on a new one again
    assert ports[0] != ports[1] == ports[2] != ports[3] and ports[0] != ports[3], ports


def test_a_connection_closed_silently_is_reopened(store: EmbeddedStore, servers: list[KeepAliveServer]) -> None:
    server = KeepAliveServer(drop_after={1})
    servers.append(server)
    report = push_graphs(store, server.url, timeout=5, retries=2, backoff=0.01)
    assert report.ok and len(report.graphs) == 4, report
    ports = server.connections()
    assert len(ports) == 4 and ports[0] == ports[1] != ports[2] == ports[3], ports
    # the request after the silent close either noticed it before sending or was sent again
    assert report.retries <= 1


@pytest.fixture
def slow_status_line() -> Iterator[str]:
    """Reads the request, then sends its status line one byte every 0.1 s: each read gets data in
    time, so only an overall deadline ends the wait."""

    def drip(conn: socket.socket, stop: threading.Event) -> None:
        try:
            conn.settimeout(0.2)
            try:
                while conn.recv(65536):
                    pass
            except OSError:
                pass
            for byte in b"HTTP/1.1 201 Created" + b" " * 1000:
                if stop.wait(0.1):
                    break
                conn.sendall(bytes([byte]))
        except OSError:
            pass
        finally:
            conn.close()

    with tcp_server(drip) as port:
        yield f"http://127.0.0.1:{port}/store"


def test_a_trickling_status_line_hits_the_deadline(store: EmbeddedStore, slow_status_line: str) -> None:
    start = time.monotonic()
    with pytest.raises(PushError, match="timeout") as err:
        push_graphs(store, slow_status_line, timeout=0.6, retries=1, backoff=0.05)
    elapsed = time.monotonic() - start
    # two attempts of at most 0.6 s each (the server reads the body for 0.2 s first), one back-off
    assert elapsed < 2 * 0.6 + 0.05 + 0.8, elapsed
    assert err.value.report.graphs == [] and err.value.report.retries == 1


def test_an_unknown_scheme_is_a_clear_error(store: EmbeddedStore) -> None:
    with pytest.raises(PushError, match="unknown url type: ftp"):
        push_graphs(store, "ftp://127.0.0.1/store", retries=0)


# ---- the bodies ---------------------------------------------------------------------------------

TRICKY = ["plain", "é à ü", "日本語", "emoji 🌍 beyond the BMP", 'quote " and \\ backslash',
          "line\nbreak", "carriage\rreturn", "tab\there", "control \x01 \x1f \x7f", "form\x0cfeed \x0b vt",
          "\u2028 line separator \u0085 next line", ""]


def _graph_text(texts: list[str]) -> str:
    subject = ox.NamedNode(f"{EX}r")
    lines = []
    for i, text in enumerate(texts):
        lines.append(f"{subject} <{EX}p{i}> {ox.Literal(text)} .")
        lines.append(f"{subject} <{EX}l{i}> {ox.Literal(text, language='fr')} .")
        lines.append(f"<{EX}é/{i}> <{EX}q> {ox.Literal(text, datatype=ox.NamedNode(EX + 'type'))} .")
    lines.append(f"_:b1 <{EX}p> {ox.Literal('blank')} .")
    return "\n".join(lines) + "\n"


def test_body_bytes_are_the_nquads_lines(tmp_path: Path) -> None:
    graph = f"{EX}graph/tricky"
    with EmbeddedStore(tmp_path / "s") as s:
        s.replace_graphs({graph: _graph_text(TRICKY)})
        lines = s.ntriples_lines(graph)
        assert len(lines) == 3 * len(TRICKY) + 1
        assert [line.decode("utf-8") for line in lines] == s.nquads_lines(graph)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    with EmbeddedStore(tmp_path_factory.mktemp("push-bodies") / "s") as s:
        yield s


@settings(max_examples=25)
@given(st.lists(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20), min_size=1,
                max_size=12))
def test_body_bytes_are_the_nquads_lines_for_any_text(scratch: EmbeddedStore, texts: list[str]) -> None:
    graph = f"{EX}graph/any"
    scratch.replace_graphs({graph: _graph_text(texts)})
    assert [line.decode("utf-8") for line in scratch.ntriples_lines(graph)] == scratch.nquads_lines(graph)
