"""Security: no network unless asked, parameters that cannot change a query, a local read-only
endpoint, and input that is never executed. Every "no request" claim is checked on a real HTTP
server on 127.0.0.1 that counts what it receives."""

from __future__ import annotations

import ast
import json
import os
import pickle
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from conftest import free_port
from unkg.cli import cli
from unkg.errors import QueryError
from unkg.iris import IRIs
from unkg.queries import bind_params, find_query, inline_values, library, parse_query_file, run_local
from unkg.security import external_contexts, uses_service
from unkg.store import EmbeddedStore

DATA = Path(__file__).parent / "data"
TEXTS = DATA / "corpus" / "texts"
SEED = TEXTS / "A-RES-61-54.txt"
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


class Listener:
    """An HTTP server on 127.0.0.1 that records every request and answers as a JSON-LD context
    (GET *.jsonld) or as a SPARQL endpoint with one empty result (anything else)."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(f"{self.command} {self.path}")
                if self.path.endswith(".jsonld"):
                    body, ctype = json.dumps({"@context": {"name": "http://schema.org/name"}}).encode(), \
                        "application/ld+json"
                else:
                    body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"far"}}]}}'
                    ctype = "application/sparql-results+json"
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def listener(monkeypatch: pytest.MonkeyPatch) -> Iterator[Listener]:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("security") / "store"
    assert run("--store", str(path), "load", str(SEED), str(TEXTS / "A-RES-72-12.txt")).exit_code == 0
    return path


def export(store: Path) -> bytes:
    return run("--store", str(store), "export", "--format", "nq").stdout_bytes


# ---- remote JSON-LD contexts --------------------------------------------------------------------

def remote_context_doc(listener: Listener) -> bytes:
    return json.dumps({"@context": f"{listener.url}/context.jsonld",
                       "@id": "http://example.org/thing", "name": "A thing"}).encode()


def test_load_refuses_a_remote_jsonld_context(listener: Listener, tmp_path: Path) -> None:
    doc = tmp_path / "remote.jsonld"
    doc.write_bytes(remote_context_doc(listener))
    store = tmp_path / "store"
    refused = run("--store", str(store), "load", str(doc))
    assert refused.exit_code == 3 and "--allow-remote-context" in refused.stderr
    assert f"{listener.url}/context.jsonld" in refused.stderr and str(doc) in refused.stderr
    assert listener.hits == []
    allowed = run("--store", str(store), "load", "--allow-remote-context", str(doc))
    assert allowed.exit_code == 0, allowed.output
    assert listener.hits == ["GET /context.jsonld"]
    assert '"A thing"' in run("--store", str(store), "export", "--format", "nt").stdout


def test_validate_refuses_a_remote_jsonld_context(listener: Listener, tmp_path: Path) -> None:
    doc = tmp_path / "remote.jsonld"
    doc.write_bytes(remote_context_doc(listener))
    refused = run("validate", str(doc))
    assert refused.exit_code == 3 and "--allow-remote-context" in refused.stderr
    shapes = tmp_path / "shapes.jsonld"
    shapes.write_bytes(remote_context_doc(listener))
    also = run("validate", str(SEED), "--shapes", str(shapes))
    assert also.exit_code == 3 and "--allow-remote-context" in also.stderr
    assert listener.hits == []
    allowed = run("validate", "--allow-remote-context", str(doc))
    assert allowed.exit_code in (0, 1), allowed.output
    assert listener.hits == ["GET /context.jsonld"]


def test_inline_contexts_need_no_flag(tmp_path: Path) -> None:
    doc = tmp_path / "inline.jsonld"
    doc.write_text(json.dumps({"@context": {"name": "http://schema.org/name"},
                               "@id": "http://example.org/x", "name": "x"}))
    assert run("--store", str(tmp_path / "s"), "load", str(doc)).exit_code == 0
    assert external_contexts(doc.read_bytes()) == []
    nested = {"@context": [{"@import": "http://a.example/c"}], "@graph": [{"@context": "http://b.example/c"}],
              "x": {"@context": ["rel.jsonld"]}}
    assert sorted(external_contexts(json.dumps(nested))) == ["http://a.example/c", "http://b.example/c",
                                                             "rel.jsonld"]


# ---- SPARQL SERVICE -----------------------------------------------------------------------------

def service_query(listener: Listener, spelling: str = "SERVICE") -> str:
    return f"SELECT ?x WHERE {{ {spelling} <{listener.url}/sparql> {{ ?s ?p ?x }} }}"


def test_query_refuses_service_locally_and_remotely(listener: Listener, store: Path, tmp_path: Path) -> None:
    path = tmp_path / "federated.rq"
    for spelling in ("SERVICE", "service", "SeRvIcE SILENT"):
        path.write_text(service_query(listener, spelling))
        local = run("--store", str(store), "query", str(path))
        assert local.exit_code == 2 and "--allow-service" in local.stderr, local.output
        remote = run("query", str(path), "--endpoint", f"{listener.url}/query")
        assert remote.exit_code == 2 and "--allow-service" in remote.stderr, remote.output
    assert listener.hits == []
    path.write_text(service_query(listener))
    allowed = run("--store", str(store), "query", str(path), "--allow-service", "--format", "csv")
    assert allowed.exit_code == 0, allowed.output
    assert "far" in allowed.stdout and listener.hits and listener.hits[0].endswith("/sparql")


def test_shapes_with_service_are_not_run(listener: Listener, tmp_path: Path) -> None:
    shapes = tmp_path / "evil.ttl"
    shapes.write_text(f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
<http://example.org/S> a sh:NodeShape ; sh:targetClass <https://w3id.org/unkg/ontology#Resolution> ;
  sh:sparql [ sh:message "calls out" ;
    sh:select \"\"\"SELECT $this WHERE {{ SERVICE <{listener.url}/sparql> {{ $this ?p ?o }} }}\"\"\" ] .
""")
    result = run("validate", str(SEED), "--shapes", str(shapes))
    assert result.exit_code == 3 and "SERVICE" in result.stderr and str(shapes) in result.stderr
    assert listener.hits == []


