"""The ontology, the SKOS vocabularies, the shapes and the JSON-LD context are consistent."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, cast

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.query import ResultRow

from unkg import mapper
from unkg.iris import IRIs
from unkg.mapper import record_to_graph
from unkg.shapes import load_shapes
from unkg.vocab import (
    ADOPTION_MODE,
    CITATION_TYPE,
    DOCUMENT_TYPE,
    ELI,
    ELI_DL,
    ONTOLOGY_IRI,
    ONTOLOGY_VERSION,
    ORG,
    SCHEMA,
    SESSION_KIND,
    UNKG,
    VOCAB,
)
from unkg.vocabularies import clause_verb_scheme, clause_verb_shapes

from unkg_seed import PROVENANCE, TITLE, seed_record

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "unkg.ttl"
VOCABULARIES = ROOT / "ontology" / "vocabularies.ttl"
CLAUSE_VERBS = ROOT / "ontology" / "clause-verbs.ttl"
CONTEXT = ROOT / "ontology" / "context.jsonld"
SHAPES = ROOT / "shapes" / "unkg.shapes.ttl"
CLAUSE_VERB_SHAPES = ROOT / "shapes" / "clause-verbs.shapes.ttl"
NS = str(UNKG._NS)
PROV = "http://www.w3.org/ns/prov#"


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def vocabs() -> Graph:
    return Graph().parse(VOCABULARIES, format="turtle")


def own_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}


def test_ontology_header(onto: Graph) -> None:
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{ONTOLOGY_VERSION}")
    assert str(onto.value(o, OWL.versionInfo)) == ONTOLOGY_VERSION
    for p in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.created):
        assert onto.value(o, p) is not None, p


def test_every_term_has_english_label_and_comment(onto: Graph) -> None:
    missing = []
    for term in sorted(own_terms(onto)):
        for p in (RDFS.label, RDFS.comment):
            values = [v for v in onto.objects(term, p) if isinstance(v, Literal) and v.language == "en"]
            if not values:
                missing.append(f"{term} {p}")
    assert not missing, "\n".join(missing)


def test_every_term_is_typed(onto: Graph) -> None:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    untyped = [t for t in own_terms(onto) if not set(onto.objects(t, RDF.type)) & kinds]
    assert not untyped


def test_every_property_has_domain_or_range(onto: Graph) -> None:
    props = [t for t in own_terms(onto)
             if (t, RDF.type, OWL.ObjectProperty) in onto or (t, RDF.type, OWL.DatatypeProperty) in onto]
    bare = [p for p in props if onto.value(p, RDFS.domain) is None and onto.value(p, RDFS.range) is None]
    assert not bare


def test_closed_namespace_matches_ontology(onto: Graph) -> None:
    in_code = {UNKG[name] for name in UNKG.__annotations__}
    in_ontology = own_terms(onto)
    assert sorted(in_code - in_ontology) == [], "in vocab.UNKG but not declared in ontology/unkg.ttl"
    assert sorted(in_ontology - in_code) == [], "declared in ontology/unkg.ttl but not in vocab.UNKG"


@pytest.mark.parametrize("sub, sup", [
    (UNKG.Resolution, ELI.LegalResource), (UNKG.Resolution, SCHEMA.Legislation),
    (UNKG.Paragraph, ELI.LegalResourceSubdivision), (UNKG.Footnote, ELI.LegalResourceSubdivision),
    (UNKG.ResolutionExpression, ELI.LegalExpression), (UNKG.Meeting, ELI_DL.Activity),
    (UNKG.Meeting, SCHEMA.Event), (UNKG.AgendaItem, ELI_DL.ForeseenActivity),
    (UNKG.Vote, ELI_DL.Vote), (UNKG.Body, ORG.Organization), (UNKG.Body, ELI.Organization),
    (UNKG.Committee, UNKG.Body), (UNKG.Committee, ORG.OrganizationalUnit),
    (UNKG.Conference, SCHEMA.Event), (UNKG.ConferenceSeries, SCHEMA.EventSeries),
    (UNKG.SourceRecord, URIRef(PROV + "Entity")),
])
def test_class_alignment(onto: Graph, sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subClassOf, sup) in onto


@pytest.mark.parametrize("sub, sup", [
    (UNKG.hasParagraph, ELI.has_part), (UNKG.dateAdopted, ELI.date_document),
    (UNKG.dateDistributed, ELI.date_publication), (UNKG.symbol, ELI.id_local),
])
def test_property_alignment(onto: Graph, sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subPropertyOf, sup) in onto


def test_external_terms_are_declared(onto: Graph) -> None:
    """Every external IRI used in an axiom is declared in the file (self-contained)."""
    used = {o for s, p, o in onto if p in (RDFS.subClassOf, RDFS.subPropertyOf) and isinstance(o, URIRef)}
    undeclared = [u for u in used if (u, RDF.type, None) not in onto]
    assert not undeclared


# -- SKOS vocabularies ---------------------------------------------------------------------------

def test_vocabularies_concepts_are_complete(vocabs: Graph) -> None:
    problems = []
    for c in vocabs.subjects(RDF.type, SKOS.Concept):
        if not any(isinstance(v, Literal) and v.language == "en" for v in vocabs.objects(c, SKOS.prefLabel)):
            problems.append(f"{c} prefLabel")
        if vocabs.value(c, SKOS.definition) is None:
            problems.append(f"{c} definition")
        scheme = vocabs.value(c, SKOS.inScheme)
        if scheme is None or (scheme, RDF.type, SKOS.ConceptScheme) not in vocabs:
            problems.append(f"{c} inScheme")
        if vocabs.value(c, SKOS.topConceptOf) is None and vocabs.value(c, SKOS.broader) is None:
            problems.append(f"{c} neither top concept nor narrower")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme, keys", [
    ("document-type", ["resolution", "decision", "draft-resolution", "report", "meeting-record", "document"]),
    ("citation-type", ["recalls", "reaffirms", "takes-note-of", "welcomes", "notes", "endorses",
                       "acknowledges", "refers-to", "cites"]),
    ("session-kind", ["regular", "special", "emergency-special"]),
    ("adoption-mode", ["vote", "without-vote", "consensus", "unknown"]),
    ("committee", ["first-committee", "second-committee", "third-committee", "fourth-committee",
                   "fifth-committee", "sixth-committee"]),
])
def test_required_concepts(vocabs: Graph, scheme: str, keys: list[str]) -> None:
    for key in keys:
        concept = URIRef(f"{VOCAB}{scheme}/{key}")
        assert (concept, SKOS.inScheme, URIRef(f"{VOCAB}{scheme}")) in vocabs, concept


def test_every_value_the_mapper_emits_is_in_a_scheme(vocabs: Graph) -> None:
    emitted = {CITATION_TYPE[k] for k in set(mapper._CITATION_TYPES.values()) | {"cites"}}
    emitted |= {ADOPTION_MODE[k] for k in ("vote", "without-vote", "consensus", "unknown")}
    emitted |= {SESSION_KIND[k] for k in ("regular", "special", "emergency-special")}
    emitted |= {DOCUMENT_TYPE[k] for k in mapper._DOC_TYPE_OF_CLASS.values()}
    missing = [c for c in emitted if (c, RDF.type, SKOS.Concept) not in vocabs]
    assert not missing


def test_clause_verbs_file_is_up_to_date() -> None:
    """ontology/clause-verbs.ttl is what `python -m unkg.vocabularies` writes now."""
    generated = clause_verb_scheme()
    on_disk = Graph().parse(CLAUSE_VERBS, format="turtle")
    assert isomorphic(generated, on_disk), "run: python -m unkg.vocabularies"
    assert generated.serialize(format="turtle") == CLAUSE_VERBS.read_text(encoding="utf-8")


def test_clause_verb_shapes_file_is_up_to_date() -> None:
    """shapes/clause-verbs.shapes.ttl allows exactly the concepts of ontology/clause-verbs.ttl."""
    generated = clause_verb_shapes()
    assert generated.serialize(format="turtle") == CLAUSE_VERB_SHAPES.read_text(encoding="utf-8"), \
        "run: python -m unkg.vocabularies"
    shape = URIRef("https://w3id.org/unkg/shapes#ClauseVerbInVocabularyProperty")
    pattern = re.compile(str(generated.value(shape, SH.pattern)))
    concepts = set(Graph().parse(CLAUSE_VERBS, format="turtle").subjects(RDF.type, SKOS.Concept))
    assert all(pattern.search(str(c)) for c in concepts)
    for near_miss in ("https://w3id.org/unkg/vocab/clause-verb/recallingly",
                      "https://w3id.org/unkg/vocab/clause-verb/",
                      "https://w3id.org/unkg/vocab/clause-verb/recalling/x",
                      "https://w3id.org/unkg/vocab/clause-verbXrecalling"):
        assert not pattern.search(near_miss), near_miss


def test_clause_verb_scheme_covers_every_head() -> None:
    from unkg.verbs import ALL_VERB_HEADS

    g = clause_verb_scheme()
    assert len(set(g.subjects(RDF.type, SKOS.Concept))) == len(ALL_VERB_HEADS)


# -- shapes --------------------------------------------------------------------------------------

def shape_nodes(g: Graph) -> set[Any]:
    """Node shapes, property shapes (named or under sh:property) and SPARQL constraints."""
    shapes: set[Any] = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    shapes |= set(g.objects(None, SH.property)) | set(g.objects(None, SH.sparql))
    return shapes


def test_shapes_parse_and_every_shape_has_a_message() -> None:
    g = Graph().parse(SHAPES, format="turtle").parse(CLAUSE_VERB_SHAPES, format="turtle")
    shapes = shape_nodes(g)
    assert len(shapes) > 60
    silent = [s for s in shapes if g.value(s, SH.message) is None]
    assert not silent, f"{len(silent)} shapes without sh:message, e.g. {g.value(silent[0], SH.path)}"


def test_shapes_pass_shacl_shacl() -> None:
    shapes = load_shapes()
    # meta_shacl=True validates the shapes graph against SHACL-SHACL first and raises if it fails
    conforms, _report, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True,
                                               inference="none", advanced=True)
    assert conforms, text


USH = "https://w3id.org/unkg/shapes#"


@pytest.mark.parametrize("base", ["https://w3id.org/unkg/", "http://example.org/kg/"])
def test_every_class_shape_checks_iris_under_the_configured_base(base: str) -> None:
    """Each class's node shape pins its focus nodes under the base: nodeKind IRI and a pattern
    anchored at the (escaped) base, rewritten by load_shapes for another base."""
    g = load_shapes(base)
    anchor = "^" + base.replace(".", "\\.")
    problems = []
    for shape in sorted(set(g.subjects(SH.targetClass, None)), key=str):
        patterns = [str(p) for p in g.objects(shape, SH.pattern)]
        if g.value(shape, SH.nodeKind) != SH.IRI or not patterns:
            problems.append(f"{shape}: no sh:nodeKind sh:IRI or no sh:pattern")
        elif not all(p.startswith(anchor) for p in patterns):
            problems.append(f"{shape}: {patterns} not under {anchor}")
    assert not problems, "\n".join(problems)


def test_every_class_the_mapper_emits_has_a_shape(onto: Graph) -> None:
    g = Graph().parse(SHAPES, format="turtle")
    targeted = set(g.objects(None, SH.targetClass))
    classes = {t for t in own_terms(onto) if (t, RDF.type, OWL.Class) in onto}
    # abstract classes the mapper never emits as a node's only type
    abstract = {UNKG.Paragraph}
    assert sorted(classes - targeted - abstract) == []


# -- JSON-LD context -----------------------------------------------------------------------------

def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_context_has_no_remote_references() -> None:
    data = json.loads(CONTEXT.read_text(encoding="utf-8"))
    ctx = data["@context"]
    assert isinstance(ctx, dict), "the context must be inline, never a URL"
    assert "@import" not in ctx and "@base" not in ctx
    assert ctx.get("@version") == 1.1
    for key, value in ctx.items():
        if isinstance(value, dict):
            assert not isinstance(value.get("@context"), str), f"{key} has a remote scoped context"


def _expand(ctx: dict[str, Any], value: str) -> str:
    prefix, _, local = value.partition(":")
    if prefix in ctx and isinstance(ctx[prefix], str) and not local.startswith("//"):
        return str(ctx[prefix]) + local
    return value


def test_context_has_a_key_for_every_unkg_term() -> None:
    ctx = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    mapped = set()
    for key, value in ctx.items():
        iri = value.get("@id") if isinstance(value, dict) else value
        if isinstance(iri, str) and not key.startswith("@"):
            mapped.add(_expand(ctx, iri))
    missing = [name for name in UNKG.__annotations__ if str(UNKG[name]) not in mapped]
    assert not missing
    for prefix in ("eli", "dcterms", "schema", "prov", "skos"):
        assert prefix in ctx
    assert ctx["title"] == {"@id": "dcterms:title", "@container": "@language"}
    assert ctx["dateAdopted"]["@type"] == "xsd:date"
    assert ctx["body"]["@type"] == "@id"


# -- consumers that know only ELI or only schema.org ---------------------------------------------

ELI_QUERY = """
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?work ?id ?date ?published ?title ?body ?file WHERE {
  ?work a eli:LegalResource ; eli:id_local ?id ; eli:date_document ?date ;
        eli:date_publication ?published ; eli:passed_by ?body ;
        eli:is_realized_by ?expr .
  ?expr eli:title ?title ; eli:is_embodied_by ?file .
  FILTER NOT EXISTS { ?work eli:is_part_of ?whole }
}"""

SCHEMA_QUERY = """
PREFIX schema: <https://schema.org/>
SELECT ?leg ?id ?name ?date ?by WHERE {
  ?leg a schema:Legislation ; schema:legislationIdentifier ?id ; schema:name ?name ;
       schema:legislationDate ?date ; schema:legislationPassedBy ?by .
}"""


def _seed_graph() -> Graph:
    return record_to_graph(seed_record(), IRIs(), PROVENANCE)


def select(graph: Graph, query: str) -> list[ResultRow]:
    """The rows of a SELECT on an rdflib graph (its result type also covers ASK and CONSTRUCT)."""
    return [cast(ResultRow, row) for row in cast(Iterable[Any], graph.query(query))]


def test_eli_only_consumer_finds_resolutions_with_dates_titles_and_files() -> None:
    """The materialised ELI view alone answers an ELI query (no reasoner)."""
    g = _seed_graph()
    rows = select(g, ELI_QUERY)
    assert len(rows) == 1, rows
    row = rows[0]
    assert str(row.id) == "A/RES/61/54"
    assert row.date == Literal("2006-12-06", datatype=XSD.date)
    assert row.published == Literal("2006-12-19", datatype=XSD.date)
    assert isinstance(row.title, Literal) and str(row.title) == TITLE and row.title.language == "en"
    assert str(row.file).endswith("/doc/A/RES/61/54/en/txt")


def test_schema_org_only_consumer_finds_the_resolution() -> None:
    rows = select(_seed_graph(), SCHEMA_QUERY)
    assert [(str(r.id), str(r.date)) for r in rows] == [("A/RES/61/54", "2006-12-06")]


def test_alignment_axioms_alone_give_eli_and_schema_views(onto: Graph) -> None:
    """Drop every ELI, DC Terms and schema.org triple the mapper materialises, keep only unkg
    terms; RDFS entailment over the ontology's alignment axioms brings the views back."""
    import owlrl

    g = _seed_graph()
    foreign = (str(ELI), "http://purl.org/dc/terms/", str(SCHEMA))
    own = Graph()
    for s, p, o in g:
        if str(p).startswith(foreign) or (p == RDF.type and not str(o).startswith(NS)):
            continue
        own.add((s, p, o))
    assert not list(own.query(ELI_QUERY.replace("eli:date_publication ?published ;", "")))
    closure = own + onto
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(closure)
    q = """
    PREFIX eli: <http://data.europa.eu/eli/ontology#>
    PREFIX schema: <https://schema.org/>
    SELECT ?id ?date ?published ?body WHERE {
      ?work a eli:LegalResource, schema:Legislation ; eli:id_local ?id ; eli:date_document ?date ;
            eli:date_publication ?published ; eli:passed_by ?body .
    }"""
    rows = {(str(r.id), str(r.date), str(r.published)) for r in select(closure, q)}
    assert rows == {("A/RES/61/54", "2006-12-06", "2006-12-19")}
    # parts and events, too: paragraphs are eli:has_part of the work; conferences are schema:Event
    doc = URIRef("https://w3id.org/unkg/doc/A/RES/61/54")
    assert len(set(closure.objects(doc, ELI.has_part))) > 20
    starts = set(closure.query("""PREFIX schema: <https://schema.org/>
        SELECT ?e ?d WHERE { ?e a schema:Event ; schema:startDate ?d ; schema:superEvent ?series }"""))
    assert len(starts) == 4
