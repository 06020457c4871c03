"""The full-text index: holds exactly the store's text, follows every write, survives failures."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner, Result

from unkg import fulltext
from unkg.cli import cli
from unkg.errors import QueryError, StoreError
from unkg.fulltext import FulltextIndex, index_path, open_index
from unkg.iris import IRIs
from unkg.loader import load_paths
from unkg.parser import parse_file
from unkg.record import Record
from unkg.store import EmbeddedStore

TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
SEED = TEXTS / "A-RES-61-54.txt"
BASE = "https://w3id.org/unkg/"
SRC = str(Path(__file__).resolve().parents[1] / "src")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    st = EmbeddedStore(tmp_path_factory.mktemp("ft") / "store")
    assert not load_paths(st, [TEXTS], base_iri=BASE).failed
    yield st
    st.close()


@pytest.fixture(scope="module")
def records() -> dict[str, Record]:
    out = {}
    for path in sorted(TEXTS.iterdir()):
        r = parse_file(path)
        assert r.symbol
        out[r.symbol] = r
    return out


def record_passages(records: dict[str, Record]) -> Counter[tuple[str, str, str, str]]:
    """(symbol, kind, number, text) of every paragraph, footnote and annex, from the parsed records."""
    out: Counter[tuple[str, str, str, str]] = Counter()
    for symbol, r in records.items():
        for kind, paras in (("preambular", r.preambular), ("operative", r.operative)):
            out.update((symbol, kind, str(p.number), p.text) for p in paras)
        out.update((symbol, "footnote", f.marker, f.text) for f in r.footnotes)
        out.update((symbol, "annex", str(i), t) for i, t in enumerate(r.annexes, start=1))
    return out


def words(text: str) -> set[str]:
    """Tokens as FTS5's unicode61 tokenizer with remove_diacritics sees them."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return set(re.findall(r"[^\W_]+", plain.lower()))


def indexed(index: FulltextIndex) -> Counter[tuple[str, str, str, str]]:
    return Counter((p.symbol, p.kind, p.number, p.text) for p in index.passages())


# ---- the index holds the store's text --------------------------------------------------------

def test_fts5_is_compiled_in() -> None:
    assert fulltext.fts5_available()


def test_load_builds_index_with_every_passage_of_the_records(corpus: EmbeddedStore,
                                                             records: dict[str, Record]) -> None:
    assert index_path(corpus.path).is_file()  # created by the first load into the empty store
    index, report = open_index(corpus)
    assert not report.changed  # the loads kept it in step: nothing to repair
    assert indexed(index) == record_passages(records)
    assert index.verify(corpus) == []
    assert index.counts()["graphs"] == len(corpus.named_graphs())


@pytest.mark.parametrize("expression,terms", [
    ("climate", {"climate"}),
    ("climate AND finance", {"climate", "finance"}),
    ("terrorism", {"terrorism"}),
    ("Secretary AND General AND report", {"secretary", "general", "report"}),
])
def test_search_finds_exactly_the_passages_with_the_words(corpus: EmbeddedStore, records: dict[str, Record],
                                                          expression: str, terms: set[str]) -> None:
    hits = fulltext.search(corpus, expression, limit=None)
    got = Counter((h.symbol, h.kind, h.number) for h in hits)
    expected = Counter((s, k, n) for (s, k, n, t), c in record_passages(records).items()
                       for _ in range(c) if terms <= words(t))
    assert got == expected and got


def test_phrase_near_not_and_prefix(corpus: EmbeddedStore, records: dict[str, Record]) -> None:
    passages = record_passages(records)

    def expect(pred: object) -> set[tuple[str, str, str]]:
        return {(s, k, n) for (s, k, n, t) in passages if pred(t)}  # type: ignore[operator]

    def got(expression: str) -> set[tuple[str, str, str]]:
        return {(h.symbol, h.kind, h.number) for h in fulltext.search(corpus, expression, limit=None)}

    phrase = re.compile(r"\binformation\W+security\b", re.I)
    assert got('"information security"') == expect(lambda t: bool(phrase.search(t))) != set()
    assert got("climate NOT finance") == expect(lambda t: "climate" in words(t) and "finance" not in words(t))
    assert got("terroris*") == expect(lambda t: any(w.startswith("terroris") for w in words(t)))