@pytest.mark.parametrize("text,expected", [
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * {service<http://x/>{?s ?p ?o}}", True),
    ("SELECT * { ?s ?p ?o .SERVICE <http://x/> { } }", True),
    ("SELECT * { \\u0053ERVICE <http://x/> { } }", True),  # SPARQL's codepoint escapes
    ("PREFIX e: <http://e/> SELECT * { ?s e:a\\' ; e:b ?o . SERVICE <http://x/> { } }", True),
    ("SELECT ?service WHERE { ?service <http://x/SERVICE> 'SERVICE' }", False),
    ("SELECT * { ?s <http://x/p#SERVICE> ?o } # SERVICE in a comment", False),
    ('SELECT * { ?s ?p """ a SERVICE\n in a long string """ }', False),
    ("PREFIX e: <http://e/> SELECT * { ?s e:SERVICE ?o ; e:serviceLevel ?l }", False),
])
def test_service_detection(text: str, expected: bool) -> None:
    assert uses_service(text) is expected


# ---- parameters are terms -----------------------------------------------------------------------

ECHO = parse_query_file(Path("echo.rq"), "# param: v (string) -- any text\n"
                                         "# param: d (doc) = A/RES/61/54 -- a symbol\n"
                                         "SELECT ?v ?d WHERE { }\n")
HOSTILE = ['"} ; DROP ALL ; {"', "x' } } DELETE WHERE { ?s ?p ?o } #", '\\" . ?s ?p ?o } #',
           "A/RES/61/54> } ; CLEAR ALL ; SELECT * { <x", "\n}\nINSERT DATA { <a> <b> <c> }\n#",
           "${v}", "?v", "\u0000\u202e", '"""', "'''"]


@given(st.one_of(st.text(max_size=60), st.sampled_from(HOSTILE)))
def test_a_parameter_value_comes_back_as_itself(value: str) -> None:
    """Whatever the value, the query returns it as a literal (and as a document IRI): it was data."""
    memory = ox.Store()
    terms = bind_params(ECHO, {"v": value}, IRIs())
    result = run_local(memory, ECHO, terms)
    assert [(r["v"], r["d"]) for r in result.rows] == [(ox.Literal(value), ox.NamedNode(str(IRIs().document("A/RES/61/54"))))]
    try:
        terms = bind_params(ECHO, {"v": "x", "d": value}, IRIs())
    except QueryError:
        return  # not a symbol: refused before any query text is written
    rows = run_local(memory, ECHO, terms).rows
    assert [r["d"] for r in rows] == [ox.NamedNode(str(IRIs().document(value)))]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameters_through_the_cli(value: str, store: Path) -> None:
    before = export(store)
    for name, q in library().items():
        for p in q.params:
            result = run("--store", str(store), "query", name, "--param", f"{p.name}={value}", "--format", "json")
            assert result.exit_code in (0, 2), (name, p.name, result.output)
            if result.exit_code == 0:
                json.loads(result.stdout)
    assert export(store) == before


def test_iri_parameters_are_checked() -> None:
    q = parse_query_file(Path("i.rq"), "# param: i (iri) -- an IRI\nSELECT ?i WHERE { }\n")
    with pytest.raises(QueryError):
        bind_params(q, {"i": "http://x/> } ; DROP ALL ; { <y"}, IRIs())
    text = inline_values(q.text, bind_params(q, {"i": "http://x/a"}, IRIs()))
    assert "<http://x/a>" in text
    assert find_query("cited-by-resolution").params


# ---- serve --------------------------------------------------------------------------------------

def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on `port` (from /proc/net/tcp and tcp6)."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_serve_binds_loopback_and_is_read_only(store: Path, tmp_path: Path, listener: Listener) -> None:
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    before = export(copy)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "unkg.cli", "--store", str(copy), "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with _NO_PROXY.open(f"{base}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", timeout=2) as r:
                    assert json.loads(r.read())["boolean"] is True
                break
            except (urllib.error.URLError, OSError):
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.1)
        assert _listening_addresses(port) == {"0100007F"}, _listening_addresses(port)  # 127.0.0.1 only
        writes = [
            urllib.request.Request(f"{base}/sparql", data=b"DROP ALL", method="POST",
                                   headers={"Content-Type": "application/sparql-update"}),
            urllib.request.Request(f"{base}/sparql", data=b"update=DROP%20ALL", method="POST",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"}),
            urllib.request.Request(f"{base}/update", data=b"DROP ALL", method="POST",
                                   headers={"Content-Type": "application/sparql-update"}),
            urllib.request.Request(f"{base}/store?default", data=b"<http://a/> <http://b/> <http://c/> .",
                                   method="PUT", headers={"Content-Type": "application/n-triples"}),
            urllib.request.Request(f"{base}/store?graph=http%3A%2F%2Fa%2F", method="DELETE"),
        ]
        federated = urllib.parse.quote(service_query(listener))
        writes += [  # and no SERVICE: the server would call another server
            urllib.request.Request(f"{base}/sparql?query={federated}"),
            urllib.request.Request(f"{base}/sparql", data=f"query={federated}".encode(), method="POST",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"}),
            urllib.request.Request(f"{base}/sparql", data=service_query(listener).encode(), method="POST",
                                   headers={"Content-Type": "application/sparql-query"}),
        ]
        for request in writes:
            with pytest.raises(urllib.error.HTTPError) as refused:
                _NO_PROXY.open(request, timeout=5).read()
            assert 400 <= refused.value.code < 500, (request.full_url, refused.value.code)
        assert listener.hits == []
        server_pids = _descendants(proc.pid)
    finally:
        proc.terminate()  # SIGTERM, as a service manager stops it
        proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in server_pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(pid) for pid in server_pids), "the server outlived `unkg serve`"
    assert export(copy) == before


def _descendants(pid: int) -> list[int]:
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return children + [d for c in children for d in _descendants(c)]


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# ---- input is never executed --------------------------------------------------------------------

class _Boom:
    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.system, ("touch MARKER",))


