"""The store's change journal: every write through unkg is recorded before it happens, and
`unkg validate` reads only the graphs the journal names."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from unkg import changes
from unkg.loader import load_paths
from unkg.store import EmbeddedStore
from unkg.validation import public_fields, validate_store

TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
BASE = "https://w3id.org/unkg/"


@pytest.fixture()
def texts(tmp_path: Path) -> Path:
    d = tmp_path / "texts"
    d.mkdir()
    for f in sorted(TEXTS.glob("A-RES-7*.txt"))[:5]:
        shutil.copy(f, d / f.name)
    return d


def test_every_write_is_recorded(texts: Path, tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as st:
        assert changes.position(st.path) is None  # nothing written yet
        load_paths(st, [texts], base_iri=BASE)
        start = changes.position(st.path)
        assert start is not None and start.seq >= 1
        graphs = st.named_graphs()
        assert changes.written_since(st.path, changes.Position(start.epoch, 0)) == graphs
        assert changes.written_since(st.path, start) == []

        edited = texts / sorted(p.name for p in texts.iterdir())[1]
        edited.write_text(edited.read_text() + "\n\n")
        report = load_paths(st, [edited], base_iri=BASE)
        assert report.count("loaded") == 1
        assert changes.written_since(st.path, start) == [report.outcomes[0].graph]

        after_edit = changes.position(st.path)
        assert after_edit is not None and after_edit.seq > start.seq
        st.remove_graph(graphs[0])
        assert changes.written_since(st.path, after_edit) == [graphs[0]]
        # unchanged texts are not written, so not recorded; the removed one comes back
        pos = changes.position(st.path)
        assert load_paths(st, [texts], base_iri=BASE).count("unchanged") == 4
        assert pos is not None and changes.written_since(st.path, pos) == [graphs[0]]


def test_another_journal_means_everything(texts: Path, tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as st:
        load_paths(st, [texts], base_iri=BASE)
        pos = changes.position(st.path)
        assert pos is not None
        (st.path / changes.JOURNAL_FILE).unlink()
        assert changes.written_since(st.path, pos) is None  # no journal: cannot say
        st.remove_graph(st.named_graphs()[0])  # a new journal, another epoch
        assert changes.written_since(st.path, pos) is None
        assert changes.Position.parse(str(pos)) == pos
        assert changes.Position.parse("garbage") is None


def test_validate_reads_only_what_the_journal_names(texts: Path, tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="unkg.validation")
    with EmbeddedStore(tmp_path / "s") as st:
        load_paths(st, [texts], base_iri=BASE)
        validate_store(st, BASE)
        edited = texts / sorted(p.name for p in texts.iterdir())[2]
        edited.write_text("".join(line for line in edited.read_text().splitlines(keepends=True)
                                  if not line.startswith("Distr.")))
        assert load_paths(st, [edited], base_iri=BASE).count("loaded") == 1
        caplog.clear()
        after = validate_store(st, BASE)
        assert "the change journal names 1 graphs" in caplog.text
        assert "5 graphs, 4 cached, 1 to check" in caplog.text
        full = validate_store(st, BASE, cache=False)
        assert [public_fields(r) for r in after.results] == [public_fields(r) for r in full.results]
        assert any(r.source == edited.name and r.path and r.path.endswith("#dateDistributed")
                   for r in after.results)

        # without a journal, validate looks at every graph and still gives the same answer
        (st.path / changes.JOURNAL_FILE).unlink()
        caplog.clear()
        again = validate_store(st, BASE)
        assert "change journal" not in caplog.text and "5 graphs, 5 cached, 0 to check" in caplog.text
        assert [public_fields(r) for r in again.results] == [public_fields(r) for r in full.results]
