"""`unkg publish`: the store as a static linked-data site any web server can host.

Every resource under the base IRI gets three files at its IRI path relative to the base:
`{path}.ttl`, `{path}.jsonld` (compacted with ontology/context.jsonld) and `{path}.html` (a page
for people carrying the same JSON-LD). Parts of a document (paragraphs, footnotes, citations,
mandates…) are #anchors on their document's page. Dataset files: void.ttl, catalog.ttl (DCAT),
sitemap.xml, context.jsonld, ontology/, dumps/ (.nq.gz, .ttl.gz, SHA256SUMS), .htaccess and
nginx.conf with content negotiation. The same store gives byte-identical files.
"""

from __future__ import annotations

import errno
import gc
import gzip
import hashlib
import io
import multiprocessing
import os
import shutil
import tempfile
import time
from functools import partial
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Sequence
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from . import extsort, site_html
from .docs import write_docs
from .errors import UsageError
from .export import TurtleWriter, serialize_triples
from .progress import Progress
from .resources import project_dir
from .site_model import UNKG, SiteIndex, build_index, incoming, read_page
from .sitepaths import UnsafePathError, inside
from .store import EmbeddedStore
from .vocabularies import LICENSE

MARKER = ".unkg-site"
PLENARY = "Plenary (no Main Committee)"
SITE_TITLE = "unkg: United Nations resolutions as linked data"
SITEMAP_LIMIT = 50000  # URLs per sitemap file (sitemaps.org)
PART_SEGMENTS = ("en", "pp", "op", "fn", "part", "annex", "citation", "mandate", "inclusion", "vote")
ONTOLOGY_FILES = ("unkg.ttl", "vocabularies.ttl", "clause-verbs.ttl", "context.jsonld", "CHANGELOG.md")


@dataclass
class PublishReport:
    outdir: Path
    pages: int = 0
    files: int = 0
    bytes: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class _Writer:
    """Writes files under the output folder only, counting them."""

    def __init__(self, root: Path, report: PublishReport, checked: dict[str, Path] | None = None):
        self.root = root
        self.report = report
        # folders already checked to be inside root (a worker keeps them from task to task)
        self._dirs: dict[str, Path] = {} if checked is None else checked

    def write(self, relpath: str, data: bytes) -> None:
        folder, _, name = relpath.rpartition("/")
        parent = self._dirs.get(folder)
        if parent is None:
            parent = inside(self.root, folder) if folder else inside(self.root, ".")
            parent.mkdir(parents=True, exist_ok=True)
            parent = inside(self.root, folder) if folder else parent  # re-check once it exists
            self._dirs[folder] = parent
        if not name or name in {".", ".."} or "/" in name:
            raise UnsafePathError(f"not a file name: {relpath!r}")
        target = f"{parent}/{name}"
        # O_NOFOLLOW: a symbolic link planted at the file's place is refused by the open itself,
        # with no window between a check and the write (and one system call fewer per file)
        try:
            fd = os.open(target, _WRITE_FLAGS, 0o666)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UnsafePathError(f"refusing to write through a symbolic link: {relpath}") from exc
            raise
        try:  # the descriptor itself: no buffered file object to build and flush per file
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        self.report.files += 1
        self.report.bytes += len(data)


def session_resolutions(idx: SiteIndex) -> dict[str, dict[str, list[str]]]:
    """session -> committee label -> resolutions with a page (sorted by symbol)."""
    out: dict[str, dict[str, list[str]]] = {}
    for res, session in idx.session_of.items():
        if res in idx.pages and idx.is_resolution(res):
            committee = idx.committee_of.get(res)
            name = idx.label(committee) if committee else PLENARY
            out.setdefault(session, {}).setdefault(name, []).append(res)
    for groups in out.values():
        for items in groups.values():
            items.sort(key=lambda i: (idx.label(i), i))
    return out


def render_page(store: EmbeddedStore, idx: SiteIndex, iri: str,
                sessions: dict[str, dict[str, list[str]]] | None = None,
                graph_triples: Iterable[Any] | None = None) -> dict[str, bytes]:
    """The three forms of one resource's page: {'.ttl': …, '.jsonld': …, '.html': …}.
    `graph_triples`: the triples of its document graph, when the caller has read it whole."""
    # what points at it is read once, for the citing documents and the backlinks
    triples, pointing = read_page(store, idx, iri, graph_triples)
    nt = {(str(s), str(p), str(o)) for s, p, o in triples}
    jsonld = site_html.page_jsonld(triples)
    page = site_html.prepare(site_html.Page(iri=iri, relpath=idx.pages[iri], idx=idx, triples=triples,
                                            incoming=incoming(store, idx, iri, pointing), jsonld=jsonld,
                                            site_title=SITE_TITLE))
    if iri in idx.doc_graph and idx.is_resolution(iri):
        html = site_html.resolution_page(page)
    else:
        by_committee = (sessions or {}).get(iri) if UNKG + "Session" in idx.types.get(iri, set()) else None
        html = site_html.generic_page(page, by_committee)
    return {".ttl": serialize_triples(nt, "ttl"), ".jsonld": jsonld.encode(), ".html": html.encode()}


