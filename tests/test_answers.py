"""Stored answers of the whole-store library queries (unkg.answers): the same rows as evaluating
the query, and never returned once the store has been written since they were kept."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from unkg import answers, changes
from unkg.cli import cli
from unkg.loader import load_paths
from unkg.queries import QueryResult, library, parse_query_file, run_local
from unkg.store import EmbeddedStore

BASE = "https://w3id.org/unkg/"
TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
FIRST = sorted(TEXTS.glob("A-RES-7*.txt"))[:24]
LATER = sorted(TEXTS.glob("A-RES-80-*.txt"))[:6]
STORABLE = sorted(name for name, q in library().items() if answers.storable(q))


def _cells(result: QueryResult) -> list[tuple[str, ...]]:
    """Rows in order, each term in its N-Triples form (datatype and language included)."""
    return [tuple("" if row.get(v) is None else str(row[v]) for v in result.variables) for row in result.rows]


@pytest.fixture()
def store(tmp_path: Path) -> EmbeddedStore:
    texts = tmp_path / "texts"
    texts.mkdir()
    for f in FIRST:
        shutil.copy(f, texts / f.name)
    st = EmbeddedStore(tmp_path / "store")
    report = load_paths(st, [texts], base_iri=BASE)
    assert not report.failed
    return st


def test_the_whole_store_queries_are_the_ones_stored() -> None:
    assert {"resolutions-per-session", "resolutions-by-route", "dangling-references",
            "mandates-by-addressee", "shared-reports"} <= set(STORABLE)
    for name, q in library().items():
        assert answers.storable(q) == (not q.params and q.form == "SELECT"), name


def test_load_stores_every_answer_and_it_is_the_evaluated_one(store: EmbeddedStore) -> None:
    for name in STORABLE:
        q = library()[name]
        stored = answers.lookup(store.path, q)
        assert stored is not None, f"{name}: the load kept no answer"
        evaluated = run_local(store, q, {}, fresh=True)
        assert stored.variables == evaluated.variables, name
        assert _cells(stored) == _cells(evaluated), name
    assert any(answers.lookup(store.path, library()[n]).rows for n in STORABLE)  # type: ignore[union-attr]


def test_a_load_reports_the_queries_it_answered(tmp_path: Path) -> None:
    st = EmbeddedStore(tmp_path / "store")
    report = load_paths(st, FIRST[:3], base_iri=BASE)
    assert sorted(report.answered) == STORABLE
    again = load_paths(st, FIRST[:3], base_iri=BASE)  # unchanged texts: nothing written
    assert again.count("unchanged") == 3 and again.answered == {}


def test_a_write_makes_the_stored_answer_stale_until_it_is_evaluated_again(store: EmbeddedStore) -> None:
    q = library()["resolutions-per-session"]
    before = run_local(store, q, {})
    graph = next(g for g in store.named_graphs() if "A/RES/7" in g or "A-RES-7" in g or "/7" in g)
    store.replace_graphs({graph: ""})  # a write that is not a load: no refresh follows
    assert answers.lookup(store.path, q) is None
    after = run_local(store, q, {})
    assert _cells(after) == _cells(run_local(store, q, {}, fresh=True))
    assert _cells(after) != _cells(before)  # one resolution fewer somewhere
    kept = answers.lookup(store.path, q)  # the evaluation was kept (writable store)
    assert kept is not None and _cells(kept) == _cells(after)


def test_loading_more_documents_refreshes_the_answers(store: EmbeddedStore, tmp_path: Path) -> None:
    q = library()["resolutions-per-session"]
    total = lambda r: sum(int(row["resolutions"].value) for row in r.rows)  # noqa: E731
    before = total(run_local(store, q, {}))
    report = load_paths(store, LATER, base_iri=BASE)
    assert report.count("loaded") == len(LATER) and "resolutions-per-session" in report.answered
    stored = answers.lookup(store.path, q)
    assert stored is not None and total(stored) == before + len(LATER)


def _pretend_answers_took(store: EmbeddedStore, seconds: float) -> None:
    import sqlite3

    con = sqlite3.connect(store.path / answers.ANSWERS_FILE)
    with con:
        con.execute("UPDATE answers SET seconds = ?", (seconds / len(STORABLE),))
    con.close()


def test_a_small_load_into_a_store_whose_answers_are_slow_leaves_them_to_the_first_query(
        store: EmbeddedStore) -> None:
    assert answers.last_cost(store.path) is not None
    _pretend_answers_took(store, 600.0)  # as if the store were far larger than this load
    q = library()["resolutions-per-session"]
    total = lambda r: sum(int(row["resolutions"].value) for row in r.rows)  # noqa: E731
    before = total(answers.lookup(store.path, q))  # type: ignore[arg-type]
    report = load_paths(store, LATER[:1], base_iri=BASE)
    assert report.count("loaded") == 1 and report.answered == {}
    assert report.deferred == pytest.approx(600.0)
    assert answers.lookup(store.path, q) is None  # stale: never given
    first = run_local(store, q, {})  # evaluates, and keeps on this writable store
    assert total(first) == before + 1
    kept = answers.lookup(store.path, q)
    assert kept is not None and _cells(kept) == _cells(first) == _cells(run_local(store, q, {}, fresh=True))


def test_answer_true_or_false_overrides_the_estimate(store: EmbeddedStore) -> None:
    _pretend_answers_took(store, 600.0)
    forced = load_paths(store, LATER[:1], base_iri=BASE, answer=True)
    assert sorted(forced.answered) == STORABLE and forced.deferred is None
    never = load_paths(store, LATER[1:2], base_iri=BASE, answer=False)  # cheap answers, still left
    assert never.answered == {} and never.deferred is not None
    assert answers.lookup(store.path, library()["resolutions-per-session"]) is None
    nothing = load_paths(store, LATER[1:2], base_iri=BASE, answer=False)  # unchanged: no write
    assert nothing.count("unchanged") == 1 and nothing.deferred is None


def test_the_load_summary_says_where_the_answers_went(tmp_path: Path, store: EmbeddedStore) -> None:
    _pretend_answers_took(store, 600.0)
    store.close()
    result = CliRunner().invoke(cli, ["load", "--store", str(store.path), str(LATER[0])])
    assert result.exit_code == 0, result.output
    assert "whole-store queries left to the first `unkg query` that asks (they took 600.0 s last time)" \
        in result.stderr


def test_an_edited_query_text_is_evaluated(store: EmbeddedStore) -> None:
    q = library()["resolutions-per-session"]
    edited = replace(q, text=q.text.replace("ORDER BY ?session ?committee", "ORDER BY DESC(?session) ?committee"))
    assert answers.lookup(store.path, edited) is None
    assert _cells(run_local(store, edited, {})) == _cells(run_local(store, edited, {}, fresh=True))


def test_a_query_file_of_the_users_is_never_stored(store: EmbeddedStore, tmp_path: Path) -> None:
    lib = library()["resolutions-per-session"]
    own = tmp_path / "resolutions-per-session.rq"  # same name and text, not the library's file
    own.write_text(lib.text)
    q = parse_query_file(own)
    assert not answers.storable(q)
    run_local(store, q, {})
    stored = answers.lookup(store.path, lib)
    assert stored is not None  # the library's own answer is still there, untouched


def test_a_write_during_the_evaluation_is_not_hidden(store: EmbeddedStore,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal position is read before evaluating: a write that lands meanwhile leaves the
    kept answer stale, so the next run evaluates again."""
    q = library()["dangling-references"]
    store.replace_graphs({f"{BASE}graph/file/extra": ""})  # make the stored answer stale
    real_query = store.query

    def query_then_write(sparql: str, union_default_graph: bool = True):  # type: ignore[no-untyped-def]
        out = real_query(sparql, union_default_graph)
        changes.record(store.path, [f"{BASE}graph/file/other"])  # another writer's record
        return out

    monkeypatch.setattr(store, "query", query_then_write)
    run_local(store, q, {})
    monkeypatch.undo()
    assert answers.lookup(store.path, q) is None


