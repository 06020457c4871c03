"""`unkg serve` over HTTP on 127.0.0.1: content negotiation of pages, site files, /sparql (GET,
POST, result formats, service description) and no way to change the store."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pyoxigraph as ox
import pytest
import rdflib

from sitefixtures import BASE, NO_PROXY, Served, serve_fixture
from unkg import formats
from unkg.store import EmbeddedStore

RES = "/doc/A/RES/76/145"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_RAW = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


def get(server: Served, path: str, accept: str | None = None, method: str = "GET",
        data: bytes | None = None, content_type: str | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(server.url + path, data=data, method=method)
    if accept is not None:
        req.add_header("Accept", accept)
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with _RAW.open(req, timeout=60) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


@pytest.fixture(scope="module")
def from_store(site_store: Path) -> Iterator[Served]:
    """`unkg serve` without --site: every page rendered from the store."""
    yield from serve_fixture(site_store, None)


@pytest.mark.parametrize("accept,expected", [
    ("text/html", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),  # a browser
    ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
    ("application/ld+json;q=0.2, text/turtle;q=0.9, text/html;q=0.1", "text/turtle"),
    ("text/*", "text/html"),
    ("text/*;q=0.3, text/turtle", "text/turtle"),
    ("*/*", "text/html"),
    ("text/html;q=0, */*", "text/turtle"),
    (None, "text/html"),
])
def test_pages_are_negotiated(served_site: Served, accept: str | None, expected: str) -> None:
    status, headers, body = get(served_site, RES, accept)
    assert status == 200
    assert headers["content-type"].split(";")[0] == expected
    assert "Accept" in headers["vary"]
    ext = {"text/html": ".html", "text/turtle": ".ttl", "application/ld+json": ".jsonld"}[expected]
    assert headers["content-location"] == "145" + ext


@pytest.mark.parametrize("accept", ["image/png", "application/rdf+xml", "text/turtle;q=0, text/html;q=0, "
                                    "application/ld+json;q=0", "text/csv"])
def test_unacceptable_types_get_406(served_site: Served, accept: str) -> None:
    status, headers, body = get(served_site, RES, accept)
    assert status == 406
    assert "Accept" in headers["vary"]
    assert b"text/turtle" in body


def test_negotiated_forms_are_the_published_files(served_site: Served, published: tuple[Path, Any]) -> None:
    site = published[0]
    for accept, ext in (("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"), ("text/html", ".html")):
        assert get(served_site, RES, accept)[2] == (site / f"doc/A/RES/76/145{ext}").read_bytes()
        status, headers, body = get(served_site, RES + ext, "image/png")  # an extension picks the form
        assert status == 200 and body == (site / f"doc/A/RES/76/145{ext}").read_bytes()


def test_pages_rendered_from_the_store_equal_the_published_ones(
        from_store: Served, published: tuple[Path, Any]) -> None:
    site = published[0]
    for rel in ("doc/A/RES/76/145", "session/ga/76", "doc/A/RES/72/153", "body/ga/third-committee",
                "doc/S/RES/1325(2000)" if (site / "doc/S/RES/1325(2000).ttl").exists() else "doc/A/76/457"):
        for accept, ext in (("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"), ("text/html", ".html")):
            status, _, body = get(from_store, "/" + urllib.parse.quote(rel), accept)
            assert status == 200, rel
            assert body == (site / f"{rel}{ext}").read_bytes(), rel + ext


def test_turtle_over_http_parses_and_describes_the_resource(served_site: Served) -> None:
    _, _, body = get(served_site, RES, "text/turtle")
    g = rdflib.Graph().parse(data=body.decode(), format="turtle")
    assert (rdflib.URIRef(BASE + RES[1:]), rdflib.RDF.type, rdflib.URIRef("https://schema.org/Legislation")) in g


def test_parts_answer_303_to_their_document(served_site: Served) -> None:
    status, headers, _ = get(served_site, RES + "/op/1", "text/turtle")
    assert status == 303
    assert headers["location"] == RES + "#op/1"
    status, headers, _ = get(served_site, RES + "/citation/1")
    assert status == 303 and headers["location"] == RES + "#citation/1"


def test_site_files_and_unknown_paths(served_site: Served) -> None:
    status, headers, body = get(served_site, "/void.ttl")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    status, headers, body = get(served_site, "/dumps/unkg.nq.gz")
    assert status == 200 and body[:2] == b"\x1f\x8b"
    assert get(served_site, "/sitemap.xml")[0] == 200
    assert get(served_site, "/")[0] == 200
    for path in ("/doc/nothing/here", "/.htaccess", "/.unkg-site", "/doc/X/RES/1/../../../../etc/passwd",
                 "/%2e%2e/%2e%2e/etc/passwd", "/doc/%2E%2E/%2E%2E/%2E%2E/escaped"):
        status, _, body = get(served_site, path)
        assert status in (400, 404), path
        assert b"root:" not in body


def test_only_get_and_head_on_pages(served_site: Served) -> None:
    assert get(served_site, RES, method="PUT", data=b"x")[0] == 405
    assert get(served_site, RES, method="DELETE")[0] == 405


# ---- SPARQL ---------------------------------------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_sparql_get_and_post_with_result_negotiation(served_site: Served, site_store: Path) -> None:
    with EmbeddedStore(site_store, read_only=True) as st:
        solutions = st.query(COUNT)
        assert isinstance(solutions, ox.QuerySolutions)
        expected = int(next(iter(solutions))["n"].value)
    q = urllib.parse.urlencode({"query": COUNT})
    status, headers, body = get(served_site, "/sparql?" + q, "application/sparql-results+json")
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+json")
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == expected
    status, headers, body = get(served_site, "/sparql?" + q, "text/csv")
    assert status == 200 and body.decode().splitlines() == ["n", str(expected)]
    status, headers, body = get(served_site, "/sparql?" + q, "application/sparql-results+xml")
    assert status == 200 and b"<sparql" in body
    status, _, body = get(served_site, "/sparql", "application/sparql-results+json", "POST",
                          q.encode(), "application/x-www-form-urlencoded")
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == expected
    status, _, body = get(served_site, "/sparql", "application/sparql-results+json", "POST",
                          COUNT.encode(), "application/sparql-query")
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == expected


def test_sparql_construct_negotiates_rdf_formats(served_site: Served) -> None:
    q = urllib.parse.urlencode({"query": f"CONSTRUCT {{ <{BASE}doc/A/RES/76/145> ?p ?o }} "
                                         f"WHERE {{ <{BASE}doc/A/RES/76/145> ?p ?o }}"})
    status, headers, body = get(served_site, "/sparql?" + q, "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=body.decode(), format="turtle")) > 10


def test_sparql_service_description(served_site: Served) -> None:
    status, headers, body = get(served_site, "/sparql", "text/turtle")
    assert status == 200
    g = rdflib.Graph().parse(data=body.decode(), format="turtle",
                             publicID=served_site.url + "/sparql")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, rdflib.RDF.type, sd.Service) in g


@pytest.mark.parametrize("how", ["sparql-update body", "form update", "query string update", "update as query"])
def test_sparql_updates_are_refused_and_change_nothing(served_site: Served, site_store: Path, how: str) -> None:
    update = f"INSERT DATA {{ GRAPH <{BASE}graph/evil> {{ <{BASE}doc/evil> <{BASE}p> \"x\" }} }}"
    if how == "sparql-update body":
        status = get(served_site, "/sparql", None, "POST", update.encode(), "application/sparql-update")[0]
    elif how == "form update":
        status = get(served_site, "/sparql", None, "POST", urllib.parse.urlencode({"update": update}).encode(),
                     "application/x-www-form-urlencoded")[0]
    elif how == "query string update":
        status = get(served_site, "/sparql?" + urllib.parse.urlencode({"update": update}))[0]
    else:
        status = get(served_site, "/sparql?" + urllib.parse.urlencode({"query": update}))[0]
    assert status in (400, 403, 415)
    ask = urllib.parse.urlencode({"query": f"ASK {{ <{BASE}doc/evil> ?p ?o }}"})
    _, _, body = get(served_site, "/sparql?" + ask, "application/sparql-results+json")
    assert json.loads(body)["boolean"] is False


def test_server_binds_loopback_by_default(served_site: Served) -> None:
    """The listening socket (read from /proc/net/tcp) is on 127.0.0.1 only."""
    listening = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port = local.split(":")
        if state == "0A" and int(port, 16) == served_site.port:
            listening.append(address)
    assert listening == ["0100007F"]


def test_accept_negotiation_in_the_format_registry() -> None:
    offered = [formats.lookup("html", ("page",)), formats.lookup("ttl", ("rdf",)),
               formats.lookup("jsonld", ("rdf",))]
    assert formats.negotiate("text/turtle", offered).name == "ttl"  # type: ignore[union-attr]
    assert formats.negotiate("application/ld+json;q=1.0, text/turtle;q=0.99", offered).name == "jsonld"  # type: ignore[union-attr]
    assert formats.negotiate("*/*;q=0.1, text/turtle;q=0.01", offered).name == "html"  # type: ignore[union-attr]
    assert formats.negotiate("text/turtle;q=garbage, application/ld+json", offered).name == "jsonld"  # type: ignore[union-attr]
    assert formats.negotiate("image/*", offered) is None
    assert formats.negotiate("", offered).name == "html"  # type: ignore[union-attr]


def test_cli_serve_reports_a_missing_store_or_site(site_store: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from unkg.cli import cli

    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "none"), "serve", "--port", "1"])
    assert result.exit_code == 5, result.output
    result = CliRunner().invoke(cli, ["--store", str(site_store), "serve", "--site", str(tmp_path / "none"),
                                      "--port", "1"])
    assert result.exit_code == 3 and "unkg publish" in result.output


def _wsgi(app: Any, path: str, method: str = "GET", query: str = "",
          accept: str = "*/*") -> tuple[str, dict[str, str], bytes]:
    """One request straight to the WSGI application: (status line, headers, body)."""
    import io

    got: dict[str, Any] = {}

    def start(status: str, headers: list[tuple[str, str]]) -> None:
        got.update(status=status, headers={k.lower(): v for k, v in headers})

    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": method, "QUERY_STRING": query,
                         "HTTP_ACCEPT": accept, "wsgi.input": io.BytesIO()}, start))
    return got["status"], got["headers"], body


def test_pages_wait_for_the_index_and_sparql_does_not(site_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the page index is built (a minute at 30,000 documents), /sparql answers and pages
    answer 503 with Retry-After; then pages answer as usual, and the log says they are ready."""
    import subprocess
    import threading

    from unkg import serve, site_model

    release = threading.Event()
    real = site_model.build_index

    def slow_build_index(*args: Any, **kwargs: Any) -> Any:
        assert release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(site_model, "build_index", slow_build_index)
    port = serve._free_port()
    proc = subprocess.Popen(serve.server_command(site_store, port=port), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    logged: list[str] = []
    try:
        serve._wait_for(port, proc)
        app = serve.SiteApp(site_store, BASE, sparql_port=port, background=True, log=logged.append)
        for path in (RES, "/", RES + ".ttl"):
            status, headers, body = _wsgi(app, path)
            assert status.startswith("503") and headers["retry-after"] == "5", (path, status)
            assert b"building the page index" in body
        status, _, body = _wsgi(app, "/sparql", query="query=" + urllib.parse.quote("ASK { ?s ?p ?o }"),
                            accept="application/sparql-results+json")
        assert status.startswith("200") and json.loads(body)["boolean"] is True
        assert logged == []
        release.set()
        deadline = time.monotonic() + 60
        while _wsgi(app, RES)[0].startswith("503"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        status, headers, body = _wsgi(app, RES)
        assert status.startswith("200") and b"76/145" in body
        assert len(logged) == 1 and logged[0].startswith("pages ready: ")
    finally:
        release.set()
        proc.terminate()
        proc.wait(timeout=10)


def test_an_index_that_cannot_be_built_is_said_on_each_page(site_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from unkg import serve, site_model

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk on fire")

    monkeypatch.setattr(site_model, "build_index", broken)
    logged: list[str] = []
    app = serve.SiteApp(site_store, BASE, background=True, log=logged.append)
    deadline = time.monotonic() + 30
    while not logged:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert "disk on fire" in logged[0]
    status, _, body = _wsgi(app, RES)
    assert status.startswith("500") and b"could not be built: OSError: disk on fire" in body
    with pytest.raises(OSError):  # built in the foreground, the error is the caller's
        serve.SiteApp(site_store, BASE)
