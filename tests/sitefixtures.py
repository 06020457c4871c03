"""A small store for the site tests: a citation series of real resolutions plus hostile RDF
(a title with <script>, IRIs that try to leave the output folder), and a running `unkg serve`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from conftest import free_port
from unkg.loader import load_paths
from unkg.store import EmbeddedStore

TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
BASE = "https://w3id.org/unkg/"
SERIES = ["A-RES-72-153", "A-RES-73-152", "A-RES-74-132", "A-RES-75-165", "A-RES-76-145",
          "A-RES-78-186", "A-RES-72-120", "A-RES-73-208", "A-RES-61-54", "A-RES-75-245"]
HOSTILE_TITLE = "</script><script>alert('x')</script> & <b>bold</b> \"quoted\""
HOSTILE_TTL = f"""
@prefix unkg: <https://w3id.org/unkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
<{BASE}doc/X/RES/1> a unkg:Resolution ; unkg:symbol "<script>alert(1)</script>" ;
    dcterms:title {HOSTILE_TITLE!r}@en ;
    eli:cites <{BASE}doc/A/RES/78/186> , <javascript:alert(2)> .
<{BASE}doc/%2E%2E/%2E%2E/%2E%2E/escaped> a unkg:Document ; unkg:symbol "../../../escaped" .
<{BASE}doc/..%2F..%2Fescaped2> a unkg:Document ; unkg:symbol "..%2F" .
<{BASE}doc/.htaccess> a unkg:Document ; unkg:symbol ".htaccess" .
<{BASE}doc/evil.html> a unkg:Document ; unkg:symbol "evil.html" .
"""
HOSTILE_SKIPPED = {f"{BASE}doc/%2E%2E/%2E%2E/%2E%2E/escaped", f"{BASE}doc/..%2F..%2Fescaped2",
                   f"{BASE}doc/.htaccess", f"{BASE}doc/evil.html"}


def build_site_store(folder: Path) -> Path:
    """Load the series and the hostile file into a new store at folder/store; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    hostile = folder / "hostile.ttl"
    hostile.write_text(HOSTILE_TTL, encoding="utf-8")
    path = folder / "store"
    with EmbeddedStore(path) as st:
        report = load_paths(st, [TEXTS / f"{n}.txt" for n in SERIES] + [hostile], base_iri=BASE, jobs=1)
        assert not report.failed, report.failed
    return path


NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Served:
    """`unkg serve` running as a child process on 127.0.0.1."""

    def __init__(self, store: Path, site: Path | None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        unkg = Path(sys.executable).parent / "unkg"
        cmd = [str(unkg), "--store", str(store), "serve", "--port", str(self.port)]
        if site is not None:
            cmd += ["--site", str(site)]
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while True:  # pages come last: the index is built after the port opens (503 until then)
            try:
                with NO_PROXY.open(self.url + "/", timeout=5) as r:
                    r.read()
                break
            except (urllib.error.URLError, OSError):
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    out = self.proc.stdout.read().decode() if self.proc.stdout else ""
                    self.stop()
                    raise RuntimeError(f"unkg serve did not start: {out}")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def serve_fixture(store: Path, site: Path | None) -> Iterator[Served]:
    served = Served(store, site)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="session")
def site_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site_store(tmp_path_factory.mktemp("site-store"))


@pytest.fixture(scope="session")
def published(site_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """(site folder, PublishReport) of the site store."""
    from unkg.publish import publish
    out = tmp_path_factory.mktemp("published") / "site"
    with EmbeddedStore(site_store, read_only=True) as st:
        report = publish(st, out, BASE, jobs=2)
    return out, report


@pytest.fixture(scope="session")
def served_site(site_store: Path, published: tuple[Path, object]) -> Iterator[Served]:
    """`unkg serve --site` over the published folder (pages from files, SPARQL from the store)."""
    yield from serve_fixture(site_store, published[0])
