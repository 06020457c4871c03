"""The embedded RDF store: a pyoxigraph (RocksDB) database on disk, one named graph per source document."""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Callable, Collection, Iterable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import Literal, URIRef

from . import extsort
from .errors import InputError, StoreError, StoreLockedError, UnkgError
from .vocab import UNKG

if TYPE_CHECKING:
    from .fulltext import FulltextIndex, Passage

IndexRows = dict[str, "tuple[list[Passage], str] | None"]
"""Per graph of a document: its full-text rows and fingerprint (`fulltext.rows_of_triples`), if known."""


@dataclass(frozen=True)
class QuadsDocument:
    """One document's named graphs as N-Quads lines ("s p o <g> .\\n"), ready for a bulk load.

    The loader's workers write these, so the loading process neither names the graph on each
    line nor encodes the text: it joins the bytes of a batch and hands them to the store.
    """

    graphs: tuple[str, ...]
    nquads: bytes

    def ntriples(self) -> dict[str, str]:
        """Graph IRI -> its N-Triples (for a replacing write, which goes through SPARQL)."""
        text = self.nquads.decode("utf-8")
        ends = {g: f" {ox.NamedNode(g)} .\n" for g in self.graphs}
        if len(self.graphs) == 1:
            # a line ends in " <g> .\n" and nowhere else (N-Triples escapes newlines in literals)
            (g, end), = ends.items()
            return {g: text.replace(end, " .\n")}
        out: dict[str, list[str]] = {g: [] for g in self.graphs}
        for line in text.splitlines(keepends=True):
            for g, end in ends.items():
                if line.endswith(end):
                    out[g].append(line[: -len(end)] + " .\n")
                    break
        return {g: "".join(lines) for g, lines in out.items()}


def _as_ntriples(doc: dict[str, str] | QuadsDocument) -> dict[str, str]:
    return doc.ntriples() if isinstance(doc, QuadsDocument) else doc


def _graph_names(doc: dict[str, str] | QuadsDocument) -> Iterable[str]:
    return doc.graphs if isinstance(doc, QuadsDocument) else doc


def _ox_error(path: Path, exc: OSError, waited: float = 0.0) -> StoreError:
    text = str(exc)
    if "lock" in text.lower():
        if waited:
            return StoreLockedError(
                f"store {path} is still in use by another process after {waited:g} s (its LOCK is "
                "held); wait longer (--wait SECONDS) or stop the process or server that holds it")
        return StoreLockedError(
            f"store {path} is in use by another process (its LOCK is held); wait for it to finish "
            "(--wait SECONDS waits for it) or stop the server that holds it")
    return StoreError(f"cannot open store {path}: {text}")


def _open_writable(path: Path, wait: float, on_wait: Callable[[], None] | None) -> ox.Store:
    """Open the store for writing; while another process holds its lock, retry for `wait` seconds.

    The lock is RocksDB's, taken at open and held until close, so the only way to wait for it is
    to try again: every 50 ms at first, then less often, up to once a second.
    """
    deadline = time.monotonic() + wait
    pause = 0.05
    told = False
    while True:
        try:
            return ox.Store(str(path))
        except OSError as exc:
            remaining = deadline - time.monotonic()
            if "lock" not in str(exc).lower() or remaining <= 0:
                raise _ox_error(path, exc, wait) from exc
            if not told and on_wait is not None:
                on_wait()
                told = True
            time.sleep(min(pause, remaining))
            pause = min(pause * 2, 1.0)


PENDING_NAME = "pending-graphs.txt"
"""In the store directory while a bulk load is in flight: the graphs it writes, one per line."""


