"""Load resolution texts and RDF files into the store: one named graph per source, all or nothing."""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from . import formats
from .errors import InputError, UnkgError
from .iris import IRIs, slug
from .progress import Progress
from .security import external_contexts, refuse_remote_contexts
from .store import EmbeddedStore, IndexRows, QuadsDocument, nquads_of

TEXT_KINDS = ("input",)
RDF_KINDS = ("rdf",)


@dataclass
class LoadOutcome:
    source: str
    status: str  # "loaded" | "unchanged" | "failed"
    graph: str | None = None
    symbol: str | None = None
    triples: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    outcomes: list[LoadOutcome] = field(default_factory=list)
    answered: dict[str, float] = field(default_factory=dict)  # query -> seconds (unkg.answers)
    # when the whole-store answers were left to `unkg query`: the seconds they took last time
    deferred: float | None = None

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[LoadOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def triples(self) -> int:
        return sum(o.triples for o in self.outcomes if o.status == "loaded")

    def summary(self) -> str:
        return (f"{self.count('loaded')} loaded, {self.count('unchanged')} unchanged, "
                f"{self.count('failed')} failed; {self.triples} triples written")


@dataclass
class _Prepared:
    source: str
    checksum: str
    doc: QuadsDocument  # its graph and N-Quads
    symbol: str | None
    triples: int
    warnings: list[str]
    rows: IndexRows = field(default_factory=dict)  # graph IRI -> its full-text rows, if known


def collect_inputs(paths: Iterable[str | Path]) -> list[str]:
    """Expand directories (recursively, files of a known format, sorted); keep '-' for stdin."""
    out: list[str] = []
    for p in paths:
        if str(p) == "-":
            out.append("-")
            continue
        path = Path(p)
        if path.is_dir():
            found = [f for f in path.rglob("*") if f.is_file() and not f.name.startswith(".")
                     and formats.guess(f, TEXT_KINDS + RDF_KINDS) is not None]
            out.extend(str(f) for f in sorted(found))
        else:
            out.append(str(path))
    return out


def checksum_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def prepare_text(source: str, data: bytes, base_iri: str, input_format: str | None = None,
                 strict: bool = False) -> _Prepared:
    """Parse and map one resolution text (runs in worker processes)."""
    from .fulltext import ROW_PREDICATES, rows_of_triples
    from .mapper import Provenance, record_triples
    from .parser import PARSER_VERSION, parse_file

    iris = IRIs(base_iri)
    record = parse_file(None if source == "-" else source, input_format=input_format, strict=strict,
                        data=data)
    if not record.symbol:
        raise InputError("no document symbol found; cannot name its graph", path=source)
    if not record.operative:
        # every resolution decides something; a text without one operative paragraph is cut off
        # (an excerpt, a failed download) and would load as a plausible but incomplete document
        last = data.rstrip().count(b"\n") + 1
        raise InputError("no operative paragraph: the text is incomplete (truncated?) or not a "
                         "resolution", path=source, line=last)
    checksum = checksum_of(data)
    provenance = Provenance(source_file=Path(source).name if source != "-" else "<stdin>",
                            checksum=checksum, parser_version=PARSER_VERSION, loaded_at=now_iso())
    triples = list(record_triples(record, iris, provenance))  # without repeats
    warnings = [f"{source}:{w.line}: {w.message}" for w in record.warnings]
    graph = str(iris.graph(record.symbol))
    # the N-Quads the store bulk-loads are written here, in parallel, and so are the full-text
    # rows (from the same pass over the triples) rather than read back from the store
    nquads, kept = nquads_of(triples, graph, ROW_PREDICATES)
    rows = rows_of_triples(graph, kept)
    return _Prepared(source, checksum, QuadsDocument((graph,), nquads), record.symbol, len(triples),
                     warnings, {graph: rows})


def _prepare_worker(args: tuple[str, bytes, str, str | None, bool]) -> _Prepared | LoadOutcome:
    source, data, base_iri, input_format, strict = args
    try:
        return prepare_text(source, data, base_iri, input_format, strict)
    except UnkgError as exc:
        return LoadOutcome(source, "failed", error=str(exc))


def _exit_with_parent() -> None:
    """Pool initializer: end this worker when the process that started it dies.

    A worker blocks reading its task queue, whose write end it inherited, so it never sees
    end-of-file: without this, `kill -9` of `unkg load` would leave the workers running forever.
    The parent is the loader (fork, spawn) or the fork server, which ends with the loader.
    """
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="unkg-parent-watch", daemon=True).start()


