"""Property-based fuzzing of every entry point that takes untrusted text: readers, parser, symbols, IRIs.

The properties: only the documented error types are raised (InputError/ParseError from readers and
parser, ValueError from symbols and IRIs); every IRI minted is valid (Oxigraph's NamedNode takes it,
and it has none of the characters an IRI may not contain); a document symbol survives
symbol -> IRI -> symbol; whatever the parser returns maps to RDF the store accepts.
Example counts come from the hypothesis profile in conftest.py (HYPOTHESIS_PROFILE=thorough for more).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from unkg import symbols
from unkg.errors import InputError, ParseError
from unkg.iris import IRIs, symbol_path
from unkg.mapper import Provenance, record_triples
from unkg.parser import parse_file, parse_text
from unkg.parser_refs import extract_agenda_inclusion, extract_conferences, extract_mandate
from unkg.readers import read_source
from unkg.store import ntriples_of
from unkg.verbs import match_verb, verb_head

TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
SMALL = sorted(TEXTS.glob("*.txt"), key=lambda p: p.stat().st_size)[:12]
SAMPLES = [p.read_text(encoding="utf-8") for p in SMALL]
LINES = sorted({ln for text in SAMPLES for ln in text.split("\n") if ln.strip()})
IRIS = IRIs()
PROVENANCE = Provenance("fuzz.txt", "0" * 64, "fuzz", "2026-01-01T00:00:00Z")
# characters RFC 3987 does not allow anywhere in an IRI (and Turtle/N-Triples cannot carry raw)
FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f-\x9f]")


def assert_valid_iri(iri: str) -> None:
    assert not FORBIDDEN.search(iri), iri
    assert ox.NamedNode(iri).value == iri


def assert_maps_to_valid_rdf(text: str) -> None:
    """Parse; when a document comes out, its triples are valid RDF the store accepts."""
    try:
        record = parse_text(text, source="fuzz.txt")
    except ParseError as exc:
        assert exc.path == "fuzz.txt"
        return
    json.dumps(record.to_json())
    if not record.symbol:
        return
    try:
        triples = list(record_triples(record, IRIS, PROVENANCE))
    except ValueError:  # a minting function refusing a value is the documented error type
        return
    for triple in triples:
        for term in triple:
            if isinstance(term, URIRef):
                assert_valid_iri(str(term))
    nt = ntriples_of(triples)
    assert len({(q.subject, q.predicate, q.object) for q in ox.parse(nt, ox.RdfFormat.N_TRIPLES)}) \
        == len(set(triples))


# ---- strategies ---------------------------------------------------------------------------------

# resolution-shaped text: real lines of corpus texts, numbers, symbols and random lines, shuffled
line = st.one_of(
    st.sampled_from(LINES),
    st.sampled_from(LINES).map(lambda s: s[: len(s) // 2]),
    st.text(max_size=80),
    st.from_regex(r"\s*\d{1,3}\.\s+[A-Z][a-z]+ .{0,40}", fullmatch=True),
    st.from_regex(r"[AS]/RES/[0-9A-Z\- ()]{1,12}(/[0-9]{1,4})?", fullmatch=True),
    st.just(""),
)
# a real header (symbol, session, title, "The General Assembly,"), then such lines
HEADERS = [t[: t.find("The General Assembly,") + 21] for t in SAMPLES if "The General Assembly," in t]
resolution_like = st.tuples(st.sampled_from(HEADERS), st.lists(line, max_size=60)).map(
    lambda parts: parts[0] + "\n" + "\n".join(parts[1]))


@st.composite
def mutated_corpus_text(draw: st.DrawFn) -> str:
    """A real text, then cuts, repeats and insertions at random places."""
    text = draw(st.sampled_from(SAMPLES))
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["cut", "repeat", "insert", "truncate"]))
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 2000)))
        if op == "cut":
            text = text[:i] + text[j:]
        elif op == "repeat":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.text(max_size=40)) + text[i:]
        else:
            text = text[:i]
    return text


symbol_like = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[A-Za-z]{1,4}(/[A-Za-z0-9.\-]{1,8}){1,4}( ?\([IVX0-9]{1,4}\))?", fullmatch=True),
    st.from_regex(r"A/RES/(ES-|S-)?\d{1,3}/\d{1,4}( [A-D])?", fullmatch=True),
    st.sampled_from(["A/RES/61/54", "S/RES/1325 (2000)", "A/RES/1514(XV)", "../../etc/passwd",
                     "A/RES/%2e%2e/x", "A/RES/61/54?x=1#f", "A/RES/<b>/\"x\"", "A/RES/ 61 /54"]),
)


# ---- readers and parser -------------------------------------------------------------------------

@given(st.binary(max_size=4000), st.sampled_from([None, "txt", "md", "json"]))
def test_readers_raise_only_input_error(data: bytes, fmt: str | None) -> None:
    try:
        src = read_source(None, data=data, input_format=fmt)
    except InputError as exc:
        assert exc.path == "<stdin>" and "\n" not in str(exc)
        return
    assert src.text.strip() and "\x00" not in src.text and "\r" not in src.text


@given(st.sampled_from([b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"%PDF-1.4\n", b"{", b"---\n"]),
       st.binary(max_size=300))
def test_readers_on_tricky_prefixes(prefix: bytes, data: bytes) -> None:
    try:
        read_source(None, data=prefix + data)
    except InputError:
        pass


@given(st.text(max_size=3000))
def test_parser_on_any_text(text: str) -> None:
    assert_maps_to_valid_rdf(text)


@given(resolution_like)
def test_parser_on_resolution_like_text(text: str) -> None:
    assert_maps_to_valid_rdf(text)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_corpus_text())
def test_parser_on_mutated_corpus_texts(text: str) -> None:
    assert_maps_to_valid_rdf(text)


@given(st.binary(max_size=2000))
def test_parse_file_raises_only_input_errors(data: bytes) -> None:
    try:
        parse_file(None, data=data)
    except InputError:  # ParseError is an InputError
        pass


@given(st.text(max_size=400), st.integers(-5, 500))
def test_reference_extractors(text: str, number: int) -> None:
    extract_conferences(text)
    extract_mandate(number, None, text)
    extract_mandate(number, text[:20], text)
    extract_agenda_inclusion(number, text)
    match_verb(text)
    verb_head(text)


# ---- symbols and IRIs ---------------------------------------------------------------------------

@given(symbol_like)
def test_symbol_functions_raise_only_value_error(s: str) -> None:
    for fn in (symbols.normalise_symbol, symbols.strip_part_letter, symbols.ordinal_to_int):
        try:
            fn(s)
        except ValueError:
            pass
    for pure in (symbols.is_symbol, symbols.is_resolution_symbol):
        assert isinstance(pure(s), bool)
    symbols.find_symbols(s)
    symbols.find_citations(s)
    symbols.parse_date(s)


@given(symbol_like)
def test_document_iri_is_valid_and_round_trips(s: str) -> None:
    try:
        iri = str(IRIS.document(s))
    except ValueError:
        return
    assert_valid_iri(iri)
    assert iri.startswith(IRIS.base + "doc/")
    assert IRIS.symbol_of(iri) == re.sub(r"\s+", "", s.strip())
    # no segment that a file system or URL resolver would read as "go up"
    assert not any(seg in (".", "..", "") for seg in iri[len(IRIS.base):].split("/"))
    for minted in (IRIS.graph(s), IRIS.expression(s), IRIS.preambular(s, 1), IRIS.operative(s, 2, "a", "i"),
                   IRIS.citation(s, 3), IRIS.vote(s)):
        assert_valid_iri(str(minted))


@given(st.text(max_size=200))
def test_symbols_found_in_text_round_trip(text: str) -> None:
    for found in symbols.expand_symbols(text):
        canon = re.sub(r"\s+", "", found)
        assert IRIS.symbol_of(str(IRIS.document(found))) == canon
        assert_valid_iri(str(IRIS.document(found)))


@given(symbol_like.filter(symbols.is_symbol))
def test_normalised_symbols_round_trip(s: str) -> None:
    try:
        canon = symbols.normalise_symbol(s)
    except ValueError:
        return
    assert symbols.normalise_symbol(canon) == canon
    assert IRIS.symbol_of(str(IRIS.document(canon))) == canon
    assert symbol_path(canon) == str(IRIS.document(canon))[len(IRIS.base) + 4:]


@given(st.text(max_size=40), st.text(max_size=40), st.one_of(st.none(), st.text(max_size=12)),
       st.one_of(st.none(), st.text(max_size=30)))
def test_every_minting_function(a: str, b: str, start: str | None, place: str | None) -> None:
    minted: list[URIRef] = []
    calls = [
        lambda: IRIS.body(a), lambda: IRIS.committee(a, b), lambda: IRIS.session(a),
        lambda: IRIS.session(a, b), lambda: IRIS.agenda_item(a, b), lambda: IRIS.agenda_topic(a),
        lambda: IRIS.meeting(7, a), lambda: IRIS.meeting(7, None, b), lambda: IRIS.conference_series(a),
        lambda: IRIS.conference(a, start, place), lambda: IRIS.footnote("A/RES/1/1", a),
        lambda: IRIS.operative("A/RES/1/1", 1, a, b), lambda: IRIS.preambular_sub("A/RES/1/1", 1, a),
        lambda: IRIS.operative_in_part("A/RES/1/1", 2, 3, a), lambda: IRIS.expression("A/RES/1/1", a),
    ]
    for call in calls:
        try:
            minted.append(call())
        except ValueError:
            pass
    for iri in minted:
        assert_valid_iri(str(iri))
        assert str(iri).startswith(IRIS.base)


@given(st.text(max_size=60))
def test_base_iri_is_checked(base: str) -> None:
    try:
        iris = IRIs(base)
    except ValueError:
        return
    assume(iris.base)
    assert_valid_iri(str(iris.document("A/RES/61/54")))


@settings(max_examples=50)
@given(st.text(max_size=60))
def test_slug_is_a_safe_segment(text: str) -> None:
    from unkg.iris import slug

    out = slug(text)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*|unnamed", out), out
