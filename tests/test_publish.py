"""`unkg publish`: pages in three forms that agree, byte-identical output, escaping, nothing
written outside the output folder, and dataset files that parse and carry the right counts."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from sitefixtures import BASE, HOSTILE_SKIPPED, HOSTILE_TITLE
from unkg.cli import cli
from unkg.progress import Meter
from unkg.publish import publish, sitemaps
from unkg.sitepaths import UnsafePathError, inside, relpath_of
from unkg.export import serialize_triples
from unkg.store import EmbeddedStore

# rdflib's JSON-LD parser warns about its own use of ConjunctiveGraph
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
UNKG = rdflib.Namespace("https://w3id.org/unkg/ontology#")


def tree(root: Path) -> dict[str, bytes]:
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def page_files(site: Path) -> list[Path]:
    """Every resource page's .ttl (dataset files excluded)."""
    return sorted(p for p in site.rglob("*.ttl")
                  if p.relative_to(site).parts[0] not in ("ontology",) and p.name not in ("void.ttl", "catalog.ttl"))


def assert_same_graph(expected: rdflib.Graph, actual: rdflib.Graph, what: str) -> None:
    if isomorphic(expected, actual):
        return
    _, missing, added = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    pytest.fail(f"{what}: graphs differ\nmissing:\n{missing.serialize(format='nt')}\n"
                f"added:\n{added.serialize(format='nt')}")


