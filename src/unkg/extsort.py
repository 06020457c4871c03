"""Sorting more lines than memory holds: sorted runs written to disk, then merged lazily.

Exports and dumps of a whole store are written in canonical (sorted) order. At 30,000
resolutions that is ten million lines, several gigabytes as Python strings; sorting runs of a
bounded size and merging them keeps the memory of a writer flat whatever the size of the store.
"""

from __future__ import annotations

import heapq
import os
import tempfile
from typing import IO, Iterable, Iterator, Sequence

RUN_LINES = 250_000  # lines sorted in memory at a time (about 100 MB of N-Quads lines)


def sorted_lines(lines: Iterable[str], *, unique: bool = False, run_lines: int | None = None,
                 tmpdir: str | None = None, presorted: Sequence[str] = ()) -> Iterator[str]:
    """`lines` (each without a newline) in code point order; with `unique`, each line once.

    Input that fits in one run is sorted in memory; otherwise runs go to a temporary directory
    (`tmpdir`, else the system's) that is removed when the iterator ends or is closed.
    `presorted` names run files written by `write_run` elsewhere (another process): their lines
    are merged in (the files are the caller's to remove).
    """
    limit = run_lines or RUN_LINES
    batch: list[str] = []
    runs: list[IO[str]] = [open(path, encoding="utf-8", newline="\n") for path in presorted]
    own = len(runs)  # run files of this call are numbered from here
    workdir: tempfile.TemporaryDirectory[str] | None = None
    try:
        for line in lines:
            batch.append(line)
            if len(batch) >= limit:
                if workdir is None:
                    workdir = tempfile.TemporaryDirectory(prefix="unkg-sort-", dir=tmpdir)
                runs.append(_write_run(batch, workdir.name, len(runs) - own, unique))
                batch = []
        if not runs:
            merged: Iterable[str] = _sort(batch, unique)
        else:
            if batch:  # the last batch is merged from memory
                runs_read = [_read_run(run) for run in runs] + [iter(_sort(batch, unique))]
            else:
                runs_read = [_read_run(run) for run in runs]
            del batch
            merged = heapq.merge(*runs_read)
        if not unique:
            yield from merged
            return
        previous: str | None = None
        for line in merged:
            if line == previous:
                continue
            previous = line
            yield line
    finally:
        for run in runs:
            run.close()
        if workdir is not None:
            workdir.cleanup()


def _sort(batch: list[str], unique: bool) -> list[str]:
    if unique:
        return sorted(set(batch))
    batch.sort()
    return batch


def _write_run(batch: list[str], directory: str, number: int, unique: bool) -> IO[str]:
    path = os.path.join(directory, f"run-{number:05d}")
    write_run(batch, path, unique)
    return open(path, encoding="utf-8", newline="\n")


def write_run(lines: list[str], path: str, unique: bool = False) -> None:
    """Sort `lines` (in place, unless `unique`) and write them to `path`: a run that
    `sorted_lines` merges (its own, or given as `presorted=`)."""
    ordered = _sort(lines, unique)
    # newline="\n": only "\n" ends a line (a literal's U+2028 or a form feed must not)
    with open(path, "w", encoding="utf-8", newline="\n") as run:
        run.write("\n".join(ordered))
        if ordered:
            run.write("\n")


def _read_run(run: IO[str]) -> Iterator[str]:
    for line in run:
        yield line[:-1]
