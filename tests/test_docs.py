"""`unkg docs`: every term documented, links resolve, the SVG is XML, output is byte-identical."""

from __future__ import annotations

import html
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from unkg.cli import cli
from unkg.docs import DOC_FILES, LAYOUT, class_diagram, diagram_edges, esc, write_docs
from unkg.vocab import UNKG

ROOT = Path(__file__).resolve().parents[1]
NS = str(UNKG._NS)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    write_docs(out)
    return out


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ROOT / "ontology" / "unkg.ttl", format="turtle")


def own_terms(g: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted({t for k in kinds for t in g.subjects(RDF.type, k)
                   if isinstance(t, URIRef) and str(t).startswith(NS)})


def parse_page(path: Path) -> ET.Element:
    """Pages are written as well-formed XML (XHTML syntax): a stray '<' or '&' from an unescaped
    text makes this fail."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>\n")
    return ET.fromstring(text[len("<!DOCTYPE html>\n"):])


def element_text(e: ET.Element) -> str:
    return "".join(e.itertext())


def test_written_files(docs: Path) -> None:
    names = sorted(p.name for p in docs.iterdir())
    assert names == sorted(["index.html", "vocabularies.html", "classes.svg", *DOC_FILES])
    for name, (folder, source) in DOC_FILES.items():
        assert (docs / name).read_bytes() == (ROOT / folder / source).read_bytes()


def test_every_class_and_property_is_documented(docs: Path, onto: Graph) -> None:
    page = parse_page(docs / "index.html")
    sections = {e.get("id"): e for e in page.iter("section")}
    missing = []
    for term in own_terms(onto):
        name = str(term)[len(NS):]
        section = sections.get(name)
        if section is None:
            missing.append(f"{name}: no section")
            continue
        text = element_text(section)
        for p in (RDFS.label, RDFS.comment):
            value = str(onto.value(term, p))
            if value not in text:
                missing.append(f"{name}: {p} not shown")
        for domain in onto.objects(term, RDFS.domain):
            if str(domain).startswith(NS) and f"unkg:{str(domain)[len(NS):]}" not in text:
                missing.append(f"{name}: domain {domain} not shown")
        for rng in onto.objects(term, RDFS.range):
            short = str(rng).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            if short not in text:
                missing.append(f"{name}: range {rng} not shown")
    assert not missing, "\n".join(missing)
    # the table of contents lists them all
    toc = [a.get("href") for a in page.iter("a") if (a.get("href") or "").startswith("#")]
    assert {f"#{str(t)[len(NS):]}" for t in own_terms(onto)} <= set(toc)


def test_alignments_are_shown(docs: Path, onto: Graph) -> None:
    page = parse_page(docs / "index.html")
    sections = {e.get("id"): element_text(e) for e in page.iter("section")}
    assert "eli:LegalResource" in sections["Resolution"]
    assert "schema:Legislation" in sections["Resolution"]
    assert "eli:Format" in sections["File"]
    assert "eli:date_document" in sections["dateAdopted"]
    assert "eli-dl:recorded_in_a_realization_of" in sections["recordedIn"]


def test_examples_are_mapper_output(docs: Path) -> None:
    page = parse_page(docs / "index.html")
    sections = {e.get("id"): element_text(e) for e in page.iter("section")}
    assert "<doc/A/RES/61/54>" in sections["Resolution"]
    assert 'eli:date_document "2006-12-06"^^xsd:date' in sections["Resolution"]
    assert "unkg:votesInFavour" in sections["Vote"] and '"14"' in sections["Vote"]
    assert "<doc/A/61/PV.67>" in sections["MeetingRecord"]
    assert "<doc/A/RES/61/54/en/txt>" in sections["File"]


def test_every_concept_scheme_and_concept_is_listed(docs: Path) -> None:
    vocabs = Graph().parse(ROOT / "ontology" / "vocabularies.ttl", format="turtle")
    vocabs.parse(ROOT / "ontology" / "clause-verbs.ttl", format="turtle")
    page = parse_page(docs / "vocabularies.html")
    text = element_text(page)
    ids = {e.get("id") for e in page.iter() if e.get("id")}
    schemes = set(vocabs.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 6  # document-type, citation-type, session-kind, adoption-mode, committee, clause-verb
    for scheme in schemes:
        assert str(vocabs.value(scheme, SKOS.prefLabel)) in text
    concepts = set(vocabs.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 300
    for c in concepts:
        assert str(c) in text, c
        key = str(c)[len("https://w3id.org/unkg/vocab/"):].replace("/", "-")
        assert key in ids, key


def _links(path: Path) -> list[str]:
    if path.suffix == ".svg":
        root = ET.parse(path).getroot()
        return [e.get("href") or "" for e in root.iter(f"{SVG}a")]
    page = parse_page(path)
    return [e.get("href") or e.get("src") or "" for e in page.iter() if e.get("href") or e.get("src")]


def _ids(path: Path) -> set[str]:
    root = ET.parse(path).getroot() if path.suffix == ".svg" else parse_page(path)
    return {e.get("id") or "" for e in root.iter()} - {""}


def test_every_internal_link_resolves(docs: Path) -> None:
    broken = []
    checked = 0
    for page in ("index.html", "vocabularies.html", "classes.svg"):
        for href in _links(docs / page):
            if "://" in href:
                continue  # external term IRIs
            target, _, fragment = href.partition("#")
            target_path = docs / (target or page)
            checked += 1
            if not target_path.is_file():
                broken.append(f"{page}: {href} (no file)")
            elif fragment and fragment not in _ids(target_path):
                broken.append(f"{page}: {href} (no id)")
    assert checked > 200
    assert not broken, "\n".join(broken)


def test_ids_are_unique(docs: Path) -> None:
    for page in ("index.html", "vocabularies.html"):
        root = parse_page(docs / page)
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), page


def test_svg_is_xml_with_every_class(docs: Path, onto: Graph) -> None:
    root = ET.parse(docs / "classes.svg").getroot()
    assert root.tag == f"{SVG}svg"
    boxes = {element_text(t) for a in root.iter(f"{SVG}a") for t in a.iter(f"{SVG}text")}
    classes = {str(c)[len(NS):] for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(NS)}
    assert classes <= boxes
    paths = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "none"]  # not the arrow heads
    assert len(paths) == len([e for e in diagram_edges(onto) if e.source in LAYOUT and e.target in LAYOUT])


def test_diagram_edges_come_from_the_ontology(onto: Graph) -> None:
    edges = {(e.source, e.label, e.target) for e in diagram_edges(onto)}
    assert ("Document", "unkg:hasParagraph", "Paragraph") in edges
    assert ("Meeting", "unkg:recordedIn", "MeetingRecord") in edges
    assert ("Resolution", "subClassOf", "Document") in edges
    # a specialisation is not drawn beside its super-property
    assert not any(label == "unkg:hasOperativeParagraph" for _s, label, _t in edges)


def test_a_new_class_is_drawn_even_without_a_place_in_the_layout(onto: Graph) -> None:
    g = Graph() + onto
    g.add((UNKG._NS["Agenda"], RDF.type, OWL.Class))  # type: ignore[attr-defined]
    svg = class_diagram(g)
    ET.fromstring(svg)
    assert ">Agenda</text>" in svg


def test_text_is_escaped() -> None:
    assert esc('<b a="1">&') == "&lt;b a=&quot;1&quot;&gt;&amp;"
    g = Graph()
    term = UNKG._NS["Weird"]  # type: ignore[attr-defined]
    g.add((term, RDF.type, OWL.Class))
    g.add((term, RDFS.label, Literal('<script>alert("x")</script>', lang="en")))
    svg = class_diagram(g)
    assert "<script>" not in svg
    ET.fromstring(svg)


def test_output_is_byte_identical_across_runs_and_processes(docs: Path, tmp_path: Path) -> None:
    """A second run, in another process with another hash seed, through the CLI."""
    env = dict(os.environ, PYTHONHASHSEED="12345")
    done = subprocess.run([sys.executable, "-m", "unkg.cli", "docs", str(tmp_path / "again")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    first = {p.name: p.read_bytes() for p in docs.iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()}
    assert first.keys() == second.keys()
    differ = [name for name in first if first[name] != second[name]]
    assert not differ


def test_examples_follow_the_base_iri(tmp_path: Path) -> None:
    write_docs(tmp_path, "http://example.org/kg/")
    text = html.unescape((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert "<code>http://example.org/kg/</code>" in text
    assert "https://w3id.org/unkg/doc/" not in text


def test_cli_docs(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["docs", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["docs", str(blocker / "sub")])
    assert result.exit_code == 3
    assert "cannot write the documentation" in result.output