class Scripts(HTMLParser):
    """Collects <script> elements (type and text) and every <a href>."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[str, str]] = []
        self.hrefs: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self._in = a.get("type") or ""
            self.scripts.append((self._in, ""))
        if tag == "a" and a.get("href"):
            self.hrefs.append(str(a["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            t, text = self.scripts[-1]
            self.scripts[-1] = (t, text + data)


def parse_html(path: Path) -> Scripts:
    p = Scripts()
    p.feed(path.read_text(encoding="utf-8"))
    return p


# ---- safe paths -----------------------------------------------------------------------------

@pytest.mark.parametrize("iri", [
    "doc/../x", "doc/%2E%2E/x", "doc/%2e%2e/%2e%2e/etc/passwd", "doc/a%2Fb", "doc/a%5Cb", "doc/.htaccess",
    "doc//x", "doc/x/", "doc/x.html", "doc/x.TTL", "doc/a%00b", "doc/a%0Ab", "doc/a%20b", "doc/%FF",
    "doc/x?y=1", "doc/x#y", "doc/<script>",
])
def test_unsafe_iris_get_no_path(iri: str) -> None:
    with pytest.raises(UnsafePathError):
        relpath_of(BASE + iri, BASE)


def test_iris_outside_the_base_get_no_path() -> None:
    with pytest.raises(UnsafePathError):
        relpath_of("https://example.org/doc/A/RES/1", BASE)
    with pytest.raises(UnsafePathError):
        relpath_of(BASE, BASE)


@pytest.mark.parametrize("iri,path", [
    ("doc/A/RES/61/54", "doc/A/RES/61/54"), ("doc/S/RES/1325(2000)", "doc/S/RES/1325(2000)"),
    ("doc/A/55/140/Corr.1", "doc/A/55/140/Corr.1"), ("conference/x/%C3%A9t%C3%A9", "conference/x/été"),
])
def test_safe_iris_map_to_their_decoded_path(iri: str, path: str) -> None:
    assert relpath_of(BASE + iri, BASE) == path


def test_inside_refuses_symbolic_links_out(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (tmp_path / "outside").mkdir()
    (root / "doc").symlink_to(tmp_path / "outside")
    with pytest.raises(UnsafePathError):
        inside(root, "doc/x.html")
    assert inside(root, "a/b.html") == (root / "a" / "b.html").resolve()


# ---- the published tree ---------------------------------------------------------------------

def test_hostile_resources_are_skipped_and_nothing_is_written_outside(published: tuple[Path, Any]) -> None:
    site, report = published
    assert HOSTILE_SKIPPED <= set(report.skipped)
    parent = site.parent
    assert sorted(p.name for p in parent.iterdir()) == ["site"]
    assert not any(p.name.startswith("escaped") for p in parent.parent.rglob("escaped*"))
    for rel in tree(site):
        assert ".." not in rel.split("/")
    assert (site / ".htaccess").read_text().startswith("# unkg")  # not overwritten by doc/.htaccess
    assert not (site / "doc" / ".htaccess").exists()


def test_publishing_twice_gives_byte_identical_files(site_store: Path, published: tuple[Path, Any],
                                                     tmp_path: Path) -> None:
    first = tree(published[0])
    with EmbeddedStore(site_store, read_only=True) as st:
        # one process this time (the fixture's site used worker processes): same files
        meter = Meter()
        report = publish(st, tmp_path / "again", BASE, jobs=1, meter=meter)
        assert (meter.total, meter.done, meter.unit, meter.closed) == (report.pages, report.pages, "pages", True)
        # --force over a site published before replaces it, with the same result
        publish(st, tmp_path / "again", BASE, force=True, jobs=2)
    second = tree(tmp_path / "again")
    assert sorted(first) == sorted(second)
    changed = [name for name in first if first[name] != second[name]]
    assert changed == []


def test_each_resource_has_three_forms(published: tuple[Path, Any]) -> None:
    site, report = published
    ttl = page_files(site)
    assert len(ttl) == report.pages > 50
    for path in ttl:
        assert path.with_suffix(".jsonld").is_file() and path.with_suffix(".html").is_file(), path
    for rel in ("doc/A/RES/76/145", "session/ga/76", "session/ga/76/item/69", "body/ga/third-committee",
                "meeting/ga/76/plenary/53", "doc/A/76/457", "graph/A/RES/76/145"):
        assert (site / f"{rel}.html").is_file(), rel
    # paragraphs are anchors on their document's page, not pages of their own
    assert not (site / "doc/A/RES/76/145/pp/1.html").exists()


def test_every_pages_jsonld_is_isomorphic_to_its_turtle(published: tuple[Path, Any]) -> None:
    site, _ = published
    for ttl in page_files(site):
        expected = rdflib.Graph().parse(ttl, format="turtle")
        assert len(expected) > 0, ttl
        jsonld_text = ttl.with_suffix(".jsonld").read_text(encoding="utf-8")
        assert_same_graph(expected, rdflib.Graph().parse(data=jsonld_text, format="json-ld"), str(ttl))
        # the HTML embeds the same JSON-LD
        scripts = parse_html(ttl.with_suffix(".html")).scripts
        assert [t for t, _ in scripts] == ["application/ld+json"], ttl
        embedded = json.loads(scripts[0][1])
        assert embedded == json.loads(jsonld_text), ttl


def test_page_data_matches_the_store(site_store: Path, published: tuple[Path, Any]) -> None:
    site, _ = published
    doc = rdflib.URIRef(BASE + "doc/A/RES/76/145")
    g = rdflib.Graph().parse(site / "doc/A/RES/76/145.ttl", format="turtle")
    with EmbeddedStore(site_store, read_only=True) as st:
        dumped = st.raw.dump(format=__import__("pyoxigraph").RdfFormat.N_QUADS,
                             from_graph=__import__("pyoxigraph").NamedNode(BASE + "graph/A/RES/76/145"))
        assert dumped is not None
        own = {(s, p, o) for s, p, o in rdflib.Graph().parse(data=dumped.decode(), format="nt")
               if str(s).startswith(str(doc))}
    assert own and own <= set(g)
    # what later cites it is in its data too
    assert (rdflib.URIRef(BASE + "doc/A/RES/78/186"), rdflib.URIRef("http://data.europa.eu/eli/ontology#cites"),
            doc) in g
    assert (doc, rdflib.RDF.type, rdflib.URIRef("https://schema.org/Legislation")) in g


def test_resolution_page_shows_text_links_and_lineage(published: tuple[Path, Any]) -> None:
    site, _ = published
    page = site / "doc/A/RES/76/145.html"
    text = page.read_text(encoding="utf-8")
    assert '<link rel="alternate" type="text/turtle" href="145.ttl">' in text
    assert '<link rel="alternate" type="application/ld+json" href="145.jsonld">' in text
    assert 'id="pp/1"' in text and 'id="op/1"' in text
    # citations in the text are links to the cited resolution's page
    assert re.search(r'<a href="\.\./75/165\.html" class="cite">(A/RES/)?75/165</a>', text)
    svg = re.search(r"<svg[^>]*class=\"lineage\".*?</svg>", text, re.S)
    assert svg, "no lineage SVG"
    # back through the series (72/153 is cited only by the later resolutions) and forward (78/186)
    for target in ("../72/153.html", "../75/165.html", "../78/186.html"):
        assert f'href="{target}"' in svg.group(0), target
    ET.fromstring(svg.group(0))  # well-formed
    assert "Cited by (" in text and 'href="../78/186.html"' in text
    assert "session/ga/76.html" in text and "Third Committee" in text
    # every relative link points at a file of the site
    for href in parse_html(page).hrefs:
        if not href.startswith(("http://", "https://")):
            linked = (page.parent / href.split("#", 1)[0]).resolve()
            assert linked.is_file(), href


def test_session_page_shows_resolutions_by_committee(published: tuple[Path, Any]) -> None:
    site, _ = published
    text = (site / "session/ga/76.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg[^>]*class=\"session\".*?</svg>", text, re.S)
    assert svg
    ET.fromstring(svg.group(0))
    assert "Third Committee (" in svg.group(0)
    assert 'href="../../doc/A/RES/76/145.html"' in svg.group(0)


def test_every_text_is_escaped(published: tuple[Path, Any]) -> None:
    site, _ = published
    page = site / "doc/X/RES/1.html"
    text = page.read_text(encoding="utf-8")
    assert "<script>alert" not in text and "<b>bold" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    scripts = parse_html(page).scripts
    assert len(scripts) == 1 and scripts[0][0] == "application/ld+json"
    data = json.loads(scripts[0][1])
    node = [n for n in data["@graph"] if n["@id"] == BASE + "doc/X/RES/1"][0]
    assert node["title"] == {"en": HOSTILE_TITLE}
    # a javascript: IRI is never made a link
    assert "href=\"javascript:" not in text
    # the page of the resolution it cites lists it, escaped
    cited = (site / "doc/A/RES/78/186.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cited and "<script>alert(1)" not in cited


# ---- dataset files --------------------------------------------------------------------------

def number(value: object) -> int:
    """An integer literal's value (VoID and DCAT counts)."""
    assert value is not None, "a count is missing"
    return int(str(value))


