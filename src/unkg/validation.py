"""SHACL validation of the store or of files, with pySHACL as the engine."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from . import formats
from .errors import InputError
from .iris import IRIs
from .security import external_contexts, refuse_remote_contexts, uses_service
from .store import EmbeddedStore, parse_rdf

if TYPE_CHECKING:
    from .mapper import Provenance

SEVERITIES = ("Violation", "Warning", "Info")
_RANK = {"Violation": 3, "Warning": 2, "Info": 1}


@dataclass
class ValidationResult:
    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str | None
    constraint: str | None
    source: str | None = None  # the source file or graph the focus node came from


@dataclass
class ValidationReport:
    results: list[ValidationResult] = field(default_factory=list)
    report_graph: rdflib.Graph | None = None
    checked: int = 0  # named graphs or files checked

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for r in self.results if r.severity == s) for s in SEVERITIES}

    def conforms(self, fail_on: str = "violation") -> bool:
        threshold = _RANK[fail_on.capitalize()]
        return not any(_RANK[r.severity] >= threshold for r in self.results)

    def to_json(self, fail_on: str = "violation") -> dict[str, object]:
        return {"conforms": self.conforms(fail_on), "counts": self.counts(), "checked": self.checked,
                "results": [asdict(r) for r in self.results]}


def _short(node: rdflib.term.Node | None) -> str | None:
    if node is None:
        return None
    return str(node)


def _path_text(g: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    """A SHACL property path as text: an IRI, or ^IRI for an inverse path."""
    if path is None:
        return None
    if isinstance(path, rdflib.BNode):
        inverse = g.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{inverse}"
        return "(complex path)"
    return str(path)


def _shape_text(g: rdflib.Graph, shape: rdflib.term.Node | None) -> str | None:
    """The shape's IRI; for a blank property shape, the IRI of the node shape that holds it."""
    if isinstance(shape, rdflib.BNode):
        parent = g.value(None, SH.property, shape)
        if parent is not None and not isinstance(parent, rdflib.BNode):
            return str(parent)
        return None
    return _short(shape)


def run_pyshacl(data: rdflib.Graph, shapes: rdflib.Graph) -> ValidationReport:
    """Validate with pySHACL (no inference; SHACL-AF off)."""
    import pyshacl

    _conforms, report_graph, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
        allow_infos=True)
    assert isinstance(report_graph, rdflib.Graph)
    results: list[ValidationResult] = []
    for res in report_graph.subjects(RDF.type, SH.ValidationResult):
        sev = report_graph.value(res, SH.resultSeverity)
        severity = str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation"
        results.append(ValidationResult(
            severity=severity,
            focus=str(report_graph.value(res, SH.focusNode)),
            path=_path_text(report_graph, report_graph.value(res, SH.resultPath)),
            value=_short(report_graph.value(res, SH.value)),
            message=str(report_graph.value(res, SH.resultMessage) or ""),
            shape=_shape_text(report_graph, report_graph.value(res, SH.sourceShape)),
            constraint=_short(report_graph.value(res, SH.sourceConstraintComponent)),
        ))
    results.sort(key=lambda r: (-_RANK[r.severity], r.focus, r.path or "", r.message, r.value or ""))
    return ValidationReport(results, report_graph)


@dataclass
class SparqlCheck:
    """A SPARQL-based constraint of a shape, run by unkg as one query over all focus nodes."""

    shape: str
    query: str
    message: str
    severity: str
    path: str | None


def split_sparql_constraints(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[SparqlCheck]]:
    """Shapes without their sh:sparql constraints, and those constraints as whole-store queries.

    pySHACL evaluates a SPARQL constraint once per focus node with rdflib's SPARQL engine, which
    is quadratic on a large graph; Oxigraph answers the same question for every focus node in one
    query.
    """
    core = rdflib.Graph()
    for t in shapes:
        core.add(t)
    checks: list[SparqlCheck] = []
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        core.remove((shape, SH.sparql, constraint))
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        targets: list[str] = []
        for cls in shapes.objects(shape, SH.targetClass):
            targets.append(f"?this a <{cls}> .")
        for prop in shapes.objects(shape, SH.targetObjectsOf):
            targets.append(f"?__focus_s <{prop}> ?this .")
        for prop in shapes.objects(shape, SH.targetSubjectsOf):
            targets.append(f"?this <{prop}> ?__focus_o .")
        for node in shapes.objects(shape, SH.targetNode):
            targets.append(f"VALUES ?this {{ <{node}> }}")
        if not targets:
            continue
        text = str(select).replace("$this", "?this")
        m = re.search(r"(?is)\bWHERE\s*\{", text)
        if not m:
            continue
        target_block = " UNION ".join("{ " + t + " }" for t in targets)
        text = text[: m.end()] + "\n" + target_block + "\n" + text[m.end():]
        sev = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message) or ""
        path = shapes.value(shape, SH.path)
        checks.append(SparqlCheck(str(shape), text, str(message), str(sev).rsplit("#", 1)[-1],
                                  str(path) if path is not None else None))
    return core, checks


