"""The store's change journal: which named graphs were written, in order, without reading the store.

`EmbeddedStore` records the graphs it is about to write (replace, insert, drop) *before* the
write, each under a new sequence number, in `STORE/unkg-changes.sqlite`. A reader that remembers
the journal's position can later ask which graphs were written since: `unkg validate` uses it to
find the changed documents among 30,000 without reading 30,000 provenance records. A crash
between the record and the write leaves a graph recorded but unchanged: readers check it again,
which costs a little and is never wrong. Each journal has an epoch (made when it is created): a
missing or recreated journal tells readers to look at the whole store. Writes that bypass unkg
(pyoxigraph or the oxigraph CLI on the store directory) are not recorded: validate with
`--no-cache` after those.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

JOURNAL_FILE = "unkg-changes.sqlite"


@dataclass(frozen=True)
class Position:
    """Where a journal stands: its epoch and the last sequence number given."""

    epoch: str
    seq: int

    def __str__(self) -> str:
        return f"{self.epoch}:{self.seq}"

    @classmethod
    def parse(cls, text: str) -> Position | None:
        epoch, _, seq = text.rpartition(":")
        return cls(epoch, int(seq)) if epoch and seq.isdigit() else None


def _connect(store_dir: Path, create: bool) -> sqlite3.Connection | None:
    path = store_dir / JOURNAL_FILE
    if not create and not path.exists():
        return None
    con = sqlite3.connect(path, timeout=30)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
    con.execute("CREATE TABLE IF NOT EXISTS changes (graph TEXT PRIMARY KEY, seq INTEGER NOT NULL)")
    con.execute("CREATE INDEX IF NOT EXISTS changes_seq ON changes (seq)")
    with con:
        con.execute("INSERT OR IGNORE INTO meta VALUES ('epoch', ?)", (uuid.uuid4().hex,))
        con.execute("INSERT OR IGNORE INTO meta VALUES ('seq', '0')")
    return con


def record(store_dir: str | Path, graphs: Iterable[str]) -> None:
    """Note that these graphs are about to be written (call before the write, in one transaction)."""
    names = sorted(set(graphs))
    if not names:
        return
    con = _connect(Path(store_dir), create=True)
    assert con is not None
    try:
        with con:
            (seq,) = con.execute("SELECT CAST(v AS INTEGER) + 1 FROM meta WHERE k = 'seq'").fetchone()
            con.execute("UPDATE meta SET v = ? WHERE k = 'seq'", (str(seq),))
            con.executemany("INSERT INTO changes VALUES (?, ?) ON CONFLICT (graph) DO UPDATE SET seq = excluded.seq",
                            [(g, seq) for g in names])
    finally:
        con.close()


def position(store_dir: str | Path) -> Position | None:
    """The journal's position now, or None if the store has no journal."""
    con = _connect(Path(store_dir), create=False)
    if con is None:
        return None
    try:
        rows = dict(con.execute("SELECT k, v FROM meta"))
        return Position(rows["epoch"], int(rows["seq"]))
    except (sqlite3.DatabaseError, KeyError, ValueError):
        return None
    finally:
        con.close()


def written_since(store_dir: str | Path, since: Position) -> list[str] | None:
    """The graphs written after `since` (sorted), or None if the journal cannot say (another epoch,
    no journal, unreadable): then the reader must look at every graph."""
    try:
        con = _connect(Path(store_dir), create=False)
    except sqlite3.DatabaseError:
        return None
    if con is None:
        return None
    try:
        row = con.execute("SELECT v FROM meta WHERE k = 'epoch'").fetchone()
        if row is None or row[0] != since.epoch:
            return None
        return [g for (g,) in con.execute("SELECT graph FROM changes WHERE seq > ? ORDER BY graph", (since.seq,))]
    except sqlite3.DatabaseError:
        return None
    finally:
        con.close()