def test_a_read_only_store_evaluates_and_keeps_nothing(store: EmbeddedStore) -> None:
    q = library()["mandates-by-addressee"]
    store.replace_graphs({f"{BASE}graph/file/extra": ""})
    path = store.path
    store.close()
    with EmbeddedStore(path, read_only=True) as ro:
        result = run_local(ro, q, {})
        assert _cells(result) == _cells(run_local(ro, q, {}, fresh=True))
        assert answers.lookup(path, q) is None


def test_an_unreadable_answers_file_is_replaced(store: EmbeddedStore) -> None:
    q = library()["resolutions-by-route"]
    want = _cells(run_local(store, q, {}, fresh=True))
    (store.path / answers.ANSWERS_FILE).write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (store.path / (answers.ANSWERS_FILE + suffix)).unlink(missing_ok=True)
    assert answers.lookup(store.path, q) is None
    assert _cells(run_local(store, q, {})) == want  # evaluated, and kept in a new file
    kept = answers.lookup(store.path, q)
    assert kept is not None and _cells(kept) == want


def test_cli_query_fresh_and_the_load_log(tmp_path: Path) -> None:
    runner = CliRunner()
    store = tmp_path / "store"
    loaded = runner.invoke(cli, ["--store", str(store), "load", *map(str, FIRST[:4])])
    assert loaded.exit_code == 0, loaded.output
    assert "whole-store queries" in loaded.stderr
    stored = runner.invoke(cli, ["--store", str(store), "query", "resolutions-per-session", "-f", "csv"])
    fresh = runner.invoke(cli, ["--store", str(store), "query", "resolutions-per-session", "-f", "csv", "--fresh"])
    assert stored.exit_code == 0 and fresh.exit_code == 0, stored.output + fresh.output
    assert stored.stdout == fresh.stdout and stored.stdout.count("\n") > 1