def run_sparql_checks(store: object, checks: list[SparqlCheck]) -> list[ValidationResult]:
    """Evaluate SPARQL constraints over a pyoxigraph store (union of graphs as default graph)."""
    import pyoxigraph as ox

    results: list[ValidationResult] = []
    for check in checks:
        rows = store.query(check.query, use_default_graph_as_union=True)  # type: ignore[attr-defined]
        assert isinstance(rows, ox.QuerySolutions)
        names = [v.value for v in rows.variables]
        for row in rows:
            values = {n: row[n] for n in names}
            focus = values.get("this")
            if focus is None:
                continue

            def fill(m: re.Match[str]) -> str:
                term = values.get(m.group(1))
                return "" if term is None else str(term.value)

            message = re.sub(r"\{[?$](\w+)\}", fill, check.message)
            value = values.get("value")
            path = values.get("path")
            results.append(ValidationResult(
                check.severity, str(focus.value), str(path.value) if path is not None else check.path,
                str(value.value) if value is not None else None, message, check.shape,
                str(SH.SPARQLConstraintComponent)))
    return results


def _sort(results: list[ValidationResult]) -> None:
    results.sort(key=lambda r: (-_RANK[r.severity], r.focus, r.path or "", r.message, r.value or ""))


def shapes_graph(base_iri: str, extra: Iterable[str | Path] = ()) -> rdflib.Graph:
    """Our shapes (patterns rewritten for the configured base) plus a user's own shapes files."""
    from .shapes import load_shapes

    g = load_shapes(base_iri)
    for path in extra:
        fmt = formats.resolve(None, path, ("rdf",))
        if fmt.name == "jsonld" and Path(path).is_file():
            refuse_remote_contexts(Path(path).read_bytes(), str(path))
        part = rdflib.Graph()
        try:
            part.parse(str(path), format=fmt.rdflib)
        except Exception as exc:  # rdflib raises many parser-specific types
            raise InputError(f"invalid shapes file: {exc}", path=str(path)) from exc
        # SPARQL in shapes runs on Oxigraph or rdflib, both of which execute SERVICE calls
        for prop in (SH.select, SH.ask, SH.construct, SH.update):
            for text in part.objects(None, prop):
                if uses_service(str(text)):
                    raise InputError("a SPARQL query of these shapes uses SERVICE (it would send "
                                     "requests to another server); unkg does not run it", path=str(path))
        g += part
    return g


def validate_store(store: EmbeddedStore, base_iri: str, extra_shapes: Iterable[str | Path] = ()) -> ValidationReport:
    """Validate the union of every graph in the store; attribute results to their source file.

    Core constraints run in pySHACL over the union; SPARQL-based constraints run as one
    query each on the store itself.
    """
    shapes, checks = split_sparql_constraints(shapes_graph(base_iri, extra_shapes))
    data = rdflib.Graph()
    owner: dict[str, str] = {}
    records = store.source_records()
    for graph in store.named_graphs():
        lines = store.nquads_lines(graph)
        data.parse(data="\n".join(lines), format="nt")
        source = records.get(graph, {}).get("source") or graph
        for line in lines:
            subject = line.split(" ", 1)[0]
            if subject.startswith("<"):
                owner.setdefault(subject[1:-1], source)
    report = run_pyshacl(data, shapes)
    report.results.extend(run_sparql_checks(store.raw, checks))
    _sort(report.results)
    for r in report.results:
        r.source = owner.get(r.focus)
    report.checked = len(store.named_graphs())
    return report


