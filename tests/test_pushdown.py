"""Parameter pushdown: the VALUES copies go only where they cannot change an answer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import unkg.queries as queries
from unkg.fulltext import resolver
from unkg.iris import IRIs
from unkg.loader import load_paths
from unkg.pushdown import push_values
from unkg.queries import QueryResult, bind_params, inline_values, library, parse_query_file, run_local
from unkg.store import EmbeddedStore

TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
BASE = "https://w3id.org/unkg/"
EX = "http://example.org/"
T = f"<{EX}t>"
BLOCK = f"VALUES ?v {{ {T} }}"


def pushed(query: str) -> str:
    """The query after pushdown of ?v (without the outer block), and where the copies went."""
    pos = re.search(r"WHERE\s*\{", query)
    assert pos
    return push_values(query, pos.end(), {"v": BLOCK})


def copies(query: str) -> int:
    return pushed(query).count(BLOCK)


@pytest.mark.parametrize("query, expected", [
    # a group joined with the outer one, whose own patterns bind ?v
    ("SELECT * WHERE { GRAPH ?g { ?s <p> ?v } }", 1),
    ("SELECT * WHERE { GRAPH <g> { ?s <p> ?v } }", 1),
    ("SELECT * WHERE { { ?s <p> ?v } UNION { ?s <q> ?v } }", 2),
    # a plain OPTIONAL is read row by row already; a subquery in one is not
    ("SELECT * WHERE { ?s <p> ?o OPTIONAL { ?s <q> ?v } }", 0),
    ("SELECT * WHERE { ?s <p> ?o OPTIONAL { SELECT ?s ?v WHERE { ?s <q> ?v } } }", 1),
    # nested: into the GRAPH group, then into its OPTIONAL subquery (whose left side now binds ?v)
    ("SELECT * WHERE { GRAPH ?g { ?s <p> ?v OPTIONAL { SELECT ?v ?x WHERE { ?v <q> ?x } } } }", 2),
    # a subquery that projects ?v and keeps all its rows
    ("SELECT * WHERE { { SELECT DISTINCT ?v ?s WHERE { ?s <p> ?v } } }", 1),
    ("SELECT * WHERE { OPTIONAL { SELECT * WHERE { ?s <p> ?v } } }", 1),
    # not: ?v only in an expression, EXISTS, MINUS, SERVICE or an inner group of the group
    ("SELECT * WHERE { { ?s <p> ?o FILTER(?o = ?v) } }", 0),
    ("SELECT * WHERE { { ?s <p> ?o FILTER NOT EXISTS { ?s <q> ?v } } }", 0),
    ("SELECT * WHERE { ?s <p> ?o MINUS { ?s <q> ?v } }", 0),
    ("SELECT * WHERE { FILTER EXISTS { ?s <q> ?v } }", 0),
    ("SELECT * WHERE { SERVICE <http://x/sparql> { ?s <q> ?v } }", 0),
    ("SELECT * WHERE { { ?s <p> ?o OPTIONAL { ?s <q> ?v } } }", 0),
    ("SELECT * WHERE { { ?s <p> ?o BIND(?o AS ?w) } }", 0),
    # not: a subquery that does not project ?v (its ?v is another variable), or cuts rows
    ("SELECT * WHERE { { SELECT ?s WHERE { ?s <p> ?v } } }", 0),
    ("SELECT * WHERE { { SELECT ?v ?s WHERE { ?s <p> ?v } LIMIT 1 } }", 0),
    ("SELECT * WHERE { { SELECT ?v ?s WHERE { ?s <p> ?v } OFFSET 2 } }", 0),
    ("SELECT * WHERE { { SELECT (?x AS ?v) WHERE { ?s <p> ?x } } }", 0),
    # data blocks are not groups
    ("SELECT * WHERE { VALUES ?v { <a> } ?s <p> ?o }", 0),
    # braces and variables in strings, IRIs and comments do not count
    ('SELECT * WHERE { ?s <p> "{ ?v }" . # { ?s <p> ?v }\n ?s <q> ?o }', 0),
    ("SELECT * WHERE { ?s <p> ?o . FILTER(?o != '}') { ?s <q> ?v } }", 1),
])
def test_where_the_copies_go(query: str, expected: int) -> None:
    assert copies(query) == expected, pushed(query)


def test_unbalanced_text_is_left_alone() -> None:
    q = "SELECT * WHERE { GRAPH ?g { ?s <p> ?v } "
    assert push_values(q, q.index("{") + 1, {"v": BLOCK}) == q


# ---- the answers do not change ------------------------------------------------------------

DATA = f"""
<{EX}s1> <{EX}p> <{EX}o1> .
<{EX}s1> <{EX}q> <{EX}other> .
<{EX}s2> <{EX}p> <{EX}o2> .
<{EX}s2> <{EX}q> <{EX}t> .
<{EX}s3> <{EX}r> <{EX}other> .
<{EX}s4> <{EX}r> <{EX}t> .
<{EX}s1> <{EX}p> <{EX}t> <{EX}g1> .
<{EX}s2> <{EX}q> <{EX}t> <{EX}g2> .
"""

# Each of these would give another answer if ?v were bound inside the group it avoids: the
# "unsafe" copy is made by hand below to show that the test can tell.
UNSAFE = {
    "not-exists": (f"SELECT ?s ?v WHERE {{ {{ ?s <{EX}p> ?o FILTER NOT EXISTS {{ ?s <{EX}q> ?v }} }} }}",
                   "{ ?s <%sp>" % EX),
    "limit": (f"SELECT ?s ?v WHERE {{ {{ SELECT ?v ?s WHERE {{ ?s <{EX}r> ?v }} ORDER BY ?s LIMIT 1 }} }}",
              "WHERE { ?s <%sr>" % EX),
    "not-projected": (f"SELECT ?s ?v WHERE {{ {{ SELECT ?s WHERE {{ ?s <{EX}r> ?v }} }} }}",
                      "WHERE { ?s <%sr>" % EX),
    # a MINUS row that shares no variable with the left side removes nothing; bound ?v, it would
    "minus": (f"SELECT ?s ?v WHERE {{ ?s <{EX}p> ?o MINUS {{ ?a <{EX}q> ?b OPTIONAL {{ ?b <{EX}none> ?v }} }} }}",
              "MINUS {"),
    "inner-optional": (f"SELECT ?s ?v WHERE {{ {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}q> ?v }} }} }}",
                       "OPTIONAL {"),
}
SAFE = {
    "graph": f"SELECT ?s ?g ?v WHERE {{ GRAPH ?g {{ ?s ?p ?v }} }}",
    "optional": f"SELECT ?s ?o ?v WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ SELECT ?s ?v WHERE {{ ?s <{EX}q> ?v }} }} }}",
    "union": f"SELECT ?s ?v WHERE {{ {{ ?s <{EX}p> ?v }} UNION {{ ?s <{EX}r> ?v }} }}",
    "subquery": f"SELECT ?s ?v ?n WHERE {{ {{ SELECT ?v (COUNT(?s) AS ?n) WHERE {{ ?s ?p ?v }} GROUP BY ?v }} }}",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    st = ox.Store()
    st.load(DATA.encode(), ox.RdfFormat.N_QUADS)
    return st


def rows(store: Any, text: str) -> list[tuple[str, ...]]:
    res = store.query(text, use_default_graph_as_union=True)
    return sorted(tuple(str(x) if x is not None else "" for x in row) for row in res)


def bind(query: str, push: bool) -> str:
    m = re.search(r"WHERE\s*\{", query)
    assert m
    text = push_values(query, m.end(), {"v": BLOCK}) if push else query
    return text[:m.end()] + " " + BLOCK + " " + text[m.end():]


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_no_copy_where_it_would_change_the_answer(small: ox.Store, name: str) -> None:
    query, group_start = UNSAFE[name]
    assert rows(small, bind(query, push=True)) == rows(small, bind(query, push=False))
    # the copy the pushdown avoided would have changed the answer
    at = query.index(group_start) + len(group_start.split("{")[0]) + 1
    unsafe = query[:at] + " " + BLOCK + " " + query[at:]
    assert rows(small, bind(unsafe, push=False)) != rows(small, bind(query, push=False)), name


@pytest.mark.parametrize("name", sorted(SAFE))
def test_copies_keep_the_answer(small: ox.Store, name: str) -> None:
    query = SAFE[name]
    assert copies(query) >= 1, pushed(query)
    assert rows(small, bind(query, push=True)) == rows(small, bind(query, push=False))
    assert rows(small, bind(query, push=False)), "the case needs rows to compare"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    st = EmbeddedStore(tmp_path_factory.mktemp("push") / "store")
    assert not load_paths(st, [TEXTS], base_iri=BASE).failed
    return st


def _answer(result: QueryResult) -> list[str]:
    """The rows as sorted strings; a GROUP_CONCAT's parts sorted (SPARQL leaves their order open)."""
    def cell(term: Any) -> str:
        return " ".join(sorted(re.split(r"[ ,]+", str(getattr(term, "value", term)))))
    if result.form == "SELECT":
        return sorted(repr([cell(r.get(v)) for v in result.variables]) for r in result.rows)
    return sorted(str(t) for t in result.triples)


@pytest.mark.parametrize("name", sorted(library()))
def test_library_answers_do_not_change(corpus: EmbeddedStore, name: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    q = library()[name]
    terms = bind_params(q, {}, IRIs(BASE), resolver(corpus))
    with_push = run_local(corpus, q, terms, fresh=True)  # evaluated, not a stored answer
    monkeypatch.setattr(queries, "push_values", lambda text, pos, blocks: text)
    without = run_local(corpus, q, terms, fresh=True)
    assert _answer(with_push) == _answer(without)


def test_agenda_inclusions_starts_from_the_session() -> None:
    q = parse_query_file(Path(__file__).parents[1] / "queries" / "agenda-inclusions.rq")
    text = inline_values(q.text, bind_params(q, {"session": "62"}, IRIs(BASE)))
    # outer block, and copies in the GRAPH group and in the subquery that projects ?session
    assert text.count(f"<{BASE}session/ga/62>") == 3, text
