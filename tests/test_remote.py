"""unkg.remote against a real Oxigraph server (and tiny misbehaving HTTP servers), all on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import http.client
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

import pytest

from unkg.errors import QueryError, RemoteError, StoreError
from unkg.queries import QueryResult, from_oxigraph, library
from conftest import tcp_server
from unkg.remote import (ENDPOINT_URLS, EndpointError, PushError, default_graph_store, graph_url,
                         push_graphs, query_endpoint, query_form)
from unkg.store import EmbeddedStore

if TYPE_CHECKING:
    from conftest import OxigraphServer

EX = "http://example.org/"
G1, G2, G3 = (f"https://un.example/graph/A-RES-{n}" for n in (1, 2, 3))
XSD = "http://www.w3.org/2001/XMLSchema#"

GRAPHS = {
    G1: f"""<{EX}r1> <{EX}symbol> "A/RES/1/1" .
<{EX}r1> <{EX}title> "Establishment of a commission"@en .
<{EX}r1> <{EX}title> "Création d'une commission « atomique »"@fr .
<{EX}r1> <{EX}adoptionDate> "1946-01-24"^^<{XSD}date> .
<{EX}r1> <{EX}yes> "46"^^<{XSD}integer> .
""",
    G2: f"""<{EX}r2> <{EX}symbol> "A/RES/2/1" .
<{EX}r2> <{EX}cites> <{EX}r1> .
<{EX}r2> <{EX}note> "line one\\nline \\"two\\" \\\\ end" .
<{EX}r2> <{EX}adoptionDate> "1947-11-21"^^<{XSD}date> .
""",
    G3: f"""<{EX}r3> <{EX}symbol> "A/RES/3/1" .
