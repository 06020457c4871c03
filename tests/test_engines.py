"""The SPARQL validation engine against pySHACL (the reference), and the per-graph result cache.

Both engines must report the same set of (focus node, result path, value, severity, source
shape, constraint component) on the corpus, on every broken graph of test_shapes.py and on a
user's shapes using components unkg's shapes do not; the cache must give the results a full run
gives, after a document or the shapes change and after the cache is deleted.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from rdflib.namespace import SH, XSD

from unkg.loader import load_paths
from unkg.store import EmbeddedStore
from unkg.vocab import UNKG
from unkg.validation import (
    ValidationReport,
    ValidationResult,
    public_fields,
    validate_files,
    validate_store,
)
from unkg.validation_cache import CACHE_FILE

from test_shapes import CASES, GOOD_DOC, PREFIXES

BASE = "https://w3id.org/unkg/"
TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
# every eighth text (21): layouts and eras across the corpus, at an eighth of pySHACL's cost
SAMPLE = sorted(TEXTS.iterdir())[::8]


def keys(report: ValidationReport) -> set[tuple[str, str | None, str | None, str, str | None, str | None]]:
    return {r.key() for r in report.results}


def assert_same(sparql: ValidationReport, pyshacl: ValidationReport) -> None:
    a, b = keys(sparql), keys(pyshacl)
    only_sparql = sorted(a - b, key=str)
    only_pyshacl = sorted(b - a, key=str)
    assert not only_sparql and not only_pyshacl, (
        "only the SPARQL engine:\n" + "\n".join(map(str, only_sparql))
        + "\nonly pySHACL:\n" + "\n".join(map(str, only_pyshacl)))


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    st = EmbeddedStore(tmp_path_factory.mktemp("engines") / "store")
    report = load_paths(st, SAMPLE, base_iri=BASE)
    assert not report.failed
    return st


def test_engines_agree_on_the_corpus(corpus_store: EmbeddedStore) -> None:
    sparql = validate_store(corpus_store, BASE, engine="sparql", cache=False)
    pyshacl = validate_store(corpus_store, BASE, engine="pyshacl")
    assert_same(sparql, pyshacl)
    assert_same(validate_store(corpus_store, BASE, engine="sparql", per_graph=False), pyshacl)
    # not vacuous: the sample cites documents it does not hold (infos)
    assert sparql.counts()["Info"] > 0
    # every result is attributed to the text it came from
    names = {p.name for p in SAMPLE}
    assert all(r.source in names for r in sparql.results), [r for r in sparql.results if r.source not in names]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_engines_agree_on_broken_graph(case: object, tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(PREFIXES + case.ttl)  # type: ignore[attr-defined]
    sparql = validate_files([str(path)], BASE, engine="sparql")
    pyshacl = validate_files([str(path)], BASE, engine="pyshacl")
    assert pyshacl.results, "a broken graph gives results"
    assert_same(sparql, pyshacl)


def test_engines_agree_on_broken_graphs_in_a_store(tmp_path: Path) -> None:
    """Every broken graph in its own named graph: the per-graph scope and the cross-document
    checks give pySHACL's answer over the union."""
    st = EmbeddedStore(tmp_path / "store")
    files = []
    for i, case in enumerate(CASES):
        path = tmp_path / f"case-{i}.ttl"
        path.write_text(PREFIXES + case.ttl.replace("A/RES/1/1", f"A/RES/1/{i + 1}"))
        files.append(path)
    assert not load_paths(st, files, base_iri=BASE).failed
    reference = validate_store(st, BASE, engine="pyshacl")
    assert_same(validate_store(st, BASE, engine="sparql", per_graph=False), reference)
    # per graph, the answer differs only on nodes several graphs describe: a graph mentioning a
    # node (a body, a series) without the description another gives is reported; two graphs
    # giving one node conflicting values (two session numbers) are not (see README)
    per_graph = validate_store(st, BASE, engine="sparql", cache=False)
    graphs_of: dict[str, set[str]] = {}
    for q in st.quads():
        graphs_of.setdefault(q.subject.value, set()).add(q.graph_name.value)  # type: ignore[union-attr]
    differ = keys(per_graph) ^ keys(reference)
    assert differ  # the broken cases do share nodes
    for k in differ:
        assert len(graphs_of.get(k[0], set())) >= 2, k