def test_void_carries_the_counts(site_store: Path, published: tuple[Path, Any]) -> None:
    site, report = published
    void = rdflib.Graph().parse(site / "void.ttl", format="turtle")
    ds = rdflib.URIRef(BASE + "void.ttl#dataset")
    dump = rdflib.Graph().parse(data=gzip.decompress((site / "dumps/unkg.ttl.gz").read_bytes()).decode(),
                                format="turtle")
    assert number(void.value(ds, VOID.triples)) == len(dump) > 1000
    assert number(void.value(ds, VOID.distinctSubjects)) == len(set(dump.subjects()))
    classes = {void.value(p, VOID["class"]): number(void.value(p, VOID.entities))
               for p in void.objects(ds, VOID.classPartition)}
    assert classes[UNKG.Resolution] == len(set(dump.subjects(rdflib.RDF.type, UNKG.Resolution)))
    assert number(void.value(ds, VOID.classes)) == len(classes)
    props = {void.value(p, VOID.property): number(void.value(p, VOID.triples))
             for p in void.objects(ds, VOID.propertyPartition)}
    assert sum(props.values()) == len(dump)
    assert props[UNKG.symbol] == len(list(dump.triples((None, UNKG.symbol, None))))
    assert set(void.objects(ds, VOID.dataDump)) == {rdflib.URIRef(BASE + "dumps/unkg.nq.gz"),
                                                    rdflib.URIRef(BASE + "dumps/unkg.ttl.gz")}
    assert len(set(void.objects(ds, VOID.exampleResource))) == 3
    assert void.value(ds, rdflib.DCTERMS.license) is not None
    nq = gzip.decompress((site / "dumps/unkg.nq.gz").read_bytes()).decode().splitlines()
    with EmbeddedStore(site_store, read_only=True) as st:
        assert len(nq) == st.count()


