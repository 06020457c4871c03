"""Units of the site: the JSON-LD compactor on awkward terms, the lineage layout, linked text."""

from __future__ import annotations

import json
from urllib.parse import unquote, urlparse
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from unkg.jsonld import compact
from unkg.lineage_svg import MAX_PER_COLUMN, lineage_layers, lineage_svg, session_svg
from unkg.site_html import Linker, _symbol_spans, linked_text, script_json, url_path
from unkg.site_model import UNKG, SiteIndex

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

B = "https://w3id.org/unkg/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def N(x: str) -> ox.NamedNode:
    return ox.NamedNode(x if "://" in x or x.startswith("urn:") else B + x)


AWKWARD = [
    (N("doc/A"), N(UNKG + "text"), ox.Literal("English", language="en")),  # @language container term
    (N("doc/A"), N(UNKG + "text"), ox.Literal("Français", language="fr")),
    (N("doc/A"), N(UNKG + "text"), ox.Literal("English too", language="en")),  # two values, one language
    (N("doc/A"), N(UNKG + "symbol"), ox.Literal("A/RES/1", language="en")),  # plain term, tagged value
    (N("doc/A"), N(UNKG + "symbol"), ox.Literal("A/RES/1")),
    (N("doc/A"), N(UNKG + "number"), ox.Literal("3", datatype=N(XSD + "integer"))),  # no term fits the type
    (N("doc/A"), N(UNKG + "dateAdopted"), ox.Literal("2001-02-03", datatype=N(XSD + "date"))),
    (N("doc/A"), N(UNKG + "dateAdopted"), ox.Literal("not a date")),  # a plain string under a typed term
    (N("doc/A"), N("http://example.org/no-term"), ox.Literal("x")),  # a predicate outside the context
    (N("doc/A"), N("http://example.org/no-term"), N("http://example.org/o")),
    (N("doc/A"), N(UNKG + "session"), N("session/ga/1")),  # @type: @id term
    (N("doc/A"), N(UNKG + "session"), ox.Literal("a literal under an @id term")),
    (N("doc/A"), N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), N(UNKG + "Resolution")),
    (N("doc/A"), N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), N("http://example.org/Class")),
    (N("doc/A"), N(UNKG + "hasParagraph"), ox.BlankNode("b1")),
    (ox.BlankNode("b1"), N(UNKG + "text"), ox.Literal('quotes " and </script> and \\ and \n')),
    (N("doc/A:colon"), N(UNKG + "symbol"), ox.Literal("colon")),
    (N("urn:x:y"), N(UNKG + "symbol"), ox.Literal("urn")),
]


def test_compaction_of_awkward_terms_round_trips() -> None:
    text = json.dumps(compact(AWKWARD), indent=2, sort_keys=True, ensure_ascii=False)
    got = rdflib.Graph().parse(data=text, format="json-ld")
    expected = rdflib.Graph().parse(data="".join(f"{s} {p} {o} .\n" for s, p, o in AWKWARD), format="nt")
    if not isomorphic(expected, got):
        _, missing, added = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail(f"missing:\n{missing.serialize(format='nt')}\nadded:\n{added.serialize(format='nt')}")
    # the same triples in any order compact to the same document
    assert compact(list(reversed(AWKWARD))) == compact(AWKWARD)


def _index(n_citing: int, chain: int) -> SiteIndex:
    """A series r0 <- r1 <- ... <- r{chain} (each cites the one before) and n_citing documents
    citing r{chain}."""
    idx = SiteIndex(base=B)
    docs = [f"{B}doc/r{i}" for i in range(chain + 1)] + [f"{B}doc/c{i:03d}" for i in range(n_citing)]
    for i, d in enumerate(docs):
        idx.types[d] = {UNKG + "Resolution"}
        idx.pages[d] = d[len(B):]
        idx.labels[d] = d.rsplit("/", 1)[1]
        idx.dates[d] = f"{2000 + i:04d}-01-01"
    for i in range(1, chain + 1):
        idx.cites.setdefault(docs[i], set()).add(docs[i - 1])
        idx.cited_by.setdefault(docs[i - 1], set()).add(docs[i])
    for c in docs[chain + 1:]:
        idx.cites.setdefault(c, set()).add(docs[chain])
        idx.cited_by.setdefault(docs[chain], set()).add(c)
    return idx


