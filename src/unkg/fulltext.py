"""Full-text index of paragraph, footnote and annex text: SQLite FTS5 in the store directory.

The index is derived data: every row is read back from the store's named graphs (the `unkg:text`
literals of preambular and operative paragraphs, footnotes and annexes), so it holds exactly the
text that is in the store. It is kept in step with writes by a small journal:

1. before the store writes a graph, the index marks that graph *dirty* (committed);
2. the store writes the graph (one atomic SPARQL update);
3. the index re-reads the graph from the store, replaces its rows and clears the mark (one
   SQLite transaction).

A process that dies, or an index write that fails, between 1 and 3 leaves the mark, and the next
`refresh` (before every search) re-reads the graph from the store, whichever version the store
kept. Writes made around unkg (another tool, a restored store) are caught by a full refresh
(`unkg index`) that compares per-graph fingerprints: a graph's provenance (source checksum,
parser version, load time) or, for graphs without one, a hash of their indexed rows. A missing or incomplete index is rebuilt from the store, into a new file that replaces the
old one only when complete. One process owns a writable store at a time (RocksDB's lock), and it is
the only one that writes the index.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import pyoxigraph as ox

from .errors import QueryError, StoreError

if TYPE_CHECKING:
    from .queries import QueryResult
    from .store import EmbeddedStore

log = logging.getLogger("unkg.fulltext")

INDEX_NAME = "fulltext.sqlite"
SCHEMA_VERSION = "1"

_UNKG = "https://w3id.org/unkg/ontology#"
_ELI = "http://data.europa.eu/eli/ontology#"
_PROV = "http://www.w3.org/ns/prov#"
KINDS = {f"{_UNKG}PreambularParagraph": "preambular", f"{_UNKG}OperativeParagraph": "operative",
         f"{_UNKG}Footnote": "footnote", f"{_UNKG}Annex": "annex"}
"""Indexed classes and their kind names. Sub-paragraphs are not indexed on their own: their text is
part of their paragraph's text, and indexing both would return every match twice."""