def test_ranking_snippets_limit_and_filters(corpus: EmbeddedStore, records: dict[str, Record]) -> None:
    hits = fulltext.search(corpus, "information security", limit=None)
    scores = [h.score for h in hits]
    assert scores == sorted(scores) and len(hits) > 5  # bm25: lower is better, best first
    assert all("**" in h.snippet for h in hits)
    assert fulltext.search(corpus, "information security", limit=3) == hits[:3]
    session61 = str(IRIs(BASE).session("61"))
    in61 = fulltext.search(corpus, "information security", session=session61, limit=None)
    assert in61 and {h.symbol for h in in61} <= {s for s, r in records.items() if r.session == "61"}
    assert {h.iri for h in in61} == {h.iri for h in hits if records[h.symbol].session == "61"}
    fns = fulltext.search(corpus, "annex", kinds=["footnote"], limit=None)
    assert fns and {h.kind for h in fns} == {"footnote"}


def test_invalid_expression_is_a_query_error(corpus: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="invalid full-text search"):
        fulltext.search(corpus, "climate AND (")
    with pytest.raises(QueryError, match="empty"):
        fulltext.search(corpus, "  ")


# ---- writes, deletes and failures ------------------------------------------------------------

def edited_seed(tmp_path: Path, word: str) -> Path:
    """The seed text with one sentence of an operative paragraph changed (same symbol)."""
    text = SEED.read_text(encoding="utf-8")
    assert "that the purpose of such measures" in text
    path = tmp_path / f"A-RES-61-54-{word}.txt"
    path.write_text(text.replace("that the purpose of such measures", f"that the {word} purpose of such measures"),
                    encoding="utf-8")
    return path


def seed_store(tmp_path: Path) -> EmbeddedStore:
    st = EmbeddedStore(tmp_path / "store")
    assert not load_paths(st, [SEED, TEXTS / "A-RES-72-12.txt"], base_iri=BASE).failed
    return st


def iris_of(st: EmbeddedStore, expression: str) -> set[str]:
    return {h.iri for h in fulltext.search(st, expression, limit=None)}


def test_reload_replaces_rows_and_remove_deletes_them(tmp_path: Path) -> None:
    with seed_store(tmp_path) as st:
        index, _ = open_index(st)
        before = index.counts()["passages"]
        assert load_paths(st, [edited_seed(tmp_path, "zanzibarian")], base_iri=BASE).count("loaded") == 1
        assert index.counts()["passages"] == before  # replaced, not appended
        assert iris_of(st, "zanzibarian") == {f"{BASE}doc/A/RES/61/54/op/2"}
        assert index.verify(st) == []
        graph = str(IRIs(BASE).graph("A/RES/61/54"))
        st.remove_graph(graph)
        assert iris_of(st, "zanzibarian") == set()
        assert all(p.graph != graph for p in index.passages())
        assert index.verify(st) == [] and index.counts()["graphs"] == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_loader_indexes_from_its_own_triples_exactly_what_the_store_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """Loading does not read the written graphs back: the rows and fingerprints the index gets
    from the documents' own triples are those the store gives back (new graphs in a batch, and a
    replaced graph), so a later full refresh finds nothing to change."""
    texts = sorted(TEXTS.glob("*.txt"))[:24]
    with EmbeddedStore(tmp_path / "store") as st:
        with monkeypatch.context() as m:
            def no_reading(*args: object, **kw: object) -> None:
                raise AssertionError("the loader read a written graph back from the store")

            m.setattr(fulltext, "read_passages", no_reading)
            assert not load_paths(st, texts, base_iri=BASE, jobs=jobs).failed
            assert load_paths(st, [edited_seed(tmp_path, "zanzibarian")], base_iri=BASE,
                              jobs=jobs).count("loaded") == 1
        index = st.fulltext_index
        assert index is not None and st.written_rows == {} and index.dirty_graphs() == []
        assert index.verify(st) == []
        indexed_fps = dict(index._con.execute("SELECT graph, fingerprint FROM graph_state"))
        assert indexed_fps == index.store_fingerprints(st)
        assert index.refresh(st, full=True).changed is False
        assert iris_of(st, "zanzibarian") == {f"{BASE}doc/A/RES/61/54/op/2"}


def test_stored_value_is_the_stores_canonical_form() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert fulltext.stored_value("2026-11-28T05:13:52+00:00", xsd + "dateTime") == "2026-11-28T05:13:52Z"
    assert fulltext.stored_value("007", xsd + "integer") == "7"
    assert fulltext.stored_value("7", xsd + "integer") == "7"


