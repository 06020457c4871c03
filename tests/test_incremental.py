"""Incremental validation: after every kind of change to the store, the run that reuses the cache
(per-graph results, and cross-document checks only for the nodes the changed graphs touch) gives
exactly what a full run without the cache gives."""

from __future__ import annotations

import logging
import re
import shutil
import sys
from pathlib import Path

import pytest

from unkg.loader import load_paths
from unkg.store import EmbeddedStore
from unkg.validation import ValidationReport, public_fields, validate_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate_corpus  # noqa: E402

BASE = "https://w3id.org/unkg/"
DANGLING = "https://w3id.org/unkg/shapes#CitedDocumentInStoreShape"
DUPLICATE = "https://w3id.org/unkg/shapes#DuplicateSymbolCheck"


def _rows(report: ValidationReport) -> list[tuple[object, ...]]:
    return [tuple(sorted(public_fields(r).items())) for r in report.results]


def _same_as_full_run(st: EmbeddedStore, caplog: pytest.LogCaptureFixture) -> tuple[ValidationReport, int]:
    """The cached run, checked against a full run; and how many nodes it re-checked across documents."""
    caplog.clear()
    cached = validate_store(st, BASE)
    again = [r.getMessage() for r in caplog.records if "cross-document checks again" in r.getMessage()]
    full = validate_store(st, BASE, cache=False)
    missing = sorted(set(_rows(full)) - set(_rows(cached)))
    extra = sorted(set(_rows(cached)) - set(_rows(full)))
    assert not missing and not extra, f"missing from the cached run: {missing}\nonly in the cached run: {extra}"
    assert _rows(cached) == _rows(full)  # the same order too
    m = re.search(r"again for (\d+) nodes", again[-1]) if again else None
    return cached, int(m.group(1)) if m else -1


def _of(report: ValidationReport, shape: str) -> set[tuple[str, str | None]]:
    return {(r.focus, r.source) for r in report.results if r.shape == shape}


def test_incremental_cross_document_checks_follow_every_kind_of_change(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="unkg.validation")
    corpus = tmp_path / "corpus"
    generate_corpus(corpus, 40, seed=5)
    files = sorted(corpus.iterdir())
    early, late = tmp_path / "early", tmp_path / "late"
    for d, part in ((early, files[:20]), (late, files[20:])):
        d.mkdir()
        for f in part:
            shutil.copy(f, d / f.name)
    st = EmbeddedStore(tmp_path / "store")

    # the later texts alone: what they recall is missing
    assert not load_paths(st, [late], base_iri=BASE).failed
    first, again = _same_as_full_run(st, caplog)
    assert again == -1  # nothing cached yet: a full run
    dangling_before = _of(first, DANGLING)
    assert dangling_before

    # the earlier texts arrive: citations to them are no longer dangling, others stay
    assert not load_paths(st, [early], base_iri=BASE).failed
    second, again = _same_as_full_run(st, caplog)
    assert 0 < again
    assert _of(second, DANGLING) < dangling_before | _of(second, DANGLING)
    assert len(_of(second, DANGLING)) < len(dangling_before) + 20 * 5

    # nothing changed: nothing re-checked across documents
    third, again = _same_as_full_run(st, caplog)
    assert again == 0 and _rows(third) == _rows(second)

    # one document's graph loaded again from an RDF file under another document IRI, with the
    # same symbol: a duplicate, reported for both documents
    first_doc = sorted(st.source_records().items())[3]
    graph, doc = first_doc[0], first_doc[1]["describes"]
    twin = tmp_path / "twin.nt"
    twin.write_text("\n".join(line.replace(f"<{doc}", f"<{doc}-twin") for line in st.nquads_lines(graph)) + "\n")
    outcome = load_paths(st, [twin], base_iri=BASE).outcomes[0]
    assert outcome.status == "loaded" and outcome.graph
    fourth, again = _same_as_full_run(st, caplog)
    assert 0 < again < 200  # the twin's nodes, not the store's
    assert {f for f, _src in _of(fourth, DUPLICATE)} == {doc, doc + "-twin"}

    # the twin removed: the duplicate goes
    st.remove_graph(outcome.graph)
    fifth, _again = _same_as_full_run(st, caplog)
    assert not _of(fifth, DUPLICATE)
    assert _rows(fifth) == _rows(third)

    # a cited document removed: its citations dangle again, named in the graphs that cite it
    cited = {f for f, _src in dangling_before - _of(second, DANGLING)}
    assert cited
    victim = sorted(cited)[0]
    graph = next(g for g, rec in st.source_records().items() if rec.get("describes") == victim)
    st.remove_graph(graph)
    sixth, _again = _same_as_full_run(st, caplog)
    assert victim in {f for f, _src in _of(sixth, DANGLING)}

    # an edited text that now recalls a resolution nobody loaded
    edited = late / files[25].name
    text = edited.read_text()
    edited.write_text(re.sub(r"(Recalling [^\n]*?resolution )(\d+/\d+)", r"\g<1>99/999", text, count=1)
                      if "Recalling" in text else text + "\n")
    assert load_paths(st, [edited], base_iri=BASE).count("loaded") == 1
    _same_as_full_run(st, caplog)

    # everything removed but one graph: the cache forgets the rest
    for g in st.named_graphs()[1:]:
        st.remove_graph(g)
    _same_as_full_run(st, caplog)