class EmbeddedStore:
    """A persistent store directory. One process owns it at a time (RocksDB lock)."""

    def __init__(self, path: str | Path, *, read_only: bool = False, create: bool = True,
                 wait: float = 0.0, on_wait: Callable[[], None] | None = None):
        """Open (or create) the store at `path`.

        A writable open needs the store to itself: while another process holds it, it is tried
        again for `wait` seconds (`on_wait` is called once, when the waiting starts) before
        `StoreLockedError`.
        """
        self.path = Path(path)
        self.read_only = read_only
        # the full-text index in the store directory (unkg.fulltext), opened when first needed
        self.fulltext_index: FulltextIndex | None = None
        self.fulltext_checked = False
        self.bulk_loads = 0  # bulk loads since the last compaction (see `compact_after_bulk`)
        # graph -> full-text rows and fingerprint of a write that succeeded, for fulltext.after_write
        self.written_rows: dict[str, tuple[list[Passage], str]] = {}
        if read_only or not create:
            if not (self.path / "CURRENT").exists():
                raise StoreError(f"no store at {self.path}: run `unkg load` first or pass --store")
        if read_only and (self.path / PENDING_NAME).exists():
            # a bulk load was interrupted: remove its graphs (a writable open does) before reading;
            # if a writer holds the store, its load is still running and the journal is its own
            try:
                EmbeddedStore(self.path, create=False).close()
            except StoreLockedError:
                pass
        if read_only:
            try:
                self._store = ox.Store.read_only(str(self.path))
            except OSError as exc:
                raise _ox_error(self.path, exc) from exc
        else:
            self._store = _open_writable(self.path, wait, on_wait)
        if not read_only:
            self._finish_interrupted_load()

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        return self._store

    def close(self) -> None:
        if self.fulltext_index is not None:
            self.fulltext_index.close()
            self.fulltext_index = None
        if not self.read_only:
            try:
                self._store.flush()
            except OSError:
                pass
        del self._store

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # ---- writing -------------------------------------------------------------------------------

    def replace_graphs(self, graphs: dict[str, str], rows: IndexRows | None = None) -> None:
        """Atomically replace each named graph by the given N-Triples text (all or nothing).

        One SPARQL update carries the drops and the inserts, so a crash or a bad triple leaves
        the store as it was. The graphs are recorded in the change journal (`unkg.changes`) before
        the update; the full-text index follows (see `unkg.fulltext`): the graphs are marked dirty
        before the update and, after it, given the `rows` known for them or re-read.
        """
        from . import changes, fulltext

        parts: list[str] = []
        for graph, ntriples in graphs.items():
            iri = ox.NamedNode(graph)
            parts.append(f"DROP SILENT GRAPH {iri}")
            if ntriples.strip():
                parts.append(f"INSERT DATA {{ GRAPH {iri} {{\n{ntriples}\n}} }}")
        if not parts:
            return
        names = list(graphs)
        changes.record(self.path, names)
        fulltext.before_write(self, names)
        try:
            self._apply(" ;\n".join(parts))
            self._note_rows(rows)
        finally:
            fulltext.after_write(self, names)

    # A bulk load (`Store.bulk_load`) is fast but not atomic: killed half-way, it leaves part of
    # its quads. So the graphs it writes are first named in a journal file (synced), which is
    # removed once the load returns; the next open of the store drops the graphs a journal still
    # names, so each document is whole or absent, as with a transaction.

    def _journal(self, graphs: list[str]) -> None:
        path, tmp = self.path / PENDING_NAME, self.path / (PENDING_NAME + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("".join(g + "\n" for g in graphs))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        dirfd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(dirfd)
        finally:
            os.close(dirfd)

    def _finish_interrupted_load(self) -> None:
        """Drop the graphs of a bulk load that did not return (their documents were never reported
        loaded; loading them again writes them whole)."""
        path = self.path / PENDING_NAME
        if not path.exists():
            return
        graphs = [g for g in path.read_text(encoding="utf-8").splitlines() if g.strip()]
        if graphs:
            self.replace_graphs({g: "" for g in graphs})
            self._store.flush()
        path.unlink()

    def _bulk_write(self, nquads: bytes, graphs: list[str]) -> None:
        """Write quads of new graphs in bulk, all or nothing (see `_journal`)."""
        self._journal(graphs)
        try:
            self._store.bulk_load(nquads, ox.RdfFormat.N_QUADS)
        except (SyntaxError, OSError):
            # part of the quads may be in: take them out again (the journal stays if this fails)
            self._apply(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs))
            (self.path / PENDING_NAME).unlink()
            raise
        (self.path / PENDING_NAME).unlink()
        self.bulk_loads += 1

    def compact_after_bulk(self, min_loads: int = 8) -> bool:
        """Compact the store after many bulk loads (`Store.optimize`); True if it did.

        Each bulk load adds its own index files, which RocksDB merges only gradually: after
        1,000 documents in 16 bulk loads, queries ran 1.5-2 times slower than on a store written
        by transactions, and as fast once compacted. Compacting costs about a second of CPU at
        1,000 documents (about 4 s at 30,000), so a load of a few documents does not pay it.
        """
        if self.read_only or self.bulk_loads < min_loads:
            return False
        try:
            self._store.optimize()
        except OSError as exc:
            raise StoreError(f"cannot compact store {self.path}: {exc}") from exc
        self.bulk_loads = 0
        return True

    def _note_rows(self, rows: IndexRows | None) -> None:
        """After a successful write: the index rows of its graphs, for fulltext.after_write."""
        for g, known in (rows or {}).items():
            if known is not None:
                self.written_rows[g] = known

    def _apply(self, update: str) -> None:
        try:
            self._store.update(update)
        except SyntaxError as exc:
            raise StoreError(f"internal error: generated data was rejected by the store: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot write to store {self.path}: {exc}") from exc

    def write_documents(self, docs: Sequence[dict[str, str] | QuadsDocument],
                        rows: list[IndexRows] | None = None) -> list[UnkgError | None]:
        """Write several documents (each: graph IRI -> N-Triples, or its `QuadsDocument`) and
        say which failed.

        Documents whose graphs are all new reach the store together, as N-Quads in one bulk
        load (`Store.bulk_load`, made all or nothing by `_journal`): it writes index files
        directly, about twice as fast as a transaction, with no flush to pay later. A
        document that replaces an existing graph goes through `replace_graphs`. If the batch is
        rejected, each of its documents is written on its own, so one bad document fails alone.
        Either way each document is all or nothing. `rows[i]` are document i's full-text rows
        when known (then the index need not read them back from the store).
        """
        from . import changes, fulltext

        errors: list[UnkgError | None] = [None] * len(docs)
        fresh: list[int] = []
        seen: set[str] = set()

        def commit_fresh() -> None:
            # N-Triples lines end in " .\n" (a newline inside a term is always escaped), so
            # naming the graph is one replace per document
            parts: list[bytes] = []
            for i in fresh:
                doc = docs[i]
                if isinstance(doc, QuadsDocument):
                    parts.append(doc.nquads)  # b"" for a document without triples
                    continue
                parts.append("".join(
                    (nt if nt.endswith("\n") else nt + "\n").replace(" .\n", f" {ox.NamedNode(g)} .\n")
                    for g, nt in doc.items() if nt.strip()).encode("utf-8"))
            nquads = b"".join(parts)
            names = [g for i in fresh for g in _graph_names(docs[i])]
            if names:  # the journal and the full-text index follow, as for replace_graphs
                changes.record(self.path, names)
                fulltext.before_write(self, names)
            try:
                if nquads:
                    self._bulk_write(nquads, names)
                if rows is not None:
                    for i in fresh:
                        self._note_rows(rows[i])
            except SyntaxError:
                for i in fresh:
                    errors[i] = self._try_replace(_as_ntriples(docs[i]), rows[i] if rows is not None else None)
            except OSError as exc:
                for i in fresh:
                    errors[i] = StoreError(f"cannot write to store {self.path}: {exc}")
            finally:
                if names:
                    fulltext.after_write(self, names)
            fresh.clear()
            seen.clear()

        for i, doc in enumerate(docs):
            graphs = list(_graph_names(doc))
            if any(g in seen or self._store.contains_named_graph(ox.NamedNode(g)) for g in graphs):
                commit_fresh()  # earlier documents first: a later one replaces their graph
                errors[i] = self._try_replace(_as_ntriples(doc), rows[i] if rows is not None else None)
            else:
                fresh.append(i)
                seen.update(graphs)
        commit_fresh()
        return errors

    def _try_replace(self, graphs: dict[str, str], rows: IndexRows | None = None) -> UnkgError | None:
        try:
            self.replace_graphs(graphs, rows)
        except UnkgError as exc:
            return exc
        return None

    def load_rdf(self, data: bytes, fmt: ox.RdfFormat, default_graph: str, source: str) -> dict[str, int]:
        """Load an RDF file atomically; triples outside a named graph go to `default_graph`.

        Each graph the file writes is replaced, so loading the same file again changes nothing.
        Returns triples per graph.
        """
        quads = parse_rdf(data, fmt, source)
        by_graph: dict[str, list[str]] = {}
        for q in quads:
            g = q.graph_name
            name = default_graph if isinstance(g, ox.DefaultGraph) else g.value
            by_graph.setdefault(name, []).append(f"{q.subject} {q.predicate} {q.object} .")
        self.replace_graphs({g: "\n".join(lines) for g, lines in by_graph.items()})
        return {g: len(lines) for g, lines in by_graph.items()}

    def remove_graph(self, graph: str) -> None:
        self.replace_graphs({graph: ""})

    # ---- reading -------------------------------------------------------------------------------

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_count(self) -> int:
        """How many named graphs the store holds, IRIs or blank nodes (`named_graphs` lists the
        IRIs); counted without decoding a name: 12 ms at 30,000 graphs, where listing takes 0.2-2 s."""
        for row in self._store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { } }"):  # type: ignore[union-attr]
            return int(row["n"].value)
        return 0

    def count(self, graph: str | None = None) -> int:
        """Statements in one named graph, or quads in the whole store (every graph, the default
        one included: Oxigraph's own count, 2 s at 30,000 documents against 6 s for a query)."""
        if graph is None:
            return len(self._store)
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"
        for row in self._store.query(q):  # type: ignore[union-attr]
            return int(row["n"].value)
        return 0

    def type_counts(self) -> list[tuple[str, int]]:
        """(class IRI, how many distinct resources have it in any graph), most numerous first."""
        rows = self._store.query("""SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {
            { ?s a ?type } UNION { GRAPH ?g { ?s a ?type } } } GROUP BY ?type ORDER BY DESC(?n) ?type""")
        return [(row["type"].value, int(row["n"].value)) for row in rows]  # type: ignore[union-attr]

    def source_records(self, checksums: Iterable[str] | None = None) -> dict[str, dict[str, str]]:
        """Provenance of document graphs: graph -> {checksum, parser_version, source, describes}.

        Of every document graph, or only of those whose source has one of `checksums` (looked up
        by value, so checking a few files against a large store does not read every record).
        """
        if checksums is None:
            return self._source_records("")
        wanted = sorted(set(checksums))
        out: dict[str, dict[str, str]] = {}
        for i in range(0, len(wanted), 512):
            values = " ".join(str(ox.Literal(c)) for c in wanted[i:i + 512])
            out.update(self._source_records(f"VALUES ?c {{ {values} }}"))
        return out

    def _source_records(self, values: str) -> dict[str, dict[str, str]]:
        # VALUES inside GRAPH: outside it, Oxigraph evaluates the OPTIONALs for every graph first
        q = f"""SELECT ?g ?c ?v ?f ?d WHERE {{ GRAPH ?g {{ {values} ?g a <{UNKG.SourceRecord}> ;
                  <{UNKG.sourceChecksum}> ?c ; <{UNKG.parserVersion}> ?v .
                  OPTIONAL {{ ?g <{UNKG.sourceFile}> ?f }} OPTIONAL {{ ?g <{UNKG.describes}> ?d }} }} }}"""
        out: dict[str, dict[str, str]] = {}
        for row in self._store.query(q):  # type: ignore[union-attr]
            out[row["g"].value] = {
                "checksum": row["c"].value, "parser_version": row["v"].value,
                "source": row["f"].value if row["f"] is not None else "",
                "describes": row["d"].value if row["d"] is not None else "",
            }
        return out

    def triples(self, graph: str | None = None, default_only: bool = False) -> set[tuple[str, str, str]]:
        """Distinct (s, p, o) in N-Triples syntax: of one graph, the default graph, or all graphs."""
        if default_only:
            found = self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        else:
            found = self.quads(graph)
        return {(str(q.subject), str(q.predicate), str(q.object)) for q in found}

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        g = ox.NamedNode(graph) if graph else None
        return self._store.quads_for_pattern(None, None, None, g)

    def nquads_lines(self, graph: str | None = None) -> list[str]:
        """Every quad (or one graph's triples) as sorted N-Quads lines: a canonical order."""
        if graph is not None:
            lines = [f"{q.subject} {q.predicate} {q.object} ." for q in self.quads(graph)]
        else:
            lines = []
            for q in self.quads():
                if isinstance(q.graph_name, ox.DefaultGraph):
                    lines.append(f"{q.subject} {q.predicate} {q.object} .")
                else:
                    lines.append(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .")
        lines.sort()
        return lines

    def canonical_quads(self, tmpdir: str | None = None, run_lines: int | None = None,
                        skip_graphs: Collection[str] = frozenset(),
                        presorted: Sequence[str] = ()) -> Iterator[tuple[str, str]]:
        """Every quad as (its triple 's p o', its graph term or '' for the default graph), in the
        canonical order of the N-Quads lines 's p o g .', with memory that does not grow with the store.

        Oxigraph serialises one graph at a time (the same term syntax as str() of its terms,
        tested), faster than building Python objects per quad; the lines are sorted on disk in runs
        (`extsort`). The pairs sort as their lines do: terms delimit themselves (an IRI ends at its
        '>', a literal at its quote, tag or datatype) and N-Triples escapes every control character,
        so joining triple and graph with NUL orders them as ' ' does in 's p o g .', and the
        default graph ('') before any named one, as 's p o .' sorts before 's p o <g> .'.

        The named graphs in `skip_graphs` (IRIs) are not read: their `tagged_lines` are in the
        `presorted` run files (`extsort.write_run`), which are merged in."""
        def tagged() -> Iterator[str]:
            graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.DefaultGraph()]
            graphs.extend(g for g in self._store.named_graphs()
                          if not (isinstance(g, ox.NamedNode) and g.value in skip_graphs))
            for g in graphs:
                yield from self.tagged_lines(g)[1]  # no Python frame resumed per line

        for item in extsort.sorted_lines(tagged(), tmpdir=tmpdir, run_lines=run_lines, presorted=presorted):
            triple, _, graph = item.partition("\x00")
            yield triple, graph

    def tagged_lines(self, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> tuple[bytes, list[str]]:
        """One graph's N-Triples text and its lines as `canonical_quads` sorts them ('s p o' NUL
        graph term), from one read of the graph."""
        data = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
        lines = data.decode().split(" .\n")
        lines.pop()  # the text ends with ' .\n'
        suffix = "\x00" if isinstance(graph, ox.DefaultGraph) else f"\x00{graph}"
        return data, [line + suffix for line in lines]

    def ntriples_lines(self, graph: str) -> list[bytes]:
        """One graph's triples as sorted N-Triples lines (UTF-8, no newline): the bytes of `nquads_lines`.

        Oxigraph serialises the graph itself, faster than formatting a Python string per quad; bytes
        sort like the strings (UTF-8 keeps code point order), so the order is the same canonical one.
        """
        data = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b""
        lines = data.split(b"\n")  # literals escape their line breaks: one triple per line
        if lines and not lines[-1]:
            lines.pop()
        lines.sort()
        return lines

    def query(self, sparql: str, union_default_graph: bool = True
              ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run SPARQL; by default the default graph is the union of all named graphs."""
        return self._store.query(sparql, use_default_graph_as_union=union_default_graph)


def parse_rdf(data: bytes, fmt: ox.RdfFormat, source: str) -> list[ox.Quad]:
    """Every quad of an RDF document, or InputError naming the file and line.

    RDF/XML is first checked to be well-formed XML: Oxigraph's parser accepts a document cut off
    before its closing tags (and would load the part before the cut).
    """
    if fmt == ox.RdfFormat.RDF_XML:
        import xml.parsers.expat

        checker = xml.parsers.expat.ParserCreate()  # no handlers: external entities are never read
        try:
            checker.Parse(data, True)
        except xml.parsers.expat.ExpatError as exc:
            message = xml.parsers.expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
            raise InputError(f"not valid {fmt.name}: {message} (column {exc.offset + 1})", path=source,
                             line=exc.lineno) from exc
    try:
        return list(ox.parse(data, fmt, base_iri=None))
    except SyntaxError as exc:
        message = " ".join(str(exc).split())
        raise InputError(f"not valid {fmt.name}: {message}", path=source, line=_line_of(exc)) from exc


def _line_of(exc: BaseException) -> int | None:
    lineno = getattr(exc, "lineno", None)
    return int(lineno) if isinstance(lineno, int) else None


def ntriples_of(triples: Iterable[tuple[object, object, object]]) -> str:
    """N-Triples text of rdflib triples (as the store's update expects)."""
    buf = io.StringIO()
    # predicates, classes and shared nodes recur on many lines: write each term once
    seen: dict[object, str] = {}
    for s, p, o in triples:
        ts = seen.get(s)
        if ts is None:
            ts = seen[s] = s.n3()  # type: ignore[attr-defined]
        tp = seen.get(p)
        if tp is None:
            tp = seen[p] = p.n3()  # type: ignore[attr-defined]
        to = seen.get(o) if not isinstance(o, Literal) else None
        if to is None:
            to = _nt_object(o)
            if not isinstance(o, Literal):
                seen[o] = to
        buf.write(f"{ts} {tp} {to} .\n")
    return buf.getvalue()


def nquads_of(triples: Iterable[tuple[object, object, object]], graph: str,
              keep: Collection[str] = frozenset()) -> tuple[bytes, list[tuple[str, str, str, str | None]]]:
    """N-Quads (UTF-8) of rdflib triples in the named graph `graph`, and, in the same pass, the
    triples whose predicate is in `keep` as (subject, predicate, object value, object kind): kind
    None for an IRI, "" for a plain or language-tagged literal, else the literal's datatype (what
    `fulltext.rows_of_triples` takes)."""
    end = f" {ox.NamedNode(graph)} .\n"
    lines: list[str] = []
    kept: list[tuple[str, str, str, str | None]] = []
    # predicates, classes and shared nodes recur on many lines: write each term once
    seen: dict[object, str] = {}
    preds: dict[object, tuple[str, str | None]] = {}
    for s, p, o in triples:
        ts = seen.get(s)
        if ts is None:
            ts = seen[s] = s.n3()  # type: ignore[attr-defined]
        pinfo = preds.get(p)
        if pinfo is None:
            ps = str(p)
            pinfo = preds[p] = (p.n3(), ps if ps in keep else None)  # type: ignore[attr-defined]
        tp, kp = pinfo
        # type() first: isinstance of rdflib's terms goes through ABCMeta (they are abc.ABCs)
        if type(o) is Literal or (type(o) is not URIRef and isinstance(o, Literal)):
            to = _nt_object(o)
            if kp is not None:
                kept.append((str(s), kp, str(o), str(o.datatype) if o.datatype is not None else ""))
        else:
            to = seen.get(o)  # type: ignore[assignment]
            if to is None:
                to = seen[o] = o.n3()  # type: ignore[attr-defined]
            if kp is not None:
                kept.append((str(s), kp, str(o), None))
        lines.append(f"{ts} {tp} {to}{end}")
    return "".join(lines).encode("utf-8"), kept


def _nt_object(o: object) -> str:
    if isinstance(o, Literal):
        # rdflib's n3() may use long-quote or shorthand forms that are Turtle, not N-Triples
        lexical = str(o).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if o.language:
            return f'"{lexical}"@{o.language}'
        if o.datatype:
            return f'"{lexical}"^^<{o.datatype}>'
        return f'"{lexical}"'
    return o.n3()  # type: ignore[attr-defined]
