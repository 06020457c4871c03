"""`unkg validate` as CI pipelines use it: exit codes one by one, and every report format."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
import rdflib
from click.testing import CliRunner

from unkg.cli import cli

SEED = Path(__file__).parent / "data" / "corpus" / "texts" / "A-RES-61-54.txt"

# A resolution with no symbol, no session and an undated meeting: several violations.
BROKEN = """@prefix unkg: <https://w3id.org/unkg/ontology#> .
<https://w3id.org/unkg/doc/A/RES/99/1> a unkg:Resolution ;
    unkg:session <https://w3id.org/unkg/session/ga/99>, <https://w3id.org/unkg/session/ga/98> .
"""


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN)
    return path


def test_exit_0_when_conforming() -> None:
    result = invoke("validate", str(SEED))
    assert result.exit_code == 0, result.output
    assert "conforms" in result.stderr


def test_exit_1_on_violations_with_focus_and_source(broken: Path) -> None:
    result = invoke("validate", str(broken), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False and report["counts"]["Violation"] > 0
    focus = {r["focus"] for r in report["results"] if r["severity"] == "Violation"}
    assert "https://w3id.org/unkg/doc/A/RES/99/1" in focus
    assert all(r["source"] == str(broken) for r in report["results"]
               if r["focus"] == "https://w3id.org/unkg/doc/A/RES/99/1")
    assert any(r["path"] == "https://w3id.org/unkg/ontology#symbol" for r in report["results"])


def test_fail_on_sets_the_threshold() -> None:
    # the seed alone cites documents that are not loaded: sh:Info results
    assert invoke("validate", str(SEED), "--fail-on", "warning").exit_code == 0
    assert invoke("validate", str(SEED), "--fail-on", "info").exit_code == 1


def test_exit_2_on_usage_error() -> None:
    assert invoke("validate", str(SEED), "--format", "yaml").exit_code == 2


def test_exit_3_on_unreadable_rdf(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/a> <http://example.org/b> .\n")
    result = invoke("validate", str(bad))
    assert result.exit_code == 3 and "bad.ttl" in result.stderr


def test_exit_3_on_invalid_shapes(tmp_path: Path) -> None:
    shapes = tmp_path / "mine.ttl"
    shapes.write_text("this is not turtle")
    assert invoke("validate", str(SEED), "--shapes", str(shapes)).exit_code == 3


def test_exit_5_without_a_store(tmp_path: Path) -> None:
    assert invoke("--store", str(tmp_path / "none"), "validate").exit_code == 5


def test_user_shapes_are_added(tmp_path: Path) -> None:
    shapes = tmp_path / "mine.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix unkg: <https://w3id.org/unkg/ontology#> .
<urn:x:MustHaveVote> a sh:NodeShape ; sh:targetClass unkg:Resolution ;
  sh:property [ sh:path unkg:hasVote ; sh:minCount 1 ; sh:message "needs a vote" ] .
""")
    result = invoke("validate", str(SEED), "--shapes", str(shapes), "--format", "json")
    assert result.exit_code == 1
    assert any(r["message"] == "needs a vote" for r in json.loads(result.stdout)["results"])


def test_report_formats(broken: Path) -> None:
    text = invoke("validate", str(broken)).stdout
    assert "Violation:" in text and "focus:" in text and "source:" in text
    junit = ElementTree.fromstring(invoke("validate", str(broken), "--format", "junit").stdout)
    assert junit.tag == "testsuite" and int(junit.get("failures", "0")) > 0
    github = invoke("validate", str(broken), "--format", "github").stdout.splitlines()
    assert github and all(line.startswith(("::error", "::warning", "::notice")) for line in github)
    turtle = rdflib.Graph().parse(data=invoke("validate", str(broken), "--format", "turtle").stdout,
                                  format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, rdflib.RDF.type, sh.ValidationReport) in turtle
    jsonld = rdflib.Graph().parse(data=invoke("validate", str(broken), "--format", "jsonld").stdout,
                                  format="json-ld")
    assert len(jsonld) == len(turtle)


GAP = """@prefix unkg: <https://w3id.org/unkg/ontology#> .
<https://w3id.org/unkg/graph/A/RES/99/2> unkg:describes <https://w3id.org/unkg/doc/A/RES/99/2> .
<https://w3id.org/unkg/doc/A/RES/99/2> unkg:hasParagraph <https://w3id.org/unkg/doc/A/RES/99/2/op/1>,
    <https://w3id.org/unkg/doc/A/RES/99/2/op/3> .
<https://w3id.org/unkg/doc/A/RES/99/2/op/1> a unkg:OperativeParagraph ; unkg:number 1 .
<https://w3id.org/unkg/doc/A/RES/99/2/op/3> a unkg:OperativeParagraph ; unkg:number 3 .
"""


def test_sparql_constraints_run_on_oxigraph(tmp_path: Path) -> None:
    """The numbering-gap constraint (sh:sparql) is evaluated by unkg's one-query engine."""
    path = tmp_path / "gap.ttl"
    path.write_text(GAP)
    report = json.loads(invoke("validate", str(path), "--format", "json").stdout)
    gaps = [r for r in report["results"] if "not preceded by paragraph 2" in r["message"]]
    assert len(gaps) == 1
    assert gaps[0]["focus"] == "https://w3id.org/unkg/doc/A/RES/99/2"
    assert gaps[0]["severity"] == "Warning"


def test_preambular_numbering_gap_runs_on_oxigraph(tmp_path: Path) -> None:
    path = tmp_path / "pp-gap.ttl"
    path.write_text(GAP.replace("OperativeParagraph", "PreambularParagraph").replace("/op/", "/pp/"))
    report = json.loads(invoke("validate", str(path), "--format", "json").stdout)
    gaps = [r for r in report["results"] if "not preceded by paragraph 2" in r["message"]]
    assert [(g["focus"], g["severity"], g["message"].split(" is ")[0]) for g in gaps] == [
        ("https://w3id.org/unkg/doc/A/RES/99/2", "Warning", "Preambular paragraph 3")]