def test_lineage_goes_back_through_the_series_and_is_bounded() -> None:
    idx = _index(n_citing=40, chain=8)
    layers = lineage_layers(idx, f"{B}doc/r8")
    assert layers[-1] == [f"{B}doc/r7"] and layers[-4] == [f"{B}doc/r4"]
    assert -5 not in layers  # four generations back at most
    assert len(layers[1]) == MAX_PER_COLUMN  # forty citing documents, a column of twelve
    assert layers[1] == sorted(layers[1], key=lambda i: idx.dates[i])
    svg = lineage_svg(idx, f"{B}doc/r8", Linker(idx, "doc/r8").href)
    ET.fromstring(svg)
    assert svg == lineage_svg(idx, f"{B}doc/r8", Linker(idx, "doc/r8").href)  # deterministic
    assert svg.count("<rect") == 1 + 4 + MAX_PER_COLUMN
    assert 'href="r7.html"' in svg and 'href="r8.html"' not in svg  # no link to itself


def test_a_resolution_nobody_cites_and_that_cites_none_has_no_picture() -> None:
    idx = _index(n_citing=0, chain=0)
    assert lineage_svg(idx, f"{B}doc/r0", Linker(idx, "doc/r0").href) == ""


def test_session_picture_escapes_committee_names() -> None:
    idx = _index(n_citing=3, chain=0)
    svg = session_svg(idx, {"<Evil> & Co": [f"{B}doc/c000"], "First Committee": [f"{B}doc/c001"]},
                      Linker(idx, "session/x").href)
    ET.fromstring(svg)
    assert "&lt;Evil&gt; &amp; Co (1)" in svg
    assert svg.index("First Committee") < svg.index("&lt;Evil&gt;")  # Main Committees first


def test_linked_text_links_each_symbol_once_and_escapes_the_rest() -> None:
    idx = _index(n_citing=0, chain=1)
    idx.labels[f"{B}doc/r0"] = "A/RES/53/70"
    idx.labels[f"{B}doc/r1"] = "S/RES/1325 (2000)"
    text = "Recalling <b>53/70</b>, A/RES/53/70 and 1325 (2000) but not 153/70 or 53/701"
    html, missing = linked_text(text, [f"{B}doc/r0", f"{B}doc/r1", f"{B}doc/r9"], Linker(idx, "doc/x"))
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert html.count('href="r0.html"') == 2 and html.count('href="r1.html"') == 1
    assert "153/70 or 53/701" in html
    assert missing == [f"{B}doc/r9"]


