"""Crash safety: `unkg load` killed with SIGKILL at random moments leaves every document's graph whole
or absent; the store opens, validates and a re-run finishes the load; two loaders never share a store."""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib.namespace import PROV

from unkg.store import EmbeddedStore

TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
COPIES = 2  # the corpus's modern GA texts, twice over under new numbers: a few hundred texts
SEED = 20261128
LOADED_AT = re.compile(rf'^(<[^>]+> <{re.escape(str(PROV.generatedAtTime))}> )"[^"]*"(.*)$')


def unkg(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "unkg.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


def start_load(store: Path, corpus: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "unkg.cli", "--store", str(store), "load", str(corpus)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def generate(folder: Path) -> dict[str, str]:
    """Renumber each `A-RES-{session}-{n}.txt` to `{n + 1000 k}`, in its header and title prefix.

    Returns file name -> SHA-256 of its bytes."""
    folder.mkdir(parents=True)
    checksums: dict[str, str] = {}
    for k in range(1, COPIES + 1):
        for path in sorted(TEXTS.glob("A-RES-*.txt")):
            m = re.fullmatch(r"A-RES-(\d+)-(\d+)\.txt", path.name)
            if not m:
                continue
            session, number = m.groups()
            new = str(int(number) + 1000 * k)
            text = path.read_text(encoding="utf-8").replace(f"A/RES/{session}/{number}",
                                                           f"A/RES/{session}/{new}")
            text = re.sub(rf"(?<![\d/]){session}/{number}(?!\d)", f"{session}/{new}", text)
            data = text.encode("utf-8")
            name = f"A-RES-{session}-{new}.txt"
            (folder / name).write_bytes(data)
            checksums[name] = hashlib.sha256(data).hexdigest()
    return checksums


def graphs_of(store: Path) -> dict[str, set[str]]:
    """Each named graph's N-Triples lines, the load time blanked (it is the one thing that differs)."""
    with EmbeddedStore(store, create=False) as st:
        return {g: {LOADED_AT.sub(r'\1"*"\2', ln) for ln in st.nquads_lines(g)} for g in st.named_graphs()}


def provenance(store: Path) -> dict[str, dict[str, str]]:
    with EmbeddedStore(store, create=False) as st:
        return st.source_records()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict[str, set[str]], float]:
    """The generated corpus, its checksums, the graphs of a clean load, and how long that load took."""
    root = tmp_path_factory.mktemp("crash")
    checksums = generate(root / "texts")
    start = time.monotonic()
    done = unkg("--store", str(root / "reference"), "load", str(root / "texts"))
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    reference = graphs_of(root / "reference")
    assert len(reference) == len(checksums) > 200  # every renumbered text is a document of its own
    return root / "texts", checksums, reference, elapsed


def check_whole_or_absent(store: Path, checksums: dict[str, str], reference: dict[str, set[str]]) -> int:
    """Every graph in the store equals the clean load's; provenance agrees. Returns graphs present."""
    present = graphs_of(store)
    for graph, lines in present.items():
        assert graph in reference, f"unexpected graph {graph}"
        missing, added = reference[graph] - lines, lines - reference[graph]
        assert not missing and not added, (graph, sorted(missing)[:5], sorted(added)[:5])
    records = provenance(store)
    assert set(records) == set(present), "a graph without its provenance record, or the reverse"
    for graph, rec in records.items():
        assert checksums[rec["source"]] == rec["checksum"], graph
    return len(present)


def test_sigkill_at_random_moments_loses_nothing(corpus: tuple[Path, dict[str, str], dict[str, set[str]], float],
                                                 tmp_path: Path) -> None:
    texts, checksums, reference, clean_seconds = corpus
    store = tmp_path / "store"
    rng = random.Random(SEED)
    counts: list[int] = []
    validated = False
    present = 0
    for attempt in range(8):
        proc = start_load(store, texts)
        # a random moment of what is left to load (each run skips the documents already stored);
        # early ones until a partial store has been validated, so that validating it stays quick
        left = (len(reference) - present) / len(reference)
        share = rng.uniform(0.25, 0.55) if not validated else rng.uniform(0.2, 0.7)
        time.sleep(0.3 + share * clean_seconds * left)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        if proc.returncode == 0:
            break  # this one finished before the signal: nothing more to interrupt
        assert proc.returncode == -signal.SIGKILL, proc.returncode
        if not (store / "CURRENT").exists():
            counts.append(0)  # killed before the store was created
            continue
        present = check_whole_or_absent(store, checksums, reference)
        counts.append(present)
        print(f"kill {attempt}: {present} of {len(reference)} documents stored")
        if not validated and 0 < present < len(reference):  # validate once, while partly full
            report = unkg("--store", str(store), "validate", "--format", "json")
            assert report.returncode == 0, report.stderr[-2000:]
            assert json.loads(report.stdout)["counts"]["Violation"] == 0
            validated = True
        partial = sum(0 < c < len(reference) for c in counts)
        if partial == 3 or (present == len(reference) and partial >= 2):
            break
        if present == len(reference):
            # the kill came after the last document (during the stored answers' refresh, or on
            # a slow machine): start again from an empty store to get the interrupted loads
            shutil.rmtree(store)
            present = 0
    # at least two kills interrupted a load that had written some documents and not all
    assert sum(0 < c < len(reference) for c in counts) >= 2, counts
    assert validated, counts
    # the store is not left locked, and the re-run loads what is missing and skips the rest
    again = unkg("--store", str(store), "load", str(texts))
    assert again.returncode == 0, again.stderr
    assert f"{len(reference) - present} loaded, {present} unchanged, 0 failed" in again.stderr
    assert check_whole_or_absent(store, checksums, reference) == len(reference)


def test_killed_load_leaves_no_worker_processes(corpus: tuple[Path, dict[str, str], dict[str, set[str]], float],
                                                 tmp_path: Path) -> None:
    """The parser processes of a killed load end too (they would otherwise wait forever)."""
    texts, _checksums, _reference, clean_seconds = corpus
    proc = start_load(tmp_path / "store", texts)
    children: set[int] = set()
    deadline = time.monotonic() + clean_seconds
    while time.monotonic() < deadline and len(children) < 2:
        children |= set(_children(proc.pid))
        time.sleep(0.05)
    assert children, "the load started no worker processes"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in children), children


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def load_beside_a_first_loader(texts: Path, tmp_path: Path, single: Path,
                               *options: str) -> tuple[Path, subprocess.Popen[str], subprocess.CompletedProcess[str]]:
    """Start loading 60 texts, then, while that load holds the store, load `single` with `options`.

    Returns the store, the first load (finished) and the second."""
    store = tmp_path / "store"
    part = tmp_path / "part"  # enough texts to use the worker processes and take a few seconds
    part.mkdir()
    for path in sorted(texts.iterdir())[:60]:
        shutil.copy(path, part)
    first = start_load(store, part)
    deadline = time.monotonic() + 60
    while not (store / "LOCK").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(single, folder)
    second = unkg("--store", str(store), "load", *options, str(folder))
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    return store, first, second


