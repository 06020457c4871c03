"""Validation results cached per named graph, in a small SQLite file inside the store directory.

A graph's entry holds the key of the graph's content when it was checked (source checksum, parser
version and load time, see `validation.graph_keys`) and its results. The whole cache belongs to
one shapes fingerprint (our shapes, the user's, the base IRI, the engine version and the data's
subclass closure): a different fingerprint empties it. Each save is one SQLite transaction, so
an interrupted run leaves the previous cache intact.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .validation import ValidationResult

CACHE_FILE = "unkg-validation-cache.sqlite"

_FIELDS = ("severity", "focus", "path", "value", "message", "shape", "constraint", "value_term")


class ResultCache:
    def __init__(self, store_dir: str | Path):
        self.path = Path(store_dir) / CACHE_FILE

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30)
        con.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
        con.execute("CREATE TABLE IF NOT EXISTS graphs (graph TEXT PRIMARY KEY, key TEXT NOT NULL, "
                    "results TEXT NOT NULL)")
        return con

    def load(self, fingerprint: str) -> dict[str, tuple[str, list[ValidationResult]]]:
        """graph -> (content key, results), or nothing if the cache was made for other shapes."""
        from .validation import ValidationResult

        if not self.path.exists():
            return {}
        try:
            con = self._connect()
        except sqlite3.DatabaseError:
            return {}  # unreadable cache: check everything again, save() rewrites it
        try:
            row = con.execute("SELECT v FROM meta WHERE k = 'fingerprint'").fetchone()
            if row is None or row[0] != fingerprint:
                return {}
            out: dict[str, tuple[str, list[ValidationResult]]] = {}
            for graph, key, results in con.execute("SELECT graph, key, results FROM graphs"):
                out[graph] = (key, [ValidationResult(**dict(zip(_FIELDS, r))) for r in json.loads(results)])
            return out
        except (sqlite3.DatabaseError, ValueError, TypeError):
            return {}
        finally:
            con.close()

    def save(self, fingerprint: str, entries: dict[str, tuple[str, list[ValidationResult]]],
             keep: set[str]) -> None:
        """Store the entries of the graphs just checked; drop graphs no longer in the store."""
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
                    con.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
                con.executemany(
                    "INSERT OR REPLACE INTO graphs VALUES (?, ?, ?)",
                    [(g, key, json.dumps([[getattr(r, f) for f in _FIELDS] for r in rs]))
                     for g, (key, rs) in entries.items()])
                stale = [(g,) for (g,) in con.execute("SELECT graph FROM graphs") if g not in keep]
                con.executemany("DELETE FROM graphs WHERE graph = ?", stale)
        finally:
            con.close()
