"""Validation results cached per named graph, in a small SQLite file inside the store directory.

A graph's entry holds the key of the graph's content when it was checked (source checksum, parser
version and load time, see `validation.graph_keys`), its results, and its footprint: for each
incremental cross-document check, the nodes (or values) of the graph whose results that check
would have to recompute if the graph changed. Cross-document results are kept by check and by
node, so that a re-run recomputes only the nodes the changed graphs touch (before and after the
change). The whole cache belongs to one shapes fingerprint (our shapes, the user's, the base
IRI, the engine version and the data's subclass closure): a different fingerprint empties it.
Each save is one SQLite transaction, so an interrupted run leaves the previous cache intact.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .validation import ValidationResult

CACHE_FILE = "unkg-validation-cache.sqlite"
SCHEMA = "3"

_FIELDS = ("severity", "focus", "path", "value", "message", "shape", "constraint", "value_term")

# one cross-document result and the graph it is attributed to (None: not known)
Owned = tuple["str | None", "ValidationResult"]


@dataclass
class CachedState:
    """What a previous run left: per graph (key, results), per cross check (node -> results)."""

    graphs: dict[str, tuple[str, list[ValidationResult]]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # graph -> its source file
    position: str | None = None  # where the store's change journal stood when the run began
    cross: dict[str, dict[str, list[Owned]]] = field(default_factory=dict)
    complete: set[str] = field(default_factory=set)  # the checks whose `cross` entries are whole


@dataclass
class CrossUpdate:
    """New results of one cross-document check: all of them (`nodes` None) or for some nodes."""

    rows: dict[str, list[Owned]]
    nodes: set[str] | None = None


def _encode(rs: list[ValidationResult]) -> str:
    return json.dumps([[getattr(r, f) for f in _FIELDS] for r in rs])


def _result(r: list[str | None]) -> ValidationResult:
    from .validation import ValidationResult

    severity, focus, path, value, message, shape, constraint, value_term = r
    return ValidationResult(severity or "", focus or "", path, value, message or "", shape, constraint,
                            value_term=value_term)


def _decode(text: str) -> list[ValidationResult]:
    if text == "[]":  # most graphs
        return []
    return [_result(r) for r in json.loads(text)]


class ResultCache:
    def __init__(self, store_dir: str | Path):
        self.path = Path(store_dir) / CACHE_FILE

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30)
        con.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
        row = con.execute("SELECT v FROM meta WHERE k = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA:  # a cache written by another version: start again
            with con:
                con.execute("DROP TABLE IF EXISTS graphs")
                con.execute("DROP TABLE IF EXISTS cross_results")
                con.execute("DELETE FROM meta")
                con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
        con.execute("CREATE TABLE IF NOT EXISTS graphs (graph TEXT PRIMARY KEY, key TEXT NOT NULL, "
                    "source TEXT NOT NULL, results TEXT NOT NULL, footprint TEXT NOT NULL)")
        con.execute("CREATE TABLE IF NOT EXISTS cross_results (unit TEXT NOT NULL, node TEXT NOT NULL, "
                    "results TEXT NOT NULL, PRIMARY KEY (unit, node))")
        return con

    def load(self, fingerprint: str) -> CachedState:
        """The previous run's state, or an empty one if the cache was made for other shapes."""
        if not self.path.exists():
            return CachedState()
        try:
            con = self._connect()
        except sqlite3.DatabaseError:
            return CachedState()  # unreadable cache: check everything again, save() rewrites it
        try:
            row = con.execute("SELECT v FROM meta WHERE k = 'fingerprint'").fetchone()
            if row is None or row[0] != fingerprint:
                return CachedState()
            state = CachedState()
            for graph, key, source, results in con.execute("SELECT graph, key, source, results FROM graphs"):
                state.graphs[graph] = (key, _decode(results))
                state.sources[graph] = source
            row = con.execute("SELECT v FROM meta WHERE k = 'position'").fetchone()
            state.position = row[0] if row is not None else None
            state.complete = {k[len("cross:"):] for (k,) in con.execute(
                "SELECT k FROM meta WHERE k LIKE 'cross:%'")}
            for unit, node, results in con.execute("SELECT unit, node, results FROM cross_results"):
                state.cross.setdefault(unit, {})[node] = [(o, _result(r)) for o, r in json.loads(results)]
            return state
        except (sqlite3.DatabaseError, ValueError, TypeError):
            return CachedState()
        finally:
            con.close()

    def footprints(self, graphs: list[str]) -> dict[str, dict[str, list[str]]]:
        """The footprints saved for these graphs: graph -> check -> nodes."""
        out: dict[str, dict[str, list[str]]] = {}
        if not graphs or not self.path.exists():
            return out
        con = self._connect()
        try:
            for i in range(0, len(graphs), 500):
                chunk = graphs[i:i + 500]
                q = f"SELECT graph, footprint FROM graphs WHERE graph IN ({','.join('?' * len(chunk))})"
                for graph, fp in con.execute(q, chunk):
                    out[graph] = json.loads(fp)
        finally:
            con.close()
        return out

    def save(self, fingerprint: str,
             entries: dict[str, tuple[str, str, list[ValidationResult], dict[str, list[str]]]],
             keep: set[str], cross: dict[str, CrossUpdate] | None = None,
             position: str | None = None) -> None:
        """Store the graphs just checked (key, source, results, footprint), the cross-document
        results and the journal position the run began at; drop graphs no longer in the store."""
        try:
            con = self._connect()
        except sqlite3.DatabaseError:
            self.path.unlink(missing_ok=True)
            con = self._connect()
        try:
            with con:  # one transaction
                row = con.execute("SELECT v FROM meta WHERE k = 'fingerprint'").fetchone()
                if row is None or row[0] != fingerprint:
                    con.execute("DELETE FROM graphs")
                    con.execute("DELETE FROM cross_results")
                    con.execute("DELETE FROM meta WHERE k LIKE 'cross:%'")
                    con.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
                con.executemany(
                    "INSERT OR REPLACE INTO graphs VALUES (?, ?, ?, ?, ?)",
                    [(g, key, source, _encode(rs), json.dumps(fp, sort_keys=True))
                     for g, (key, source, rs, fp) in entries.items()])
                stale = [(g,) for (g,) in con.execute("SELECT graph FROM graphs") if g not in keep]
                con.executemany("DELETE FROM graphs WHERE graph = ?", stale)
                if position is None:
                    con.execute("DELETE FROM meta WHERE k = 'position'")
                else:
                    con.execute("INSERT OR REPLACE INTO meta VALUES ('position', ?)", (position,))
                for unit, update in (cross or {}).items():
                    if update.nodes is None:
                        con.execute("DELETE FROM cross_results WHERE unit = ?", (unit,))
                        con.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", ("cross:" + unit,))
                    else:
                        con.executemany("DELETE FROM cross_results WHERE unit = ? AND node = ?",
                                        [(unit, n) for n in update.nodes])
                    con.executemany(
                        "INSERT OR REPLACE INTO cross_results VALUES (?, ?, ?)",
                        [(unit, node, json.dumps([[o, [getattr(r, f) for f in _FIELDS]] for o, r in owned]))
                         for node, owned in update.rows.items() if owned])
        finally:
            con.close()
