"""Stored answers: the rows of the library's whole-store queries, kept beside the store.

A library query without parameters (resolutions per session, documents referenced but not
loaded, ...) reads every document, 0.1-3 s at 30,000, and its answer changes only when the
store does. So `unkg load` evaluates these queries once after writing, and each answer is kept
in `STORE/unkg-answers.sqlite` with the change journal's position (`unkg.changes`) at the time
and a digest of the query text. `queries.run_local` returns a stored answer only while the
journal still stands at that position and the text is the same; otherwise it evaluates the
query, and keeps the new answer when the store is open for writing. Writes that bypass unkg
are not in the journal: ask with `fresh=True` (`unkg query --fresh`) after those.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import pyoxigraph as ox

from . import changes

if TYPE_CHECKING:
    from .queries import LibraryQuery, QueryResult
    from .store import EmbeddedStore

ANSWERS_FILE = "unkg-answers.sqlite"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def storable(query: LibraryQuery) -> bool:
    """Whether the query's answer is kept: a SELECT of the library (`queries/`) without parameters.

    A query file of the user's is evaluated every time, whatever its name."""
    from .resources import project_dir

    return (not query.params and query.form == "SELECT"
            and query.path.resolve().parent == project_dir("queries").resolve())


def _digest(query: LibraryQuery) -> str:
    return hashlib.sha256(query.text.encode("utf-8")).hexdigest()


def _connect(store_dir: Path, create: bool) -> sqlite3.Connection | None:
    path = store_dir / ANSWERS_FILE
    if not create and not path.exists():
        return None
    con = sqlite3.connect(path, timeout=30)
    if create:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE IF NOT EXISTS answers (name TEXT PRIMARY KEY, digest TEXT NOT NULL, "
                    "position TEXT NOT NULL, seconds REAL NOT NULL, answer TEXT NOT NULL)")
    return con


# An answer is kept column by column: a column whose terms are all IRIs, or all literals of one
# datatype, stores bare strings and one kind for the column; other columns store tagged cells.
# Rebuilding the terms of 16,000 rows then takes a tight loop per column.

def _kind(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return "u"
    if isinstance(term, ox.BlankNode):
        return "b"
    if term.language:
        return "l@" + term.language
    return "d" + term.datatype.value


def _encode(variables: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    kinds: list[str | None] = []
    for v in variables:
        seen = {_kind(row[v]) for row in rows if row.get(v) is not None}
        kinds.append(seen.pop() if len(seen) == 1 else None)
    table = [[None if row.get(v) is None else (row[v].value if k else [_kind(row[v]), row[v].value])
              for v, k in zip(variables, kinds)] for row in rows]
    return {"variables": variables, "kinds": kinds, "rows": table}


def _maker(kind: str) -> Callable[[str], Any]:
    """The constructor of terms of that kind, from their value."""
    if kind == "u":
        return ox.NamedNode
    if kind == "b":
        return ox.BlankNode
    if kind.startswith("l@"):
        return partial(ox.Literal, language=kind[2:])
    if kind == "d" + XSD_STRING:
        return ox.Literal
    return partial(ox.Literal, datatype=ox.NamedNode(kind[1:]))


def _decode(data: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    variables: list[str] = data["variables"]
    table: list[list[Any]] = data["rows"]
    columns: list[list[Any]] = []
    for i, kind in enumerate(data["kinds"]):
        cells = [row[i] for row in table]
        if kind is not None:  # each distinct value made once, then looked up (C loops, no frames)
            make = _maker(kind)
            terms: dict[Any, Any] = {c: make(c) for c in set(cells) if c is not None}
            terms[None] = None
            columns.append(list(map(terms.__getitem__, cells)))
        else:
            columns.append([None if c is None else _maker(c[0])(c[1]) for c in cells])
    if not columns:
        return variables, [{} for _ in table]
    return variables, [dict(zip(variables, values)) for values in zip(*columns)]


def _current(store_dir: str | Path, query: LibraryQuery) -> str | None:
    """The kept answer's text, if the store has not been written since it was kept."""
    if not storable(query):
        return None
    now = changes.position(store_dir)
    if now is None:
        return None
    try:
        con = _connect(Path(store_dir), create=False)
        if con is None:
            return None
        try:
            row = con.execute("SELECT digest, position, answer FROM answers WHERE name = ?",
                              (query.name,)).fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None  # an unreadable file answers nothing; the query is evaluated instead
    if row is None or row[0] != _digest(query) or row[1] != str(now):
        return None
    return str(row[2])


def lookup(store_dir: str | Path, query: LibraryQuery) -> QueryResult | None:
    """The stored answer of `query`, if the store has not been written since it was kept."""
    from .queries import QueryResult

    text = _current(store_dir, query)
    if text is None:
        return None
    try:
        variables, rows = _decode(json.loads(text))
    except (ValueError, KeyError, TypeError, IndexError):
        return None  # written by another version of unkg, or damaged: evaluated instead
    return QueryResult("SELECT", variables, rows)


def keep(store_dir: str | Path, query: LibraryQuery, position: changes.Position,
         result: QueryResult, seconds: float) -> None:
    """Store `result` as the answer of `query` on the store as it stood at `position`.

    `position` must be read before the query was evaluated: a write during the evaluation then
    moves the journal past it, and the answer is never returned.
    """
    answer = json.dumps(_encode(result.variables, result.rows), ensure_ascii=False, separators=(",", ":"))
    row = (query.name, _digest(query), str(position), seconds, answer)
    try:
        _write(Path(store_dir), row)
    except sqlite3.DatabaseError:
        # not a database (damaged, or another file of that name): it only ever held answers that
        # can be evaluated again, so it is replaced
        for suffix in ("", "-wal", "-shm"):
            (Path(store_dir) / (ANSWERS_FILE + suffix)).unlink(missing_ok=True)
        _write(Path(store_dir), row)


def _write(store_dir: Path, row: tuple[str, str, str, float, str]) -> None:
    con = _connect(store_dir, create=True)
    assert con is not None
    try:
        with con:
            con.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                        "digest = excluded.digest, position = excluded.position, "
                        "seconds = excluded.seconds, answer = excluded.answer", row)
    finally:
        con.close()


def last_cost(store_dir: str | Path) -> float | None:
    """Seconds the kept answers took to evaluate when they were kept (None if none is kept)."""
    try:
        con = _connect(Path(store_dir), create=False)
        if con is None:
            return None
        try:
            row = con.execute("SELECT COUNT(*), SUM(seconds) FROM answers").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None
    return float(row[1]) if row and row[0] else None


def refresh(store: EmbeddedStore) -> dict[str, float]:
    """Evaluate every storable library query whose stored answer is out of date, and keep it.

    Returns the seconds each evaluation took (empty when every answer was current).
    """
    from .queries import library, run_local

    took: dict[str, float] = {}
    for name, query in sorted(library().items()):
        if not storable(query) or _current(store.path, query) is not None:
            continue
        t = time.perf_counter()
        run_local(store, query, {}, fresh=True)  # keeps the answer (the store is open for writing)
        took[name] = time.perf_counter() - t
    return took