_FINGERPRINTS = f"""PREFIX unkg: <{_UNKG}>
PREFIX prov: <{_PROV}>
SELECT ?g ?c ?v ?t WHERE {{
  GRAPH {{graph}} {{
    ?g a unkg:SourceRecord ; unkg:sourceChecksum ?c ; unkg:parserVersion ?v .
    OPTIONAL {{ ?g prov:generatedAtTime ?t }}
  }}
}}"""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS graph_state(
  graph TEXT PRIMARY KEY,
  fingerprint TEXT,              -- what the graph was when indexed (NULL: not yet)
  dirty INTEGER NOT NULL DEFAULT 0  -- 1: a write of this graph began and was not confirmed
);
CREATE TABLE IF NOT EXISTS passage(
  id INTEGER PRIMARY KEY,
  graph TEXT NOT NULL, iri TEXT NOT NULL, symbol TEXT NOT NULL, kind TEXT NOT NULL,
  number TEXT NOT NULL, session TEXT, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passage_graph ON passage(graph);
CREATE VIRTUAL TABLE IF NOT EXISTS passage_fts USING fts5(
  text, content='passage', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
"""
_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS passage_ai AFTER INSERT ON passage BEGIN
  INSERT INTO passage_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS passage_ad AFTER DELETE ON passage BEGIN
  INSERT INTO passage_fts(passage_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
"""


def fts5_available() -> bool:
    """True if Python's sqlite3 module was built with SQLite's FTS5 extension."""
    try:
        con = sqlite3.connect(":memory:")
        try:
            con.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        finally:
            con.close()
    except sqlite3.OperationalError:
        return False
    return True


def require_fts5() -> None:
    if not fts5_available():
        raise StoreError(
            f"full-text search needs SQLite's FTS5 extension, and this Python's sqlite3 module "
            f"(SQLite {sqlite3.sqlite_version}) was built without it; use a Python whose SQLite has "
            "FTS5 (python.org and most Linux distributions' builds do)")


@dataclass(frozen=True)
class Passage:
    """One indexed text: a paragraph, footnote or annex as the store holds it."""

    graph: str
    iri: str
    symbol: str
    kind: str
    number: str
    session: str | None
    text: str


@dataclass(frozen=True)
class Hit:
    """A search result: the passage, a snippet with matches marked, and its bm25 score (lower is better)."""

    symbol: str
    iri: str
    kind: str
    number: str
    snippet: str
    score: float


@dataclass
class RefreshReport:
    rebuilt: bool = False
    synced: list[str] = field(default_factory=list)  # graphs re-read from the store
    removed: list[str] = field(default_factory=list)  # graphs no longer in the store

    @property
    def changed(self) -> bool:
        return self.rebuilt or bool(self.synced or self.removed)


def index_path(store_path: str | Path) -> Path:
    return Path(store_path) / INDEX_NAME


# ---- reading the store ---------------------------------------------------------------------------

def _graph_term(graph: str | None) -> str:
    return "?g" if graph is None else str(ox.NamedNode(graph))


def read_passages(store: EmbeddedStore, graph: str | None = None) -> Iterator[Passage]:
    """The passages of one named graph (or of all) as the store holds them.

    One simple SELECT per property, joined here: the single SPARQL join with its OPTIONALs is two
    to three times slower on Oxigraph, and so is iterating `quads_for_pattern`.
    """
    g_term = _graph_term(graph)

    def select(pattern: str) -> Iterator[tuple[str, str, ox.NamedNode | ox.Literal]]:
        sparql = f"SELECT ?g ?s ?o WHERE {{ GRAPH {g_term} {{ {pattern} }} }}"
        for row in store.query(sparql, union_default_graph=False):  # type: ignore[union-attr]
            yield (graph if graph is not None else row["g"].value), row["s"].value, row["o"]

    def by_subject(predicate: str) -> dict[tuple[str, str], ox.NamedNode | ox.Literal]:
        out: dict[tuple[str, str], ox.NamedNode | ox.Literal] = {}
        for g, s, o in select(f"?s <{predicate}> ?o"):
            out.setdefault((g, s), o)
        return out

    values = " ".join(f"<{cls}>" for cls in KINDS)
    kinds = {(g, s): KINDS[o.value] for g, s, o in select(f"VALUES ?o {{ {values} }} ?s a ?o")}
    if not kinds:
        return
    part_of = by_subject(f"{_ELI}is_part_of")
    numbers = by_subject(f"{_UNKG}number")
    markers = by_subject(f"{_UNKG}marker")
    symbols = by_subject(f"{_UNKG}symbol")
    sessions = by_subject(f"{_UNKG}session")
    for g, s, text in select(f"?s <{_UNKG}text> ?o"):
        key = (g, s)
        kind, doc = kinds.get(key), part_of.get(key)
        if kind is None or doc is None or not isinstance(text, ox.Literal):
            continue
        number = numbers.get(key) or markers.get(key)
        symbol = symbols.get((g, doc.value))
        session = sessions.get((g, doc.value))
        yield Passage(graph=g, iri=s, symbol=symbol.value if symbol is not None else "",
                      kind=kind, number=number.value if number is not None else "",
                      session=session.value if session is not None else None, text=text.value)


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SOURCE_RECORD = f"{_UNKG}SourceRecord"
_ONE_VALUE = {f"{_ELI}is_part_of": "part_of", f"{_UNKG}number": "number", f"{_UNKG}marker": "marker",
              f"{_UNKG}symbol": "symbol", f"{_UNKG}session": "session",
              f"{_UNKG}sourceChecksum": "checksum", f"{_UNKG}parserVersion": "version",
              f"{_PROV}generatedAtTime": "time"}


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_probe: ox.Store | None = None


@lru_cache(maxsize=4096)
def stored_value(lexical: str, datatype: str) -> str:
    """The lexical form the store gives back for a typed literal: Oxigraph keeps typed values
    (dates, numbers) in canonical form, so "...+00:00" comes back as "...Z"."""
    global _probe
    if _probe is None:
        _probe = ox.Store()  # in memory: asking the store itself is the only exact answer
    quad = ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"),
                   ox.Literal(lexical, datatype=ox.NamedNode(datatype)))
    _probe.add(quad)
    value = next(iter(_probe)).object.value
    _probe.clear()
    return value


ROW_PREDICATES = frozenset({_RDF_TYPE, f"{_UNKG}text", *_ONE_VALUE})
"""The only predicates `rows_of_triples` looks at: callers may leave out every other triple."""


def rows_of_triples(graph: str, triples: Iterable[tuple[str, str, str, str | None]]
                    ) -> tuple[list[Passage], str] | None:
    """What `read_passages` and the fingerprint would read back from `graph` once these triples
    are written: so the loader can index a document without reading it again from the store.

    Each triple is (subject, predicate, object value, object kind): the kind is None for an IRI,
    "" for a plain or language-tagged literal, else the literal's datatype IRI. None when the answer could depend on the store's order of results (a
    subject with two values of one property, or two indexed kinds): then the caller re-reads.
    """
    values: dict[tuple[str, str], str] = {}
    kinds: dict[str, str] = {}
    texts: list[tuple[str, str]] = []
    source_record = False
    for s, p, o, literal in dict.fromkeys(triples):  # the store holds each triple once
        if p == _RDF_TYPE:
            if o in KINDS:
                if s in kinds and kinds[s] != KINDS[o]:
                    return None
                kinds[s] = KINDS[o]
            elif o == _SOURCE_RECORD and s == graph:
                source_record = True
        elif p == f"{_UNKG}text":
            if literal is not None:
                texts.append((s, o if not literal or literal == _XSD_STRING else stored_value(o, literal)))
        else:
            key = _ONE_VALUE.get(p)
            if key is not None:
                if literal and literal != _XSD_STRING:
                    o = stored_value(o, literal)
                if values.setdefault((s, key), o) != o:
                    return None
    rows: list[Passage] = []
    for s, text in texts:
        kind, doc = kinds.get(s), values.get((s, "part_of"))
        if kind is None or doc is None:
            continue
        number = values.get((s, "number"), values.get((s, "marker"), ""))
        rows.append(Passage(graph=graph, iri=s, symbol=values.get((doc, "symbol"), ""), kind=kind,
                            number=number, session=values.get((doc, "session")), text=text))
    checksum, version = values.get((graph, "checksum")), values.get((graph, "version"))
    if source_record and checksum is not None and version is not None:
        fingerprint = f"source:{checksum}|{version}|{values.get((graph, 'time'), '')}"
    else:
        fingerprint = _rows_hash(rows)
    return rows, fingerprint


_ROWS_PER_INSERT = 128
"""Passages per INSERT statement: 896 parameters, under the 999 of SQLite's oldest default limit."""


def _insert_passages(con: sqlite3.Connection, rows: list[Passage]) -> None:
    """Insert passages in order (so they get the same ids), many rows per statement.

    Not `executemany`: each INSERT fires the trigger that writes the FTS5 table, so each opens a
    statement savepoint, and FTS5 writes its pending terms to disk at every savepoint; one row per
    statement wrote one tiny index segment per row, to be merged again and again, which was most
    of the loading process's time in SQLite.
    """
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        chunk = rows[start:start + _ROWS_PER_INSERT]
        con.execute("INSERT INTO passage(graph, iri, symbol, kind, number, session, text) VALUES "
                    + ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(chunk)),
                    [v for p in chunk for v in (p.graph, p.iri, p.symbol, p.kind, p.number, p.session,
                                                 p.text)])