def test_every_kind_of_term_comes_back_as_it_was() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    rows: list[dict[str, Any]] = [
        {"a": ox.NamedNode("https://example.org/x"), "b": ox.Literal("1", datatype=ox.NamedNode(xsd + "integer")),
         "c": ox.Literal("Paix", language="fr"), "d": ox.Literal("plain"), "e": None},
        {"a": ox.NamedNode("https://example.org/x"), "b": ox.Literal("2020", datatype=ox.NamedNode(xsd + "gYear")),
         "c": ox.BlankNode("b0"), "d": ox.Literal("plain"), "e": None},
        {"a": None, "b": ox.Literal("2020-01-02", datatype=ox.NamedNode(xsd + "date")),
         "c": ox.Literal("Peace", language="en"), "d": ox.Literal("other"), "e": None},
    ]
    variables = ["a", "b", "c", "d", "e"]
    back_vars, back = answers._decode(json.loads(json.dumps(answers._encode(variables, rows))))
    assert back_vars == variables
    assert [[None if r[v] is None else str(r[v]) for v in variables] for r in back] == \
           [[None if r[v] is None else str(r[v]) for v in variables] for r in rows]
    assert answers._decode(answers._encode(variables, [])) == (variables, [])


def test_a_write_that_bypasses_unkg_needs_fresh_which_keeps_the_new_answer(store: EmbeddedStore) -> None:
    """The journal does not see writes made on the store directly (documented): the stale answer
    comes back until `fresh=True`, which evaluates and keeps the new one."""
    q = library()["resolutions-per-session"]
    before = _cells(run_local(store, q, {}))
    graph = next(g for g in store.named_graphs() if "/A/RES/7" in g)
    store.raw.update(f"DROP GRAPH <{graph}>")  # pyoxigraph itself: no journal record
    assert _cells(run_local(store, q, {})) == before  # the limitation, as documented
    fresh = run_local(store, q, {}, fresh=True)
    assert _cells(fresh) != before
    assert _cells(run_local(store, q, {})) == _cells(fresh)