def test_unchanged_file_is_skipped_and_index_untouched(tmp_path: Path) -> None:
    with seed_store(tmp_path) as st:
        index, _ = open_index(st)
        rows = index.passages()
        report = load_paths(st, [SEED], base_iri=BASE)
        assert report.count("unchanged") == 1 and index.passages() == rows  # not even re-inserted


def test_index_write_failing_after_store_write_is_repaired(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Store write succeeds, index write fails: the graph stays dirty and the next search re-reads it."""
    with seed_store(tmp_path) as st:
        open_index(st)

        def broken(self: FulltextIndex, updates: object) -> None:
            raise sqlite3.OperationalError("disk I/O error (injected)")

        with monkeypatch.context() as m:
            m.setattr(FulltextIndex, "_write", broken)
            assert load_paths(st, [edited_seed(tmp_path, "quixotic")], base_iri=BASE).count("loaded") == 1
        index = st.fulltext_index
        assert index is not None
        assert index.dirty_graphs() == [str(IRIs(BASE).graph("A/RES/61/54"))]
        stored = st.query('ASK { ?p <https://w3id.org/unkg/ontology#text> ?t FILTER(CONTAINS(?t, "quixotic")) }')
        assert bool(stored)  # the store has the new text; the index does not yet
        assert "quixotic" not in {w for p in index.passages() for w in words(p.text)}
        assert iris_of(st, "quixotic") == {f"{BASE}doc/A/RES/61/54/op/2"}  # search refreshed it
        assert index.dirty_graphs() == [] and index.verify(st) == []


def test_store_write_failing_leaves_index_as_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with seed_store(tmp_path) as st:
        index, _ = open_index(st)
        rows = index.passages()

        def broken(self: EmbeddedStore, update: str) -> None:
            raise StoreError("cannot write to store (injected)")

        monkeypatch.setattr(EmbeddedStore, "_apply", broken)
        report = load_paths(st, [edited_seed(tmp_path, "quixotic")], base_iri=BASE)
        assert report.count("failed") == 1
        assert sorted(index.passages(), key=str) == sorted(rows, key=str) and index.dirty_graphs() == []


KILL_SCRIPT = """
import os, sys
sys.path.insert(0, {src!r})
from unkg import fulltext
from unkg.store import EmbeddedStore
from unkg.loader import load_paths
where = sys.argv[1]
if where == "after-store-write":
    fulltext.after_write = lambda store, graphs: os._exit(9)
else:
    EmbeddedStore._apply = lambda self, update: os._exit(9)
st = EmbeddedStore(sys.argv[2])
load_paths(st, [sys.argv[3]], base_iri={base!r})
os._exit(0)
"""


@pytest.mark.parametrize("where,changed", [("after-store-write", True), ("before-store-write", False)])
def test_process_killed_between_store_and_index(tmp_path: Path, where: str, changed: bool) -> None:
    """A process that dies between the index's mark and its update leaves a dirty mark; the next
    owner of the store re-reads the graph, and the index agrees with whatever the store kept."""
    st = seed_store(tmp_path)
    open_index(st)
    st.close()
    script = KILL_SCRIPT.format(src=SRC, base=BASE)
    proc = subprocess.run([sys.executable, "-c", script, where, str(tmp_path / "store"),
                           str(edited_seed(tmp_path, "zanzibarian"))], capture_output=True, timeout=120)
    assert proc.returncode == 9, proc.stderr.decode()
    with FulltextIndex(index_path(tmp_path / "store")) as raw:
        assert raw.dirty_graphs() == [str(IRIs(BASE).graph("A/RES/61/54"))]
    with EmbeddedStore(tmp_path / "store", create=False) as st:
        index, report = open_index(st)
        assert report.synced == [str(IRIs(BASE).graph("A/RES/61/54"))]
        assert bool(iris_of(st, "zanzibarian")) is changed
        assert bool(iris_of(st, '"that the purpose of such measures"')) is not changed
        assert index.verify(st) == []


def test_process_killed_after_a_batch_of_new_documents(tmp_path: Path) -> None:
    """New documents reach the store in one batch (N-Quads load); a death before the index
    follows leaves them marked, and the next search indexes them."""
    st = seed_store(tmp_path)
    open_index(st)
    st.close()
    new = [str(TEXTS / "A-RES-72-117.txt"), str(TEXTS / "A-RES-72-120.txt")]
    script = KILL_SCRIPT.format(src=SRC, base=BASE).replace("[sys.argv[3]]", "sys.argv[3:]")
    proc = subprocess.run([sys.executable, "-c", script, "after-store-write", str(tmp_path / "store"), *new],
                          capture_output=True, timeout=120)
    assert proc.returncode == 9, proc.stderr.decode()
    graphs = sorted(str(IRIs(BASE).graph(s)) for s in ("A/RES/72/117", "A/RES/72/120"))
    with FulltextIndex(index_path(tmp_path / "store")) as raw:
        assert raw.dirty_graphs() == graphs
    with EmbeddedStore(tmp_path / "store", create=False) as st:
        assert sorted(set(graphs) & set(st.named_graphs())) == graphs  # the store has them
        index, report = open_index(st)
        assert report.synced == graphs and index.verify(st) == []
        assert {p.graph for p in index.passages()} >= set(graphs)


def test_missing_index_is_rebuilt_by_search(tmp_path: Path) -> None:
    with seed_store(tmp_path) as st:
        pass
    for p in tmp_path.joinpath("store").glob("fulltext.sqlite*"):
        p.unlink()
    with EmbeddedStore(tmp_path / "store", create=False) as st:
        # a store with data and no index: writes do not start a partial index
        assert not load_paths(st, [TEXTS / "A-RES-72-117.txt"], base_iri=BASE).failed
        assert not index_path(st.path).exists()
        index, report = open_index(st)
        assert report.rebuilt and index.verify(st) == [] and index.counts()["graphs"] == 3


def test_corrupt_index_is_discarded_by_load_and_rebuilt(tmp_path: Path) -> None:
    with seed_store(tmp_path) as st:
        pass
    for p in tmp_path.joinpath("store").glob("fulltext.sqlite*"):
        p.unlink()
    index_path(tmp_path / "store").write_bytes(b"this is not a database" * 100)
    with EmbeddedStore(tmp_path / "store", create=False) as st:
        assert not load_paths(st, [edited_seed(tmp_path, "zanzibarian")], base_iri=BASE).failed
        assert not index_path(st.path).exists()  # removed rather than trusted
        assert iris_of(st, "zanzibarian") and st.fulltext_index is not None
        assert st.fulltext_index.verify(st) == []


def test_corrupt_index_is_rebuilt_by_search_and_by_index_rebuild(tmp_path: Path) -> None:
    with seed_store(tmp_path) as st:
        pass
    for p in tmp_path.joinpath("store").glob("fulltext.sqlite*"):
        p.unlink()
    index_path(tmp_path / "store").write_bytes(b"garbage" * 1000)
    with EmbeddedStore(tmp_path / "store", create=False) as st:
        assert iris_of(st, "information") and st.fulltext_index is not None
        assert st.fulltext_index.verify(st) == []
    index_path(tmp_path / "store").write_bytes(b"garbage" * 1000)
    result = run("--store", str(tmp_path / "store"), "index", "--rebuild", "--verify")
    assert result.exit_code == 0 and "0 differences" in result.stderr, result.output


def test_writes_around_unkg_are_caught_by_fingerprints(tmp_path: Path) -> None:
    """A graph changed without the journal (another tool, a restored store) is re-read by a full
    refresh: by its provenance fingerprint, or for a graph without provenance by its text's hash."""
    with seed_store(tmp_path) as st:
        index, _ = open_index(st)
        graph = str(IRIs(BASE).graph("A/RES/61/54"))
        para = f"{BASE}doc/A/RES/61/54/op/2"
        st.raw.update(f"""
            DELETE {{ GRAPH <{graph}> {{ <{para}> <https://w3id.org/unkg/ontology#text> ?t .
                                        <{graph}> <http://www.w3.org/ns/prov#generatedAtTime> ?when }} }}
            INSERT {{ GRAPH <{graph}> {{ <{para}> <https://w3id.org/unkg/ontology#text> "Edited elsewhere"@en .
              <{graph}> <http://www.w3.org/ns/prov#generatedAtTime> "2030-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> }} }}
            WHERE {{ GRAPH <{graph}> {{ <{para}> <https://w3id.org/unkg/ontology#text> ?t .
                                       <{graph}> <http://www.w3.org/ns/prov#generatedAtTime> ?when }} }}""")
        assert iris_of(st, "elsewhere") == set()  # a search does not scan every graph ...
        assert index.refresh(st, full=True).synced == [graph]  # ... `unkg index` does
        assert iris_of(st, "elsewhere") == {para}
        # an RDF file's graph has no provenance: its text rows are its fingerprint
        rdf = tmp_path / "extra.ttl"
        x = f"{BASE}doc/X/1"
        rdf.write_text(f"""<{x}/pp/1> a <https://w3id.org/unkg/ontology#PreambularParagraph> .
<{x}/pp/1> <http://data.europa.eu/eli/ontology#is_part_of> <{x}> .
<{x}> <https://w3id.org/unkg/ontology#symbol> "X/1" .
<{x}/pp/1> <https://w3id.org/unkg/ontology#text> "Original words"@en .
""")
        assert not load_paths(st, [rdf], base_iri=BASE).failed
        assert {h.symbol for h in fulltext.search(st, "original")} == {"X/1"}
        st.raw.update('DELETE { GRAPH ?g { ?s <https://w3id.org/unkg/ontology#text> "Original words"@en } } '
                      'INSERT { GRAPH ?g { ?s <https://w3id.org/unkg/ontology#text> "Replaced words"@en } } '
                      'WHERE { GRAPH ?g { ?s <https://w3id.org/unkg/ontology#text> "Original words"@en } }')
        assert len(index.refresh(st, full=True).synced) == 1
        assert fulltext.search(st, "original") == [] and len(fulltext.search(st, "replaced")) == 1
        assert index.verify(st) == []


def test_without_fts5_search_fails_clearly_and_load_still_works(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fulltext, "fts5_available", lambda: False)
    with EmbeddedStore(tmp_path / "store") as st:
        assert not load_paths(st, [SEED], base_iri=BASE).failed
        assert not index_path(st.path).exists()
        with pytest.raises(StoreError, match="FTS5"):
            fulltext.search(st, "climate")
    result = run("--store", str(tmp_path / "store"), "search", "climate")
    assert result.exit_code == 5 and "FTS5" in result.stderr


# ---- the CLI -------------------------------------------------------------------------------------

def test_cli_search_formats(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    sample = [str(p) for p in sorted(TEXTS.glob("A-RES-7*.txt"))]
    assert run("--store", store, "load", *sample).exit_code == 0
    js = run("--store", store, "search", "climate AND finance", "-f", "json")
    assert js.exit_code == 0, js.output
    bindings = json.loads(js.stdout)["results"]["bindings"]
    assert json.loads(js.stdout)["head"]["vars"] == ["symbol", "paragraph", "kind", "number", "snippet", "score"]
    with EmbeddedStore(store, create=False) as st:
        expected = fulltext.search(st, "climate AND finance", limit=None)
    assert [b["paragraph"]["value"] for b in bindings] == [h.iri for h in expected] != []
    csv = run("--store", store, "search", "climate", "--format", "text/csv", "-n", "1")
    assert csv.stdout.splitlines()[0] == "symbol,paragraph,kind,number,snippet,score"
    assert len(csv.stdout.splitlines()) == 2
    table = run("--store", store, "search", "climate", "--session", "77", "-n", "0")
    assert table.exit_code == 0 and "A/RES/77/" in table.stdout
    assert all(line.startswith("A/RES/77/") for line in table.stdout.splitlines()[2:-1])
    assert run("--store", store, "search", "climate AND (").exit_code == 2
    assert run("--store", store, "search", "climate", "--session", "nonsense").exit_code == 2
    rebuilt = run("--store", store, "index", "--rebuild", "--verify")
    assert rebuilt.exit_code == 0 and "rebuilt" in rebuilt.stderr and "0 differences" in rebuilt.stderr


def test_cli_index_verify_reports_a_difference(tmp_path: Path) -> None:
    with seed_store(tmp_path) as st:
        open_index(st)
    con = sqlite3.connect(index_path(tmp_path / "store"))
    con.execute("UPDATE passage SET text = 'tampered' WHERE id = (SELECT MIN(id) FROM passage)")
    con.commit()
    con.close()
    result = run("--store", str(tmp_path / "store"), "index", "--verify")
    assert result.exit_code == 1 and "difference" in result.stderr
    assert run("--store", str(tmp_path / "store"), "index", "--rebuild", "--verify").exit_code == 0
