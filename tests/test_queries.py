"""Every library query runs on the loaded corpus, and its answer agrees with the parsed records."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from unkg.errors import QueryError
from unkg.fulltext import resolver
from unkg.iris import IRIs
from unkg.mapper import document_class
from unkg.vocab import UNKG
from unkg.loader import load_paths
from unkg.parser import parse_file
from unkg.queries import (QueryResult, bind_params, find_query, inline_values, library,
                          parse_query_file, run_local)
from unkg.record import Record
from unkg.store import EmbeddedStore

TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
BASE = "https://w3id.org/unkg/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    st = EmbeddedStore(tmp_path_factory.mktemp("q") / "store")
    report = load_paths(st, [TEXTS], base_iri=BASE)
    assert not report.failed
    return st


@pytest.fixture(scope="module")
def records() -> dict[str, Record]:
    out = {}
    for path in sorted(TEXTS.iterdir()):
        r = parse_file(path)
        assert r.symbol
        out[r.symbol] = r
    return out


def title_key(title: str | None) -> str:
    """What series-lineage and agenda-inclusions compare titles by (their SPARQL key)."""
    return re.sub(r"^ | $", "", re.sub(r"[\s\-\u2010\u2011\u2013\u2014.,;:'\u2019\"()/]+", " ", (title or "").lower()))


def ask(store: EmbeddedStore, name: str, **params: str) -> QueryResult:
    q = find_query(name)
    return run_local(store, q, bind_params(q, params, IRIs(BASE), resolver(store)))


def column(result: QueryResult, var: str) -> list[str]:
    return [str(row[var].value) for row in result.rows if row.get(var) is not None]


def test_library_has_documented_queries() -> None:
    queries = library()
    assert len(queries) >= 15
    for q in queries.values():
        assert q.title and q.description and q.example, q.name
        for p in q.params:
            assert p.default is not None and p.description, (q.name, p.name)


def test_every_query_runs_with_its_defaults(store: EmbeddedStore) -> None:
    for q in library().values():
        result = run_local(store, q, bind_params(q, {}, IRIs(BASE), resolver(store)))
        assert result.form in ("SELECT", "GRAPH"), q.name


def test_cited_by_resolution(store: EmbeddedStore, records: dict[str, Record]) -> None:
    got = set(column(ask(store, "cited-by-resolution", resolution="A/RES/61/54"), "symbol"))
    seed = records["A/RES/61/54"]
    assert got == {c.symbol for c in seed.cites} | set(seed.documents)


def test_citing_resolution(store: EmbeddedStore, records: dict[str, Record]) -> None:
    target = Counter(c.symbol for r in records.values() for c in r.cites).most_common(1)[0][0]
    got = set(column(ask(store, "citing-resolution", document=target), "symbol"))
    assert got == {s for s, r in records.items() if target in {c.symbol for c in r.cites}}
    assert len(got) > 1


def test_citation_chain_is_the_transitive_closure(store: EmbeddedStore, records: dict[str, Record]) -> None:
    start = max(records, key=lambda s: len(records[s].cites))
    seen: set[str] = set()
    frontier = [start]
    while frontier:
        current = frontier.pop()
        refs = [c.symbol for c in records[current].cites] + records[current].documents \
            if current in records else []
        for symbol in refs:
            if document_class(symbol) == UNKG.Resolution and symbol not in seen:
                seen.add(symbol)
                frontier.append(symbol)
    got = set(column(ask(store, "citation-chain", resolution=start), "symbol"))
    assert got == seen


def test_resolutions_per_session(store: EmbeddedStore, records: dict[str, Record]) -> None:
    expected = Counter((r.session, r.committee or "plenary") for r in records.values() if r.session)
    got = {(row["session"].value, row["committee"].value): int(row["resolutions"].value)
           for row in ask(store, "resolutions-per-session").rows}
    assert got == dict(expected)


def test_dangling_references(store: EmbeddedStore, records: dict[str, Record]) -> None:
    loaded = set(records)
    cited = {c.symbol for r in records.values() for c in r.cites} | {d for r in records.values() for d in r.documents}
    got = set(column(ask(store, "dangling-references"), "symbol"))
    assert got == cited - loaded


def test_mandates_due(store: EmbeddedStore) -> None:
    result = ask(store, "mandates-due", session="65")
    assert ("A/RES/61/54", "4") in {(r["symbol"].value, r["paragraph"].value) for r in result.rows}


def test_citations_by_kind(store: EmbeddedStore) -> None:
    rows = {(r["kind"].value, r["symbol"].value) for r in ask(store, "citations-by-kind",
                                                              resolution="A/RES/61/54").rows}
    assert ("recalls", "A/RES/53/70") in rows
    assert ("takes-note-of", "A/60/202") in rows


def test_footnote_only_citations(store: EmbeddedStore) -> None:
    got = set(column(ask(store, "footnote-only-citations", resolution="A/RES/61/54"), "symbol"))
    assert {"A/51/261", "A/60/202", "A/55/140/Corr.1"} <= got
    assert "A/RES/53/70" not in got


def test_agenda_inclusions(store: EmbeddedStore) -> None:
    rows = ask(store, "agenda-inclusions", session="62").rows
    assert ("A/RES/61/54", "5") in {(r["symbol"].value, r["paragraph"].value) for r in rows}


def topic_key(title: str | None) -> str | None:
    """What series-lineage joins members by: the topic their titles name ({base}topic/{slug})."""
    from unkg.iris import slug

    return slug(title) if title else None


def test_series_lineage(store: EmbeddedStore, records: dict[str, Record]) -> None:
    for start in ("A/RES/74/41", "A/RES/76/31"):
        key = topic_key(records[start].title)
        expected = {s for s, r in records.items() if topic_key(r.title) == key}
        got = set(column(ask(store, "series-lineage", resolution=start), "symbol"))
        assert got == expected and len(got) >= 2


def test_series_lineage_ignores_punctuation() -> None:
    # 78/30 is titled "... Treaty on the Non Proliferation of ..." where its series says
    # "Non-Proliferation": the same item, one series
    assert title_key("on the Non Proliferation of Nuclear Weapons.") == \
        title_key("on the  non-proliferation of nuclear weapons")
    assert topic_key("on the Non Proliferation of Nuclear Weapons.") == \
        topic_key("on the  non-proliferation of nuclear weapons")


def test_series_lineage_joins_a_title_variant(store: EmbeddedStore, records: dict[str, Record]) -> None:
    assert "Non Proliferation" in (records["A/RES/78/30"].title or "")
    got = set(column(ask(store, "series-lineage", resolution="A/RES/76/31"), "symbol"))
    assert {"A/RES/74/36", "A/RES/76/31", "A/RES/78/30", "A/RES/80/45"} <= got


def test_conferences_referenced_meet_in_one_series(store: EmbeddedStore) -> None:
    rows = ask(store, "conferences-referenced").rows
    wsis = [r for r in rows if "information society" in str(r["series"].value).lower()]
    assert {str(r["start"].value) for r in wsis} >= {"2003-12-10", "2005-11-16"}


def test_resolutions_by_route(store: EmbeddedStore, records: dict[str, Record]) -> None:
    rows = ask(store, "resolutions-by-route").rows
    total = sum(int(r["resolutions"].value) for r in rows)
    assert total == sum(1 for r in records.values() if r.session)
    committee = sum(int(r["resolutions"].value) for r in rows if r["route"].value == "on a committee report")
    assert committee == sum(1 for r in records.values() if r.session and r.committee)


def test_shared_reports(store: EmbeddedStore, records: dict[str, Record]) -> None:
    counts = Counter(d for r in records.values()
                     for d in set(r.documents) | {c.symbol for c in r.cites})
    expected = {d for d, n in counts.items()
                if n > 1 and document_class(d) not in (UNKG.Resolution, UNKG.Decision)}
    got = set(column(ask(store, "shared-reports"), "symbol"))
    assert got == expected


def test_resolution_overview_is_a_graph(store: EmbeddedStore) -> None:
    result = ask(store, "resolution-overview", resolution="A/RES/61/54")
    assert result.form == "GRAPH"
    assert any("Developments in the field" in str(t.object) for t in result.triples)


def test_resolutions_in_session(store: EmbeddedStore, records: dict[str, Record]) -> None:
    got = column(ask(store, "resolutions-in-session", session="80"), "symbol")
    assert set(got) == {s for s, r in records.items() if r.session == "80"}


def test_mandates_by_addressee(store: EmbeddedStore, records: dict[str, Record]) -> None:
    rows = ask(store, "mandates-by-addressee").rows
    assert sum(int(r["mandates"].value) for r in rows) == sum(len(r.mandates) for r in records.values())


def test_parameter_values_cannot_change_the_query(store: EmbeddedStore) -> None:
    q = find_query("cited-by-resolution")
    hostile = 'A/RES/61/54> } } ; DROP ALL ; SELECT * { ?s ?p "'
    terms = bind_params(q, {"resolution": hostile}, IRIs(BASE))
    text = inline_values(q.text, terms)
    assert "DROP ALL" not in text.replace("%20DROP%20ALL", "")
    assert run_local(store, q, terms).rows == []


def test_header_parsing(tmp_path: Path) -> None:
    path = tmp_path / "x.rq"
    path.write_text("# title: T\n# description: D\n# param: n (integer) = 3 -- how many\n"
                    "# example: unkg query x\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n")
    q = parse_query_file(path)
    assert (q.title, q.description, q.params[0].name, q.params[0].type, q.params[0].default) == \
        ("T", "D", "n", "integer", "3")


def test_fulltext_search_query(store: EmbeddedStore, records: dict[str, Record]) -> None:
    """The fulltext parameter binds ?paragraph to the passages whose text has the words, and the
    query adds what the records say about them (kind, number, verb, adoption date)."""
    import re

    got = {(r["symbol"].value, r["kind"].value, r["number"].value,
            r["verb"].value if r["verb"] is not None else None,
            r["adopted"].value if r["adopted"] is not None else None)
           for r in ask(store, "fulltext-search", paragraph="climate AND finance").rows}

    def has_words(text: str) -> bool:
        words = set(re.findall(r"[^\W_]+", text.lower()))
        return {"climate", "finance"} <= words

    expected = set()
    for symbol, r in records.items():
        for kind, paras in (("preambular", r.preambular), ("operative", r.operative)):
            expected |= {(symbol, kind, str(p.number), p.verb, r.adopted) for p in paras if has_words(p.text)}
        expected |= {(symbol, "footnote", f.marker, None, r.adopted) for f in r.footnotes if has_words(f.text)}
        expected |= {(symbol, "annex", str(i), None, r.adopted)
                     for i, t in enumerate(r.annexes, start=1) if has_words(t)}
    assert got == expected and got
    assert ask(store, "fulltext-search", paragraph="zzzunknownword").rows == []


@pytest.mark.parametrize("name", sorted(library()))
def test_no_library_query_repeats_a_row(store: EmbeddedStore, name: str) -> None:
    """The union default graph repeats a triple once per graph that states it; a library
    query must not pass that on as repeated rows or triples (checked with each query's default
    parameters)."""
    result = ask(store, name)
    if result.form == "GRAPH":  # a CONSTRUCT: its triples
        rows: Counter[tuple[str, ...]] = Counter((str(t.subject), str(t.predicate), str(t.object))
                                                 for t in result.triples)
    else:
        rows = Counter(tuple(str(row.get(v)) for v in result.variables) for row in result.rows)
    assert rows and not [r for r, n in rows.items() if n > 1], name


def test_fulltext_search_gives_each_passage_once(store: EmbeddedStore) -> None:
    """A resolution's symbol and date are stated again by every loaded document that cites it, and
    the union default graph repeats them: without DISTINCT its passages came back once per graph."""
    rows = [tuple(str(r[v]) for v in ("symbol", "kind", "number", "paragraph"))
            for r in ask(store, "fulltext-search", paragraph="development OR united").rows]
    assert len(rows) > 100 and len(rows) == len(set(rows))


def test_fulltext_parameter_needs_the_index() -> None:
    q = find_query("fulltext-search")
    with pytest.raises(QueryError, match="full-text"):
        bind_params(q, {"paragraph": "climate"}, IRIs(BASE))
    text = inline_values(q.text, {"paragraph": tuple(ox.NamedNode(f"{BASE}doc/A/RES/1/1/op/{n}") for n in (1, 2))})
    # the block opens the query, and a copy of it the passage's GRAPH group (unkg.pushdown)
    assert text.count("VALUES ?paragraph {") == 2 and text.count(f"{BASE}doc/A/RES/1/1/op/") == 4


def _mode(r: Record) -> str:
    v = r.vote
    if v is None:
        return "unknown"
    if v.without_vote:
        return "without-vote"
    if v.unanimous:
        return "consensus"
    return "vote" if any(x is not None for x in (v.yes, v.no, v.abstain)) else "unknown"


def check_adoption_modes(store: EmbeddedStore, records: dict[str, Record]) -> set[str]:
    from unkg.iris import BODY_CODES, session_key

    expected = Counter((BODY_CODES[r.body or ""], session_key(r.session) if r.session else "",
                        r.committee or "plenary", _mode(r)) for r in records.values())
    got = {(row["body"].value, row["session"].value, row["committee"].value, row["mode"].value):
           int(row["resolutions"].value) for row in ask(store, "resolutions-by-adoption-mode").rows}
    assert got == dict(expected)
    return {k[3] for k in got}


def test_resolutions_by_adoption_mode(store: EmbeddedStore, records: dict[str, Record]) -> None:
    assert check_adoption_modes(store, records) == {"unknown"}  # GA texts do not state the vote


def test_adoption_mode_of_a_security_council_vote(tmp_path: Path) -> None:
    paths = [TEXTS.parent / "excerpts" / "S-RES-338-1973.usip-excerpt.txt", TEXTS / "A-RES-61-54.txt"]
    with EmbeddedStore(tmp_path / "s") as st:
        assert not load_paths(st, paths, base_iri=BASE).failed
        records = {r.symbol: r for r in (parse_file(p) for p in paths) if r.symbol}
        assert check_adoption_modes(st, records) == {"unknown", _mode(records["S/RES/338(1973)"])} != {"unknown"}


def test_series_lineage_through_agenda_inclusions(store: EmbeddedStore, records: dict[str, Record]) -> None:
    from unkg.iris import session_key

    for start in ("A/RES/74/41", "A/RES/61/54"):
        title = topic_key(records[start].title)
        members = {s for s, r in records.items() if topic_key(r.title) == title}
        expected = {}
        for s in members:
            session = session_key(records[s].session or "")
            expected[s] = {o for o, r in records.items() for inc in r.agenda_inclusions
                           if session_key(inc.session) == session and topic_key(inc.title) == title}
        rows = ask(store, "series-lineage", resolution=start).rows
        got = {row["symbol"].value: set(row["scheduledBy"].value.split() if row["scheduledBy"] else [])
               for row in rows}
        assert got == expected
        if start == "A/RES/74/41":
            assert got["A/RES/75/40"] == {"A/RES/74/41"}  # 74/41 put the item on the 75th agenda


def test_agenda_inclusions_appear(store: EmbeddedStore, records: dict[str, Record]) -> None:
    from unkg.iris import session_key

    for session in ("62", "81"):
        expected = {}
        for s, r in records.items():
            for inc in r.agenda_inclusions:
                if session_key(inc.session) == session:
                    appears = any(session_key(o.session or "0") == session and inc.title and
                                  title_key(o.title) == title_key(inc.title) for o in records.values())
                    expected[(s, str(inc.paragraph))] = appears
        got = {(row["symbol"].value, row["paragraph"].value): row["appears"].value == "true"
               for row in ask(store, "agenda-inclusions", session=session).rows}
        assert got == expected and got


def test_mandates_due_and_to_whom(store: EmbeddedStore, records: dict[str, Record]) -> None:
    from unkg.iris import session_key

    for session in ("65", "81"):
        expected = {(s, str(m.paragraph), m.addressee) for s, r in records.items() for m in r.mandates
                    if m.due_session and session_key(m.due_session) == session}
        got = {(row["symbol"].value, row["paragraph"].value, row["addressee"].value)
               for row in ask(store, "mandates-due", session=session).rows}
        assert got == expected and got


def test_conferences_referenced_and_by_whom(store: EmbeddedStore, records: dict[str, Record]) -> None:
    iris = IRIs(BASE)
    expected: dict[str, set[str]] = {}
    for s, r in records.items():
        for c in r.conferences:
            expected.setdefault(str(iris.conference(c.name, c.start, c.place)), set()).add(s)
    rows = ask(store, "conferences-referenced").rows
    got = {row["event"].value: set(row["resolutions"].value.split()) for row in rows}
    assert got == expected
    assert all(int(row["mentionedBy"].value) == len(got[row["event"].value]) for row in rows)