def _rows_hash(passages: Iterable[Passage]) -> str:
    h = hashlib.sha256()
    for p in sorted(passages, key=lambda p: (p.iri, p.text, p.kind, p.number, p.symbol, p.session or "")):
        for part in (p.iri, p.text, p.kind, p.number, p.symbol, p.session or ""):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
    return "rows:" + h.hexdigest()


def _provenance_fingerprints(store: EmbeddedStore, graph: str | None = None) -> dict[str, str]:
    sparql = _FINGERPRINTS.replace("{graph}", _graph_term(graph))
    out: dict[str, str] = {}
    for row in store.query(sparql, union_default_graph=False):  # type: ignore[union-attr]
        t = row["t"].value if row["t"] is not None else ""
        out[row["g"].value] = f"source:{row['c'].value}|{row['v'].value}|{t}"
    return out


# ---- the index -----------------------------------------------------------------------------------

class FulltextIndex:
    """The SQLite FTS5 index of one store (`STORE/fulltext.sqlite`)."""

    def __init__(self, path: str | Path):
        require_fts5()
        self.path = Path(path)
        self._con = self._connect(self.path)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(str(path), isolation_level=None, timeout=30)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.executescript(_SCHEMA + _TRIGGERS)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open full-text index {path}: {exc}; `unkg index --rebuild` "
                             "recreates it from the store") from exc
        return con

    @classmethod
    def for_store(cls, store: EmbeddedStore) -> FulltextIndex:
        return cls(index_path(store.path))

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> FulltextIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- state ------------------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self._con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @property
    def complete(self) -> bool:
        """True once the index was built from the whole store (and is of this schema version)."""
        return self._meta("complete") == "1" and self._meta("schema") == SCHEMA_VERSION

    def mark_complete(self) -> None:
        with self._transaction():
            self._con.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                                  [("schema", SCHEMA_VERSION), ("complete", "1")])

    def dirty_graphs(self) -> list[str]:
        return [r[0] for r in self._con.execute("SELECT graph FROM graph_state WHERE dirty = 1 ORDER BY graph")]

    def counts(self) -> dict[str, int]:
        graphs = self._con.execute("SELECT COUNT(*) FROM graph_state").fetchone()[0]
        passages = self._con.execute("SELECT COUNT(*) FROM passage").fetchone()[0]
        return {"graphs": int(graphs), "passages": int(passages), "dirty": len(self.dirty_graphs())}

    def passages(self, graph: str | None = None) -> list[Passage]:
        """Indexed rows (of one graph, or all), for checks and tests."""
        sql = "SELECT graph, iri, symbol, kind, number, session, text FROM passage"
        rows = self._con.execute(sql + (" WHERE graph = ?" if graph else ""), (graph,) if graph else ())
        return [Passage(*r) for r in rows]

    class _Tx:
        def __init__(self, con: sqlite3.Connection):
            self.con = con

        def __enter__(self) -> sqlite3.Connection:
            self.con.execute("BEGIN IMMEDIATE")
            return self.con

        def __exit__(self, t: object, e: object, tb: object) -> None:
            self.con.execute("COMMIT" if t is None else "ROLLBACK")

    def _transaction(self) -> FulltextIndex._Tx:
        return FulltextIndex._Tx(self._con)

    # -- keeping in step ----------------------------------------------------------------------------

    def mark_dirty(self, graphs: Iterable[str]) -> None:
        """Step 1 of a store write: record (durably) that these graphs are about to change."""
        with self._transaction() as con:
            con.executemany("INSERT INTO graph_state(graph, dirty) VALUES (?, 1) "
                            "ON CONFLICT(graph) DO UPDATE SET dirty = 1", [(g,) for g in graphs])

    def sync_graphs(self, store: EmbeddedStore, graphs: Iterable[str],
                    known: dict[str, tuple[list[Passage], str]] | None = None) -> None:
        """Step 3: re-read these graphs from the store, replace their rows, clear their marks.

        `known` gives the rows and fingerprint of graphs just written (`rows_of_triples`), which
        then need not be read back.
        """
        updates: list[tuple[str, list[Passage], str | None]] = []
        for g in graphs:
            if known and g in known:
                rows, fp = known[g]
                updates.append((g, rows, fp))
                continue
            if not store.query(f"ASK {{ GRAPH {ox.NamedNode(g)} {{ ?s ?p ?o }} }}", union_default_graph=False):
                updates.append((g, [], None))
                continue
            rows = list(read_passages(store, g))
            fp = _provenance_fingerprints(store, g).get(g) or _rows_hash(rows)
            updates.append((g, rows, fp))
        self._write(updates)

    def _write(self, updates: list[tuple[str, list[Passage], str | None]]) -> None:
        with self._transaction() as con:
            for graph, rows, fp in updates:
                con.execute("DELETE FROM passage WHERE graph = ?", (graph,))
                if fp is None:  # the graph is gone from the store
                    con.execute("DELETE FROM graph_state WHERE graph = ?", (graph,))
                    continue
                _insert_passages(con, rows)
                con.execute("INSERT INTO graph_state(graph, fingerprint, dirty) VALUES (?, ?, 0) "
                            "ON CONFLICT(graph) DO UPDATE SET fingerprint = excluded.fingerprint, dirty = 0",
                            (graph, fp))

    def store_fingerprints(self, store: EmbeddedStore) -> dict[str, str]:
        """Every named graph of the store with its fingerprint (provenance, else a hash of its rows)."""
        fps = _provenance_fingerprints(store)
        for g in store.named_graphs():
            if g not in fps:
                fps[g] = _rows_hash(read_passages(store, g))
        return fps

    def refresh(self, store: EmbeddedStore, *, full: bool = False) -> RefreshReport:
        """Bring the index in step with the store: rebuild it when incomplete, re-read the graphs
        marked dirty and, when `full`, every graph that is new, changed (fingerprint) or gone.

        The quick form (dirty marks only) covers every write made through unkg and costs nothing
        at any size; the full form reads every graph's provenance, which takes seconds at 30,000
        documents, and is for writes made around unkg (`unkg index` runs it).
        """
        if not self.complete:
            self.rebuild(store)
            return RefreshReport(rebuilt=True)
        report = RefreshReport()
        if not full:
            report.synced = self.dirty_graphs()
            if report.synced:
                self.sync_graphs(store, report.synced)
            return report
        fps = self.store_fingerprints(store)
        state = {g: (fp, dirty) for g, fp, dirty in
                 self._con.execute("SELECT graph, fingerprint, dirty FROM graph_state")}
        report.synced = sorted(g for g, fp in fps.items()
                               if g not in state or state[g][1] or state[g][0] != fp)
        report.removed = sorted(g for g in state if g not in fps)
        if report.synced or report.removed:
            self.sync_graphs(store, report.synced + report.removed)
        return report

    def rebuild(self, store: EmbeddedStore) -> None:
        """Build the whole index from the store into a new file that replaces this one when done."""
        tmp = self.path.with_name(self.path.name + ".rebuild")
        for stale in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            stale.unlink(missing_ok=True)
        con = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            con.executescript(_SCHEMA)  # triggers after the bulk insert: one FTS 'rebuild' is faster
            con.execute("BEGIN")
            by_graph: dict[str, list[Passage]] = {}
            for p in read_passages(store):
                by_graph.setdefault(p.graph, []).append(p)
            con.executemany(
                "INSERT INTO passage(graph, iri, symbol, kind, number, session, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(p.graph, p.iri, p.symbol, p.kind, p.number, p.session, p.text)
                 for rows in by_graph.values() for p in rows])
            fps = _provenance_fingerprints(store)
            con.executemany("INSERT INTO graph_state(graph, fingerprint, dirty) VALUES (?, ?, 0)",
                            [(g, fps.get(g) or _rows_hash(by_graph.get(g, [])))
                             for g in store.named_graphs()])
            con.execute("INSERT INTO passage_fts(passage_fts) VALUES ('rebuild')")
            con.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                            [("schema", SCHEMA_VERSION), ("complete", "1")])
            con.execute("COMMIT")
            con.executescript(_TRIGGERS)
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            raise
        con.close()
        self._con.close()
        for side in ("-wal", "-shm"):
            self.path.with_name(self.path.name + side).unlink(missing_ok=True)
        os.replace(tmp, self.path)
        self._con = self._connect(self.path)

    def verify(self, store: EmbeddedStore) -> list[str]:
        """Differences between the index and the store's text, passage by passage (empty: in step)."""
        want = {(p.graph, p.iri, p.text): p for p in read_passages(store)}
        have = {(p.graph, p.iri, p.text): p for p in self.passages()}
        out = [f"missing from the index: {k[1]} ({k[0]})" for k in sorted(want.keys() - have.keys())]
        out += [f"not in the store: {k[1]} ({k[0]})" for k in sorted(have.keys() - want.keys())]
        out += [f"differs: {k[1]}: {have[k]} != {want[k]}" for k in sorted(want.keys() & have.keys())
                if have[k] != want[k]]
        dirty = self.dirty_graphs()
        if dirty:
            out.append(f"{len(dirty)} graph(s) marked dirty: {', '.join(dirty[:5])}")
        return out

    # -- searching --------------------------------------------------------------------------------

    def search(self, expression: str, *, session: str | None = None, kinds: Iterable[str] = (),
               limit: int | None = 20, marks: tuple[str, str] = ("**", "**"),
               snippet_tokens: int = 16) -> list[Hit]:
        """Passages matching an FTS5 expression, best (bm25) first; ties in symbol and IRI order.

        `session` is a session IRI; `kinds` limits to preambular, operative, footnote, annex.
        """
        if not expression.strip():
            raise QueryError("empty full-text search expression")
        kinds = list(kinds)
        unknown = [k for k in kinds if k not in KINDS.values()]
        if unknown:
            raise QueryError(f"unknown passage kind {unknown[0]!r}; use {', '.join(KINDS.values())}")
        where, args = ["passage_fts MATCH ?"], [expression]
        if session is not None:
            where.append("p.session = ?")
            args.append(session)
        if kinds:
            where.append(f"p.kind IN ({', '.join('?' * len(kinds))})")
            args.extend(kinds)
        sql = (f"SELECT p.symbol, p.iri, p.kind, p.number, "
               f"snippet(passage_fts, 0, ?, ?, '…', ?), bm25(passage_fts) AS score "
               f"FROM passage_fts JOIN passage p ON p.id = passage_fts.rowid "
               f"WHERE {' AND '.join(where)} ORDER BY score, p.symbol, p.iri")
        params: list[object] = [marks[0], marks[1], int(snippet_tokens), *args]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        try:
            rows = self._con.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise QueryError(f"invalid full-text search {expression!r}: {exc} (FTS5 syntax: words, "
                             '"phrases", AND, OR, NOT, NEAR(a b, 5), prefix*, parentheses)') from exc
        return [Hit(r[0], r[1], r[2], r[3], r[4], float(r[5])) for r in rows]