def rdf_graph_name(iris: IRIs, source: str) -> str:
    """Named graph for triples of an RDF file that carry no graph of their own."""
    return f"{iris.base}graph/file/{slug(Path(source).name)}"


def jsonld_as_nquads(data: bytes, source: str) -> bytes:
    """A JSON-LD document as N-Quads, by rdflib's parser, which fetches remote contexts (asked for)."""
    import rdflib

    ds = rdflib.Dataset()
    try:
        ds.parse(data=data, format="json-ld")
    except Exception as exc:  # rdflib raises parser- and network-specific types
        raise InputError(f"not valid jsonld: {exc}", path=source) from exc
    return ds.serialize(format="nquads", encoding="utf-8")


def load_paths(store: EmbeddedStore, paths: Iterable[str | Path], *, base_iri: str,
               input_format: str | None = None, strict: bool = False, fail_fast: bool = False,
               stdin: bytes | None = None, jobs: int | None = None,
               progress: Callable[[LoadOutcome], None] | None = None,
               batch_size: int = 64, meter: Progress | None = None,
               allow_remote_context: bool = False, answer: bool | None = None) -> LoadReport:
    """Load every path; each document is one atomic replacement of its named graph.

    Parsed documents reach the store `batch_size` at a time (one bulk load for new graphs); the
    first batches are smaller (8, 16, 32, ...), so the first documents are stored early.
    `progress(outcome)` is called for each source as it is settled, `meter` counts them.
    A JSON-LD file whose @context is given by reference is refused unless `allow_remote_context`
    (then rdflib fetches it).

    After writing, the library's whole-store queries are evaluated and kept (`unkg.answers`) if
    `answer`; if it is None, only when that costs no more than the load itself took (or a second):
    a few documents added to a large store leave them to the first `unkg query` that asks.
    """
    if input_format:
        formats.lookup(input_format, TEXT_KINDS + RDF_KINDS)  # an unknown name is a usage error
    sources = collect_inputs(paths)
    if meter is not None:
        meter.start(len(sources), "documents")
    try:
        return _load_sources(store, sources, base_iri=base_iri, input_format=input_format,
                             strict=strict, fail_fast=fail_fast, stdin=stdin, jobs=jobs,
                             progress=progress, batch_size=batch_size, meter=meter,
                             allow_remote_context=allow_remote_context, answer=answer)
    finally:
        if meter is not None:
            meter.close()