def test_dumps_are_reproducible_gzip_with_checksums(published: tuple[Path, Any]) -> None:
    site, _ = published
    sums = (site / "dumps/SHA256SUMS").read_text().splitlines()
    assert len(sums) == 2
    for line in sums:
        digest, name = line.split("  ")
        data = (site / "dumps" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest
        assert (site / "dumps" / f"{name}.sha256").read_text() == line + "\n"
        assert data[4:8] == b"\0\0\0\0"  # gzip MTIME 0


def test_dcat_catalogue_describes_the_dumps(published: tuple[Path, Any]) -> None:
    site, _ = published
    cat = rdflib.Graph().parse(site / "catalog.ttl", format="turtle")
    dists = list(cat.subjects(rdflib.RDF.type, DCAT.Distribution))
    assert len(dists) == 2
    for d in dists:
        url = str(cat.value(d, DCAT.downloadURL))
        data = (site / url[len(BASE):]).read_bytes()
        assert number(cat.value(d, DCAT.byteSize)) == len(data)
        checksum = cat.value(d, SPDX.checksum)
        assert str(cat.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
    assert (None, DCAT.dataset, rdflib.URIRef(BASE + "void.ttl#dataset")) in cat


def test_sitemap_lists_every_page(published: tuple[Path, Any]) -> None:
    site, report = published
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert len(locs) == report.pages + 1
    assert BASE + "doc/A/RES/76/145" in locs
    for loc in locs[1:]:
        assert (site / (relpath_of(str(loc), BASE) + ".html")).is_file()


def test_sitemap_splits_into_an_index_past_the_limit() -> None:
    files = sitemaps([f"{BASE}doc/{i}" for i in range(5)], BASE, limit=2)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    root = ET.fromstring(files["sitemap.xml"])
    assert root.tag.endswith("sitemapindex") and len(root) == 3
    assert len(ET.fromstring(files["sitemap-3.xml"])) == 1


def test_context_ontology_and_server_rules_are_published(published: tuple[Path, Any]) -> None:
    site, _ = published
    repo = Path(__file__).resolve().parents[1]
    assert (site / "context.jsonld").read_bytes() == (repo / "ontology/context.jsonld").read_bytes()
    for name in ("unkg.ttl", "vocabularies.ttl", "clause-verbs.ttl", "index.html"):
        assert (site / "ontology" / name).is_file()
    htaccess = (site / ".htaccess").read_text()
    assert "Vary Accept" in htaccess and "R=303" in htaccess and "text/turtle" in htaccess
    nginx = (site / "nginx.conf").read_text()
    assert "add_header Vary Accept" in nginx and "return 303" in nginx and "$unkg_ext" in nginx
    assert (site / "index.html").read_text().count('href="doc/A/RES/') >= 10


# ---- the command ----------------------------------------------------------------------------

def test_cli_publish_refuses_a_non_empty_folder(site_store: Path, tmp_path: Path) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "keep.txt").write_text("precious")
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(site_store), "publish", str(other)])
    assert result.exit_code == 2, result.output
    result = runner.invoke(cli, ["--store", str(site_store), "publish", str(other), "--force"])
    assert result.exit_code == 2 and (other / "keep.txt").read_text() == "precious"
    result = runner.invoke(cli, ["--store", str(tmp_path / "nostore"), "publish", str(tmp_path / "s")])
    assert result.exit_code == 5


def test_cli_publish_writes_a_site_under_another_base(site_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["--store", str(site_store), "publish", str(out),
                                      "--base-iri", "https://example.org/un/"])
    assert result.exit_code == 0, result.output
    assert "published" in result.output
    # the store's IRIs are under w3id.org: under another base nothing but dataset files is written
    assert not (out / "doc").exists() and (out / "void.ttl").is_file()


# ---- the fast paths give what the straightforward ones gave ---------------------------------

