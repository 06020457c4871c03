"""The benchmark corpus generator: deterministic texts that `unkg load` parses whole, whose
citations, mandates and votes arrive in the graph as the generator stated them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from unkg.cli import cli
from unkg.iris import IRIs
from unkg.parser import parse_file
from unkg.store import EmbeddedStore

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import Generated, generate_corpus, ordinal_words  # noqa: E402

BASE = "https://w3id.org/unkg/"
COUNT = 36  # three sessions of twelve: chains three deep


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Generated]]:
    out = tmp_path_factory.mktemp("generated") / "texts"
    return out, generate_corpus(out, COUNT, seed=7)


@pytest.fixture(scope="module")
def loaded(corpus: tuple[Path, list[Generated]], tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[Path, str]:
    store = tmp_path_factory.mktemp("generated-store") / "store"
    result = CliRunner().invoke(cli, ["--store", str(store), "load", str(corpus[0])],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return store, result.stderr


def _files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def test_same_seed_same_bytes_other_seed_other_texts(corpus: tuple[Path, list[Generated]],
                                                    tmp_path: Path) -> None:
    again = generate_corpus(tmp_path / "again", COUNT, seed=7)
    assert _files(tmp_path / "again") == _files(corpus[0])
    assert [g.symbol for g in again] == [g.symbol for g in corpus[1]]
    generate_corpus(tmp_path / "other", COUNT, seed=8)
    other = _files(tmp_path / "other")
    assert other != _files(corpus[0])


def test_every_layout_and_count(corpus: tuple[Path, list[Generated]]) -> None:
    out, made = corpus
    assert len(made) == COUNT
    assert len([p for p in out.iterdir() if not p.name.startswith(".")]) == COUNT
    assert {g.layout for g in made} >= {"raw", "reflowed", "md"}
    assert (out / ".manifest.json").is_file()


def test_ordinals() -> None:
    assert ordinal_words(72) == "seventy-second"
    assert ordinal_words(80) == "eightieth"
    assert ordinal_words(11) == "eleventh"
    assert ordinal_words(1) == "first"


def test_parser_reads_what_the_generator_wrote(corpus: tuple[Path, list[Generated]]) -> None:
    """Each text parses with no warning into the record the generator meant."""
    out, made = corpus
    problems = []
    for g in made:
        rec = parse_file(str(out / g.file))
        got = {
            "symbol": rec.symbol, "adopted": rec.adopted, "warnings": [w.message for w in rec.warnings],
            "cites": sorted({c.symbol for c in rec.cites}),
            "preambular": len(rec.preambular), "operative": len(rec.operative),
            "mandates": sorted(int(m.due_session) for m in rec.mandates if m.due_session),
            "inclusions": sorted(int(a.session) for a in rec.agenda_inclusions if a.session),
            "conferences": sorted(c.name for c in rec.conferences),
        }
        want = {
            "symbol": g.symbol, "adopted": g.adopted, "warnings": [],
            "cites": sorted(set(g.cites) | set(g.footnote_cites)),
            "preambular": g.preambular, "operative": g.operative,
            "mandates": g.mandates, "inclusions": g.agenda_inclusions,
            "conferences": sorted(g.conferences),
        }
        if got != want:
            problems.append((g.file, {k: (got[k], want[k]) for k in got if got[k] != want[k]}))
        assert set(g.reports) <= set(rec.documents) | set(rec.reports), g.file
        if g.vote is not None:
            assert rec.vote is not None and [rec.vote.yes, rec.vote.no or 0, rec.vote.abstain or 0] == g.vote
    assert not problems, problems


def test_load_has_no_warnings_and_the_citations_are_in_the_graph(
        corpus: tuple[Path, list[Generated]], loaded: tuple[Path, str]) -> None:
    out, made = corpus
    store_dir, messages = loaded
    assert "warning:" not in messages and "failed:" not in messages, messages
    assert f"{COUNT} loaded, 0 unchanged, 0 failed" in messages
    iris = IRIs(BASE)
    cites = "<http://data.europa.eu/eli/ontology#cites>"
    with EmbeddedStore(store_dir, read_only=True) as st:
        edges = {(r["s"].value, r["o"].value) for r in st.query(  # type: ignore[union-attr]
            f"SELECT ?s ?o WHERE {{ ?s {cites} ?o }}")}
        for g in made:
            for target in set(g.cites) | set(g.footnote_cites):
                assert (str(iris.document(g.symbol)), str(iris.document(target))) in edges, (g.symbol, target)


def test_citation_chains_cross_sessions(corpus: tuple[Path, list[Generated]],
                                        loaded: tuple[Path, str]) -> None:
    """Some resolution of the last session reaches one of the first session through its series."""
    _, made = corpus
    first = min(int(g.session) for g in made if g.session)
    last = max(int(g.session) for g in made if g.session)
    by = {g.symbol: g for g in made}

    def reach(sym: str) -> set[str]:
        seen: set[str] = set()
        todo = [sym]
        while todo:
            for t in by[todo.pop()].cites:
                if t not in seen and t in by:
                    seen.add(t)
                    todo.append(t)
        return seen

    deep = [g.symbol for g in made if g.session == str(last)
            and any(s.startswith(f"A/RES/{first}/") for s in reach(g.symbol))]
    assert deep, "no citation chain from the last session back to the first"
    result = CliRunner().invoke(cli, ["--store", str(loaded[0]), "query", "citation-chain",
                                      "-p", f"resolution={deep[0]}", "--format", "csv"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for sym in reach(deep[0]):
        assert sym in result.stdout, (deep[0], sym)