def test_second_loader_gets_store_in_use(corpus: tuple[Path, dict[str, str], dict[str, set[str]], float],
                                         tmp_path: Path) -> None:
    texts, checksums, reference, _ = corpus
    store, first, second = load_beside_a_first_loader(texts, tmp_path, TEXTS / "A-RES-61-54.txt")
    assert second.returncode == 5, second.stderr
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "is in use by another process" in lines[0] and str(store) in lines[0], lines
    assert check_whole_or_absent(store, checksums, reference) == 60
    # and once the first has finished, the second goes through
    assert unkg("--store", str(store), "load", str(tmp_path / "one")).returncode == 0


def test_second_loader_with_wait_loads_after_the_first(corpus: tuple[Path, dict[str, str], dict[str, set[str]], float],
                                                       tmp_path: Path) -> None:
    texts, checksums, reference, _ = corpus
    sixty_first = sorted(texts.iterdir())[60]
    store, first, second = load_beside_a_first_loader(texts, tmp_path, sixty_first, "--wait", "240")
    assert second.returncode == 0, second.stderr
    lines = second.stderr.strip().splitlines()
    assert "is in use by another process; waiting up to 240 s" in lines[0], lines
    assert lines[-1].startswith("1 loaded"), lines
    assert check_whole_or_absent(store, checksums, reference) == 61