def _awkward_store(path: Path) -> EmbeddedStore:
    """A store with what the one-read dump must get right: the default graph, blank nodes, one
    triple in two graphs, literals with spaces, quotes, newlines, language tags and datatypes."""
    import pyoxigraph as ox
    ex = "http://example.org/"
    s, b = ox.NamedNode(ex + "s"), ox.BlankNode("b1")
    typ = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples: list[tuple[Any, Any, Any]] = [
        (s, typ, ox.NamedNode(ex + "C")), (s, ox.NamedNode(ex + "p"), ox.Literal('a "b" c\nd \\ é')),
        (s, ox.NamedNode(ex + "p"), ox.Literal("x y", language="en")),
        (s, ox.NamedNode(ex + "n"), ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        (s, ox.NamedNode(ex + "a"), b), (b, typ, ox.NamedNode(ex + "D")), (b, ox.NamedNode(ex + "p"), ox.Literal("> ."))]
    st = EmbeddedStore(path)
    quads = [ox.Quad(*t, ox.NamedNode(ex + "g1")) for t in triples]
    quads += [ox.Quad(*triples[0], ox.NamedNode(ex + "g2")), ox.Quad(*triples[1], ox.DefaultGraph()),
              ox.Quad(s, ox.NamedNode(ex + "q"), ox.Literal("default only"), ox.DefaultGraph())]
    st.raw.extend(quads)
    return st


def test_one_read_dump_equals_the_quad_by_quad_export(tmp_path: Path) -> None:
    with _awkward_store(tmp_path / "store") as st:
        quads = list(st.canonical_quads(run_lines=3))
        assert [f"{t} {g} ." if g else f"{t} ." for t, g in quads] == st.nquads_lines() and len(quads) == 10
        assert {tuple(t.split(" ", 2)) for t, _ in quads} == st.triples()


def test_void_counts_equal_the_sparql_aggregates(tmp_path: Path) -> None:
    from unkg.publish import _dumps, _Writer, PublishReport
    (tmp_path / "site").mkdir()
    with _awkward_store(tmp_path / "store") as st:
        stats = _dumps(st, _Writer(tmp_path / "site", PublishReport(tmp_path / "site")))

        def one(q: str) -> int:
            return int(next(iter(st.query(q)))[0].value)  # type: ignore[arg-type]
        assert stats.triples == one("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }") == 8
        assert stats.subjects == one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
        assert stats.properties == one("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
        classes = {r["c"].value: int(r["n"].value)  # type: ignore[index]
                   for r in st.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")}  # type: ignore[union-attr]
        assert stats.classes == classes and len(classes) == 2
        props = {r["p"].value: int(r["n"].value)  # type: ignore[index]
                 for r in st.query("SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p")}  # type: ignore[union-attr]
        assert stats.property_triples == props
    with EmbeddedStore(tmp_path / "store", read_only=True) as st:
        nq = gzip.decompress((tmp_path / "site/dumps/unkg.nq.gz").read_bytes()).decode()
        assert nq.splitlines() == st.nquads_lines()
        ttl = gzip.decompress((tmp_path / "site/dumps/unkg.ttl.gz").read_bytes())
        assert ttl == serialize_triples(st.triples(), "ttl")  # the whole-graph writer, byte for byte


@pytest.mark.parametrize("chunk", [1, 2, 7])
def test_streamed_dumps_do_not_depend_on_the_chunk_size(site_store: Path, tmp_path: Path, chunk: int,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The Turtle dump is written in blocks of subjects and both dumps compressed piece by
    piece; whatever the piece size, the text is the whole-graph writer's and the gzip bytes
    are the same."""
    import unkg.publish as pub
    written = {}
    for size in (pub.CHUNK_LINES, chunk):
        monkeypatch.setattr(pub, "CHUNK_LINES", size)
        site = tmp_path / f"site{size}"
        site.mkdir()
        with EmbeddedStore(site_store, read_only=True) as st:
            stats = pub._dumps(st, pub._Writer(site, pub.PublishReport(site)))
            ttl = gzip.decompress((site / "dumps/unkg.ttl.gz").read_bytes())
            assert ttl == serialize_triples(st.triples(), "ttl")
            nq = gzip.decompress((site / "dumps/unkg.nq.gz").read_bytes()).decode()
            assert nq == "".join(line + "\n" for line in st.nquads_lines())
            assert stats.triples == len(st.triples())
        written[size] = {n: (site / "dumps" / n).read_bytes() for n in ("unkg.nq.gz", "unkg.ttl.gz", "SHA256SUMS")}
    assert written[chunk] == written[pub.CHUNK_LINES]


def test_a_symbolic_link_at_a_files_place_is_not_written_through(tmp_path: Path) -> None:
    from unkg.publish import _Writer, PublishReport
    root, outside = tmp_path / "site", tmp_path / "outside.txt"
    (root / "doc").mkdir(parents=True)
    outside.write_text("keep")
    (root / "doc" / "x.html").symlink_to(outside)
    out = _Writer(root, PublishReport(root))
    with pytest.raises(UnsafePathError, match="symbolic link"):
        out.write("doc/x.html", b"overwritten")
    assert outside.read_text() == "keep"
    out.write("doc/y.html", b"fine")
    assert (root / "doc/y.html").read_bytes() == b"fine" and out.report.files == 1


def test_the_index_reads_the_default_graph_and_every_named_graph(tmp_path: Path) -> None:
    # types, labels and eli:cites are read with a SELECT over the default graph and the named
    # graphs: the same as the quad patterns (every graph) give
    import pyoxigraph as ox
    from unkg.site_model import ELI_CITES, RDF_TYPE, RDFS_LABEL, build_index
    ex, N = "http://example.org/", ox.NamedNode
    with _awkward_store(tmp_path / "store") as st:
        st.raw.extend([ox.Quad(N(ex + "d"), N(RDF_TYPE), N(ex + "C"), ox.DefaultGraph()),
                       ox.Quad(N(ex + "d"), N(RDF_TYPE), N(ex + "E"), N(ex + "g2")),
                       ox.Quad(N(ex + "d"), N(RDFS_LABEL), ox.Literal("b"), ox.DefaultGraph()),
                       ox.Quad(N(ex + "d"), N(RDFS_LABEL), ox.Literal("a"), N(ex + "g1")),
                       ox.Quad(N(ex + "d"), N(ELI_CITES), N(ex + "s"), ox.DefaultGraph()),
                       ox.Quad(N(ex + "s"), N(ELI_CITES), N(ex + "d"), N(ex + "g2"))])
        idx = build_index(st, ex)
        types: dict[str, set[str]] = {}
        for q in st.raw.quads_for_pattern(None, N(RDF_TYPE), None, None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
                types.setdefault(q.subject.value, set()).add(q.object.value)
    assert idx.types == types and idx.types[ex + "d"] == {ex + "C", ex + "E"}
    assert idx.labels[ex + "d"] == "a"  # the least of its labels, whichever graph holds it
    assert idx.cites == {ex + "d": {ex + "s"}, ex + "s": {ex + "d"}}
    assert idx.cited_by == {ex + "s": {ex + "d"}, ex + "d": {ex + "s"}}


# ---- one read of a document graph for its page and the dumps --------------------------------

def test_a_page_from_its_graph_read_whole_equals_the_page_from_quad_patterns(site_store: Path) -> None:
    """A document's page takes its parts' statements from its graph read whole (the read the
    dumps share): the same triples, and the same files, as one quad pattern per part."""
    import pyoxigraph as ox
    from unkg.publish import render_page, session_resolutions
    from unkg.site_model import build_index, describe
    with EmbeddedStore(site_store, read_only=True) as st:
        idx = build_index(st, BASE)
        sessions = session_resolutions(idx)
        documents = [iri for iri in sorted(idx.pages) if iri in idx.doc_graph and idx.parts.get(iri)]
        assert len(documents) >= 10
        for iri in documents:
            data, lines = st.tagged_lines(ox.NamedNode(idx.doc_graph[iri]))
            assert len(lines) == st.count(idx.doc_graph[iri])
            whole = describe(st, idx, iri, graph_triples=ox.parse(data, ox.RdfFormat.N_TRIPLES))
            assert whole == describe(st, idx, iri), iri
            assert len(whole) > len(describe(st, idx, iri, graph_triples=[]))  # the parts came from it
            assert (render_page(st, idx, iri, sessions, ox.parse(data, ox.RdfFormat.N_TRIPLES))
                    == render_page(st, idx, iri, sessions)), iri


def test_read_page_from_its_graph_equals_reading_every_graph(site_store: Path, tmp_path: Path) -> None:
    """`read_page` takes what a document's graph says about the document, its parts and what
    points at it from the graph read whole (parsed from its dump, or its quads), and asks the store
    only for the other graphs: the same triples and backlinks as `describe` and `pointing_at`
    reading every graph. Here also with statements about the document in the default graph and in
    another named graph, blank nodes pointing at it or named by it, and in the generated store."""
    import pyoxigraph as ox
    from unkg.site_model import ELI_CITES, RDF_TYPE, SHARED_CLASSES, build_index, describe, pointing_at, read_page
    N = ox.NamedNode
    doc, graph, other = N(BASE + "doc/X/1"), N(BASE + "record/X/1"), N(BASE + "record/Y/2")
    part, citer, blank = N(BASE + "doc/X/1/op/1"), N(BASE + "doc/Y/2"), ox.BlankNode("b1")
    t = N(RDF_TYPE)
    quads = [
        ox.Quad(graph, N(UNKG + "describes"), doc, graph),
        ox.Quad(doc, t, N(UNKG + "Resolution"), graph),
        ox.Quad(doc, N(UNKG + "symbol"), ox.Literal("X/1"), graph),
        ox.Quad(doc, N(UNKG + "hasParagraph"), part, graph),
        ox.Quad(doc, N(UNKG + "note"), blank, graph),
        ox.Quad(blank, N(UNKG + "about"), doc, graph),
        ox.Quad(part, t, N(UNKG + "OperativeParagraph"), graph),
        ox.Quad(part, N(UNKG + "text"), ox.Literal("text", language="en"), graph),
        ox.Quad(part, N(UNKG + "partOf"), doc, graph),
        ox.Quad(part, N(UNKG + "said"), ox.Literal("elsewhere"), other),  # not the page's: another graph
        ox.Quad(doc, N(UNKG + "symbol"), ox.Literal("X/1"), other),  # the same triple in two graphs
        ox.Quad(doc, N(UNKG + "restated"), ox.Literal("in another graph"), other),
        ox.Quad(doc, N(UNKG + "inDefault"), ox.Literal("in the default graph")),
        ox.Quad(citer, t, N(UNKG + "Resolution"), other),
        ox.Quad(citer, N(ELI_CITES), doc, other),
        ox.Quad(ox.BlankNode("b2"), N(UNKG + "about"), doc),
        # a session, stated in every graph that names it: read by one DISTINCT query each way
        *(ox.Quad(session, p, o, g) for g in (graph, other, ox.DefaultGraph()) for session, p, o in (
            (N(BASE + "session/ga/1"), t, N(UNKG + "Session")),
            (N(BASE + "session/ga/1"), N(UNKG + "label"), ox.Literal("first session")),
            (doc, N(UNKG + "session"), N(BASE + "session/ga/1")),
            (ox.BlankNode("b3"), N(UNKG + "during"), N(BASE + "session/ga/1")))),
        ox.Quad(N(BASE + "session/ga/1"), N(UNKG + "only"), ox.Literal("here"), other),
        ox.Quad(N(BASE + "session/ga/1"), N(UNKG + "inDefault"), ox.Literal("only there")),
        ox.Quad(ox.BlankNode("b4"), N(UNKG + "during"), N(BASE + "session/ga/1")),
    ]
    small = tmp_path / "small"
    with EmbeddedStore(small) as st:
        st.raw.extend(quads)
    for path in (small, site_store):
        with EmbeddedStore(path, read_only=True) as st:
            idx = build_index(st, BASE)
            documents = [iri for iri in sorted(idx.pages) if iri in idx.doc_graph]
            assert documents
            for iri in documents:
                expected = describe(st, idx, iri), pointing_at(st, iri)
                data, _ = st.tagged_lines(N(idx.doc_graph[iri]))
                assert read_page(st, idx, iri, list(ox.parse(data, ox.RdfFormat.N_TRIPLES))) == expected, iri
                as_quads = list(st.raw.quads_for_pattern(None, None, None, N(idx.doc_graph[iri])))
                assert read_page(st, idx, iri, as_quads) == expected, iri
                assert read_page(st, idx, iri) == expected, iri
            shared = [iri for iri in idx.pages if idx.types[iri] & SHARED_CLASSES]
            assert shared
            for iri in sorted(idx.pages):  # the other pages, the shared resources' among them
                assert read_page(st, idx, iri) == (describe(st, idx, iri), pointing_at(st, iri)), iri
            if path == small:
                triples, pointing = read_page(st, idx, doc.value, as_quads)
                assert (doc, N(UNKG + "inDefault"), ox.Literal("in the default graph")) in triples
                assert (doc, N(UNKG + "restated"), ox.Literal("in another graph")) in triples
                assert (citer, N(ELI_CITES), doc) in triples
                assert (part, N(UNKG + "said"), ox.Literal("elsewhere")) not in triples
                assert {(blank, N(UNKG + "about")), (ox.BlankNode("b2"), N(UNKG + "about")),
                        (part, N(UNKG + "partOf")), (citer, N(ELI_CITES))} <= pointing
                triples, pointing = read_page(st, idx, BASE + "session/ga/1")
                assert len(triples) == 4 and pointing == {(doc, N(UNKG + "session")),
                                                          (ox.BlankNode("b3"), N(UNKG + "during")),
                                                          (ox.BlankNode("b4"), N(UNKG + "during"))}


@pytest.mark.parametrize("share", ["none", "some", "all"])
def test_dumps_merged_from_runs_of_graphs_read_before_equal_the_dumps_read_whole(
        site_store: Path, tmp_path: Path, share: str) -> None:
    """The dumps merge the sorted runs of the graphs pages (or the dump process, while the index
    is built) have read and read the other graphs and the default graph themselves: the same
    bytes and counts as reading every graph."""
    import pyoxigraph as ox
    from unkg import extsort
    from unkg.publish import _dumps, _Writer, PublishReport
    with EmbeddedStore(site_store, read_only=True) as st:
        whole = tmp_path / "whole"
        whole.mkdir()
        expected = _dumps(st, _Writer(whole, PublishReport(whole)))
        graphs = st.named_graphs()
        taken = {"none": [], "some": graphs[::3], "all": graphs}[share]
        runs = []
        for n, start in enumerate(range(0, len(taken), 4)):  # several graphs to a run, as pages do
            lines = [line for g in taken[start:start + 4] for line in st.tagged_lines(ox.NamedNode(g))[1]]
            runs.append(str(tmp_path / f"run-{n}"))
            extsort.write_run(lines, runs[-1])
        merged = tmp_path / "merged"
        merged.mkdir()
        stats = _dumps(st, _Writer(merged, PublishReport(merged)), runs, set(taken))
    assert (stats.triples, stats.subjects, stats.classes, stats.property_triples, stats.dumps) == \
        (expected.triples, expected.subjects, expected.classes, expected.property_triples, expected.dumps)
    assert tree(merged) == tree(whole)


def test_the_files_do_not_depend_on_how_many_graphs_the_dump_process_read_first(
        site_store: Path, published: tuple[Path, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the index is built, the dump process reads graphs until told to stop; pages read
    the rest whole. An index that takes long (the dump process has read every graph) gives the
    same files as the fixture's site."""
    import time
    import unkg.publish as pub
    slow = pub.build_index

    def build_index_slowly(*args: Any, **kwargs: Any) -> Any:
        time.sleep(3)  # the dump process reads the store's ~20 graphs in a fraction of that
        return slow(*args, **kwargs)
    monkeypatch.setattr(pub, "build_index", build_index_slowly)
    read: list[int] = []
    plan = pub._plan

    def plan_and_note(idx: Any, read_already: Any) -> Any:
        read.append(len(read_already))
        return plan(idx, read_already)
    monkeypatch.setattr(pub, "_plan", plan_and_note)
    with EmbeddedStore(site_store, read_only=True) as st:
        publish(st, tmp_path / "site", BASE, jobs=2)
        assert read == [len(st.named_graphs())]
    assert tree(tmp_path / "site") == tree(published[0])
