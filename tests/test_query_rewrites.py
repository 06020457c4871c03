"""Queries rewritten for speed give the rows their previous text gave.

tests/data/queries-before/ holds each rewritten query as it was; both versions run on the same
store (a generated corpus whose citations chain across sessions, and the real corpus) with every
parameter value the data offers, and must agree row for row (as multisets: ties in ORDER BY may
come in another order).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from unkg.fulltext import resolver
from unkg.iris import IRIs
from unkg.loader import load_paths
from unkg.queries import LibraryQuery, QueryResult, bind_params, library, parse_query_file, run_local
from unkg.store import EmbeddedStore

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate_corpus  # noqa: E402

BASE = "https://w3id.org/unkg/"
BEFORE = Path(__file__).parent / "data" / "queries-before"
TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
REWRITTEN = sorted(p.stem for p in BEFORE.glob("*.rq"))
SAMPLE = 25


@pytest.fixture(scope="module", params=["generated", "corpus"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    if request.param == "generated":
        texts = tmp_path_factory.mktemp("gen") / "texts"
        generate_corpus(texts, 120, seed=11)  # ten sessions of twelve: chains ten deep
    else:
        texts = TEXTS
    st = EmbeddedStore(tmp_path_factory.mktemp("rewrites") / "store")
    report = load_paths(st, [texts], base_iri=BASE)
    assert not report.failed
    return st


def _values(st: EmbeddedStore, sparql: str) -> list[str]:
    return sorted({row[0].value for row in st.query(sparql)})  # type: ignore[union-attr]


def _param_values(st: EmbeddedStore, name: str, ptype: str) -> list[str]:
    """Every value the data offers for a parameter, at most SAMPLE of them (evenly spread)."""
    u = "https://w3id.org/unkg/ontology#"
    if ptype == "doc" and name == "resolution":  # every loaded document
        found = _values(st, f"SELECT ?s WHERE {{ ?g <{u}describes> ?d . ?d <{u}symbol> ?s }}")
    elif ptype == "doc":  # every cited document
        found = _values(st, f"SELECT ?s WHERE {{ ?x <http://data.europa.eu/eli/ontology#cites> ?d . "
                            f"?d <{u}symbol> ?s }}")
    elif ptype == "session":  # every session a resolution belongs to, or a mandate or inclusion names
        found = _values(st, f"SELECT ?n WHERE {{ {{ ?x <{u}session> ?s }} UNION {{ ?x <{u}dueSession> ?s }} "
                            f"UNION {{ ?x <{u}inclusionSession> ?s }} ?s <{u}sessionNumber> ?n }}")
    elif ptype == "fulltext":  # common and rare words, a phrase, an expression
        return ["development", "security", "climate", '"human rights"', "peace AND security", "zzzz"]
    else:
        raise AssertionError(f"no values for parameter type {ptype}")
    step = max(1, len(found) // SAMPLE)
    return found[::step]


def _concatenated(q: LibraryQuery) -> set[str]:
    """Variables a GROUP_CONCAT makes: SPARQL leaves the order of their parts to the engine."""
    return set(re.findall(r"GROUP_CONCAT\(.*?\)\s+AS\s+\?(\w+)", q.text, flags=re.S))


def _rows(result: QueryResult, concatenated: set[str] = set()) -> Counter[tuple[str, ...]]:
    if result.form == "GRAPH":
        return Counter((str(t.subject), str(t.predicate), str(t.object)) for t in result.triples)

    def cell(v: str, term: object) -> str:
        if term is None:
            return ""
        if v in concatenated:  # the same parts in any order
            return " ".join(sorted(str(term).strip('"').split(" ")))
        return str(term)

    return Counter(tuple(cell(v, row[v]) for v in result.variables) for row in result.rows)


def _run(st: EmbeddedStore, q: LibraryQuery, values: dict[str, str]) -> Counter[tuple[str, ...]]:
    return _rows(run_local(st, q, bind_params(q, values, IRIs(BASE), resolver(st)), fresh=True),
                 _concatenated(q))


def test_every_rewrite_is_in_the_library() -> None:
    assert REWRITTEN and set(REWRITTEN) <= set(library())


@pytest.mark.parametrize("name", REWRITTEN)
def test_rewritten_query_gives_the_previous_rows(store: EmbeddedStore, name: str) -> None:
    new = library()[name]
    old = parse_query_file(BEFORE / f"{name}.rq")
    assert [(p.name, p.type) for p in new.params] == [(p.name, p.type) for p in old.params]
    cases: list[dict[str, str]] = [{}]
    for p in new.params:
        cases = [{**c, p.name: v} for c in cases for v in _param_values(store, p.name, p.type)]
    answered = 0
    for values in cases:
        want, got = _run(store, old, values), _run(store, new, values)
        missing, added = want - got, got - want
        assert not missing and not added, f"{name} {values}: missing {list(missing)[:5]}, added {list(added)[:5]}"
        answered += bool(got)
    assert answered, f"{name}: no parameter value gave any row, so the comparison proves nothing"