def _load_sources(store: EmbeddedStore, sources: list[str], *, base_iri: str,
                  input_format: str | None, strict: bool, fail_fast: bool, stdin: bytes | None,
                  jobs: int | None, progress: Callable[[LoadOutcome], None] | None,
                  batch_size: int, meter: Progress | None, allow_remote_context: bool,
                  answer: bool | None) -> LoadReport:
    started = time.perf_counter()
    iris = IRIs(base_iri)
    report = LoadReport()
    from .parser import PARSER_VERSION

    def record(outcome: LoadOutcome) -> bool:
        report.outcomes.append(outcome)
        if progress:
            progress(outcome)
        if meter is not None:
            meter.advance()
        return not (fail_fast and outcome.status == "failed")

    text_jobs: list[tuple[str, bytes | None]] = []
    for source in sources:
        try:
            if source == "-":
                if stdin is None:
                    raise InputError("no data on stdin", path="<stdin>")
                fmt = formats.resolve(input_format, None, RDF_KINDS + TEXT_KINDS, default="txt")
            else:
                if not Path(source).exists():
                    raise InputError("no such file", path=source)
                fmt = formats.resolve(input_format, source, TEXT_KINDS + RDF_KINDS)
            if fmt.kind == "rdf":
                data = stdin if source == "-" else Path(source).read_bytes()
                assert data is not None and fmt.oxigraph is not None
                oxfmt = fmt.oxigraph
                if fmt.name == "jsonld":
                    if not allow_remote_context:
                        refuse_remote_contexts(data, source)
                    elif external_contexts(data):
                        data, oxfmt = jsonld_as_nquads(data, source), ox.RdfFormat.N_QUADS
                counts = store.load_rdf(data, oxfmt, rdf_graph_name(iris, source), source)
                ok = record(LoadOutcome(source, "loaded", graph=",".join(sorted(counts)),
                                        triples=sum(counts.values())))
                if not ok:
                    return report
                continue
        except UnkgError as exc:
            if not record(LoadOutcome(source, "failed", error=str(exc))):
                return report
            continue
        except OSError as exc:
            if not record(LoadOutcome(source, "failed", error=f"{source}: cannot read: {exc}")):
                return report
            continue
        text_jobs.append((source, stdin if source == "-" else None))

    batch: list[_Prepared] = []

    # batch size doubles from 8: parsing fills the first batch in moments, so documents reach the
    # store (and a killed load keeps some) long before a full batch of a slow corpus is parsed
    limit = [min(batch_size, 8)]

    def flush() -> bool:
        """Write the prepared documents in one go, then report each."""
        if not batch:
            return True
        errors = store.write_documents([p.doc for p in batch], [p.rows for p in batch])
        ok = True
        for prepared, err in zip(batch, errors):
            if not ok:
                break
            if err is not None:
                ok = record(LoadOutcome(prepared.source, "failed", error=str(err)))
            else:
                ok = record(LoadOutcome(prepared.source, "loaded", prepared.doc.graphs[0],
                                        prepared.symbol, prepared.triples, warnings=prepared.warnings))
        batch.clear()
        limit[0] = min(batch_size, limit[0] * 2)
        return ok

    def finish(prepared: _Prepared | LoadOutcome) -> bool:
        if isinstance(prepared, LoadOutcome):
            return flush() and record(prepared)
        batch.append(prepared)
        if len(batch) >= limit[0]:
            return flush()
        return True

    # a text whose checksum the store already holds (same parser version) is not parsed again
    texts: list[tuple[str, bytes, str]] = []
    for source, data in text_jobs:
        try:
            raw = data if data is not None else Path(source).read_bytes()
        except OSError as exc:
            if not record(LoadOutcome(source, "failed", error=f"{source}: cannot read: {exc}")):
                return report
            continue
        texts.append((source, raw, checksum_of(raw)))
    known = {rec["checksum"]: (g, rec)
             for g, rec in store.source_records(c for _, _, c in texts).items()}
    pending: list[tuple[str, bytes, str, str | None, bool]] = []
    for source, raw, checksum in texts:
        prev = known.get(checksum)
        if prev and prev[1]["parser_version"] == PARSER_VERSION:
            if not record(LoadOutcome(source, "unchanged", prev[0], None, 0)):
                return report
            continue
        pending.append((source, raw, base_iri, input_format, strict))

    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 4)
    if workers > 1 and len(pending) >= 16:
        with ProcessPoolExecutor(max_workers=workers, initializer=_exit_with_parent) as pool:
            for done in pool.map(_prepare_worker, pending, chunksize=8):
                if not finish(done):
                    pool.shutdown(cancel_futures=True)
                    return report
    else:
        for job in pending:
            if not finish(_prepare_worker(job)):
                return report
    flush()
    store.compact_after_bulk()
    # the whole-store queries are answered now, once, rather than on each `unkg query`; unless
    # that would take longer than the load (one text added to 30,000: 0.5 s of load, 4-5 s of
    # answers), then the first query that asks evaluates and keeps its own
    from . import answers

    cost = answers.last_cost(store.path)
    if answer is False or (answer is None and cost is not None
                           and cost > max(1.0, time.perf_counter() - started)):
        if any(o.status == "loaded" for o in report.outcomes):
            report.deferred = cost or 0.0
        return report
    report.answered = answers.refresh(store)
    return report