# ---- for the store and the CLI -------------------------------------------------------------------

def open_index(store: EmbeddedStore, *, refresh: bool = True,
               full: bool = False) -> tuple[FulltextIndex, RefreshReport]:
    """The store's index (one per open store), created or brought in step with the store
    (`full`: also compare every graph's fingerprint, see `FulltextIndex.refresh`)."""
    if store.read_only:
        raise StoreError("the full-text index is kept by the process that owns the store; open it "
                         "writable (no other unkg process running)")
    index = store.fulltext_index
    if index is None:
        require_fts5()
        try:
            index = FulltextIndex.for_store(store)
        except StoreError as exc:  # not a database (any more): derived data, so start again
            log.warning("%s; rebuilding it from the store", exc)
            _discard(store)
            index = FulltextIndex.for_store(store)
        store.fulltext_index = index
    try:
        report = index.refresh(store, full=full) if refresh else RefreshReport()
    except sqlite3.Error as exc:
        raise StoreError(f"full-text index {index.path} cannot be brought in step with the store: "
                         f"{exc}; remove it (it is rebuilt from the store) or run "
                         "`unkg index --rebuild`") from exc
    return index, report


def rebuild_index(store: EmbeddedStore) -> FulltextIndex:
    """Build the store's index again from the whole store."""
    index, _ = open_index(store, refresh=False)
    try:
        index.rebuild(store)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot rebuild the full-text index {index.path}: {exc}") from exc
    return index