HALF_BULK_LOAD = """
import os, sys
import pyoxigraph as ox
from unkg.store import EmbeddedStore
from unkg.loader import load_paths

def half(self, nquads, graphs):  # the journal, then half of the quads, then death
    self._journal(graphs)
    lines = nquads.splitlines(keepends=True)
    self._store.bulk_load(b"".join(lines[: len(lines) // 2]), ox.RdfFormat.N_QUADS)
    self._store.flush()
    os._exit(9)

EmbeddedStore._bulk_write = half
st = EmbeddedStore(sys.argv[1])
load_paths(st, sys.argv[2:], base_iri="https://w3id.org/unkg/", jobs=1)
os._exit(0)
"""


@pytest.mark.parametrize("reopen", ["read-only", "writable"])
def test_bulk_load_killed_half_way_leaves_its_documents_absent(tmp_path: Path, reopen: str) -> None:
    """New documents reach the store by a bulk load, which is not atomic: killed half-way, the
    store holds part of their quads. The next open (read-only too) drops the graphs the load's
    journal names, the full-text index agrees, and loading again writes them whole."""
    from unkg.fulltext import open_index
    from unkg.store import PENDING_NAME

    seed, batch = TEXTS / "A-RES-61-54.txt", [TEXTS / "A-RES-72-117.txt", TEXTS / "A-RES-72-120.txt"]
    clean = tmp_path / "clean"
    assert unkg("--store", str(clean), "load", str(seed), *map(str, batch)).returncode == 0
    reference = graphs_of(clean)
    store = tmp_path / "store"
    assert unkg("--store", str(store), "load", str(seed)).returncode == 0
    proc = subprocess.run([sys.executable, "-c", HALF_BULK_LOAD, str(store), *map(str, batch)],
                          capture_output=True, timeout=120)
    assert proc.returncode == 9, proc.stderr.decode()
    assert (store / PENDING_NAME).exists()
    import pyoxigraph as ox

    seed_graph = "https://w3id.org/unkg/graph/A/RES/61/54"
    raw = ox.Store.read_only(str(store))
    partial = {g.value for g in raw.named_graphs()} - {seed_graph}
    in_batch = len(raw) - sum(1 for _ in raw.quads_for_pattern(None, None, None, ox.NamedNode(seed_graph)))
    del raw
    # the test does interrupt a load that wrote part of its quads
    assert partial and 0 < in_batch < sum(len(reference[g]) for g in partial), (partial, in_batch)
    with EmbeddedStore(store, read_only=(reopen == "read-only"), create=False) as st:
        assert st.named_graphs() == [seed_graph]
    assert not (store / PENDING_NAME).exists()
    with EmbeddedStore(store, create=False) as st:
        index, _ = open_index(st)
        assert index.verify(st) == []
        assert {p.graph for p in index.passages()} == {seed_graph}
    again = unkg("--store", str(store), "load", str(seed), *map(str, batch))
    assert again.returncode == 0 and "2 loaded, 1 unchanged, 0 failed" in again.stderr, again.stderr
    assert graphs_of(store) == reference


def test_read_only_open_leaves_a_running_loads_journal_alone(tmp_path: Path) -> None:
    """While a writer holds the store, its journal names graphs still being loaded: a reader
    (the server, publish) opens without touching them."""
    from unkg.store import PENDING_NAME

    store = tmp_path / "store"
    assert unkg("--store", str(store), "load", str(TEXTS / "A-RES-61-54.txt")).returncode == 0
    graph = "https://w3id.org/unkg/graph/A/RES/61/54"
    with EmbeddedStore(store, create=False) as writer:
        (store / PENDING_NAME).write_text(graph + "\n", encoding="utf-8")  # as during its bulk load
        with EmbeddedStore(store, read_only=True) as reader:
            assert reader.named_graphs() == [graph]
        assert (store / PENDING_NAME).exists() and writer.named_graphs() == [graph]
    with EmbeddedStore(store, create=False) as st:  # the writer died with it: dropped now
        assert st.named_graphs() == [] and not (store / PENDING_NAME).exists()
