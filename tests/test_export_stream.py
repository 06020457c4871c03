"""Streamed export: sorted on disk in runs, the same bytes as the in-memory writers, no half files."""

from __future__ import annotations

import io
import os
import random
import threading
from pathlib import Path
from typing import Any, Generator, Iterator, cast

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from unkg import cli, extsort, formats
from unkg.export import serialize_triples, write_store
from unkg.iris import DEFAULT_BASE_IRI
from unkg.loader import load_paths
from unkg.store import EmbeddedStore

CORPUS = Path(__file__).parent / "data" / "corpus" / "texts"


# ---- the external sort -----------------------------------------------------------------------

def _awkward_lines(n: int, seed: int) -> list[str]:
    """Lines that differ late, are prefixes of each other, repeat, and hold characters that
    other line splitters break on (U+2028, form feed, NUL written as an escape)."""
    rng = random.Random(seed)
    alphabet = ["a", "b", " ", "<", ">", "\u2028", "\x0c", "\\u0000", "é", "\U0001f600", "\x00"]
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(n)]
    return lines + lines[: n // 3]  # duplicates


@pytest.mark.parametrize("run_lines", [1, 3, 50, 10_000])
def test_sorted_lines_equal_sorted(run_lines: int) -> None:
    lines = _awkward_lines(400, seed=run_lines)
    assert list(extsort.sorted_lines(iter(lines), run_lines=run_lines)) == sorted(lines)
    assert list(extsort.sorted_lines(iter(lines), run_lines=run_lines, unique=True)) == sorted(set(lines))


def test_sorted_lines_of_nothing() -> None:
    assert list(extsort.sorted_lines(iter([]), run_lines=1)) == []


def _sort_dirs(root: str) -> list[str]:
    return [p for p in os.listdir(root) if p.startswith("unkg-sort-")]


def test_runs_are_removed_when_the_reader_stops_early(tmp_path: Path) -> None:
    stream = cast(Generator[str, None, None],
                  extsort.sorted_lines(iter(_awkward_lines(100, seed=1)), run_lines=10, tmpdir=str(tmp_path)))
    next(stream)
    assert len(_sort_dirs(str(tmp_path))) == 1 and len(os.listdir(tmp_path / _sort_dirs(str(tmp_path))[0])) > 1
    stream.close()
    assert _sort_dirs(str(tmp_path)) == []


# ---- whole-store export ------------------------------------------------------------------------

EX = "http://example.org/"


def _add_awkward_quads(st: EmbeddedStore) -> None:
    """What ordering and grouping must get right beside the corpus: the default graph, blank
    nodes, a triple in two graphs, IRIs that are prefixes of others, node ids that sort one way
    as N-Triples terms and another as JSON-LD @ids, literals with quotes, newlines, tags, types."""
    typ = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    nodes: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(EX + "s"), ox.NamedNode(EX + "s/1"), ox.NamedNode(EX + "s-"),
             ox.NamedNode("Z:upper"), ox.NamedNode("urn:x"), ox.BlankNode("b1")]
    triples: list[tuple[Any, Any, Any]] = [(nodes[0], typ, ox.NamedNode(EX + "C")), (nodes[0], ox.NamedNode(EX + "p"), ox.Literal('a "b"\nc \\ é')),
               (nodes[0], ox.NamedNode(EX + "p"), ox.Literal("x y", language="en")),
               (nodes[0], ox.NamedNode(EX + "p"), ox.Literal("x y", language="fr")),
               (nodes[0], ox.NamedNode(EX + "a"), nodes[5]),
               (nodes[5], typ, ox.NamedNode(EX + "D")), (nodes[5], ox.NamedNode(EX + "p"), ox.Literal("> ."))]
    for node in nodes[1:5]:
        triples.append((node, ox.NamedNode(EX + "n"),
                        ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
        triples.append((node, typ, ox.NamedNode(EX + "C")))
    quads = [ox.Quad(*t, ox.NamedNode(EX + "g1")) for t in triples]
    quads += [ox.Quad(*triples[0], ox.NamedNode(EX + "g2")), ox.Quad(*triples[1], ox.DefaultGraph()),
              ox.Quad(nodes[3], ox.NamedNode(EX + "q"), ox.Literal("default only"), ox.DefaultGraph())]
    st.raw.extend(quads)


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    path = tmp_path_factory.mktemp("export") / "store"
    with EmbeddedStore(path) as st:
        texts = sorted(CORPUS.glob("*.txt"))[:12]
        report = load_paths(st, texts, base_iri=DEFAULT_BASE_IRI)
        assert report.count("loaded") == len(texts), report.summary()
        _add_awkward_quads(st)
        yield st


def _in_memory(st: EmbeddedStore, name: str) -> bytes:
    """The writers that hold the whole graph: the reference for the streamed bytes."""
    if name == "nq":
        return "".join(line + "\n" for line in st.nquads_lines()).encode()
    if name == "trig":
        from unkg.export import _sorted_triples, turtle_of
        parts = [turtle_of([], with_prefixes=True).rstrip("\n")]
        default = st.triples(None, default_only=True)
        if default:
            parts.append(turtle_of(_sorted_triples(default), with_prefixes=False).rstrip("\n"))
        parts += [turtle_of(_sorted_triples(st.triples(g)), graph_block=f"<{g}>", with_prefixes=False).rstrip("\n")
                  for g in st.named_graphs()]
        return ("\n\n".join(parts) + "\n").encode()
    return serialize_triples(st.triples(), name)


@pytest.mark.parametrize("name", ["nq", "nt", "ttl", "jsonld", "trig"])
@pytest.mark.parametrize("run_lines", [97, None])
def test_streamed_export_is_the_in_memory_export(mixed_store: EmbeddedStore, name: str,
                                                 run_lines: int | None, tmp_path: Path) -> None:
    out = io.BytesIO()
    write_store(mixed_store, formats.lookup(name, ("rdf",)), out, tmpdir=str(tmp_path), run_lines=run_lines)
    expected = _in_memory(mixed_store, name)
    assert out.getvalue() == expected, name
    assert _sort_dirs(str(tmp_path)) == []  # the runs are gone


def test_canonical_quads_are_the_sorted_nquads_lines(mixed_store: EmbeddedStore) -> None:
    quads = list(mixed_store.canonical_quads(run_lines=5))
    assert [f"{t} {g} ." if g else f"{t} ." for t, g in quads] == mixed_store.nquads_lines()
    assert any(not g for _, g in quads) and len({t for t, _ in quads}) < len(quads)  # default graph, a shared triple


def test_an_empty_store_exports_empty_documents(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as st:
        for name in ("nq", "nt", "ttl", "jsonld", "trig"):
            out = io.BytesIO()
            write_store(st, formats.lookup(name, ("rdf",)), out)
            assert out.getvalue() == _in_memory(st, name), name


# ---- the command: a file appears whole or not at all ---------------------------------------------

def test_export_to_a_file_replaces_it_only_when_complete(mixed_store: EmbeddedStore, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store_copy = tmp_path / "store"
    with EmbeddedStore(store_copy) as st:
        st.raw.bulk_load(mixed_store.raw.dump(format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
    target = tmp_path / "graph.nq"
    target.write_text("the previous export\n")
    runner = CliRunner()

    result = runner.invoke(cli.cli, ["--store", str(store_copy), "export", "-o", str(target)])
    assert result.exit_code == 0, result.output
    with EmbeddedStore(store_copy, read_only=True) as st:
        assert target.read_text().splitlines() == st.nquads_lines() and len(st.nquads_lines()) > 1000

    import unkg.export

    def fails_halfway(store: EmbeddedStore, fmt: formats.Format, out: io.BufferedIOBase, *a: object, **k: object) -> None:
        out.write(b"<http://example.org/half> ")
        raise OSError(28, "No space left on device")

    target.write_text("the previous export\n")
    monkeypatch.setattr(unkg.export, "write_store", fails_halfway)
    result = runner.invoke(cli.cli, ["--store", str(store_copy), "export", "-o", str(target)])
    assert result.exit_code != 0
    assert target.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nq", "store"]  # no partial file left


def test_export_to_a_device_writes_through_it(mixed_store: EmbeddedStore, tmp_path: Path) -> None:
    """-o /dev/null (or a named pipe) is written in place, never replaced by a renamed file."""
    store_copy = tmp_path / "store"
    with EmbeddedStore(store_copy) as st:
        st.replace_graphs({"https://example.org/g": "<https://example.org/s> <https://example.org/p> \"o\" ."})
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = CliRunner().invoke(cli.cli, ["--store", str(store_copy), "export", "-f", "nq", "-o", str(fifo)])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received == [b'<https://example.org/s> <https://example.org/p> "o" <https://example.org/g> .\n']
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["pipe", "store"]
    result = CliRunner().invoke(cli.cli, ["--store", str(store_copy), "export", "-o", os.devnull])
    assert result.exit_code == 0 and Path(os.devnull).is_char_device()


def test_one_graph_as_trig(mixed_store: EmbeddedStore) -> None:
    from unkg.export import _sorted_triples, serialize_store, turtle_of
    graph = EX + "g1"
    expected = (turtle_of([], with_prefixes=True).rstrip("\n") + "\n\n"
                + turtle_of(_sorted_triples(mixed_store.triples(graph)), graph_block=f"<{graph}>",
                            with_prefixes=False).rstrip("\n") + "\n").encode()
    assert serialize_store(mixed_store, formats.lookup("trig", ("rdf",)), graph) == expected
    assert b"default only" not in expected and b"<http://example.org/g1> {" in expected


def test_sorted_lines_merge_presorted_runs(tmp_path: Path) -> None:
    """Runs written by another process (`write_run`) are merged with the lines sorted here."""
    import random
    rng = random.Random(7)
    words = [f"{rng.choice('ab<é_ ')}{rng.randrange(10**6)}\x00x" for _ in range(2000)]
    runs = []
    for n, start in enumerate(range(0, 1600, 400)):
        runs.append(str(tmp_path / f"run{n}"))
        extsort.write_run(words[start:start + 400], runs[-1])
    own = words[1600:]
    for run_lines in (None, 37):
        assert list(extsort.sorted_lines(iter(own), run_lines=run_lines, tmpdir=str(tmp_path),
                                         presorted=runs)) == sorted(words)
    extsort.write_run([], str(tmp_path / "empty"))
    assert list(extsort.sorted_lines([], presorted=[str(tmp_path / "empty")])) == []