<{EX}r3> <{EX}cites> <{EX}r1> .
<{EX}r3> <{EX}cites> <{EX}r2> .
""",
}
TOTAL = 12

ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(autouse=True)
def _local_only(local_only: None) -> None:
    """Every test here talks to 127.0.0.1 only (`local_only` in conftest)."""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    s = EmbeddedStore(tmp_path / "s")
    s.replace_graphs(GRAPHS)
    yield s
    s.close()


@pytest.fixture
def server(oxigraph_server: OxigraphServer) -> OxigraphServer:
    oxigraph_server.clear()
    return oxigraph_server


def rows(result: QueryResult) -> set[tuple[str, ...]]:
    return {tuple("" if r[v] is None else str(r[v]) for v in result.variables) for r in result.rows}


def remote_count(server: OxigraphServer) -> int:
    res = query_endpoint(server.query_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                         timeout=10)
    return int(res.rows[0]["n"].value)


# ---- little local HTTP servers for the negative tests -------------------------------------------

@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeServer:
    url: str
    seen: list[Seen] = field(default_factory=list)


Responder = Callable[[Seen, int], "tuple[int, str, bytes] | tuple[int, str, bytes, dict[str, str]]"]
"""(status, content type, body[, more headers]) for the request and its index."""


@pytest.fixture
def fake_server() -> Iterator[Callable[[Responder], FakeServer]]:
    """Start `http.server`s on 127.0.0.1 that answer with `responder(request, index)`."""
    started: list[ThreadingHTTPServer] = []

    def make(responder: Responder, port: int = 0) -> FakeServer:
        fake = FakeServer("")
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
                with lock:
                    fake.seen.append(seen)
                    index = len(fake.seen) - 1
                status, ctype, body, *more = responder(seen, index)
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for name, value in (more[0] if more else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append(httpd)
        fake.url = f"http://127.0.0.1:{httpd.server_address[1]}"
        return fake

    yield make
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def trickle_server() -> Iterator[str]:
    """Accepts, sends a 200 header, then one byte every 0.2 s forever: only an overall deadline helps."""
    def drip(conn: socket.socket, stop: threading.Event) -> None:
        try:
            conn.settimeout(0.1)
            try:
                conn.recv(65536)
            except OSError:
                pass
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                         b"Content-Length: 1000000\r\n\r\n")
            while not stop.wait(0.2):
                conn.sendall(b" ")
        except OSError:
            pass
        finally:
            conn.close()

    with tcp_server(drip) as port:
        yield f"http://127.0.0.1:{port}"


# ---- queries ------------------------------------------------------------------------------------

def test_select_over_server_equals_embedded(server: OxigraphServer, store: EmbeddedStore) -> None:
    report = push_graphs(store, server.store_url, timeout=10)
    assert report.ok and sorted(report.graphs) == sorted(GRAPHS) and report.triples == TOTAL
    for q in (ALL_QUADS,
              f"SELECT ?r ?t WHERE {{ GRAPH ?g {{ ?r <{EX}title> ?t FILTER(LANG(?t) = 'fr') }} }}",
              f"SELECT ?r (COUNT(?c) AS ?n) WHERE {{ GRAPH ?g {{ ?r <{EX}cites> ?c }} }} GROUP BY ?r",
              f"SELECT ?r ?d WHERE {{ GRAPH ?g {{ ?r <{EX}symbol> ?s OPTIONAL {{ ?r <{EX}adoptionDate> ?d }} }} }}"):
        remote = query_endpoint(server.query_url, q, timeout=10)
        local = from_oxigraph(store.query(q))
        assert remote.form == "SELECT" and remote.variables == local.variables
        assert rows(remote) == rows(local) and len(remote.rows) == len(local.rows)
    assert len(query_endpoint(server.query_url, ALL_QUADS).rows) == TOTAL


def test_ask_and_construct(server: OxigraphServer, store: EmbeddedStore) -> None:
    push_graphs(store, server.store_url, timeout=10)
    ask = query_endpoint(server.query_url, f"ASK {{ GRAPH <{G3}> {{ <{EX}r3> <{EX}cites> <{EX}r2> }} }}")
    assert ask.form == "ASK" and ask.boolean is True
    q = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"
    graph = query_endpoint(server.query_url, q)
    assert graph.form == "GRAPH"
    assert {str(t) for t in graph.triples} == {str(t) for t in from_oxigraph(store.query(q)).triples}
    assert len(graph.triples) == 5


def test_long_query_is_posted(server: OxigraphServer, store: EmbeddedStore,
                              fake_server: Callable[[Responder], FakeServer]) -> None:
    push_graphs(store, server.store_url, timeout=10)
    values = " ".join(f"<{EX}x{i}>" for i in range(150))
    q = f"SELECT ?s WHERE {{ VALUES ?x {{ {values} <{EX}r1> }} GRAPH ?g {{ ?s <{EX}cites> ?x }} }}"
    assert len(q) > 2000
    assert rows(query_endpoint(server.query_url, q)) == {(f"<{EX}r2>",), (f"<{EX}r3>",)}

    fake = fake_server(lambda seen, i: (200, "application/sparql-results+json",
                                        b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'))
    query_endpoint(fake.url + "/sparql", q)
    query_endpoint(fake.url + "/sparql", "SELECT ?s WHERE { ?s ?p ?o }")
    query_endpoint(fake.url + "/sparql", "SELECT ?s WHERE { ?s ?p ?o }", method="POST")
    assert [s.method for s in fake.seen] == ["POST", "GET", "POST"]
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(fake.seen[1].path).query) == \
        {"query": ["SELECT ?s WHERE { ?s ?p ?o }"]}
    assert "application/sparql-results+json" in fake.seen[1].headers["Accept"]
    assert urllib.parse.parse_qs(fake.seen[0].body.decode())["query"] == [q]


def test_query_form_ignores_comments_and_variable_names(server: OxigraphServer,
                                                         store: EmbeddedStore) -> None:
    forms = {name: query_form(q.text) for name, q in library().items()}
    assert forms.pop("resolution-overview") == "CONSTRUCT"
    assert set(forms.values()) == {"SELECT"}  # e.g. ?loaded must not read as LOAD
    assert query_form("base <http://x/> prefix : <http://y/> # ask?\n  describe <a>") == "DESCRIBE"
    assert query_form("PREFIX ex: <http://x/>\nDELETE WHERE { ?s ?p ?o }") == "DELETE"
    push_graphs(store, server.store_url, timeout=10)
    q = (f"# description: load nothing; ask whether each resolution is loaded\n"
         f"PREFIX ex: <{EX}>\nSELECT ?r ?loaded WHERE {{ GRAPH ?g {{ ?r ex:symbol ?s }} BIND(true AS ?loaded) }}")
    res = query_endpoint(server.query_url, q)
    assert res.form == "SELECT" and len(res.rows) == 3
    with pytest.raises(QueryError, match="query form"):
        query_form("PREFIX ex: <http://x/> nonsense")


def test_update_is_not_a_query(server: OxigraphServer) -> None:
    with pytest.raises(QueryError, match="update"):
        query_endpoint(server.query_url, f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}")


def test_invalid_sparql_reports_400_and_body(server: OxigraphServer) -> None:
    with pytest.raises(EndpointError) as err:
        query_endpoint(server.query_url, "SELECT ?s WHERE { ?s ?p ", timeout=10)
    assert err.value.status == 400
    assert server.query_url in str(err.value) and "400" in str(err.value)
    assert err.value.body and err.value.body[:20] in str(err.value)


def test_html_answer_is_an_error(fake_server: Callable[[Responder], FakeServer],
                                 store: EmbeddedStore) -> None:
    page = b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>" + b"x" * 500 + b"</body></html>"
    ok = fake_server(lambda seen, i: (200, "text/html; charset=utf-8", page))
    with pytest.raises(RemoteError, match="HTML") as err:
        query_endpoint(ok.url + "/", "SELECT * WHERE { ?s ?p ?o }")
    assert ok.url in str(err.value) and "Welcome" in str(err.value) and len(str(err.value)) < 500
    with pytest.raises(PushError, match="HTML"):
        push_graphs(store, ok.url + "/store")
    missing = fake_server(lambda seen, i: (404, "text/html", b"<html><body>Not here</body></html>"))
    with pytest.raises(EndpointError, match="HTML") as err404:
        query_endpoint(missing.url + "/sparql", "ASK {}")
    assert err404.value.status == 404 and "Not here" in str(err404.value)


def test_credentials_from_environment(fake_server: Callable[[Responder], FakeServer], store: EmbeddedStore,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fake_server(lambda seen, i: (200 if seen.method == "GET" else 204,
                                        "application/sparql-results+json" if seen.method == "GET" else "",
                                        b'{"head":{},"boolean":true}' if seen.method == "GET" else b""))
    assert query_endpoint(fake.url + "/q", "ASK {}").boolean is True
    assert "Authorization" not in fake.seen[0].headers
    monkeypatch.setenv("UNKG_ENDPOINT_USER", "alice")
    monkeypatch.setenv("UNKG_ENDPOINT_PASSWORD", "s3cret:x")
    query_endpoint(fake.url + "/q", "ASK {}")
    push_graphs(store, fake.url + "/store", graphs=[G1])
    expected = "Basic " + base64.b64encode(b"alice:s3cret:x").decode()
    assert [s.headers.get("Authorization") for s in fake.seen[1:]] == [expected, expected]
    monkeypatch.delenv("UNKG_ENDPOINT_USER")
    monkeypatch.setenv("UNKG_ENDPOINT_TOKEN", "tok-123")
    query_endpoint(fake.url + "/q", "ASK {}")
    push_graphs(store, fake.url + "/store", graphs=[G1])
    assert [s.headers.get("Authorization") for s in fake.seen[3:]] == ["Bearer tok-123"] * 2


def test_unreachable_server(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/query"
    with pytest.raises(RemoteError, match="cannot reach") as err:
        query_endpoint(url, "ASK {}", timeout=5, retries=0)
    assert url in str(err.value) and "attempts" not in str(err.value)


def test_hung_server_hits_overall_timeout(trickle_server: str, store: EmbeddedStore) -> None:
    start = time.monotonic()
    with pytest.raises(RemoteError, match="timeout"):
        query_endpoint(trickle_server + "/query", "SELECT * WHERE { ?s ?p ?o }", timeout=1.0)
    assert time.monotonic() - start < 2.0
    start = time.monotonic()
    with pytest.raises(PushError, match="timeout") as err:
        push_graphs(store, trickle_server + "/store", timeout=0.5, retries=1, backoff=0.05)
    assert time.monotonic() - start < 2 * 0.5 + 0.05 + 1.0
    assert err.value.report.graphs == []


# ---- push ---------------------------------------------------------------------------------------

def test_push_twice_changes_nothing(server: OxigraphServer, store: EmbeddedStore) -> None:
    first = push_graphs(store, server.store_url, timeout=10)
    before = query_endpoint(server.query_url, ALL_QUADS)
    second = push_graphs(store, server.store_url, timeout=10)
    assert remote_count(server) == TOTAL == store.count()
    assert rows(query_endpoint(server.query_url, ALL_QUADS)) == rows(before)
    assert (first.triples, first.bytes, len(first.graphs)) == (second.triples, second.bytes, 3)
    assert first.bytes == sum(len(("\n".join(store.nquads_lines(g)) + "\n").encode()) for g in GRAPHS)


def test_push_replaces_a_changed_graph(server: OxigraphServer, store: EmbeddedStore) -> None:
    push_graphs(store, server.store_url, timeout=10)
    store.replace_graphs({G3: f"<{EX}r3> <{EX}symbol> \"A/RES/3/1\" .\n"})
    push_graphs(store, server.store_url, graphs=[G3], timeout=10)
    assert remote_count(server) == TOTAL - 2
    q = f"SELECT ?o WHERE {{ GRAPH <{G3}> {{ ?s ?p ?o }} }}"
    assert rows(query_endpoint(server.query_url, q)) == {('"A/RES/3/1"',)}


def test_push_graph_subset(server: OxigraphServer, store: EmbeddedStore) -> None:
    seen: list[tuple[str, int, int]] = []
    report = push_graphs(store, server.store_url, graphs=[G2, G2], timeout=10,
                         progress=lambda g, done, total: seen.append((g, done, total)))
    assert report.graphs == [G2] and report.triples == 4 and seen == [(G2, 1, 1)]
    got = query_endpoint(server.query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert rows(got) == {(f"<{G2}>",)}
    with pytest.raises(StoreError, match="no graph"):
        push_graphs(store, server.store_url, graphs=[G1, "https://un.example/graph/none"])
    assert remote_count(server) == 4


def test_server_stopped_mid_push_then_rerun(fresh_oxigraph_server: OxigraphServer,
                                            store: EmbeddedStore) -> None:
    server = fresh_oxigraph_server

    def stop_after_first(graph: str, done: int, total: int) -> None:
        if done == 1:
            server.stop()

    start = time.monotonic()
    with pytest.raises(PushError, match="stopped at graph") as err:
        push_graphs(store, server.store_url, timeout=5, retries=2, backoff=0.05, progress=stop_after_first)
    assert time.monotonic() - start < 5
    report = err.value.report
    assert len(report.graphs) == 1 and report.retries == 2
    assert server.store_url in str(err.value)

    server.start()
    assert remote_count(server) == len(store.nquads_lines(report.graphs[0]))
    again = push_graphs(store, server.store_url, timeout=10)
    assert again.ok and len(again.graphs) == 3
    assert remote_count(server) == TOTAL
    assert rows(query_endpoint(server.query_url, ALL_QUADS)) == rows(from_oxigraph(store.query(ALL_QUADS)))


def test_5xx_is_retried_then_succeeds(server: OxigraphServer, store: EmbeddedStore,
                                      fake_server: Callable[[Responder], FakeServer]) -> None:
    target = urllib.parse.urlsplit(server.store_url)

    def flaky_proxy(seen: Seen, index: int) -> tuple[int, str, bytes]:
        if index < 2:
            return 503, "text/plain", b"busy, try later"
        conn = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=10)
        query = urllib.parse.urlsplit(seen.path).query
        conn.request(seen.method, f"{target.path}?{query}", body=seen.body,
                     headers={"Content-Type": seen.headers["Content-Type"]})
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        return resp.status, resp.getheader("Content-Type") or "", body

    proxy = fake_server(flaky_proxy)
    report = push_graphs(store, proxy.url + "/store", timeout=10, retries=3, backoff=0.05)
    assert report.ok and report.retries == 2 and len(report.graphs) == 3
    assert len(proxy.seen) == 5 and all(s.method == "PUT" for s in proxy.seen)
    assert all(s.headers["Content-Type"] == "application/n-triples" for s in proxy.seen)
    assert remote_count(server) == TOTAL


def test_persistent_5xx_gives_up(fake_server: Callable[[Responder], FakeServer],
                                 store: EmbeddedStore) -> None:
    fake = fake_server(lambda seen, i: (500, "text/plain", b"internal trouble"))
    with pytest.raises(PushError, match="internal trouble") as err:
        push_graphs(store, fake.url + "/store", retries=2, backoff=0.01)
    assert len(fake.seen) == 3 and err.value.report.graphs == []


def test_4xx_is_not_retried(fake_server: Callable[[Responder], FakeServer], store: EmbeddedStore) -> None:
    bad_graph = graph_url("/store", G2)

    def picky(seen: Seen, index: int) -> tuple[int, str, bytes]:
        if seen.path == bad_graph:
            return 400, "text/plain", b"bad triple on line 3"
        return 201, "", b""

    fake = fake_server(picky)
    report = push_graphs(store, fake.url + "/store", retries=3, backoff=0.01)
    assert not report.ok and list(report.failures) == [G2] and "bad triple" in report.failures[G2]
    assert sorted(report.graphs) == sorted([G1, G3]) and report.retries == 0
    assert len(fake.seen) == 3

    refusing = fake_server(lambda seen, i: (401, "text/plain", b"who are you"))
    with pytest.raises(PushError, match="401"):
        push_graphs(store, refusing.url + "/store", retries=3, backoff=0.01)
    assert len(refusing.seen) == 1


def test_put_request_shape(fake_server: Callable[[Responder], FakeServer], store: EmbeddedStore) -> None:
    fake = fake_server(lambda seen, i: (204, "", b""))
    push_graphs(store, fake.url + "/store", graphs=[G1])
    (put,) = fake.seen
    assert put.method == "PUT" and put.headers["Content-Type"] == "application/n-triples"
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(put.path).query) == {"graph": [G1]}
    lines = put.body.decode().splitlines()
    assert lines == sorted(lines) and len(lines) == 5


# ---- URL helpers --------------------------------------------------------------------------------

def test_default_graph_store() -> None:
    assert default_graph_store("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/store"
    assert default_graph_store("http://h:3030/un/sparql") == "http://h:3030/un/data"
    assert default_graph_store("http://h:8890/sparql") == "http://h:8890/sparql-graph-crud"
    assert default_graph_store("http://h:8890/sparql-auth") == "http://h:8890/sparql-graph-crud-auth"
    assert default_graph_store("http://h:7200/repositories/un") == \
        "http://h:7200/repositories/un/rdf-graphs/service"
    with pytest.raises(RemoteError, match="explicitly"):
        default_graph_store("http://h/whatever")
    assert graph_url("http://h/store", "https://x/g?a=1#f") == "http://h/store?graph=https%3A%2F%2Fx%2Fg%3Fa%3D1%23f"
    assert set(ENDPOINT_URLS) == {"oxigraph", "fuseki", "graphdb", "virtuoso", "qlever"}
    assert all({"query", "update", "graph_store"} <= set(v) for v in ENDPOINT_URLS.values())


def test_cli_push_then_remote_query_matches_local(oxigraph_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`unkg push` sends the loaded corpus; every library query answers the same remotely."""
    from click.testing import CliRunner

    from unkg.cli import cli as unkg_cli

    texts = Path(__file__).parent / "data" / "corpus" / "texts"
    store = str(tmp_path / "store")
    runner = CliRunner()
    sample = [str(p) for p in sorted(texts.iterdir())[:25]]
    assert runner.invoke(unkg_cli, ["--store", store, "load", *sample]).exit_code == 0
    oxigraph_server.clear()
    for _ in range(2):  # pushing twice changes nothing
        pushed = runner.invoke(unkg_cli, ["--store", store, "push", "--graph-store", oxigraph_server.store_url])
        assert pushed.exit_code == 0, pushed.output
        assert "pushed 25 graphs" in pushed.stderr
    from unkg.queries import library

    for name, q in library().items():
        args = ["--store", store, "query", name, "--format", "json"]
        if q.form != "SELECT":
            continue
        local = runner.invoke(unkg_cli, args)
        remote = runner.invoke(unkg_cli, args + ["--endpoint", oxigraph_server.query_url])
        assert local.exit_code == 0 and remote.exit_code == 0, (name, local.output, remote.output)
        as_set = lambda out: {json.dumps(b, sort_keys=True) for b in json.loads(out)["results"]["bindings"]}  # noqa: E731
        assert as_set(local.stdout) == as_set(remote.stdout), name