USER_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix unkg: <https://w3id.org/unkg/ontology#> .
@prefix ex: <http://example.org/shapes#> .
ex:Mine a sh:NodeShape ;
    sh:targetClass unkg:Resolution ;
    sh:property [ sh:path unkg:symbol ; sh:maxLength 8 ; sh:minLength 3 ; sh:languageIn ( "en" ) ] ,
        [ sh:path unkg:hasParagraph ; sh:minCount 2 ; sh:maxCount 3 ] ,
        [ sh:path unkg:documentType ; sh:hasValue <https://w3id.org/unkg/vocab/document-type/decision> ] ,
        [ sh:path unkg:dateAdopted ; sh:lessThan unkg:dateDistributed ;
          sh:minExclusive "2006-12-06"^^xsd:date ] ,
        [ sh:path unkg:dateDistributed ; sh:lessThanOrEquals unkg:dateAdopted ] ,
        [ sh:path unkg:dateAdopted ; sh:equals unkg:dateDistributed ] ,
        [ sh:path unkg:session ; sh:disjoint unkg:body ; sh:not [ sh:nodeKind sh:Literal ] ;
          sh:xone ( [ sh:class unkg:Session ] [ sh:class unkg:Body ] ) ] ,
        [ sh:path ( unkg:hasParagraph unkg:number ) ; sh:maxInclusive 0 ; sh:severity sh:Info ] ,
        [ sh:path [ sh:alternativePath ( unkg:body unkg:session ) ] ; sh:node ex:Labelled ] .
ex:Labelled a sh:NodeShape ;
    sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#label> ; sh:minCount 1 ] .
ex:Paragraphs a sh:NodeShape ;
    sh:targetSubjectsOf unkg:clauseVerb ;
    sh:and ( [ sh:path unkg:number ; sh:datatype xsd:integer ] [ sh:path unkg:text ; sh:uniqueLang true ] ) ;
    sh:property [ sh:path [ sh:inversePath unkg:hasParagraph ] ; sh:minCount 1 ; sh:maxCount 1 ] .
ex:Node a sh:NodeShape ; sh:targetNode <https://w3id.org/unkg/body/ga> , <https://w3id.org/unkg/body/sc> ;
    sh:hasValue <https://w3id.org/unkg/body/ga> .
"""
# components unkg's SPARQL engine does not compile: the shape must go to pySHACL, not vanish
FALLBACK_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix unkg: <https://w3id.org/unkg/ontology#> .
@prefix ex: <http://example.org/shapes#> .
ex:Closed a sh:NodeShape ; sh:targetClass unkg:Body ; sh:closed true ;
    sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) .
ex:Qualified a sh:NodeShape ; sh:targetClass unkg:Resolution ;
    sh:property [ sh:path unkg:hasParagraph ; sh:qualifiedValueShape [ sh:class unkg:PreambularParagraph ] ;
                  sh:qualifiedMinCount 1 ] .
"""


def test_engines_agree_on_user_shapes(tmp_path: Path) -> None:
    data = tmp_path / "doc.ttl"
    data.write_text(PREFIXES + GOOD_DOC + """
        <doc/A/RES/1/1> unkg:hasParagraph <doc/A/RES/1/1/op/2> .
        <doc/A/RES/1/1/op/2> a unkg:OperativeParagraph ; unkg:number "2" ; unkg:text "a"@en, "b"@EN ;
            unkg:clauseVerb <https://w3id.org/unkg/vocab/clause-verb/decides> .
        <doc/A/RES/1/2> unkg:hasParagraph <doc/A/RES/1/1/op/2> .
        """)
    shapes = tmp_path / "mine.ttl"
    shapes.write_text(USER_SHAPES)
    sparql = validate_files([str(data)], BASE, [shapes], engine="sparql")
    pyshacl = validate_files([str(data)], BASE, [shapes], engine="pyshacl")
    assert_same(sparql, pyshacl)
    components = {r.constraint.rsplit("#", 1)[-1] for r in sparql.results if r.constraint}
    # the data breaks each of these, so the comparison covers them
    assert {"MaxLengthConstraintComponent", "LanguageInConstraintComponent", "MinCountConstraintComponent",
            "HasValueConstraintComponent", "LessThanOrEqualsConstraintComponent", "MinExclusiveConstraintComponent",
            "EqualsConstraintComponent", "MaxInclusiveConstraintComponent", "NodeConstraintComponent",
            "AndConstraintComponent", "MaxCountConstraintComponent"} <= components, components


def test_uncompiled_shapes_fall_back_to_pyshacl(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "doc.ttl"
    data.write_text(PREFIXES + GOOD_DOC)
    shapes = tmp_path / "fallback.ttl"
    shapes.write_text(FALLBACK_SHAPES)
    with caplog.at_level(logging.INFO, logger="unkg.validation"):
        sparql = validate_files([str(data)], BASE, [shapes], engine="sparql")
    assert "http://example.org/shapes#Closed is validated by pySHACL" in caplog.text
    assert "http://example.org/shapes#Qualified is validated by pySHACL" in caplog.text
    assert_same(sparql, validate_files([str(data)], BASE, [shapes], engine="pyshacl"))
    found = {r.constraint.rsplit("#", 1)[-1] for r in sparql.results if r.constraint}
    assert {"ClosedConstraintComponent", "QualifiedMinCountConstraintComponent"} <= found


def test_subclasses_in_the_store_widen_targets_as_in_pyshacl(tmp_path: Path) -> None:
    """With an ontology loaded, an instance of a subclass is a focus of its superclass's shapes."""
    path = tmp_path / "sub.ttl"
    path.write_text(PREFIXES + """
        <http://example.org/Special> rdfs:subClassOf unkg:Report .
        <doc/A/61/389> a <http://example.org/Special> ; unkg:symbol "A 61 389" .""")
    sparql = validate_files([str(path)], BASE, engine="sparql")
    assert any(r.focus == BASE + "doc/A/61/389" and r.path and r.path.endswith("#symbol")
               for r in sparql.results)
    assert_same(sparql, validate_files([str(path)], BASE, engine="pyshacl"))


# ---- the per-graph cache -------------------------------------------------------------------------

def public(report: ValidationReport) -> list[dict[str, object]]:
    return [public_fields(r) for r in report.results]


def _checked(caplog: pytest.LogCaptureFixture) -> str:
    lines = [r.getMessage() for r in caplog.records if "to check" in r.getMessage()]
    assert lines, caplog.text
    return lines[-1]


@pytest.fixture()
def small_store(tmp_path: Path) -> tuple[EmbeddedStore, Path]:
    texts = tmp_path / "texts"
    texts.mkdir()
    for p in SAMPLE[:6]:
        shutil.copy(p, texts / p.name)
    st = EmbeddedStore(tmp_path / "store")
    assert not load_paths(st, [texts], base_iri=BASE).failed
    return st, texts


def test_cache_gives_the_full_run_and_follows_a_changed_document(
        small_store: tuple[EmbeddedStore, Path], caplog: pytest.LogCaptureFixture) -> None:
    st, texts = small_store
    caplog.set_level(logging.INFO, logger="unkg.validation")
    first = validate_store(st, BASE)
    assert _checked(caplog).endswith("6 graphs, 0 cached, 6 to check")
    assert (st.path / CACHE_FILE).exists()
    again = validate_store(st, BASE)
    assert _checked(caplog).endswith("6 graphs, 6 cached, 0 to check")
    assert public(again) == public(first) == public(validate_store(st, BASE, cache=False))

    # change one document: drop its "Distr.: General" line, so its distribution date goes
    changed = sorted(texts.iterdir())[2]
    changed.write_text("".join(line for line in changed.read_text().splitlines(keepends=True)
                               if not line.startswith("Distr.")))
    assert load_paths(st, [changed], base_iri=BASE).count("loaded") == 1
    after = validate_store(st, BASE)
    assert _checked(caplog).endswith("6 graphs, 5 cached, 1 to check")
    assert public(after) == public(validate_store(st, BASE, cache=False))
    new = [r for r in after.results if r not in first.results]
    assert any(r.path and r.path.endswith("#dateDistributed") and r.source == changed.name for r in new), new

    # delete the cache: the same results
    (st.path / CACHE_FILE).unlink()
    assert public(validate_store(st, BASE)) == public(after)
    assert _checked(caplog).endswith("6 graphs, 0 cached, 6 to check")


def test_cache_is_dropped_when_the_shapes_change(small_store: tuple[EmbeddedStore, Path], tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    st, _texts = small_store
    caplog.set_level(logging.INFO, logger="unkg.validation")
    validate_store(st, BASE)
    shapes = tmp_path / "mine.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix unkg: <https://w3id.org/unkg/ontology#> .
        <http://example.org/S> a sh:NodeShape ; sh:targetObjectsOf unkg:describes ;
            sh:property [ sh:path unkg:symbol ; sh:maxLength 5 ; sh:message "short symbols only" ] .""")
    mine = validate_store(st, BASE, [shapes])
    assert _checked(caplog).endswith("6 graphs, 0 cached, 6 to check")
    assert sum(1 for r in mine.results if r.message == "short symbols only") == 6
    validate_store(st, BASE, [shapes])
    assert _checked(caplog).endswith("6 cached, 0 to check")
    # a different user file: everything again
    shapes.write_text(shapes.read_text().replace("maxLength 5", "maxLength 50"))
    assert not any(r.message == "short symbols only" for r in validate_store(st, BASE, [shapes]).results)
    assert _checked(caplog).endswith("0 cached, 6 to check")


def test_a_corrupt_cache_is_rebuilt(small_store: tuple[EmbeddedStore, Path]) -> None:
    st, _texts = small_store
    expected = public(validate_store(st, BASE, cache=False))
    (st.path / CACHE_FILE).write_bytes(b"not a database")
    assert public(validate_store(st, BASE)) == expected
    assert public(validate_store(st, BASE)) == expected


def test_no_cache_leaves_no_file(small_store: tuple[EmbeddedStore, Path]) -> None:
    st, _texts = small_store
    validate_store(st, BASE, cache=False)
    assert not (st.path / CACHE_FILE).exists()


def test_result_key_ignores_display_only_fields() -> None:
    a = ValidationResult("Violation", "urn:x", None, None, "m", "urn:s", "urn:c", shape_node="urn:s")
    assert a.key() == ("urn:x", None, None, "Violation", "urn:s", "urn:c")


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_invalid_user_shapes_are_an_input_error(engine: str, tmp_path: Path) -> None:
    """A shapes file that is RDF but not valid SHACL: exit code 3 from either engine."""
    from click.testing import CliRunner

    from unkg.cli import cli

    data = tmp_path / "doc.ttl"
    data.write_text(PREFIXES + GOOD_DOC)
    shapes = tmp_path / "bad.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://example.org/S> a sh:NodeShape ; sh:targetNode <http://example.org/x> ;
            sh:property [ sh:path <http://example.org/p> ; sh:minCount "many" ] .""")
    result = CliRunner().invoke(cli, ["validate", str(data), "--shapes", str(shapes), "--engine", engine])
    assert result.exit_code == 3, result.output
    assert "invalid shapes" in result.stderr


def test_duplicate_symbols_across_documents(tmp_path: Path) -> None:
    """Two documents with one symbol, and one document described by two graphs: a Warning each,
    from either engine, in files and in the store."""
    one = tmp_path / "one.ttl"
    one.write_text(PREFIXES + GOOD_DOC)
    # the same symbol under another document IRI and graph
    two = tmp_path / "two.ttl"
    two.write_text(PREFIXES + GOOD_DOC.replace("<doc/A/RES/1/1", "<doc/A/RES/1/9").replace(
        "<graph/A/RES/1/1>", "<graph/A/RES/1/9>"))
    for engine in ("sparql", "pyshacl"):
        report = validate_files([str(one), str(two)], BASE, engine=engine)
        dup = [r for r in report.results if r.shape and r.shape.endswith("#DuplicateSymbolCheck")]
        assert {r.focus for r in dup} == {BASE + "doc/A/RES/1/1", BASE + "doc/A/RES/1/9"}, report.results
        assert all(r.severity == "Warning" and r.value == "A/RES/1/1" for r in dup)
    assert not [r for r in validate_files([str(one)], BASE).results if r.shape and "Duplicate" in r.shape]
    st = EmbeddedStore(tmp_path / "store")
    assert not load_paths(st, [one, two], base_iri=BASE).failed
    dup = [r for r in validate_store(st, BASE).results if r.shape and r.shape.endswith("#DuplicateSymbolCheck")]
    assert {r.focus for r in dup} == {BASE + "doc/A/RES/1/1", BASE + "doc/A/RES/1/9"}, dup
    assert all(r.source for r in dup), dup
