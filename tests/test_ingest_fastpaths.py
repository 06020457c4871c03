"""The faster ingest paths give exactly what the plainer code they replaced gave.

Parser patterns behind a first-character lookahead or rewritten to start with a character class,
clause-verb tokens from one match, the loader's one-pass N-Quads and full-text triples, the
store's N-Quads documents, and the full-text index's many-row inserts.
"""

from __future__ import annotations

import random
import re
import sqlite3
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from unkg import parser as parser_mod
from unkg import parser_layout, parser_refs, symbols, verbs
from unkg.fulltext import ROW_PREDICATES, FulltextIndex, Passage, rows_of_triples
from unkg.iris import IRIs
from unkg.loader import load_paths, prepare_text
from unkg.mapper import Provenance, record_triples
from unkg.parser import PARSER_VERSION, parse_file
from unkg.store import EmbeddedStore, QuadsDocument, ntriples_of

CORPUS = Path(__file__).parent / "data" / "corpus"
BASE = "https://example.org/un/"


def _samples() -> list[str]:
    """Lines and paragraphs of the corpus, their tails, and random strings of the characters the
    patterns care about."""
    out: list[str] = []
    for path in sorted((CORPUS / "texts").glob("*.txt"))[:60]:
        text = path.read_text(encoding="utf-8")
        for line in text.split("\n"):
            out += [line, line.strip(), line[len(line) // 2:]]
        for para in text.split("\n\n"):
            out.append(" ".join(para.split()))
    rnd = random.Random(8)
    alphabet = "abzAZSEGRrDd  -‑’'”,.;:()[]/_*\n\t\u00a0\u2003190"
    words = ["resolution", "Resolutions", "decision", "Council", "General Assembly", "A/RES/",
             "S/RES/", "70/1", "1 January 2020", "–", "2019", "report", "Requests", "to submit",
             "plenary meeting", "Adopted", "_____", ", 3 ", "Weapons1", "2010,1"]
    for _ in range(4000):
        parts = [rnd.choice(words) if rnd.random() < 0.3 else rnd.choice(alphabet)
                 for _ in range(rnd.randint(0, 30))]
        out.append("".join(parts))
    return out


SAMPLES = _samples()


def _same_matches(fast: re.Pattern[str], plain: re.Pattern[str]) -> None:
    for text in SAMPLES:
        got = [(m.span(), m.groups()) for m in fast.finditer(text)]
        want = [(m.span(), m.groups()) for m in plain.finditer(text)]
        assert got == want, f"{fast.pattern!r} differs on {text!r}: {got} != {want}"


@pytest.mark.parametrize("pattern, guard", [
    (parser_refs._RANGE_RE, r"(?=\d)"),
    (parser_refs._ASK_RE, r"(?=[RrDdIiCcEeUuAaMm])"),
    (symbols._KEYWORD, r"(?=[SHECGARrDd])"),
    (symbols._LITERAL_SYMBOL_RE, r"(?=[ASE])"),
    (symbols.SYMBOL_RE, r"(?=[A-Z])"),
    (parser_mod._GLUED_YEAR_RE, r"(?=[JFMASOND–\-−])"),
    (parser_mod._GLUED_WORD_RE, r"(?=[a-z\)”’\]\d])"),
])
def test_first_character_lookahead_changes_no_match(pattern: re.Pattern[str], guard: str) -> None:
    assert pattern.pattern.startswith(guard)
    _same_matches(pattern, re.compile(pattern.pattern[len(guard):], pattern.flags))


@pytest.mark.parametrize("pattern, plain", [
    (parser_layout._MULTISPACE_RE, r"\s{2,}"),
    (parser_mod._SPACES_RE, r"\s{2,}"),
    (parser_layout._SUP_ANY_RE, "[" + parser_layout._SUP + "]+"),
])
def test_patterns_starting_with_a_class_match_as_before(pattern: re.Pattern[str], plain: str) -> None:
    _same_matches(pattern, re.compile(plain))
    for text in SAMPLES[:3000]:
        assert pattern.sub(" ", text) == re.sub(plain, " ", text)


def test_norm_as_replacing_other_runs_by_a_space() -> None:
    for text in SAMPLES + ["Ünïcode — and ⁵ 12", "  A/RES/70/1  ", "", "--"]:
        assert parser_layout._norm(text) == re.sub(r"[^a-z0-9]+", " ", text.lower()).strip(), text


def test_odd_spaces_as_before() -> None:
    from unkg.readers import normalise_text

    for text in SAMPLES[:2000] + ["a\u00a0b\tc", "\u2009", "plain"]:
        want = "\n".join(line.rstrip() for line in re.sub(
            r"[\u00a0\u2007\u202f\u2009\u200a\t]", " ", text.replace("\r\n", "\n").replace("\r", "\n")
            .replace("\ufeff", "")).replace("\u2011", "-").replace("\u00ad", "").replace("\u200b", "")
            .replace("\f", "\n").split("\n"))
        assert normalise_text(text) == want


@pytest.mark.parametrize("needs, full", [
    (parser_mod._GLUED_WORD_NEEDS, parser_mod._GLUED_WORD_RE),
    (parser_mod._SPACED_MARK_NEEDS, parser_mod._SPACED_MARK_RE),
])
def test_prechecks_never_skip_a_match(needs: re.Pattern[str], full: re.Pattern[str]) -> None:
    for text in SAMPLES:
        if full.search(text):
            assert needs.search(text), f"{needs.pattern!r} would skip {text!r}"


def test_prechecks_by_word_never_skip_a_match() -> None:
    for text in SAMPLES:
        if symbols._KEYWORD.search(text):
            assert "esolution" in text or "ecision" in text
        if parser_refs._REPORT_RE2.search(text):
            assert "report" in text or "recommendation" in text


@pytest.mark.parametrize("marks", [",;", ",;."])
def test_space_before(marks: str) -> None:
    plain = re.compile(r"\s[" + re.escape(marks) + "]")
    for text in SAMPLES + [" ,", "a ,", "a\u2003;", ",", "a,b", "a\n."]:
        assert parser_layout._space_before(text, marks) == (plain.search(text) is not None), text


def _tokens_word_by_word(text: str) -> list[tuple[str, int, int]]:
    """The scan `verbs._tokens` replaced: one regex match per word."""
    word = re.compile(r"[A-Za-z][A-Za-z\-‑’']*")
    out: list[tuple[str, int, int]] = []
    pos, n = 0, len(text)
    while pos < n and len(out) < 12:
        while pos < n and text[pos] == " ":
            pos += 1
        m = word.match(text, pos)
        if not m:
            break
        out.append((m.group(0).lower().replace("‑", "-"), m.start(), m.end()))
        pos = m.end()
        if pos < n and text[pos] not in " ":
            break
    return out


def test_clause_verb_tokens_as_word_by_word() -> None:
    extra = ["Once  again   urges", "  Recalling", "Taking note, in particular, of", "a b c d e f g h i j k l m n",
             "Re‑affirming its", "O’Neill’s report", "-x", ""]
    for text in SAMPLES + extra:
        assert verbs._tokens(text) == _tokens_word_by_word(text), text


# ---- loader and store ------------------------------------------------------------------------

def _store_triples(data: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(data, fmt)}


def _check_prepared(path: Path) -> None:
    """The worker's N-Quads are the N-Triples of the mapping in the document's graph, and its
    full-text rows those the mapping's triples give."""
    prepared = prepare_text(str(path), path.read_bytes(), BASE)
    iris = IRIs(BASE)
    record = parse_file(str(path))
    graph = str(iris.graph(record.symbol or ""))
    assert prepared.doc.graphs == (graph,)
    quads = list(ox.parse(prepared.doc.nquads, ox.RdfFormat.N_QUADS))
    assert {str(q.graph_name) for q in quads} == {f"<{graph}>"}
    # the load time as the worker wrote it
    loaded_at = next(str(q.object.value) for q in quads if q.predicate.value.endswith("generatedAtTime"))
    provenance = Provenance(path.name, prepared.checksum, PARSER_VERSION, loaded_at)
    triples = list(record_triples(record, iris, provenance))
    want = _store_triples(ntriples_of(triples).encode(), ox.RdfFormat.N_TRIPLES)
    got = {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}
    assert got == want, f"{path.name}: missing {sorted(want - got)[:5]}, added {sorted(got - want)[:5]}"
    assert prepared.triples == len(want)
    plain = rows_of_triples(graph, (
        (str(s), str(p), str(o), (str(o.datatype) if o.datatype is not None else "")  # type: ignore[union-attr]
         if type(o).__name__ == "Literal" else None)
        for s, p, o in triples if str(p) in ROW_PREDICATES))
    assert prepared.rows == {graph: plain}
    assert plain is not None and plain[0], "every text here has indexed passages"


@pytest.mark.parametrize("name", ["A-RES-61-54.txt", "A-RES-72-117.json", "A-RES-80-1.railcar.md"])
def test_prepared_nquads_and_rows_are_the_mapping(name: str) -> None:
    _check_prepared(next(CORPUS.rglob(name)))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Forty texts of every layout the generator writes (raw, reflowed, Markdown, Security Council)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate_corpus

    out = tmp_path_factory.mktemp("generated")
    generate_corpus(out, 40, seed=5)
    return sorted(p for p in out.iterdir() if p.is_file() and not p.name.startswith("."))


def test_prepared_nquads_and_rows_of_generated_texts(generated: list[Path]) -> None:
    assert len(generated) == 40 and {p.suffix for p in generated} == {".txt", ".md"}
    for path in generated:
        _check_prepared(path)


def test_loaded_store_holds_the_prepared_quads(generated: list[Path], tmp_path: Path) -> None:
    """Through `load_paths` (workers, batches, one bulk load per batch), then again after each
    text changed (every graph replaced from its N-Quads), the store holds what the worker wrote."""
    with EmbeddedStore(tmp_path / "store") as store:
        for round_ in range(2):
            report = load_paths(store, generated, base_iri=BASE, jobs=2)
            assert report.count("loaded") == len(generated), report.summary()
            for path in generated:
                doc = prepare_text(str(path), path.read_bytes(), BASE).doc
                (graph,) = doc.graphs
                want = {(s, p, o) for s, p, o in _store_triples(doc.nquads, ox.RdfFormat.N_QUADS)
                        if not p.endswith("generatedAtTime>")}
                got = {(str(q.subject), str(q.predicate), str(q.object)) for q in store.quads(graph)
                       if not q.predicate.value.endswith("generatedAtTime")}
                assert got == want, f"{path.name}: missing {sorted(want - got)[:3]}, added {sorted(got - want)[:3]}"
            if round_ == 0:
                for path in generated:  # a changed text: same symbol, new checksum, graph replaced
                    path.write_bytes(path.read_bytes() + b"\n")
        passages = FulltextIndex.for_store(store).passages()
        assert len({p.graph for p in passages}) == len(generated)


G1, G2 = "http://example.org/g1", "http://example.org/g2"
TRICKY = 'x <http://example.org/g1> .\\n y'  # a literal that spells a line end, escaped


def _doc(graph: str, value: str) -> QuadsDocument:
    lines = (f'<http://example.org/s> <http://example.org/p> "{value}" <{graph}> .\n'
             f'<http://example.org/s> <http://example.org/q> <http://example.org/o> <{graph}> .\n')
    return QuadsDocument((graph,), lines.encode())


def test_quads_document_as_ntriples() -> None:
    doc = _doc(G1, TRICKY)
    nt = doc.ntriples()
    assert list(nt) == [G1]
    assert _store_triples(nt[G1].encode(), ox.RdfFormat.N_TRIPLES) == _store_triples(
        doc.nquads, ox.RdfFormat.N_QUADS)
    both = QuadsDocument((G1, G2), _doc(G1, "a").nquads + _doc(G2, TRICKY).nquads)
    nts = both.ntriples()
    assert _store_triples(nts[G2].encode(), ox.RdfFormat.N_TRIPLES) == _store_triples(
        _doc(G2, TRICKY).nquads, ox.RdfFormat.N_QUADS)
    assert len(nts[G1].splitlines()) == 2


def _values(store: EmbeddedStore, graph: str) -> set[str]:
    return {q.object.value for q in store.quads(graph) if not isinstance(q.object, ox.Triple)}


def test_write_documents_takes_quads_documents(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        assert store.write_documents([_doc(G1, TRICKY), _doc(G2, "b")]) == [None, None]
        assert store.bulk_loads == 1  # new graphs: one bulk load
        tricky = TRICKY.replace("\\n", "\n")
        assert tricky in _values(store, G1)
        # an existing graph is replaced (through SPARQL, from the document's N-Triples)
        assert store.write_documents([_doc(G1, "changed")]) == [None]
        values = _values(store, G1)
        assert "changed" in values and tricky not in values and len(values) == 2
        assert store.count(G2) == 2
        # an empty document drops its graph
        assert store.write_documents([QuadsDocument((G2,), b"")]) == [None]
        assert store.count(G2) == 0


def test_many_passages_of_one_graph_keep_their_order_and_ids(tmp_path: Path) -> None:
    rows = [Passage(G1, f"{G1}/p/{i}", "A/RES/1/1", "operative", str(i), "1", f"text number{i} here")
            for i in range(1, 301)]  # more than one INSERT's worth
    with FulltextIndex(tmp_path / "fulltext.sqlite") as index:
        index._write([(G1, rows, "fp1")])
        assert index.passages(G1) == rows
        hits = index.search("number250")
        assert [h.iri for h in hits] == [f"{G1}/p/250"]
        index._write([(G1, rows[:3], "fp2")])  # replaced: the old rows leave the FTS table too
        assert index.passages(G1) == rows[:3] and index.search("number250") == []
    con = sqlite3.connect(str(tmp_path / "fulltext.sqlite"))
    ids = [r[0] for r in con.execute("SELECT id FROM passage ORDER BY id")]
    con.close()
    assert len(ids) == 3 and ids == sorted(ids)
