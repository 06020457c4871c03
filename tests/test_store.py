"""The embedded store: atomic graph replacement, RDF file loads, locking, canonical export."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from unkg import formats
from unkg.errors import InputError, StoreError, StoreLockedError
from unkg.export import serialize_store
from unkg.store import EmbeddedStore

G1 = "https://w3id.org/unkg/graph/A/RES/1/1"
G2 = "https://w3id.org/unkg/graph/A/RES/1/2"
NT1 = '<https://w3id.org/unkg/doc/A/RES/1/1> <http://purl.org/dc/terms/title> "One"@en .'
NT2 = '<https://w3id.org/unkg/doc/A/RES/1/2> <http://purl.org/dc/terms/title> "Two \\"quoted\\""@en .'


def export_all(store: EmbeddedStore) -> bytes:
    return serialize_store(store, formats.lookup("nq", ("rdf",)))


def test_replace_graph_is_idempotent_and_replaces(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as st:
        st.replace_graphs({G1: NT1, G2: NT2})
        first = export_all(st)
        st.replace_graphs({G1: NT1})
        assert export_all(st) == first
        st.replace_graphs({G1: NT1.replace("One", "Uno")})
        assert b'"Uno"@en' in export_all(st) and b'"One"@en' not in export_all(st)
        assert st.named_graphs() == [G1, G2]


def test_bad_rdf_leaves_store_unchanged(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as st:
        st.replace_graphs({G1: NT1})
        before = export_all(st)
        bad = b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e \"unterminated .\n"
        with pytest.raises(InputError) as err:
            st.load_rdf(bad, formats.lookup("ttl", ("rdf",)).oxigraph, G2, "bad.ttl")  # type: ignore[arg-type]
        assert "bad.ttl" in str(err.value)
        assert export_all(st) == before


def test_load_rdf_replaces_its_graph(tmp_path: Path) -> None:
    data = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
    with EmbeddedStore(tmp_path / "s") as st:
        fmt = formats.lookup("nt", ("rdf",)).oxigraph
        assert fmt is not None
        st.load_rdf(data, fmt, G1, "x.nt")
        st.load_rdf(data, fmt, G1, "x.nt")
        assert st.count(G1) == 1


def test_store_survives_reopen(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as st:
        st.replace_graphs({G1: NT1})
    with EmbeddedStore(tmp_path / "s", create=False) as st:
        assert st.count() == 1


def test_missing_store_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        EmbeddedStore(tmp_path / "nothing", create=False)


def test_second_process_gets_store_in_use(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with EmbeddedStore(path) as st:
        st.replace_graphs({G1: NT1})
        code = ("from unkg.store import EmbeddedStore\n"
                "from unkg.errors import StoreLockedError\n"
                f"try:\n    EmbeddedStore({str(path)!r})\nexcept StoreLockedError as e:\n"
                "    print('LOCKED', e)\n")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert "LOCKED" in out.stdout and "in use" in out.stdout, out.stdout + out.stderr
    assert StoreLockedError.__mro__[1] is StoreError


HOLD_LOCK = """
import sys, time
import pyoxigraph as ox
store = ox.Store(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def hold_store(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that holds the store for `seconds`, once it has printed "held"."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_writer_waits_for_a_store_in_use(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with EmbeddedStore(path) as st:
        st.replace_graphs({G1: NT1})
    holder = hold_store(path, 1.0)
    calls: list[float] = []
    start = time.monotonic()
    try:
        with EmbeddedStore(path, wait=30, on_wait=lambda: calls.append(time.monotonic())) as st:
            opened = time.monotonic() - start
            assert st.count() == 1
            st.replace_graphs({G2: NT2})  # it is the writer now
    finally:
        holder.wait(timeout=30)
    assert len(calls) == 1 and calls[0] - start < 0.5, calls  # told once, at the start of the wait
    assert 0.5 < opened < 10, opened  # opened once the holder let go, not at the end of the 30 s
    with EmbeddedStore(path, create=False) as st:
        assert st.count() == 2


def test_waiting_for_a_store_ends_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s"
    EmbeddedStore(path).close()
    holder = hold_store(path, 20)
    try:
        start = time.monotonic()
        with pytest.raises(StoreLockedError, match=r"still in use by another process after 0.4 s") as caught:
            EmbeddedStore(path, wait=0.4)
        assert 0.4 <= time.monotonic() - start < 5
        assert str(path) in str(caught.value) and "--wait" in str(caught.value)
        with pytest.raises(StoreLockedError, match=r"is in use by another process \(its LOCK"):
            EmbeddedStore(path)  # no wait: at once
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_turtle_export_is_canonical(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "a") as a, EmbeddedStore(tmp_path / "b") as b:
        a.replace_graphs({G1: NT1})
        a.replace_graphs({G2: NT2})
        b.replace_graphs({G2: NT2, G1: NT1})
        for name in ("ttl", "nt", "nq", "trig", "jsonld"):
            fmt = formats.lookup(name, ("rdf",))
            assert serialize_store(a, fmt) == serialize_store(b, fmt), name


G3 = "https://w3id.org/unkg/graph/A/RES/1/3"
NT3 = '<https://w3id.org/unkg/doc/A/RES/1/3> <http://purl.org/dc/terms/title> "Three" .'


def test_write_documents_batch_equals_one_by_one(tmp_path: Path) -> None:
    """A batch gives the store the same quads as one replace_graphs per document, in order:
    an existing graph is replaced, and a graph named twice in the batch keeps its last text."""
    docs = [{G1: NT1}, {G2: NT2}, {G1: NT1.replace("One", "Uno")}, {G3: NT3}]
    with EmbeddedStore(tmp_path / "one") as a, EmbeddedStore(tmp_path / "batch") as b:
        a.replace_graphs({G3: NT3.replace("Three", "Old")})
        b.replace_graphs({G3: NT3.replace("Three", "Old")})
        for d in docs:
            a.replace_graphs(d)
        assert b.write_documents(docs) == [None] * 4
        assert export_all(b) == export_all(a)
        assert b'"Uno"@en' in export_all(b) and b'"Old"' not in export_all(b)


def test_write_documents_a_bad_document_fails_alone(tmp_path: Path) -> None:
    bad = '<https://w3id.org/unkg/doc/A/RES/1/2> <http://purl.org/dc/terms/title> "broken .'
    with EmbeddedStore(tmp_path / "s") as st:
        errors = st.write_documents([{G1: NT1}, {G2: bad}, {G3: NT3}])
        assert errors[0] is None and errors[2] is None
        assert isinstance(errors[1], StoreError)
        assert st.named_graphs() == [G1, G3]
        assert st.count(G2) == 0


def test_many_bulk_loads_are_compacted_and_few_are_not(tmp_path: Path) -> None:
    """A load that wrote in many bulk loads ends with one compaction (queries on the files of
    many bulk loads are slower); a small load does not pay for one. The data stays the same."""
    from unkg.loader import load_paths

    texts = sorted((Path(__file__).parent / "data" / "corpus" / "texts").glob("A-RES-7*.txt"))[:18]
    base = "https://w3id.org/unkg/"
    with EmbeddedStore(tmp_path / "one") as st:
        load_paths(st, texts[:1], base_iri=base, jobs=1)
        assert st.bulk_loads == 1  # not compacted
        load_paths(st, texts[1:], base_iri=base, jobs=1)  # 17 documents: bulk loads of 8 and 9
        assert st.bulk_loads == 3
        expected = st.nquads_lines()
    with EmbeddedStore(tmp_path / "many") as st:
        report = load_paths(st, texts, base_iri=base, jobs=1, batch_size=2)
        assert report.count("loaded") == len(texts) == 18
        assert st.bulk_loads == 0  # nine bulk loads, then compacted
        assert _same_but_load_time(st.nquads_lines(), expected)


def _same_but_load_time(a: list[str], b: list[str]) -> bool:
    import re

    blank = re.compile(r'(generatedAtTime> )"[^"]*"')
    return sorted(blank.sub(r'\1"*"', x) for x in a) == sorted(blank.sub(r'\1"*"', x) for x in b)


def test_source_records_of_some_checksums_are_those_of_all(tmp_path: Path) -> None:
    """Looking records up by checksum (a load checks its files this way) gives exactly the
    records a full read gives for those checksums, also past one lookup's 512 values."""
    from unkg.loader import load_paths

    texts = sorted((Path(__file__).parent / "data" / "corpus" / "texts").glob("A-RES-7*.txt"))[:5]
    with EmbeddedStore(tmp_path / "store") as st:
        assert not load_paths(st, texts, base_iri="https://w3id.org/unkg/").failed
        every = st.source_records()
        assert len(every) == 5
        some = {g: rec for g, rec in sorted(every.items())[1:3]}
        unknown = [f"{i:064x}" for i in range(700)]
        found = st.source_records([rec["checksum"] for rec in some.values()] + unknown)
        assert found == some
        assert st.source_records([]) == {}
        assert st.source_records(unknown[:3]) == {}


def test_graph_count_counts_every_named_graph(tmp_path: Path) -> None:
    import pyoxigraph as ox

    with EmbeddedStore(tmp_path / "store") as st:
        assert st.graph_count() == 0
        st.replace_graphs({G1: NT1, G2: NT2})
        st.raw.add(ox.Quad(ox.NamedNode(G1), ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("in the default graph")))
        assert st.graph_count() == len(st.named_graphs()) == 2  # the default graph is not counted
        st.remove_graph(G1)
        assert st.graph_count() == 1


def test_count_and_type_counts_agree_with_the_quads(tmp_path: Path) -> None:
    """`unkg info`'s figures: every quad (the default graph's too), and per class the resources
    typed with it in any graph, each once however many graphs restate it."""
    import pyoxigraph as ox

    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    res, session = ox.NamedNode("https://w3id.org/unkg/ontology#Resolution"), ox.NamedNode("https://w3id.org/unkg/ontology#Session")
    with EmbeddedStore(tmp_path / "store") as st:
        st.replace_graphs({G1: NT1, G2: NT2})
        for g in (ox.NamedNode(G1), ox.NamedNode(G2), ox.DefaultGraph()):  # one session, restated
            st.raw.add(ox.Quad(ox.NamedNode("https://w3id.org/unkg/session/ga/1"), a, session, g))
        st.raw.add(ox.Quad(ox.NamedNode("https://w3id.org/unkg/doc/A/RES/1/1"), a, res, ox.NamedNode(G1)))
        st.raw.add(ox.Quad(ox.NamedNode("https://w3id.org/unkg/doc/A/RES/1/9"), a, res))  # default graph only
        quads = list(st.raw.quads_for_pattern(None, None, None, None))
        assert st.count() == len(quads) == 7
        expected: dict[str, set[str]] = {}
        for q in quads:
            if q.predicate == a:
                expected.setdefault(q.object.value, set()).add(q.subject.value)  # type: ignore[union-attr]
        assert st.type_counts() == sorted(((t, len(s)) for t, s in expected.items()), key=lambda x: (-x[1], x[0]))
        assert st.type_counts() == [(res.value, 2), (session.value, 1)]