def test_symbol_spans_find_what_the_bounded_regular_expression_finds() -> None:
    # the str.find matcher replaced re.finditer(r"(?<![\w/])" + re.escape(p) + r"(?![\w/])"):
    # the same spans on texts built from the characters that matter at a boundary
    import random
    import re
    rng = random.Random(7)
    alphabet = ["53/70", "5", "3", "/", " ", "_", "a", "é", "٣", "(", ")", "-", ".", "\u00b2", "1325 (2000)"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        for pattern in ("53/70", "3", "1325 (2000)", "(", "a/"):
            expected = [m.span() for m in re.finditer(r"(?<![\w/])" + re.escape(pattern) + r"(?![\w/])", text)]
            assert _symbol_spans(pattern, text) == expected, (pattern, text)


def test_urls_and_script_text_are_safe() -> None:
    assert urlparse(url_path("a:b/c.html")).scheme == ""  # never read as a scheme
    assert unquote(url_path("a:b/c.html")) == "a:b/c.html"
    assert url_path("doc/S/RES/1325(2000).html") == "doc/S/RES/1325(2000).html"
    assert url_path("conference/été.html") == "conference/%C3%A9t%C3%A9.html"
    assert "</script" not in script_json('{"t": "</script><!--"}')
    assert json.loads(script_json('{"t": "</script> & <!--"}')) == {"t": "</script> & <!--"}


def test_the_json_writer_writes_what_json_dumps_writes() -> None:
    from unkg.jsonld import dumps_indented
    values: list[object] = [
        compact(AWKWARD), compact(AWKWARD)["@graph"], [], {}, [[]], [{}], {"a": []}, {"b": {}, "a": [1, None, True]},
        "é \u2028 \x00 \" \\ </script>", {"z": "x", "é": ["ß", {"@value": "1", "@type": "xsd:integer"}]},
        [1.5, 10**20, False], {"k": {"nested": {"deep": ["a", ["b", {"c": "d"}]]}}}]
    for value in values:
        expected = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
        assert dumps_indented(value) == expected
        assert dumps_indented(value, "  ") == expected.replace("\n", "\n  ")


def test_the_page_graph_writer_writes_what_compact_and_dumps_write() -> None:
    from unkg.jsonld import dumps_indented, graph_text
    from unkg.site_html import jsonld_text, page_jsonld
    many = AWKWARD + [(N("doc/A"), N(UNKG + "session"), N(f"session/ga/{i}")) for i in (3, 2, 10)]
    for triples in (AWKWARD, many, AWKWARD[:1], AWKWARD[-3:], []):
        assert graph_text(triples, "  ") == dumps_indented(compact(triples)["@graph"], "  ")
        assert page_jsonld(set(triples)) == jsonld_text(compact(triples))


def test_relative_paths_equal_posixpaths() -> None:
    import posixpath
    from unkg.site_html import relative
    paths = ["index.html", "doc/A/RES/61/54.html", "doc/A/RES/61/55.html", "doc/A/RES/6.html",
             "doc/A/RES/61.html", "session/ga/61.html", "session/ga/61/item/85.html", "a.html",
             "doc/A/RES/61/54/x.html", "doc/S/RES/1325(2000).html"]
    dirs = ["", "doc", "doc/A", "doc/A/RES", "doc/A/RES/61", "doc/A/RES/61/54", "session/ga/61/item", "a",
            "doc/S/RES"]
    for target in paths:
        for here in dirs:
            assert relative(target, here) == posixpath.relpath(target, here or "."), (target, here)


def test_turtle_puts_rdf_type_first_and_is_otherwise_sorted() -> None:
    from unkg.export import _sorted_triples
    typ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    triples = {("<http://e/s>", "<http://a/p>", '"1"'), ("<http://e/s>", typ, "<http://e/C>"),
               ("<http://e/s>", typ, "<http://e/B>"), ("<http://e/s>", "<http://z/p>", '"0"'),
               ("<http://e/r>", "<http://a/p>", '"2"'), ("_:b", typ, "<http://e/C>"), ("<http://e/s>", "<", '"x"')}
    expected = sorted(triples, key=lambda t: (t[0], t[1] != typ, t[1], t[2]))
    assert _sorted_triples(triples) == expected
    assert expected[1:3] == [("<http://e/s>", typ, "<http://e/B>"), ("<http://e/s>", typ, "<http://e/C>")]


def test_the_site_index_takes_the_least_of_values_graphs_disagree_on(tmp_path: object) -> None:
    """A date, session, committee, label or describing graph stated differently in two graphs
    (or the default graph): the index takes the least, whatever order the store scans them in."""
    from pathlib import Path

    from unkg.site_model import build_index
    from unkg.store import EmbeddedStore

    doc, cited = N("doc/A/RES/1/1"), N("doc/A/RES/0/9")
    g1, g2 = N("graph/A/RES/1/1"), N("graph/Z/1")
    lit = lambda v: ox.Literal(v, datatype=N(XSD + "date"))  # noqa: E731
    u = lambda local: N(UNKG + local)  # noqa: E731
    quads = [ox.Quad(doc, N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), u("Resolution"), g1)]
    for g, day, session, committee, symbol, graph in ((g2, "2000-01-02", "session/ga/2", "committee/b", "B", g2),
                                                      (g1, "2000-01-01", "session/ga/1", "committee/a", "A", g1),
                                                      (ox.DefaultGraph(), "2000-01-03", "session/ga/3", "committee/c", "C", None)):
        quads += [ox.Quad(doc, u("dateAdopted"), lit(day), g), ox.Quad(doc, u("session"), N(session), g),
                  ox.Quad(doc, u("committee"), N(committee), g), ox.Quad(doc, u("symbol"), ox.Literal(symbol), g),
                  ox.Quad(N(f"citation/{symbol}"), u("citedDocument"), cited, g),
                  ox.Quad(N(f"citation/{symbol}"), u("citedDate"), lit(day.replace("2000", "1999")), g)]
        if graph is not None:
            quads.append(ox.Quad(graph, u("describes"), doc, graph))
    for order in (quads, quads[::-1]):
        path = Path(str(tmp_path)) / f"store-{len(list(Path(str(tmp_path)).iterdir()))}"
        with EmbeddedStore(path) as st:
            st.raw.extend(order)
            idx = build_index(st, B)
        assert idx.dates[doc.value] == "2000-01-01" and idx.dates[cited.value] == "1999-01-01"
        assert idx.session_of[doc.value] == B + "session/ga/1" and idx.committee_of[doc.value] == B + "committee/a"
        assert idx.labels[doc.value] == "A" and idx.doc_graph[doc.value] == g1.value