def validate_files(paths: Iterable[str], base_iri: str, extra_shapes: Iterable[str | Path] = (),
                   input_format: str | None = None, allow_remote_context: bool = False) -> ValidationReport:
    """Validate files without a store: RDF files as they are, resolution texts parsed first.

    A JSON-LD file whose @context is given by reference is refused unless `allow_remote_context`.
    """
    from .loader import collect_inputs
    from .mapper import record_to_graph
    from .parser import parse_file

    shapes, checks = split_sparql_constraints(shapes_graph(base_iri, extra_shapes))
    iris = IRIs(base_iri)
    data = rdflib.Graph()
    owner: dict[str, str] = {}
    sources = collect_inputs(paths)
    for source in sources:
        if not Path(source).exists():
            raise InputError("no such file", path=source)
        fmt = formats.resolve(input_format, source, ("input", "rdf"))
        part = rdflib.Graph()
        if fmt.kind == "rdf":
            # the same parser as `unkg load` (Oxigraph's: one-line errors with line numbers, no
            # network); rdflib only for JSON-LD whose remote context the user lets it fetch
            raw = Path(source).read_bytes()
            assert fmt.oxigraph is not None
            oxfmt = fmt.oxigraph
            if fmt.name == "jsonld":
                if not allow_remote_context:
                    refuse_remote_contexts(raw, source)
                elif external_contexts(raw):
                    from .loader import jsonld_as_nquads

                    raw, oxfmt = jsonld_as_nquads(raw, source), ox.RdfFormat.N_QUADS
            quads = parse_rdf(raw, oxfmt, source)
            part.parse(data="".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads), format="nt")
        else:
            record = parse_file(source, input_format=input_format)
            part = record_to_graph(record, iris, _provenance_of(source, record))
        for s in part.subjects():
            owner.setdefault(str(s), source)
        data += part
    report = run_pyshacl(data, shapes)
    memory = ox.Store()
    memory.extend(ox.Quad(*q) for q in ox.parse(data.serialize(format="nt"), ox.RdfFormat.N_TRIPLES))
    report.results.extend(run_sparql_checks(memory, checks))
    _sort(report.results)
    for r in report.results:
        r.source = owner.get(r.focus)
    report.checked = len(sources)
    return report


def _provenance_of(source: str, record: object) -> "Provenance":
    """Provenance for a text validated without a store (as `unkg load` would record it)."""
    from .loader import now_iso, checksum_of
    from .mapper import Provenance
    from .parser import PARSER_VERSION

    return Provenance(Path(source).name, checksum_of(Path(source).read_bytes()), PARSER_VERSION, now_iso())


def render_text(report: ValidationReport) -> str:
    blocks = []
    for r in report.results:
        lines = [f"{r.severity}: {r.message}", f"  focus:  {r.focus}"]
        if r.path:
            lines.append(f"  path:   {r.path}")
        if r.value:
            lines.append(f"  value:  {r.value}")
        if r.shape:
            lines.append(f"  shape:  {r.shape}")
        if r.source:
            lines.append(f"  source: {r.source}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def render(report: ValidationReport, fmt: str, fail_on: str = "violation") -> str:
    if fmt == "text":
        return render_text(report)
    if fmt == "json":
        return json.dumps(report.to_json(fail_on), indent=2, ensure_ascii=False) + "\n"
    if fmt in ("turtle", "ttl", "jsonld", "json-ld"):
        g = report.report_graph if report.report_graph is not None else rdflib.Graph()
        return g.serialize(format="turtle" if fmt in ("turtle", "ttl") else "json-ld")
    if fmt == "github":
        out = []
        for r in report.results:
            level = {"Violation": "error", "Warning": "warning", "Info": "notice"}[r.severity]
            file = f" file={r.source}," if r.source else ""
            msg = f"{r.focus} {r.path or ''}: {r.message}".replace("\n", " ")
            out.append(f"::{level}{file.rstrip(',')} title={(r.shape or 'shape').rsplit('/', 1)[-1]}::{msg}")
        return "\n".join(out) + ("\n" if out else "")
    if fmt == "junit":
        from xml.etree import ElementTree as ET

        suite = ET.Element("testsuite", name="unkg validate", tests=str(max(1, len(report.results))),
                           failures=str(report.counts()["Violation"]))
        if not report.results:
            ET.SubElement(suite, "testcase", classname="unkg", name="conforms")
        for r in report.results:
            case = ET.SubElement(suite, "testcase", classname=r.source or "store",
                                 name=f"{r.focus} {r.path or ''}".strip())
            tag = "failure" if r.severity == "Violation" else "system-out"
            el = ET.SubElement(case, tag, message=r.message) if tag == "failure" else ET.SubElement(case, tag)
            el.text = f"{r.severity}: {r.message} (shape {r.shape}, value {r.value})"
        return ET.tostring(suite, encoding="unicode") + "\n"
    raise ValueError(fmt)