def test_input_is_never_executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Payloads that run a command if anything evaluated, unpickled, YAML-loaded or shelled them."""
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "MARKER"
    seed = SEED.read_text(encoding="utf-8")
    payloads = {
        "front-matter.md": "---\ntitle: !!python/object/apply:os.system ['touch MARKER']\n"
                           "symbol: `touch MARKER`\n---\n" + seed,
        "$(touch MARKER).txt": seed,
        "; touch MARKER ;.txt": seed.replace("Developments in the field", "$(touch MARKER) `touch MARKER`"),
        "eval.txt": seed.replace("Recalling its resolutions",
                                 "__import__('os').system('touch MARKER') Recalling its resolutions"),
        "wrapper.json": json.dumps({"symbol": "__import__('os').system('touch MARKER')",
                                    "text": seed, "__reduce__": "os.system"}),
        "literal.ttl": '<http://x/a> <http://x/b> "__import__(\'os\').system(\'touch MARKER\')" .\n',
    }
    for name, text in payloads.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "pickle.txt").write_bytes(pickle.dumps(_Boom()))
    (tmp_path / "pickle.json").write_bytes(pickle.dumps(_Boom()))
    store = tmp_path / "s"
    loaded = run("--store", str(store), "load", str(tmp_path))
    assert loaded.exit_code == 3 and "6 loaded" in loaded.stderr and "2 failed" in loaded.stderr, loaded.stderr
    run("validate", *[str(p) for p in tmp_path.iterdir() if p.is_file() and p.name != "unkg.toml"])
    run("--store", str(store), "query", "cited-by-resolution", "-p", "resolution=$(touch MARKER)")
    run("--store", str(store), "export", "--format", "jsonld")
    (tmp_path / "unkg.toml").write_text('[unkg]\nbase_iri = "https://example.org/$(touch MARKER)/"\n')
    bad_setting = run("--store", str(store), "export")
    assert bad_setting.exit_code == 2 and "invalid base IRI" in bad_setting.stderr
    (tmp_path / "unkg.toml").write_text('[unkg\nbase_iri = "$(touch MARKER)"\n')
    bad_file = run("--store", str(store), "export")
    assert bad_file.exit_code == 3 and "unkg.toml" in bad_file.stderr and "line 1" in bad_file.stderr
    assert not marker.exists()



def test_source_has_no_code_execution_sinks() -> None:
    """Static check (bandit's B102/B301/B307/B506/B602/B605 in a few lines): no eval/exec, no pickle or
    marshal or yaml.load, no shell=True, no os.system/popen anywhere in src/unkg."""
    src = Path(__file__).parent.parent / "src" / "unkg"
    problems: list[str] = []
    for path in sorted(src.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n.split(".")[0] in ("pickle", "marshal", "shelve", "yaml", "dill") for n in names):
                    problems.append(f"{path.name}:{node.lineno}: imports {names}")
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
                if name in ("eval", "exec", "compile", "__import__") and owner in ("", "builtins"):
                    problems.append(f"{path.name}:{node.lineno}: {name}()")
                if owner == "os" and (name in ("system", "popen") or name.startswith(("exec", "spawn"))):
                    problems.append(f"{path.name}:{node.lineno}: os.{name}()")
                for kw in node.keywords:
                    if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                        problems.append(f"{path.name}:{node.lineno}: shell=")
    assert problems == [], problems