def _prepare_outdir(outdir: Path, force: bool) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir} exists and is not a folder")
    if outdir.is_dir() and any(outdir.iterdir()):
        if not force:
            raise UsageError(f"{outdir} is not empty; pass --force to replace a site unkg published there")
        if not (outdir / MARKER).is_file():
            raise UsageError(f"{outdir} is not empty and holds no site published by unkg ({MARKER}); "
                             "refusing to delete it, choose an empty folder")
        for child in sorted(outdir.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    outdir.mkdir(parents=True, exist_ok=True)


def publish(store: EmbeddedStore, outdir: str | Path, base_iri: str, force: bool = False,
            meter: Progress | None = None,
            ontology_docs: Callable[[Path], Any] | None = None,
            sitemap_limit: int = SITEMAP_LIMIT, jobs: int | None = None) -> PublishReport:
    """Write the linked-data site of `store` into `outdir` (empty, or a site published before
    when `force`). `ontology_docs` writes the ontology's HTML documentation into the folder it is
    passed (default: `unkg.docs.write_docs`, as `unkg docs` does). Pages are rendered by `jobs`
    processes (default: one per core, up to 4, for sites of 200 pages or more) and, unless `jobs`
    is 1, the dumps are written by a process of their own; the files do not depend on it."""
    started = time.perf_counter()
    root = Path(outdir)
    _prepare_outdir(root, force)
    report = PublishReport(outdir=root)
    out = _Writer(root, report)
    out.write(MARKER, b"unkg site: `unkg publish --force` may replace this folder\n")
    forking = jobs != 1 and "fork" in multiprocessing.get_all_start_methods()
    dump_pool = None
    metering: Progress | None = None  # the meter once started (closed whatever happens then)
    # sorted runs of dump lines, written by whoever reads a graph whole (see _plan)
    rundir = tempfile.mkdtemp(prefix="unkg-publish-")
    try:
        prefetching = None
        if forking:
            # The index scan leaves the second core idle: the dump process meanwhile reads
            # document graphs for the dumps, until the index is built (see _prefetch_task).
            stop = multiprocessing.get_context("fork").Event()
            _SHARED.update(store_path=store.path, root=root, rundir=rundir, stop=stop)
            dump_pool = multiprocessing.get_context("fork").Pool(1)
            prefetching = dump_pool.apply_async(_prefetch_task)
        idx = build_index(store, base_iri)
        report.skipped = dict(idx.skipped)
        sessions = session_resolutions(idx)
        pre_runs: list[str] = []
        spooled: dict[str, tuple[int, int]] = {}
        if prefetching is not None:
            stop.set()
            pre_runs, spooled = prefetching.get()
        pre_graphs = list(spooled)
        spool = (os.path.join(rundir, SPOOL), spooled)
        pages, covering, chunks, doc_chunks = _plan(idx, pre_graphs)
        skip = set(pre_graphs) | set(covering.values())
        if jobs is None:
            jobs = min(4, os.cpu_count() or 1) if len(pages) >= 200 else 1
        if meter is not None:
            meter.start(len(pages), "pages")
            metering = meter
        if dump_pool is not None and jobs > 1 and len(chunks) > 1:
            dumps = _render_parallel(store, idx, sessions, pages, covering, chunks, doc_chunks, jobs, out,
                                     base_iri, ontology_docs, sitemap_limit, meter, rundir, dump_pool,
                                     pre_runs, skip, spool)
        else:
            runs = list(pre_runs)
            checked: dict[str, Path] = {}
            for number, (start, end) in enumerate(chunks):
                n_pages, _, _, run = _render_pages(store, idx, sessions, pages[start:end], covering,
                                                   out.root, checked, rundir, number, report, spool)
                if run is not None:
                    runs.append(run)
                if meter is not None:
                    meter.advance(n_pages)
            _write_static(idx, out, base_iri, ontology_docs, sitemap_limit)
            if dump_pool is not None:
                dumps = dump_pool.apply_async(_dump_task, (sorted(runs), sorted(skip))).get()
                report.files += dumps.files
                report.bytes += dumps.bytes
            else:
                dumps = _dumps(store, out, sorted(runs), skip)
        if dump_pool is not None:
            dump_pool.close()
    finally:
        if dump_pool is not None:
            dump_pool.terminate()  # after close(): waits for nothing; after an error: stops the dumps
            dump_pool.join()
        _SHARED.clear()
        shutil.rmtree(rundir, ignore_errors=True)
        if metering is not None:
            metering.close()
    _write_described(idx, out, base_iri, dumps)
    report.seconds = time.perf_counter() - started
    return report


def _plan(idx: SiteIndex, read_already: Sequence[str]) -> tuple[list[str], dict[str, str],
                                                              list[tuple[int, int]], int]:
    """The order pages are rendered in and which document graphs they read whole.

    A page of a loaded document reads its document graph once, whole: its parts' statements come
    from it and its lines go into a sorted run for the dumps, which then read only the graphs
    that no page read (each graph is read by one page, or by the dump process before the pages
    start: `read_already`). Those pages come first, so that the dumps can be merged while the
    other pages render. Returns (pages in that order, page -> graph it reads, chunks as
    (start, end) in that list, how many chunks hold the pages that read a graph)."""
    taken = set(read_already)
    covering: dict[str, str] = {}
    for iri in sorted(idx.pages):
        graph = idx.doc_graph.get(iri)
        if graph is not None and graph not in taken:
            covering[iri] = graph
            taken.add(graph)
    first = [iri for iri in sorted(idx.pages) if iri in covering]
    pages = first + [iri for iri in sorted(idx.pages) if iri not in covering]
    # at most MAX_RUNS runs for the dumps to merge (one open file each)
    size = max(CHUNK, -(-len(first) // MAX_RUNS))
    chunks = [(start, min(start + size, len(first))) for start in range(0, len(first), size)]
    doc_chunks = len(chunks)
    chunks += [(start, min(start + CHUNK, len(pages))) for start in range(len(first), len(pages), CHUNK)]
    return pages, covering, chunks, doc_chunks


def _render_pages(store: EmbeddedStore, idx: SiteIndex, sessions: dict[str, dict[str, list[str]]],
                  pages: list[str], covering: dict[str, str], root: Path, checked: dict[str, Path],
                  rundir: str, number: int, report: PublishReport | None = None,
                  spool: tuple[str, dict[str, tuple[int, int]]] | None = None
                  ) -> tuple[int, int, int, str | None]:
    """Render `pages` and write their files; the lines of the graphs they read whole go into
    the sorted run `rundir`/pages-`number`. A document whose graph the dump process has read
    already (`spool`: the file it wrote that graph's N-Triples to, and graph -> (offset, length)
    there) parses it from there. (pages, files, bytes, run file or None)."""
    report = report if report is not None else PublishReport(outdir=root)
    out = _Writer(root, report, checked)
    before = report.pages, report.files, report.bytes
    lines: list[str] = []
    spooled = spool[1] if spool is not None else {}
    spool_file: BinaryIO | None = None
    try:
        for iri in pages:
            graph = covering.get(iri)
            triples: list[Any] | None = None
            if graph is not None:
                data, tagged = store.tagged_lines(ox.NamedNode(graph))
                lines += tagged
                triples = list(ox.parse(data, ox.RdfFormat.N_TRIPLES))
            elif iri in idx.doc_graph:  # its graph was read before, by the dump process or another page
                doc_graph = idx.doc_graph[iri]
                at = spooled.get(doc_graph)
                if at is not None:  # parsing its text again costs a third of reading the store again
                    if spool_file is None:
                        assert spool is not None
                        spool_file = open(spool[0], "rb")
                    spool_file.seek(at[0])
                    triples = list(ox.parse(spool_file.read(at[1]), ox.RdfFormat.N_TRIPLES))
                else:  # one scan of the graph: cheaper than a pattern per part and reading the
                    # document's own statements from every graph (2.6 against 4 ms a document)
                    triples = list(store.raw.quads_for_pattern(None, None, None, ox.NamedNode(doc_graph)))
            for ext, data_out in render_page(store, idx, iri, sessions, triples).items():
                out.write(idx.pages[iri] + ext, data_out)
            report.pages += 1
    finally:
        if spool_file is not None:
            spool_file.close()
    run = None
    if lines:
        run = os.path.join(rundir, f"pages-{number:06d}")
        extsort.write_run(lines, run)
    return report.pages - before[0], report.files - before[1], report.bytes - before[2], run


def _render_parallel(store: EmbeddedStore, idx: SiteIndex, sessions: dict[str, dict[str, list[str]]],
                     pages: list[str], covering: dict[str, str], chunks: list[tuple[int, int]],
                     doc_chunks: int, jobs: int, out: _Writer, base: str,
                     ontology_docs: Callable[[Path], Any] | None, sitemap_limit: int,
                     meter: Progress | None, rundir: str, dump_pool: Any, pre_runs: list[str],
                     skip: set[str], spool: tuple[str, dict[str, tuple[int, int]]] | None = None) -> DumpResult:
    """Pages in `jobs` forked workers, the files that need no store in this process meanwhile,
    and the dumps in `dump_pool` as soon as the pages that read graphs whole are done. Each file
    is written by the one task that renders it, so the output does not depend on the order the
    tasks finish in."""
    report = out.report
    # children inherit the index by fork and open the store read-only themselves
    _SHARED.update(store_path=store.path, idx=idx, sessions=sessions, pages=pages, root=out.root, spool=spool,
                   covering=covering, rundir=rundir)
    # The index (millions of objects at 30,000 resolutions) is read, never changed, by the
    # workers: frozen, the collector neither walks it again and again in every worker nor writes
    # its objects' headers, which would copy the pages fork shares into each worker.
    gc.collect()
    gc.freeze()
    runs = list(pre_runs)
    dumping = None
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            rendering = pool.imap_unordered(_render_chunk, list(enumerate(chunks)))
            waiting = doc_chunks
            if not waiting:
                dumping = dump_pool.apply_async(_dump_task, (sorted(runs), sorted(skip)))
            _write_static(idx, out, base, ontology_docs, sitemap_limit)
            for number, n_pages, n_files, n_bytes, run in rendering:
                report.pages += n_pages
                report.files += n_files
                report.bytes += n_bytes
                if number < doc_chunks:
                    waiting -= 1
                    if run is not None:
                        runs.append(run)
                    if not waiting:
                        dumping = dump_pool.apply_async(_dump_task, (sorted(runs), sorted(skip)))
                if meter is not None:
                    meter.advance(n_pages)
        assert dumping is not None
        dumps: DumpResult = dumping.get()
        report.files += dumps.files
        report.bytes += dumps.bytes
        return dumps
    finally:
        gc.unfreeze()


CHUNK = 100  # pages per task of a worker process
MAX_RUNS = 200  # most run files of pages the dumps merge (larger chunks past CHUNK * MAX_RUNS)
_SHARED: dict[str, Any] = {}  # what forked workers inherit
_WORKER_STORE: list[EmbeddedStore] = []
_WORKER_DIRS: dict[str, dict[str, Path]] = {}  # site -> a worker's folders checked to be inside it


def _worker_store() -> EmbeddedStore:
    if not _WORKER_STORE:
        _WORKER_STORE.append(EmbeddedStore(_SHARED["store_path"], read_only=True))
    return _WORKER_STORE[0]


def _render_chunk(task: tuple[int, tuple[int, int]]) -> tuple[int, int, int, int, str | None]:
    """In a worker: render pages[start:end]; (chunk number, pages, files, bytes, run file)."""
    number, (start, end) = task
    root = _SHARED["root"]
    counts = _render_pages(_worker_store(), _SHARED["idx"], _SHARED["sessions"], _SHARED["pages"][start:end],
                           _SHARED["covering"], root, _WORKER_DIRS.setdefault(str(root), {}),
                           _SHARED["rundir"], number, spool=_SHARED.get("spool"))
    return (number, *counts)


SPOOL = "prefetched.nt"  # in the run folder: the N-Triples of the graphs the dump process read first


def _prefetch_task() -> tuple[list[str], dict[str, tuple[int, int]]]:
    """In the dump process, while the parent builds the index: read named graphs whole into
    sorted runs until the parent sets `stop`, and append each graph's N-Triples to the spool
    file, where its document's page parses them again instead of reading the store again.
    (run files, graph IRI -> (offset, length) in the spool file, in the order read)."""
    store, stop, rundir = _worker_store(), _SHARED["stop"], _SHARED["rundir"]
    runs: list[str] = []
    graphs: dict[str, tuple[int, int]] = {}
    lines: list[str] = []
    offset = 0
    with open(os.path.join(rundir, SPOOL), "wb") as spool:
        for graph in store.raw.named_graphs():
            if stop.is_set():
                break
            if not isinstance(graph, ox.NamedNode):
                continue
            data, tagged = store.tagged_lines(graph)
            lines += tagged
            spool.write(data)
            graphs[graph.value] = (offset, len(data))
            offset += len(data)
            if len(lines) >= extsort.RUN_LINES:
                runs.append(os.path.join(rundir, f"prefetch-{len(runs):06d}"))
                extsort.write_run(lines, runs[-1])
                lines = []
    if lines:
        runs.append(os.path.join(rundir, f"prefetch-{len(runs):06d}"))
        extsort.write_run(lines, runs[-1])
    return runs, graphs


def _dump_task(runs: list[str], skip: list[str]) -> DumpResult:
    """In a worker: write the dumps (their files are counted in the result)."""
    report = PublishReport(outdir=_SHARED["root"])
    result = _dumps(_worker_store(), _Writer(_SHARED["root"], report), runs, set(skip))
    result.files, result.bytes = report.files, report.bytes
    return result


# ---- dataset-level files ---------------------------------------------------------------------

# gzip level of the dumps, measured on 1,000 generated resolutions (61 MB of N-Quads, 22 MB of
# Turtle): level 6 takes 1.05 s for both and gives 5.3 MB; level 3, 0.43 s and 6.8 MB; level 1,
# 0.39 s and 7.4 MB. Compression is ~3% of a publish and a dump is downloaded many times: 6.
DUMP_GZIP_LEVEL = 6


@dataclass
class DumpResult:
    """What the dumps wrote, and the dataset statistics VoID needs (read in the same pass)."""

    dumps: list[tuple[str, str, str, int, str]]  # (path, media type, format name, bytes, sha256)
    triples: int = 0
    subjects: int = 0
    properties: int = 0
    classes: dict[str, int] = field(default_factory=dict)  # class IRI -> distinct instances
    property_triples: dict[str, int] = field(default_factory=dict)  # property IRI -> distinct triples
    files: int = 0
    bytes: int = 0


class _GzipSink:
    """gzip (no time stamp, no file name: the same data gives the same bytes) fed piece by piece,
    so a dump is never held whole as text."""

    def __init__(self) -> None:
        self.buf = io.BytesIO()
        self.gz = gzip.GzipFile(filename="", mode="wb", fileobj=self.buf, mtime=0, compresslevel=DUMP_GZIP_LEVEL)

    def write(self, text: str) -> None:
        if text:
            self.gz.write(text.encode())

    def close(self) -> bytes:
        self.gz.close()
        return self.buf.getvalue()


CHUNK_LINES = 50000  # lines of a dump encoded and compressed at a time


def _dumps(store: EmbeddedStore, out: _Writer, presorted: Sequence[str] = (),
           read_already: set[str] | frozenset[str] = frozenset()) -> DumpResult:
    """Write the dumps and count what VoID reports, reading the store once. The graphs in
    `read_already` are not read again: their lines are in the `presorted` runs.

    The Turtle dump and the counts come from the sorted quads in one streaming pass: a subject's
    quads are consecutive, and within it the same triple in several graphs too, so distinct
    triples and subjects need no set of the whole graph, and the quads are sorted on disk
    (`EmbeddedStore.canonical_quads`): at 30,000 documents, ten million triples held in memory
    would not fit the memory target."""
    nq, ttl = _GzipSink(), _GzipSink()
    result = DumpResult(dumps=[])
    per_property: dict[str, int] = {}
    instances: dict[str, int] = {}
    rdf_type = f"<{RDF}type>"
    lines: list[str] = []
    turtle = TurtleWriter(ttl.write, block_triples=CHUNK_LINES)
    add_triple, add_line = turtle.add, lines.append  # the loop runs once per quad: no lookups
    subject, previous = None, None
    triples = subjects = 0
    for triple, graph in store.canonical_quads(skip_graphs=read_already, presorted=presorted):
        add_line(f"{triple} {graph} .\n" if graph else f"{triple} .\n")
        if len(lines) >= CHUNK_LINES:
            nq.write("".join(lines))
            lines.clear()
        if triple == previous:  # the same triple in another graph
            continue
        previous = triple
        # subjects and predicates are IRIs or blank nodes, which hold no space
        s, p, o = triple.split(" ", 2)
        if s != subject:
            subject = s
            subjects += 1
        triples += 1
        per_property[p] = per_property.get(p, 0) + 1
        if p == rdf_type and o[0] == "<":
            instances[o] = instances.get(o, 0) + 1
        add_triple(s, p, o)
    nq.write("".join(lines))
    turtle.close()
    result.triples, result.subjects = triples, subjects
    result.properties = len(per_property)
    result.classes = {c[1:-1]: n for c, n in instances.items()}
    result.property_triples = {p[1:-1]: n for p, n in per_property.items()}
    for name, sink, mime in (("dumps/unkg.nq.gz", nq, "application/n-quads"),
                             ("dumps/unkg.ttl.gz", ttl, "text/turtle")):
        packed = sink.close()
        digest = hashlib.sha256(packed).hexdigest()
        out.write(name, packed)
        out.write(name + ".sha256", f"{digest}  {name.rsplit('/', 1)[1]}\n".encode())
        result.dumps.append((name, mime, name.rsplit(".", 2)[1], len(packed), digest))
    out.write("dumps/SHA256SUMS",
              "".join(f"{d}  {n.rsplit('/', 1)[1]}\n" for n, _, _, _, d in result.dumps).encode())
    return result


def _lit(value: object, datatype: str | None = None) -> str:
    if datatype:
        return str(ox.Literal(str(value), datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(str(value)))


XSD = "http://www.w3.org/2001/XMLSchema#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
SPDX = "http://spdx.org/rdf/terms#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def void_triples(stats: DumpResult, idx: SiteIndex, base: str) -> set[tuple[str, str, str]]:
    """The VoID description: counts, class and property partitions, dumps, examples, licence."""
    ds = f"<{base}void.ttl#dataset>"
    t: set[tuple[str, str, str]] = set()

    def add(s: str, p: str, o: str) -> None:
        t.add((s, f"<{p}>", o))

    add(ds, RDF + "type", f"<{VOID}Dataset>")
    add(ds, DCT + "title", _lit("unkg: United Nations resolutions knowledge graph"))
    add(ds, DCT + "license", f"<{LICENSE}>")
    add(ds, VOID + "uriSpace", _lit(base))
    add(ds, VOID + "sparqlEndpoint", f"<{base}sparql>")
    add(ds, FOAF + "homepage", f"<{base}index.html>")
    for vocab in ("https://w3id.org/unkg/ontology#", "http://data.europa.eu/eli/ontology#",
                  DCT, "https://schema.org/", "http://www.w3.org/ns/prov#",
                  "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/org#"):
        add(ds, VOID + "vocabulary", f"<{vocab}>")
    add(ds, VOID + "triples", _lit(stats.triples, XSD + "integer"))
    add(ds, VOID + "entities", _lit(len(idx.types), XSD + "integer"))
    add(ds, VOID + "distinctSubjects", _lit(stats.subjects, XSD + "integer"))
    add(ds, VOID + "properties", _lit(stats.properties, XSD + "integer"))
    add(ds, VOID + "classes", _lit(len(stats.classes), XSD + "integer"))
    for i, row in enumerate(sorted(stats.classes.items())):
        node = f"<{base}void.ttl#class-{i + 1}>"
        add(ds, VOID + "classPartition", node)
        add(node, VOID + "class", f"<{row[0]}>")
        add(node, VOID + "entities", _lit(row[1], XSD + "integer"))
    for i, row in enumerate(sorted(stats.property_triples.items())):
        node = f"<{base}void.ttl#property-{i + 1}>"
        add(ds, VOID + "propertyPartition", node)
        add(node, VOID + "property", f"<{row[0]}>")
        add(node, VOID + "triples", _lit(row[1], XSD + "integer"))
    for name, *_ in stats.dumps:
        add(ds, VOID + "dataDump", f"<{base}{name}>")
    examples = sorted((i for i in idx.pages if idx.is_resolution(i) and i in idx.doc_graph),
                      key=lambda i: (idx.label(i), i))[:3]
    for ex in examples:
        add(ds, VOID + "exampleResource", f"<{ex}>")
    return t


def dcat_triples(idx: SiteIndex, base: str, dumps: list[tuple[str, str, str, int, str]]) -> set[tuple[str, str, str]]:
    """A DCAT catalogue with the dataset and one distribution per dump (size and SHA-256)."""
    cat, ds = f"<{base}catalog.ttl#catalog>", f"<{base}void.ttl#dataset>"
    t: set[tuple[str, str, str]] = set()

    def add(s: str, p: str, o: str) -> None:
        t.add((s, f"<{p}>", o))

    add(cat, RDF + "type", f"<{DCAT}Catalog>")
    add(cat, DCT + "title", _lit("unkg catalogue"))
    add(cat, DCAT + "dataset", ds)
    add(cat, FOAF + "homepage", f"<{base}index.html>")
    add(ds, RDF + "type", f"<{DCAT}Dataset>")
    add(ds, DCT + "title", _lit("unkg: United Nations resolutions knowledge graph"))
    add(ds, DCT + "description", _lit("United Nations resolutions as linked data: citations, sessions, "
                                      "agenda items, committees, mandates and conferences."))
    add(ds, DCT + "license", f"<{LICENSE}>")
    add(ds, DCAT + "landingPage", f"<{base}index.html>")
    for kw in ("United Nations", "resolutions", "citations", "linked data"):
        add(ds, DCAT + "keyword", _lit(kw))
    for i, (name, mime, _fmt, size, digest) in enumerate(dumps):
        dist = f"<{base}catalog.ttl#dump-{i + 1}>"
        checksum = f"<{base}catalog.ttl#dump-{i + 1}-checksum>"
        add(ds, DCAT + "distribution", dist)
        add(dist, RDF + "type", f"<{DCAT}Distribution>")
        add(dist, DCAT + "downloadURL", f"<{base}{name}>")
        add(dist, DCAT + "mediaType", f"<https://www.iana.org/assignments/media-types/{mime}>")
        add(dist, DCAT + "compressFormat", "<https://www.iana.org/assignments/media-types/application/gzip>")
        add(dist, DCAT + "byteSize", _lit(size, XSD + "nonNegativeInteger"))
        add(dist, DCT + "license", f"<{LICENSE}>")
        add(dist, SPDX + "checksum", checksum)
        add(checksum, RDF + "type", f"<{SPDX}Checksum>")
        add(checksum, SPDX + "algorithm", f"<{SPDX}checksumAlgorithm_sha256>")
        add(checksum, SPDX + "checksumValue", _lit(digest, XSD + "hexBinary"))
    return t


def sitemaps(urls: list[str], base: str, limit: int) -> dict[str, bytes]:
    """sitemap.xml (a urlset, or an index of sitemap-N.xml when there are more than `limit`)."""
    def urlset(chunk: list[str]) -> bytes:
        body = "".join(f"<url><loc>{xml_escape(u)}</loc></url>\n" for u in chunk)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"{body}</urlset>\n").encode()
    if len(urls) <= limit:
        return {"sitemap.xml": urlset(urls)}
    files: dict[str, bytes] = {}
    for n, start in enumerate(range(0, len(urls), limit), 1):
        files[f"sitemap-{n}.xml"] = urlset(urls[start:start + limit])
    index = "".join(f"<sitemap><loc>{xml_escape(base + name)}</loc></sitemap>\n" for name in files)
    files["sitemap.xml"] = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                            f"{index}</sitemapindex>\n").encode()
    return files


def _base_path(base: str) -> str:
    """The path of the base IRI ('/unkg/' for https://w3id.org/unkg/)."""
    rest = base.split("://", 1)[1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def htaccess(base: str) -> str:
    parts = "|".join(PART_SEGMENTS)
    return f"""# unkg: content negotiation for Apache httpd (mod_rewrite, mod_headers, mod_mime).
# Put the published folder at the path of the base IRI {base}
# with AllowOverride FileInfo Indexes Options=Indexes,MultiViews (or copy these lines into the
# server configuration).
Options -MultiViews -Indexes
DirectorySlash Off
DirectoryIndex index.html
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType text/html .html
AddType application/n-quads .nq
AddCharset utf-8 .ttl .jsonld .html
# the dumps are gzip files to download, not gzip-encoded Turtle or N-Quads
RemoveEncoding .gz
AddType application/gzip .gz
RewriteEngine On
# hidden files (this one, .unkg-site) are not part of the site
RewriteRule (^|/)\\. - [R=404,L]
# A document's parts (paragraphs, footnotes, citations...) are described on its page: 303 See Other.
RewriteRule ^(doc/.+?)/({parts})(/.*)?$ {base}$1 [R=303,L]
# Extension-based negotiation: Turtle when the Accept header names it (and does not start
# with text/html), else JSON-LD likewise, else HTML. (No q-values: `unkg serve` weighs them.)
RewriteCond %{{HTTP_ACCEPT}} !^\\s*text/html
RewriteCond %{{HTTP_ACCEPT}} text/turtle
RewriteCond %{{REQUEST_FILENAME}}.ttl -f
RewriteRule ^(.+)$ $1.ttl [L,E=VARY_ACCEPT:1]
RewriteCond %{{HTTP_ACCEPT}} !^\\s*text/html
RewriteCond %{{HTTP_ACCEPT}} application/(ld\\+)?json
RewriteCond %{{REQUEST_FILENAME}}.jsonld -f
RewriteRule ^(.+)$ $1.jsonld [L,E=VARY_ACCEPT:1]
RewriteCond %{{REQUEST_FILENAME}} !-f
RewriteCond %{{REQUEST_FILENAME}}.html -f
RewriteRule ^(.+)$ $1.html [L,E=VARY_ACCEPT:1]
Header append Vary Accept env=REDIRECT_VARY_ACCEPT
Header append Vary Accept env=VARY_ACCEPT
"""


def nginx_conf(base: str) -> str:
    prefix = _base_path(base)
    parts = "|".join(PART_SEGMENTS)
    return f"""# unkg: content negotiation for nginx. Include this file in the http {{ }} block
# (include /etc/nginx/unkg.conf;) and adjust listen, server_name and root: the published
# folder must be at {{root}}{prefix} so that {base} requests find their files.
map $http_accept $unkg_ext {{
    # first match wins: a browser (text/html first) gets HTML
    "~*^\\s*text/html"            ".html";
    "~*text/turtle"                ".ttl";
    "~*application/(ld\\+)?json"    ".jsonld";
    default                        ".html";
}}
server {{
    listen 127.0.0.1:8080;
    server_name localhost;
    root /var/www;
    types {{
        text/turtle ttl;
        application/ld+json jsonld;
        text/html html;
        application/gzip gz;
        application/xml xml;
        text/plain sha256;
    }}
    charset utf-8;
    charset_types text/turtle application/ld+json text/html;
    # a document's parts (paragraphs, footnotes, citations...) are described on its page
    location ~ ^{prefix}(doc/.+?)/({parts})(/.*)?$ {{
        return 303 {base}$1;
    }}
    location ~ /\\. {{
        return 404;
    }}
    location {prefix} {{
        add_header Vary Accept always;
        try_files $uri$unkg_ext $uri.html $uri =404;
    }}
}}
"""


def _ontology(out: _Writer, ontology_docs: Callable[[Path], Any] | None, base: str) -> list[str]:
    folder = project_dir("ontology")
    written = []
    for name in ONTOLOGY_FILES:
        path = folder / name
        if path.is_file():
            out.write(f"ontology/{name}", path.read_bytes())
            written.append(name)
    if ontology_docs is None:
        ontology_docs = partial(write_docs, base_iri=base)
    ontology_docs(inside(out.root, "ontology"))
    return written


def _write_static(idx: SiteIndex, out: _Writer, base: str,
                  ontology_docs: Callable[[Path], Any] | None, sitemap_limit: int) -> None:
    """The dataset files that need the index only, not the store."""
    out.write("context.jsonld", (project_dir("ontology") / "context.jsonld").read_bytes())
    _ontology(out, ontology_docs, base)
    urls = [base + "index.html"] + [iri for iri in sorted(idx.pages)]
    for name, data in sitemaps(urls, base, sitemap_limit).items():
        out.write(name, data)
    out.write(".htaccess", htaccess(base).encode())
    out.write("nginx.conf", nginx_conf(base).encode())


def _write_described(idx: SiteIndex, out: _Writer, base: str, stats: DumpResult) -> None:
    """The dataset files that describe the dumps: VoID, DCAT and the index page."""
    dumps = stats.dumps
    out.write("void.ttl", serialize_triples(void_triples(stats, idx, base), "ttl"))
    out.write("catalog.ttl", serialize_triples(dcat_triples(idx, base, dumps), "ttl"))
    sessions = sorted((i for i in idx.pages if UNKG + "Session" in idx.types.get(i, set())),
                      key=lambda i: (idx.label(i), i))
    resolutions = sorted((i for i in idx.pages if i in idx.doc_graph and idx.is_resolution(i)),
                         key=lambda i: (idx.label(i), i))
    files = [("void.ttl", "VoID description (void.ttl)"), ("catalog.ttl", "DCAT catalogue (catalog.ttl)"),
             ("sitemap.xml", "sitemap.xml"), ("context.jsonld", "JSON-LD context"),
             ("ontology/index.html", "ontology")] + [(n, f"dump: {n.rsplit('/', 1)[1]} (sha256 {d[:12]}…)")
                                                      for n, _, _, _, d in dumps]
    out.write("index.html", site_html.index_page(idx, sessions, resolutions, files, SITE_TITLE).encode())
