"""The mapper, checked as graphs: a golden Turtle file for the seed, shared IRIs, JSON-LD round trip.

Regenerate the golden file after an intended change: UNKG_REGEN_GOLDEN=1 pytest tests/test_mapper.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from unkg.iris import IRIs
from unkg.mapper import Provenance, record_to_graph, record_triples
from unkg.record import AgendaInclusion, Citation, Conference, Footnote, Meeting, Paragraph, Record, Vote
from unkg.vocab import (
    ADOPTION_MODE,
    CITATION_TYPE,
    CLAUSE_VERB,
    ELI,
    SCHEMA,
    SESSION_KIND,
    UNKG,
)

from unkg_seed import PROVENANCE, TITLE, seed_record

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "A-RES-61-54.ttl"
CONTEXT = ROOT / "ontology" / "context.jsonld"
I = IRIs()
DOC = I.document("A/RES/61/54")


@pytest.fixture(scope="module")
def seed() -> Graph:
    return record_to_graph(seed_record(), I, PROVENANCE)


def _show(triples: Graph) -> str:
    return "\n".join(sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in triples))


def test_seed_matches_golden(seed: Graph) -> None:
    if os.environ.get("UNKG_REGEN_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        seed.bind("unkg", str(UNKG._NS))
        seed.bind("eli", str(ELI))
        GOLDEN.write_text(seed.serialize(format="turtle"), encoding="utf-8")
    expected = Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(seed, expected):
        _both, missing, added = graph_diff(to_isomorphic(expected), to_isomorphic(seed))
        pytest.fail(f"mapped graph differs from {GOLDEN.name} (UNKG_REGEN_GOLDEN=1 to accept)\n"
                    f"missing:\n{_show(missing)}\nadded:\n{_show(added)}")


def test_no_blank_nodes(seed: Graph) -> None:
    assert not [t for t in seed if any(isinstance(x, BNode) for x in t)]


def test_only_declared_unkg_terms(seed: Graph) -> None:
    declared = {UNKG[n] for n in UNKG.__annotations__}
    ns = str(UNKG._NS)
    used = {x for t in seed for x in t if isinstance(x, URIRef) and str(x).startswith(ns)}
    assert used <= declared


def test_record_triples_equals_graph(seed: Graph) -> None:
    triples = list(record_triples(seed_record(), I, PROVENANCE))
    assert len(triples) == len(set(triples)) == len(seed)
    assert set(triples) == set(seed)


def test_output_is_deterministic() -> None:
    a = list(record_triples(seed_record(), I, PROVENANCE))
    b = list(record_triples(seed_record(), I, PROVENANCE))
    assert a == b


def test_resolution_core_triples(seed: Graph) -> None:
    d = Literal("2006-12-06", datatype=XSD.date)
    for p, o in [
        (RDF.type, UNKG.Resolution), (RDF.type, ELI.LegalResource), (RDF.type, SCHEMA.Legislation),
        (UNKG.symbol, Literal("A/RES/61/54")), (DCTERMS.identifier, Literal("A/RES/61/54")),
        (DCTERMS.title, Literal(TITLE, lang="en")), (SCHEMA.name, Literal(TITLE, lang="en")),
        (UNKG.dateAdopted, d), (ELI.date_document, d), (SCHEMA.legislationDate, d),
        (UNKG.dateDistributed, Literal("2006-12-19", datatype=XSD.date)),
        (UNKG.body, I.body("General Assembly")), (ELI.passed_by, I.body("General Assembly")),
        (UNKG.session, I.session("61")), (UNKG.agendaItem, I.agenda_item("61", "85")),
        (UNKG.committee, I.committee("First Committee")),
        (UNKG.adoptedOnReport, I.document("A/61/389")),
        (UNKG.adoptedAt, I.meeting(67, "61")), (UNKG.adoptionMode, ADOPTION_MODE.unknown),
        (ELI.is_realized_by, I.expression("A/RES/61/54")),
    ]:
        assert (DOC, p, o) in seed, (p, o)
    assert (I.document("A/61/389"), RDF.type, UNKG.Report) in seed
    expr = I.expression("A/RES/61/54")
    assert (expr, ELI.title, Literal(TITLE, lang="en")) in seed
    assert (expr, RDF.type, UNKG.ResolutionExpression) in seed
    session = I.session("61")
    assert (session, UNKG.sessionNumber, Literal(61)) in seed
    assert (session, UNKG.sessionKind, SESSION_KIND.regular) in seed
    meeting = I.meeting(67, "61")
    assert (meeting, UNKG.meetingDate, Literal("2006-12-06", datatype=XSD.date)) in seed
    assert (meeting, UNKG.inSession, session) in seed


def test_paragraphs(seed: Graph) -> None:
    pp1 = I.preambular("A/RES/61/54", 1)
    assert (pp1, RDF.type, UNKG.PreambularParagraph) in seed
    assert (pp1, UNKG.clauseVerb, CLAUSE_VERB.recalling) in seed
    assert (pp1, ELI.is_part_of, DOC) in seed
    assert len(set(seed.subjects(RDF.type, UNKG.PreambularParagraph))) == 16
    assert len(set(seed.subjects(RDF.type, UNKG.OperativeParagraph))) == 5
    op3a = I.operative("A/RES/61/54", 3, "a")
    assert (op3a, ELI.is_part_of, I.operative("A/RES/61/54", 3)) in seed
    assert (op3a, UNKG.label, Literal("a")) in seed
    assert (I.preambular("A/RES/61/54", 12), UNKG.footnoteRef, I.footnote("A/RES/61/54", "3")) in seed


def _citations(g: Graph, symbol: str) -> set[tuple[str | None, str]]:
    """(where, type) of every qualified citation of `symbol`."""
    out = set()
    for c in g.subjects(UNKG.citedDocument, I.document(symbol)):
        where = g.value(c, UNKG.citedIn)
        out.add((str(where).rsplit("/", 2)[-2] + "/" + str(where).rsplit("/", 1)[-1] if where else None,
                 str(g.value(c, UNKG.citationType)).rsplit("/", 1)[-1]))
    return out


def test_citations_are_typed_by_the_citing_verb(seed: Graph) -> None:
    assert _citations(seed, "A/RES/58/32") == {("pp/1", "recalls"), ("pp/11", "notes"),
                                                ("pp/15", "bears-in-mind")}
    # footnote citations take the verb of the paragraph carrying the marker
    assert _citations(seed, "A/51/261") == {("fn/1", "bears-in-mind")}
    assert _citations(seed, "A/55/140/Corr.1") == {("fn/3", "takes-note-of")}
    assert _citations(seed, "A/60/202") == {("fn/4", "takes-note-of")}
    for symbol in ["A/RES/53/70", "A/60/202", "A/55/140/Corr.1"]:
        assert (DOC, ELI.cites, I.document(symbol)) in seed
    assert (I.document("A/RES/53/70"), RDF.type, UNKG.Resolution) in seed
    assert (I.document("A/60/202"), UNKG.symbol, Literal("A/60/202")) in seed
    n_cites = len(set(seed.objects(DOC, ELI.cites)))
    assert n_cites == 8 + 18


def test_conferences_mandate_and_inclusion(seed: Graph) -> None:
    wsis = I.conference_series("World Summit on the Information Society")
    phases = set(seed.subjects(UNKG.inSeries, wsis))
    assert phases == {I.conference("World Summit on the Information Society", "2003-12-10"),
                      I.conference("World Summit on the Information Society", "2005-11-16")}
    assert (wsis, RDF.type, UNKG.ConferenceSeries) in seed
    assert len(set(seed.objects(DOC, UNKG.mentionsConference))) == 4
    mandate = I.mandate("A/RES/61/54", 1)
    assert (mandate, UNKG.dueSession, I.session("65")) in seed
    assert (mandate, UNKG.inParagraph, I.operative("A/RES/61/54", 4)) in seed
    assert (I.session("65"), RDF.type, UNKG.Session) in seed
    inclusion = I.agenda_inclusion("A/RES/61/54", 1)
    assert (inclusion, UNKG.inclusionSession, I.session("62")) in seed
    assert (inclusion, UNKG.topic, I.agenda_topic(TITLE)) in seed


def test_provenance(seed: Graph) -> None:
    g = I.graph("A/RES/61/54")
    assert (g, RDF.type, UNKG.SourceRecord) in seed
    assert (g, UNKG.describes, DOC) in seed
    assert (g, UNKG.sourceChecksum, Literal("0" * 64)) in seed
    assert (g, PROV.generatedAtTime, Literal("2026-11-28T02:00:00Z", datatype=XSD.dateTime)) in seed
    bare = record_to_graph(seed_record(), I)
    assert (g, UNKG.describes, DOC) in bare
    assert bare.value(g, UNKG.sourceChecksum) is None


def other_record() -> Record:
    """A later resolution citing the same report and the same WSIS phase as the seed."""
    return Record(
        symbol="A/RES/62/17", body="General Assembly", session="62", agenda_items=["71 (c)"],
        title=TITLE, adopted="2007-12-05", distributed="2008-01-08", committee="First Committee",
        meeting=Meeting(number=61, date="2007-12-05"),
        preambular=[Paragraph(1, "Recalling", "Recalling its resolution 61/54,"),
                    Paragraph(2, "Taking note", "Taking note of the report,", footnotes=["1"])],
        operative=[Paragraph(1, "Calls upon", "Calls upon Member States;")],
        cites=[Citation("A/RES/61/54", "2006-12-06", ["preambular:1"])],
        documents=["A/60/202"],
        footnotes=[Footnote("1", "A/60/202.")],
        conferences=[Conference("World Summit on the Information Society", "Geneva, Switzerland",
                                "2003-12-10", "2003-12-12")],
        vote=Vote(yes=178, no=1, abstain=0),
    )


def test_two_documents_meet_at_shared_iris(seed: Graph) -> None:
    other = record_to_graph(other_record(), I, Provenance("b.txt", "1" * 64, "0.1.0", "2026-11-28T00:00:00Z"))
    shared = {I.document("A/60/202"), I.conference("World Summit on the Information Society", "2003-12-10"),
              I.conference_series("World Summit on the Information Society"), I.body("General Assembly"),
              I.committee("First Committee"), I.session("62")}
    for node in shared:
        assert (node, None, None) in seed and (node, None, None) in other, node
    # the later resolution cites the seed's own IRI
    assert (I.document("A/RES/62/17"), ELI.cites, DOC) in other
    # shared nodes are described alike (types and keys), so the union never contradicts itself
    for node in [I.document("A/60/202"), I.session("62"), I.body("General Assembly")]:
        assert set(seed.predicate_objects(node)) == set(other.predicate_objects(node)), node


def test_sub_item_vote_and_citation_type(seed: Graph) -> None:
    g = record_to_graph(other_record(), I)
    doc = I.document("A/RES/62/17")
    item = I.agenda_item("62", "71 (c)")
    assert (item, UNKG.parentItem, I.agenda_item("62", "71")) in g
    assert (item, UNKG.itemNumber, Literal("71 (c)")) in g
    assert (I.agenda_item("62", "71"), RDF.type, UNKG.AgendaItem) in g
    assert (doc, UNKG.adoptionMode, ADOPTION_MODE.vote) in g
    vote = I.vote("A/RES/62/17")
    assert (vote, UNKG.votesInFavour, Literal(178, datatype=XSD.integer)) in g
    assert _citations(g, "A/60/202") == {("fn/1", "takes-note-of")}
    assert _citations(g, "A/RES/61/54") == {("pp/1", "recalls")}


def test_security_council_and_decision() -> None:
    sc = record_to_graph(Record(symbol="S/RES/1325(2000)", body="Security Council", adopted="2000-10-31",
                                meeting=Meeting(number=4213, date="2000-10-31", kind="meeting")), I)
    doc = I.document("S/RES/1325(2000)")
    assert (doc, UNKG.adoptedAt, URIRef(I.base + "meeting/sc/4213")) in sc
    assert (doc, UNKG.session, None) not in sc
    dec = record_to_graph(Record(symbol="A/DEC/61/503", body="General Assembly", session="61"), I)
    assert (I.document("A/DEC/61/503"), RDF.type, UNKG.Decision) in dec


def test_unknown_citation_place_gives_generic_type() -> None:
    r = Record(symbol="A/RES/70/1", session="70", documents=["A/70/999"])
    g = record_to_graph(r, I)
    assert _citations(g, "A/70/999") == {(None, "cites")}
    assert (I.citation("A/RES/70/1", 1), UNKG.citationType, CITATION_TYPE.cites) in g


def test_jsonld_round_trip_through_the_context(seed: Graph) -> None:
    ctx = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    text = seed.serialize(format="json-ld", context=ctx)
    data = json.loads(text)
    resolution = next(n for n in data["@graph"] if n["id"] == str(DOC))
    assert resolution["symbol"] == "A/RES/61/54"
    assert resolution["title"] == {"en": TITLE}
    assert resolution["dateAdopted"] == "2006-12-06"
    back = Graph().parse(data=text, format="json-ld")
    assert isomorphic(seed, back)


def test_labels_are_english(seed: Graph) -> None:
    labels = list(seed.objects(None, RDFS.label))
    assert labels and all(isinstance(x, Literal) and x.language == "en" for x in labels)


def test_sectioned_resolution_does_not_collide() -> None:
    """A/RES/75/245 restarts its operative numbering in sections A, B ...: later runs are parts."""
    ops = [Paragraph(n, "Notes", f"Notes {k}.{n};") for k, n in [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]]
    g = record_to_graph(Record(symbol="A/RES/75/245", session="75", operative=ops), I)
    paras = set(g.subjects(RDF.type, UNKG.OperativeParagraph))
    assert len(paras) == 5
    assert I.operative("A/RES/75/245", 2) in paras
    assert I.operative_in_part("A/RES/75/245", 2, 1) in paras
    assert I.operative_in_part("A/RES/75/245", 3, 1) in paras
    assert all(len(list(g.objects(p, UNKG.text))) == 1 for p in paras)


# -- ELI Format, meeting records, recurring topics (ontology 0.2.0) -------------------------------

MEDIA = "http://www.iana.org/assignments/media-types/"


@pytest.mark.parametrize("name, segment, media", [
    ("A-RES-61-54.txt", "txt", "text/plain"), ("x.PDF", "pdf", "application/pdf"),
    ("wrapper.json", "json", "application/json"), ("front.md", "md", "text/markdown"),
])
def test_every_loaded_document_has_its_file(name: str, segment: str, media: str) -> None:
    """Work -> Expression -> Format: the file a document was loaded from is its ELI Format."""
    g = record_to_graph(seed_record(), I, Provenance(name, "0" * 64, "0.1.0", "2026-11-28T00:00:00Z"))
    expr = I.expression("A/RES/61/54", "en")
    file = URIRef(f"{expr}/{segment}")
    assert list(g.objects(expr, ELI.is_embodied_by)) == [file]
    assert (file, RDF.type, UNKG.File) in g and (file, RDF.type, ELI.Format) in g
    assert (file, ELI.embodies, expr) in g
    assert list(g.objects(file, ELI["format"])) == [URIRef(MEDIA + media)]
    assert (I.graph("A/RES/61/54"), PROV.wasDerivedFrom, file) in g


def test_no_file_without_provenance() -> None:
    """`unkg parse` (no provenance): the graph does not depend on the name the text was read from."""
    g = record_to_graph(seed_record(), I)
    assert not list(g.subjects(RDF.type, UNKG.File))


def test_stdin_has_no_file_node() -> None:
    g = record_to_graph(seed_record(), I, Provenance("<stdin>", "0" * 64, "0.1.0", "2026-11-28T00:00:00Z"))
    assert not list(g.subjects(RDF.type, UNKG.File))
    assert not list(g.objects(None, ELI.is_embodied_by))


@pytest.mark.parametrize("number, session, body, symbol", [
    (67, "61", "General Assembly", "A/61/PV.67"),
    (12, "ES-10", "General Assembly", "A/ES-10/PV.12"),
    (5, "S-28", "General Assembly", "A/S-28/PV.5"),
    (600, "XI", "General Assembly", "A/PV.600"),    # before the 31st session: A/PV.n
    (1, "31", "General Assembly", "A/31/PV.1"),
    (3, "ES-6", "General Assembly", "A/PV.3"),
    (1747, None, "Security Council", "S/PV.1747"),
    (10, None, "General Assembly", None),          # a GA meeting without a session: unknown
    (10, "5", "Economic and Social Council", None),
])
def test_meeting_record_symbol(number: int, session: str | None, body: str, symbol: str | None) -> None:
    from unkg.iris import meeting_record_symbol

    assert meeting_record_symbol(number, session, body) == symbol


def test_meeting_is_recorded_in_its_verbatim_record(seed: Graph) -> None:
    meeting = I.meeting(67, "61")
    record = I.document("A/61/PV.67")
    assert list(seed.objects(meeting, UNKG.recordedIn)) == [record]
    assert (record, RDF.type, UNKG.MeetingRecord) in seed
    assert (record, UNKG.symbol, Literal("A/61/PV.67")) in seed
    assert (DOC, ELI.cites, record) not in seed  # recorded, not cited


def test_recurring_topic_links_agenda_items_across_sessions(seed: Graph) -> None:
    """61/54 (item 85) and 62/17 (item 93) both put their own title on the next agenda: one topic."""
    later = seed_record()
    later.symbol, later.session, later.agenda_items = "A/RES/62/17", "62", ["93"]
    later.agenda_inclusions = [AgendaInclusion(paragraph=5, session="63", title=TITLE)]
    g = seed + record_to_graph(later, I)
    topic = I.agenda_topic(TITLE)
    items = set(g.subjects(UNKG.topic, topic)) - set(g.subjects(RDF.type, UNKG.AgendaInclusion))
    assert items == {I.agenda_item("61", "85"), I.agenda_item("62", "93")}
    assert (topic, RDF.type, UNKG.AgendaTopic) in g


def test_no_topic_when_the_item_is_not_evident() -> None:
    """Two agenda items, or an inclusion of another title: the item's topic is not known."""
    two = seed_record()
    two.agenda_items = ["85", "86"]
    other = seed_record()
    other.agenda_inclusions = [AgendaInclusion(paragraph=5, session="62", title="Another item")]
    for record in (two, other):
        g = record_to_graph(record, I)
        assert not [s for s in g.subjects(UNKG.topic, None) if (s, RDF.type, UNKG.AgendaItem) in g]


@pytest.mark.parametrize("make", [seed_record, other_record], ids=["seed", "vote"])
def test_the_store_keeps_every_term_the_mapper_writes(make: object, tmp_path: Path) -> None:
    """Nothing is lost on the way into Oxigraph: no datatype it would normalise (it stores
    xsd:nonNegativeInteger as xsd:integer), no literal it would rewrite."""
    from unkg.store import EmbeddedStore, ntriples_of
    record = make()  # type: ignore[operator]
    triples = list(record_triples(record, I))
    st = EmbeddedStore(tmp_path / "store")
    graph = str(I.graph(record.symbol))
    st.replace_graphs({graph: ntriples_of(triples)})
    back = Graph().parse(data="".join(f"{s} {p} {o} .\n" for s, p, o in st.triples(graph)), format="nt")
    st.close()
    sent = Graph()
    for t in triples:
        sent.add(t)
    if not isomorphic(sent, back):
        _, missing, added = graph_diff(to_isomorphic(sent), to_isomorphic(back))
        raise AssertionError(f"lost {sorted(missing)[:5]}; changed into {sorted(added)[:5]}")