def search(store: EmbeddedStore, expression: str, *, session: str | None = None,
           kinds: Iterable[str] = (), limit: int | None = 20) -> list[Hit]:
    """Search the store's paragraphs, footnotes and annexes (refreshing the index first)."""
    index, _ = open_index(store)
    return index.search(expression, session=session, kinds=kinds, limit=limit)


def resolver(store: EmbeddedStore) -> Callable[[str], list[str]]:
    """For `queries.bind_params`: an FTS5 expression -> IRIs of every matching passage."""
    def resolve(expression: str) -> list[str]:
        return list(dict.fromkeys(h.iri for h in search(store, expression, limit=None)))

    return resolve


def hits_result(hits: list[Hit]) -> QueryResult:
    """Hits as a SELECT result (symbol, paragraph, kind, number, snippet, score) for the result formats."""
    from .queries import QueryResult

    xsd_double = ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
    rows = [{"symbol": ox.Literal(h.symbol), "paragraph": ox.NamedNode(h.iri), "kind": ox.Literal(h.kind),
             "number": ox.Literal(h.number), "snippet": ox.Literal(h.snippet),
             "score": ox.Literal(repr(round(h.score, 6)), datatype=xsd_double)} for h in hits]
    return QueryResult("SELECT", ["symbol", "paragraph", "kind", "number", "snippet", "score"], rows)