def test_cli_push_one_graph_by_symbol_twice(oxigraph_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`unkg push --graph SYMBOL` sends that graph only; the summary counts its graphs and triples;
    a second push leaves the server's content as it was."""
    from click.testing import CliRunner

    from unkg.cli import cli as unkg_cli

    texts = Path(__file__).parent / "data" / "corpus" / "texts"
    store = str(tmp_path / "store")
    runner = CliRunner()
    sample = [str(texts / "A-RES-61-54.txt"), str(texts / "A-RES-72-12.txt")]
    assert runner.invoke(unkg_cli, ["--store", store, "load", *sample]).exit_code == 0
    graph = "https://w3id.org/unkg/graph/A/RES/61/54"
    with EmbeddedStore(store, create=False) as st:
        triples = st.count(graph)
    oxigraph_server.clear()
    snapshots = []
    for _ in range(2):
        pushed = runner.invoke(unkg_cli, ["--store", store, "push", "--endpoint", oxigraph_server.query_url,
                                          "--graph", "A/RES/61/54"])
        assert pushed.exit_code == 0, pushed.output
        assert f"pushed 1 graphs, {triples} triples" in pushed.stderr
        snapshots.append(rows(query_endpoint(oxigraph_server.query_url, ALL_QUADS)))
    assert snapshots[0] == snapshots[1]
    assert {r[0] for r in snapshots[0]} == {f"<{graph}>"} and len(snapshots[0]) == triples
    missing = runner.invoke(unkg_cli, ["--store", store, "push", "--endpoint", oxigraph_server.query_url,
                                       "--graph", "A/RES/1/1"])
    assert missing.exit_code == 5 and "no graph" in missing.stderr


def test_cli_fulltext_query_on_endpoint_matches_local(oxigraph_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A fulltext parameter is resolved through the local index; the VALUES block goes to the server."""
    from click.testing import CliRunner

    from unkg.cli import cli as unkg_cli

    texts = Path(__file__).parent / "data" / "corpus" / "texts"
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(unkg_cli, ["--store", store, "load", *map(str, sorted(texts.glob("A-RES-7*.txt")))]).exit_code == 0
    oxigraph_server.clear()
    assert runner.invoke(unkg_cli, ["--store", store, "push", "--graph-store", oxigraph_server.store_url]).exit_code == 0
    args = ["--store", store, "query", "fulltext-search", "-p", "paragraph=climate OR terrorism", "-f", "json"]
    local = runner.invoke(unkg_cli, args)
    remote = runner.invoke(unkg_cli, args + ["--endpoint", oxigraph_server.query_url])
    assert local.exit_code == 0 and remote.exit_code == 0, (local.output, remote.output)
    as_set = lambda out: {json.dumps(b, sort_keys=True) for b in json.loads(out)["results"]["bindings"]}  # noqa: E731
    assert as_set(local.stdout) == as_set(remote.stdout) and len(as_set(local.stdout)) > 10


# ---- retries of remote queries ------------------------------------------------------------------

def forwarding_to(server: OxigraphServer) -> Callable[[Seen], tuple[int, str, bytes]]:
    """Send a query request on to the real server's query endpoint, and its answer back."""
    target = urllib.parse.urlsplit(server.query_url)

    def forward(seen: Seen) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=10)
        query = urllib.parse.urlsplit(seen.path).query
        headers = {k: v for k, v in seen.headers.items() if k.lower() in ("accept", "content-type")}
        conn.request(seen.method, f"{target.path}?{query}", body=seen.body or None, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        return resp.status, resp.getheader("Content-Type") or "", body

    return forward


def test_query_is_asked_again_after_503_and_429(server: OxigraphServer, store: EmbeddedStore,
                                                fake_server: Callable[..., FakeServer]) -> None:
    push_graphs(store, server.store_url, timeout=10)
    forward = forwarding_to(server)
    busy = {0: (503, "text/plain", b"overloaded", {}), 1: (429, "text/plain", b"slow down", {"Retry-After": "1"})}
    proxy = fake_server(lambda seen, i: busy[i] if i in busy else forward(seen))
    waits: list[tuple[str, float]] = []
    start = time.monotonic()
    result = query_endpoint(proxy.url + "/query", ALL_QUADS, timeout=10, backoff=0.05,
                            on_retry=lambda reason, delay: waits.append((reason, delay)))
    elapsed = time.monotonic() - start
    assert rows(result) == rows(from_oxigraph(store.query(ALL_QUADS))) and len(result.rows) == TOTAL
    assert len(proxy.seen) == 3 and {s.method for s in proxy.seen} == {"GET"}
    assert proxy.seen[0].path == proxy.seen[2].path  # the same request, again
    assert [d for _, d in waits] == [0.05, 1.0], waits  # back-off, then the server's Retry-After
    assert "HTTP 503" in waits[0][0] and "overloaded" in waits[0][0] and "HTTP 429" in waits[1][0]
    assert elapsed >= 1.05


def test_query_retries_run_out_with_a_clear_error(fake_server: Callable[..., FakeServer]) -> None:
    always = fake_server(lambda seen, i: (503, "text/plain", b"down for maintenance",
                                          {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    with pytest.raises(EndpointError) as err:
        query_endpoint(always.url + "/q", "ASK {}", retries=2, backoff=0.05)
    assert err.value.status == 503 and len(always.seen) == 3
    assert "down for maintenance" in str(err.value) and str(err.value).endswith("(after 3 attempts)")
    capped = fake_server(lambda seen, i: (503, "text/plain", b"", {"Retry-After": "3600"}))
    waits: list[float] = []

    class Enough(Exception):
        pass

    def record(reason: str, delay: float) -> None:
        waits.append(delay)
        raise Enough  # the delay is what is checked; no need to sit through it

    with pytest.raises(Enough):
        query_endpoint(capped.url + "/q", "ASK {}", retries=1, backoff=0.05, on_retry=record)
    assert waits == [30.0]  # an hour's Retry-After is not honoured whole


@pytest.mark.parametrize("status", [400, 401, 404, 500])
def test_query_answers_that_are_not_transient_are_not_retried(status: int,
                                                              fake_server: Callable[..., FakeServer]) -> None:
    fake = fake_server(lambda seen, i: (status, "text/plain", b"no"))
    with pytest.raises(EndpointError) as err:
        query_endpoint(fake.url + "/q", "ASK {}", retries=3, backoff=0.05)
    assert err.value.status == status and len(fake.seen) == 1 and "attempts" not in str(err.value)


def test_query_reaches_a_server_that_comes_back(fake_server: Callable[..., FakeServer]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    answer = (200, "application/sparql-results+json", b'{"head":{},"boolean":true}')
    started: list[FakeServer] = []

    def restart(reason: str, delay: float) -> None:  # the server is back before the next try
        assert "cannot reach" in reason
        started.append(fake_server(lambda seen, i: answer, port=port))

    result = query_endpoint(f"http://127.0.0.1:{port}/q", "ASK {}", retries=1, backoff=0.05,
                            on_retry=restart)
    assert result.boolean is True and len(started) == 1 and len(started[0].seen) == 1


def test_cli_query_retries(server: OxigraphServer, store: EmbeddedStore, tmp_path: Path,
                           fake_server: Callable[..., FakeServer]) -> None:
    from click.testing import CliRunner

    from unkg.cli import cli

    always = fake_server(lambda seen, i: (503, "text/plain", b"busy"))
    query = tmp_path / "ask.rq"
    query.write_text("ASK { ?s ?p ?o }")
    runner = CliRunner()
    failed = runner.invoke(cli, ["--store", str(tmp_path / "none"), "query", str(query), "--endpoint",
                                 always.url + "/q", "--retries", "1"])
    assert failed.exit_code == 6 and len(always.seen) == 2, failed.output
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0].endswith("busy; trying again in 0.5 s"), lines
    assert lines[1].startswith("Error: ") and lines[1].endswith("(after 2 attempts)"), lines
    once = fake_server(lambda seen, i: (503, "text/plain", b"busy"))
    runner.invoke(cli, ["query", str(query), "--endpoint", once.url + "/q", "--retries", "0"])
    assert len(once.seen) == 1
    push_graphs(store, server.store_url, timeout=10)
    forward = forwarding_to(server)
    flaky = fake_server(lambda seen, i: (502, "text/plain", b"bad gateway") if i == 0 else forward(seen))
    ok = runner.invoke(cli, ["query", str(query), "--endpoint", flaky.url + "/q", "-f", "json"])
    assert ok.exit_code == 0 and '"boolean": true' in ok.stdout, ok.output
    assert len(flaky.seen) == 2 and "HTTP 502" in ok.stderr