# The store's side of the journal: `before_write` and `after_write` bracket each write of named
# graphs. They maintain an existing index, or create one for an empty store; for a store that has
# data but no index they do nothing (the first search builds the index from the whole store).

def _writer_index(store: EmbeddedStore) -> FulltextIndex | None:
    if store.fulltext_index is not None or store.fulltext_checked:
        return store.fulltext_index
    store.fulltext_checked = True
    path = index_path(store.path)
    existed = path.exists()
    if not fts5_available() or not (existed or not store.named_graphs()):
        return None
    try:
        store.fulltext_index = FulltextIndex(path)
        if not existed:  # an empty store: the new, empty index is complete
            store.fulltext_index.mark_complete()
    except (StoreError, sqlite3.Error) as exc:
        log.warning("%s; it will be rebuilt from the store", exc)
        _discard(store)
    return store.fulltext_index


def before_write(store: EmbeddedStore, graphs: list[str]) -> None:
    """Step 1: mark the graphs dirty. An index that cannot be marked is removed (to be rebuilt
    rather than trusted); if it cannot be removed either, StoreError stops the write."""
    index = _writer_index(store)
    if index is None:
        return
    try:
        index.mark_dirty(graphs)
    except sqlite3.Error as exc:
        log.warning("full-text index %s cannot be updated (%s); removing it, the next search "
                    "rebuilds it", index.path, exc)
        _discard(store)


def after_write(store: EmbeddedStore, graphs: list[str]) -> None:
    """Step 3: bring the graphs into the index (on failure they stay dirty): the rows the store
    noted for a write that succeeded (`EmbeddedStore.written_rows`), else re-read from the store."""
    known = {g: store.written_rows.pop(g) for g in graphs if g in store.written_rows}
    index = store.fulltext_index
    if index is None:
        return
    try:
        index.sync_graphs(store, graphs, known)
    except (sqlite3.Error, OSError, StoreError) as exc:
        log.warning("full-text index %s not updated (%s); the next search brings it in step",
                    index.path, exc)


def _discard(store: EmbeddedStore) -> None:
    path = index_path(store.path)
    if store.fulltext_index is not None:
        try:
            store.fulltext_index.close()
        except sqlite3.Error:
            pass
    store.fulltext_index = None
    try:
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            p.unlink(missing_ok=True)
    except OSError as exc:
        raise StoreError(f"full-text index {path} can neither be updated nor removed ({exc}); "
                         "the store was not written; remove the file and retry") from exc
