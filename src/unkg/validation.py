"""SHACL validation of the store or of files, with pySHACL as the engine."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

import pyoxigraph as ox
import rdflib
from rdflib.namespace import PROV, RDF, SH, XSD

from . import formats
from .errors import InputError
from .iris import IRIs
from .security import external_contexts, refuse_remote_contexts, uses_service
from .store import EmbeddedStore, parse_rdf
from .vocab import UNKG

if TYPE_CHECKING:
    from .mapper import Provenance
    from .progress import Progress
    from .shacl_sparql import CompiledShape, Finding
    from .validation_cache import CachedState, CrossUpdate, Owned

log = logging.getLogger("unkg.validation")

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
    paragraph: str | None = None  # the paragraph (or footnote, annex) of the source the result is about
    # exact terms, to compare engines: the source shape node and the value in N-Triples syntax
    shape_node: str | None = field(default=None, repr=False, compare=False)
    value_term: str | None = field(default=None, repr=False, compare=False)

    def key(self) -> tuple[str, str | None, str | None, str, str | None, str | None]:
        """(focus, path, value, severity, source shape, constraint component), as pySHACL reports them."""
        return (self.focus, self.path, self.value_term, self.severity, self.shape_node or self.shape,
                self.constraint)


@dataclass
class ValidationReport:
    results: list[ValidationResult] = field(default_factory=list)
    report_graph: rdflib.Graph | None = None
    checked: int = 0  # named graphs or files checked
    graph_of: dict[int, str] = field(default_factory=dict, repr=False)  # id(result) -> its graph

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for r in self.results if r.severity == s) for s in SEVERITIES}

    def conforms(self, fail_on: str = "violation") -> bool:
        threshold = _RANK[fail_on.capitalize()]
        return not any(_RANK[r.severity] >= threshold for r in self.results)

    def to_json(self, fail_on: str = "violation") -> dict[str, object]:
        return {"conforms": self.conforms(fail_on), "counts": self.counts(), "checked": self.checked,
                "results": [public_fields(r) for r in self.results]}


def public_fields(r: ValidationResult) -> dict[str, object]:
    d = asdict(r)
    del d["shape_node"], d["value_term"]
    return d


def term_key(node: rdflib.term.Node | None) -> str | None:
    """A term in N-Triples syntax (plain literals as xsd:string), the same for both engines."""
    if node is None:
        return None
    if isinstance(node, rdflib.Literal):
        lexical = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        if node.language:
            return f'"{lexical}"@{node.language.lower()}'
        return f'"{lexical}"^^<{node.datatype or XSD.string}>'
    if isinstance(node, rdflib.BNode):
        return f"_:{node}"
    return f"<{node}>"


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

    from pyshacl.errors import ConstraintLoadError, ShapeLoadError

    try:
        _conforms, report_graph, _text = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
            allow_infos=True)
    except (ConstraintLoadError, ShapeLoadError) as exc:
        raise InputError(f"invalid shapes: {exc.args[0] if exc.args else exc}") from exc
    assert isinstance(report_graph, rdflib.Graph)
    results: list[ValidationResult] = []
    # the report's sh:result values only: pySHACL also types the nested sh:detail results
    for res in report_graph.objects(None, SH.result):
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
            shape_node=_short(report_graph.value(res, SH.sourceShape)),
            value_term=term_key(report_graph.value(res, SH.value)),
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
    cross_document: bool = False
    # incremental cross-document checks: the variable (`restrict`: "this" or "value") whose
    # values a changed graph can affect, the query with `{only}` where a VALUES block on it goes,
    # and a query of ?x, the values a graph decides (`{graph}`: the graph, `{gvar}`: "?g " when
    # it is the variable ?g, to be selected too)
    restrict: str | None = None
    restricted: str | None = None
    footprint: str | None = None

    def query_only(self, values: list[str]) -> str:
        """The union query for some values of `restrict` only."""
        assert self.restricted is not None and self.restrict is not None
        return self.restricted.replace("{only}", f"VALUES ?{self.restrict} {{ {' '.join(values)} }}")

    def query_in(self, scope: str, graphs: list[str] | None = None) -> str | None:
        """The query for a scope: `union` as is; `graph` inside each named graph (None if impossible)."""
        if scope == "union":
            return self.query
        from .shacl_sparql import scope_to_graph

        return scope_to_graph(self.query, graphs)


def split_sparql_constraints(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[SparqlCheck]]:
    """Shapes without their sh:sparql constraints, and those constraints as whole-store queries.

    pySHACL evaluates a SPARQL constraint once per focus node with rdflib's SPARQL engine, which
    is quadratic on a large graph; Oxigraph answers the same question for every focus node in one
    query.
    """
    from .shacl_sparql import CROSS_DOCUMENT

    core = rdflib.Graph()
    for t in shapes:
        core.add(t)
    checks: list[SparqlCheck] = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        core.remove((shape, SH.sparql, constraint))
        select = shapes.value(constraint, SH.select)
        if select is None or shapes.value(constraint, SH.deactivated) == rdflib.Literal(True):
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
        cross = rdflib.Literal(True) in (shapes.value(shape, CROSS_DOCUMENT),
                                         shapes.value(constraint, CROSS_DOCUMENT))
        checks.append(SparqlCheck(str(shape), text, str(message), str(sev).rsplit("#", 1)[-1],
                                  str(path) if path is not None else None, cross))
    checks.append(DUPLICATE_SYMBOLS)
    return core, checks


# Duplicate symbols across documents: two graphs describing one document, or two documents
# with one symbol. A cross-document check, always over the union. Written for Oxigraph (the
# sub-selects are joined by hash, starting from the few duplicated symbols); pySHACL would not
# accept nested selects that do not project $this, so it is not an sh:sparql of the shapes file.
_DUPLICATES = f"""SELECT ?this ?value ?other ?graph WHERE {{
        {{ SELECT ?value WHERE {{ {{only}} ?g <{UNKG.describes}> ?d . ?d <{UNKG.symbol}> ?value . }}
           GROUP BY ?value HAVING (COUNT(DISTINCT ?g) > 1 || COUNT(DISTINCT ?d) > 1) }}
        {{ SELECT DISTINCT ?this ?value ?mine WHERE {{ {{only}} ?mine <{UNKG.describes}> ?this . ?this <{UNKG.symbol}> ?value . }} }}
        {{ SELECT DISTINCT ?other ?value ?graph WHERE {{ {{only}} ?graph <{UNKG.describes}> ?other . ?other <{UNKG.symbol}> ?value . }} }}
        FILTER (?other != ?this || ?graph != ?mine)
    }}"""
DUPLICATE_SYMBOLS = SparqlCheck(
    shape="https://w3id.org/unkg/shapes#DuplicateSymbolCheck",
    query=_DUPLICATES.replace("{only}", ""),
    message="The symbol {?value} is also that of {?other}, described by {?graph}: a document was loaded "
            "twice, under different IRIs or graphs.",
    severity="Warning", path=str(UNKG.symbol), cross_document=True,
    # a graph decides the symbols it states and those of the documents it describes
    restrict="value", restricted=_DUPLICATES,
    footprint=f"""SELECT DISTINCT {{gvar}}?x WHERE {{
        {{ GRAPH {{graph}} {{ ?_d <{UNKG.symbol}> ?x }} }} UNION
        {{ GRAPH {{graph}} {{ ?_s <{UNKG.describes}> ?_d }} ?_d <{UNKG.symbol}> ?x }} }}""")


def run_sparql_checks(store: object, checks: list[SparqlCheck], scope: str = "union",
                      graphs: list[str] | None = None) -> dict[str | None, list[ValidationResult]]:
    """Evaluate SPARQL constraints over a pyoxigraph store (union of graphs as default graph).

    In the `graph` scope each query runs inside every named graph (or those in `graphs`) and the
    results are grouped by graph; in the `union` scope they are all under None.
    """
    out: dict[str | None, list[ValidationResult]] = {}
    # a few graphs: one query each, reading only that graph
    batches = [[g] for g in graphs] if graphs is not None and len(graphs) <= 50 else [graphs]
    for check, batch in ((c, b) for c in checks for b in batches):
        query = check.query_in(scope, batch)
        if query is None:
            raise ValueError(f"SPARQL constraint of {check.shape} cannot run inside one graph")
        for graph, result in check_results(store, check, query, scope):
            out.setdefault(graph, []).append(result)
    return out


def check_results(store: object, check: SparqlCheck, query: str,
                  scope: str = "union") -> list[tuple[str | None, ValidationResult]]:
    """The results of one SPARQL constraint's query, with the graph each was found in (`graph`
    scope; None in the `union` scope)."""
    import pyoxigraph as ox

    from .shacl_sparql import to_rdflib

    out: list[tuple[str | None, ValidationResult]] = []
    rows = store.query(query, use_default_graph_as_union=True)  # type: ignore[attr-defined]
    assert isinstance(rows, ox.QuerySolutions)
    names = [v.value for v in rows.variables]
    seen: set[tuple[object, ...]] = set()
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
        graph = values["__g"].value if scope == "graph" else None
        result = ValidationResult(
            check.severity, str(focus.value), str(path.value) if path is not None else check.path,
            str(value.value) if value is not None else None, message, check.shape,
            str(SH.SPARQLConstraintComponent), shape_node=check.shape,
            value_term=term_key(to_rdflib(value)) if value is not None else None)
        k = (graph, result.key(), result.message)
        if k in seen:  # the same result twice (a focus node reached twice by the targets)
            continue
        seen.add(k)
        out.append((graph, result))
    return out


def _sort(results: list[ValidationResult]) -> None:
    results.sort(key=lambda r: (-_RANK[r.severity], r.focus, r.path or "", r.message, r.value or "",
                                r.shape or "", r.constraint or ""))


def shapes_graph(base_iri: str, extra: Iterable[str | Path] = ()) -> rdflib.Graph:
    """Our shapes (patterns rewritten for the configured base) plus a user's own shapes files.

    Blank nodes get names derived from their content, so a blank property shape is the same
    source shape in every run (results compare across runs, engines and the cache).
    """
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
    return _stable_blank_nodes(g)


def _stable_blank_nodes(g: rdflib.Graph) -> rdflib.Graph:
    """The graph with each blank node renamed by a hash of what it says (recursively) and of the
    IRI it hangs from. Two blank nodes saying the same under the same parent become one, which
    changes no validation result."""
    memo: dict[rdflib.BNode, str] = {}

    def content(b: rdflib.BNode, depth: int = 0) -> str:
        if b in memo:
            return memo[b]
        if depth > 50:
            return "deep"
        parts = sorted(f"{p.n3()} {content(o, depth + 1) if isinstance(o, rdflib.BNode) else o.n3()}"
                       for p, o in g.predicate_objects(b))
        memo[b] = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
        return memo[b]

    names: dict[rdflib.BNode, rdflib.BNode] = {}
    for b in {n for n in g.all_nodes() if isinstance(n, rdflib.BNode)}:
        parents = sorted(f"{s.n3()} {p.n3()}" for s, p in g.subject_predicates(b) if not isinstance(s, rdflib.BNode))
        names[b] = rdflib.BNode("s" + hashlib.sha256((content(b) + "|".join(parents)).encode()).hexdigest()[:24])
    out = rdflib.Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns)
    for s, p, o in g:
        out.add((names.get(s, s) if isinstance(s, rdflib.BNode) else s, p,  # type: ignore[arg-type]
                 names.get(o, o) if isinstance(o, rdflib.BNode) else o))
    return out


def shapes_fingerprint(base_iri: str, extra: Iterable[str | Path] = ()) -> str:
    """A hash of everything the shapes depend on: our shapes files, the base IRI, the user's files."""
    from .resources import project_dir
    from .shacl_sparql import ENGINE_VERSION

    h = hashlib.sha256()
    h.update(ENGINE_VERSION.encode() + b"\0" + base_iri.encode() + b"\0")
    from .shapes import SHAPE_FILES

    for name in SHAPE_FILES:
        h.update((project_dir("shapes") / name).read_bytes())
    for path in extra:
        h.update(b"\0" + Path(path).read_bytes())
    return h.hexdigest()


def _from_finding(f: "Finding", shapes: rdflib.Graph,
                  memo: dict[tuple[object, object], tuple[str | None, str | None]]) -> ValidationResult:
    names = memo.get((f.path, f.shape))
    if names is None:
        names = memo[(f.path, f.shape)] = (_path_text(shapes, f.path), _shape_text(shapes, f.shape))
    return ValidationResult(
        severity=str(f.severity).rsplit("#", 1)[-1], focus=str(f.focus),
        path=names[0], value=_short(f.value), message=f.message,
        shape=names[1], constraint=str(f.component),
        shape_node=str(f.shape), value_term=term_key(f.value))


class _Engine:
    """The SPARQL engine over one Oxigraph store: compiled shapes, SPARQL constraints, fallbacks."""

    def __init__(self, store: object, shapes: rdflib.Graph):
        from .shacl_sparql import Compiler, classes_used, subclass_closure

        self.store = store
        self.core, checks = split_sparql_constraints(shapes)
        self.closure = subclass_closure(store, classes_used(self.core))  # type: ignore[arg-type]
        plan = Compiler(self.core, self.closure).plan()
        self.per_graph = [u for u in plan.compiled if not u.cross_document]
        self.cross = [u for u in plan.compiled if u.cross_document]
        self.graph_checks = [c for c in checks if not c.cross_document and c.query_in("graph") is not None]
        self.union_checks = [c for c in checks if c not in self.graph_checks]
        self.fallback = plan.fallback
        self.fallback_shapes = _only_shapes(self.core, set(plan.fallback)) if plan.fallback else None
        self._names: dict[tuple[object, object], tuple[str | None, str | None]] = {}

    def closure_text(self) -> str:
        return repr(sorted((str(k), sorted(str(v) for v in vs)) for k, vs in self.closure.items()))

    def run(self, scope: str, graphs: list[str] | None,
            graph_data: "Callable[[str], rdflib.Graph] | None" = None,
            meter: Progress | None = None) -> dict[str | None, list[ValidationResult]]:
        """Results per named graph (`graph` scope, cross-document shapes left out) or under None (`union`)."""
        from .shacl_sparql import in_threads
        from .shacl_sparql import run as run_compiled

        def done(_unit: object, _seconds: float) -> None:
            if meter is not None:
                meter.advance()

        units = self.per_graph if scope == "graph" else self.per_graph + self.cross
        checks = self.graph_checks if scope == "graph" else self.graph_checks + self.union_checks
        out: dict[str | None, list[ValidationResult]] = {}
        for g, findings in run_compiled(self.store, units, scope, graphs, on_query=done).items():  # type: ignore[arg-type]
            out.setdefault(g, []).extend(_from_finding(f, self.core, self._names) for f in findings)
        def one(check: SparqlCheck) -> dict[str | None, list[ValidationResult]]:
            return run_sparql_checks(self.store, [check], scope, graphs)

        for check, found in zip(checks, in_threads(one, checks)):
            for g, results in found.items():
                out.setdefault(g, []).extend(results)
            done(check, 0.0)
        if self.fallback_shapes is not None and graph_data is not None:
            for g in (graphs or []) if scope == "graph" else [None]:  # type: ignore[list-item]
                data = graph_data(g)  # type: ignore[arg-type]
                out.setdefault(g, []).extend(run_pyshacl(data, self.fallback_shapes).results)
        return out

    def cross_units(self) -> list[tuple[str, "CompiledShape | SparqlCheck"]]:
        """The checks run over the union, each with an id stable across runs (a digest of its query)."""
        units: list[tuple[str, CompiledShape | SparqlCheck]] = []
        for u in self.cross:
            units.append((hashlib.sha256(u.query("union").encode()).hexdigest()[:16], u))
        for c in self.union_checks:
            units.append((hashlib.sha256(c.query.encode()).hexdigest()[:16], c))
        return units

    def incremental(self) -> dict[str, str]:
        """unit id -> footprint query (with `{gvar}`, `{graph}`) of the incremental cross checks."""
        out: dict[str, str] = {}
        for uid, unit in self.cross_units():
            if isinstance(unit, SparqlCheck):
                if unit.footprint is not None and unit.restricted is not None:
                    out[uid] = unit.footprint
            elif unit.footprint_predicates is not None:
                preds = " ".join(f"<{p}>" for p in unit.footprint_predicates)
                out[uid] = (f"SELECT DISTINCT {{gvar}}?x WHERE {{ VALUES ?_p {{ {preds} }} "
                            "GRAPH {graph} { { ?x ?_p ?_o } UNION { ?_s ?_p ?x } } }")
        return out

    def footprints(self, graphs: list[str] | None) -> dict[str, dict[str, list[str]]]:
        """graph -> incremental check -> the nodes (values) of the check the graph's triples decide."""
        from .shacl_sparql import to_rdflib

        found: dict[str, dict[str, set[str]]] = {}
        few = graphs is not None and len(graphs) <= 50
        wanted = None if graphs is None else set(graphs)
        for uid, template in sorted(self.incremental().items()):
            queries: list[tuple[str | None, str]]
            if few:
                queries = [(g, template.replace("{gvar}", "").replace("{graph}", f"<{g}>"))
                           for g in graphs or []]
            else:
                queries = [(None, template.replace("{gvar}", "?g ").replace("{graph}", "?g"))]
            for fixed, q in queries:
                for row in self.store.query(q, use_default_graph_as_union=True):  # type: ignore[attr-defined]
                    g = fixed if fixed is not None else row["g"].value
                    if wanted is not None and g not in wanted:
                        continue
                    x = term_key(to_rdflib(row["x"]))
                    if x is not None:
                        found.setdefault(g, {}).setdefault(uid, set()).add(x)
        return {g: {u: sorted(xs) for u, xs in per.items()} for g, per in found.items()}

    def per_graph_count(self) -> int:
        """How many queries a `graph`-scope run makes (for progress)."""
        return len(self.per_graph) + len(self.graph_checks)

    def run_cross(self, previous: "CachedState | None" = None,
                  affected: dict[str, set[str]] | None = None,
                  meter: Progress | None = None) -> tuple[list["Owned"], dict[str, "CrossUpdate"]]:
        """The cross-document shapes and SPARQL checks over the union of the graphs, each result
        with the graph its focus node's target came from (None: not known).

        With the `previous` run's results and the nodes each incremental check must recompute
        (`affected`), only those nodes are evaluated again; the rest is taken from `previous`.
        Also returns what the cache must store for each incremental check.
        """
        from .shacl_sparql import run as run_compiled
        from .validation_cache import CrossUpdate

        incremental = self.incremental()
        results: list[Owned] = []
        updates: dict[str, CrossUpdate] = {}
        for uid, unit in self.cross_units():
            nodes: set[str] | None = None
            if (previous is not None and affected is not None and uid in incremental
                    and uid in previous.complete):
                nodes = affected.get(uid, set())
                if len(nodes) > 20000 or any(n.startswith("_:") for n in nodes):
                    nodes = None  # blank nodes cannot be named in a query; many: one pass is cheaper
            focus = sorted(nodes) if nodes is not None else None
            rows: dict[str, list[Owned]] = {}
            if isinstance(unit, SparqlCheck):
                queries = [unit.query] if focus is None else [
                    unit.query_only(focus[i:i + 1000]) for i in range(0, len(focus), 1000)]
                for q in queries:
                    for g, r in check_results(self.store, unit, q):
                        x = (r.value_term if unit.restrict == "value" else f"<{r.focus}>") or ""
                        rows.setdefault(x if uid in incremental else "", []).append((g, r))
            elif focus is None or focus:
                for g, findings in run_compiled(self.store, [unit], "union", focus=focus).items():  # type: ignore[arg-type]
                    for f in sorted(findings, key=lambda f: (str(f.focus), str(f.component), str(f.value))):
                        x = (term_key(f.focus) or "") if uid in incremental else ""
                        rows.setdefault(x, []).append((g, _from_finding(f, self.core, self._names)))
            current = rows
            if nodes is not None and previous is not None:
                current = {x: v for x, v in previous.cross.get(uid, {}).items() if x not in nodes}
                current.update(rows)
            if uid in incremental:
                updates[uid] = CrossUpdate(rows, nodes)
            for x in sorted(current):
                results.extend(current[x])
            if meter is not None:
                meter.advance()
        return results, updates


def _only_shapes(shapes: rdflib.Graph, keep: set[rdflib.term.Node]) -> rdflib.Graph:
    """The shapes graph with the targets of every top-level shape not in `keep` removed."""
    from .shacl_sparql import _TARGETS

    g = rdflib.Graph()
    for s, p, o in shapes:
        if p in _TARGETS and s not in keep:
            continue
        if p == RDF.type and o == rdflib.RDFS.Class and s not in keep:
            continue
        g.add((s, p, o))
    return g


def _from_groups(found: dict[str | None, list[ValidationResult]]) -> ValidationReport:
    """A report from results grouped by graph, remembering each result's graph."""
    results: list[ValidationResult] = []
    owner: dict[int, str] = {}
    for g in sorted(found, key=lambda k: (k is None, k or "")):
        for r in found[g]:
            results.append(r)
            if g is not None:
                owner[id(r)] = g
    report = ValidationReport(_dedupe(results))
    report.graph_of = {id(r): owner[id(r)] for r in report.results if id(r) in owner}
    return report


def _dedupe(results: Iterable[ValidationResult]) -> list[ValidationResult]:
    """One result per (focus, path, value, severity, shape, component, message): a node shared by
    several graphs (a session, a body) is checked in each of them."""
    seen: set[tuple[object, ...]] = set()
    out: list[ValidationResult] = []
    for r in results:
        k = (r.focus, r.path, r.value_term, r.severity, r.shape, r.constraint, r.message)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def graph_keys(store: EmbeddedStore) -> dict[str, str]:
    """A key per named graph that changes whenever `unkg load` rewrites the graph.

    Text graphs: the source checksum, parser version and load time of their provenance record;
    other graphs (RDF files): a SHA-256 of their sorted triples.
    """
    keys, _sources = _graph_keys_and_sources(store)
    return keys


def _graph_keys_and_sources(store: EmbeddedStore, only: list[str] | None = None
                            ) -> tuple[dict[str, str], dict[str, str]]:
    """`graph_keys`, and the source file of each graph (the graph IRI when it has none); of the
    graphs in `only` (those that exist) if given."""
    raw = store.raw
    props = (UNKG.sourceChecksum, UNKG.parserVersion, PROV.generatedAtTime, UNKG.sourceFile)

    def own(prop: rdflib.URIRef, graph: str | None) -> dict[str, str]:
        # one index scan per property: a join over 30,000 graphs costs seconds, these less
        out: dict[str, str] = {}
        node = ox.NamedNode(graph) if graph is not None else None
        for q in raw.quads_for_pattern(node, ox.NamedNode(str(prop)), None, node):
            g, subject, value = q.graph_name, q.subject, q.object
            if isinstance(g, ox.NamedNode) and isinstance(subject, ox.NamedNode) \
                    and g.value == subject.value and isinstance(value, (ox.NamedNode, ox.Literal)):
                out.setdefault(g.value, value.value)
        return out

    if only is None:
        checksums, versions, times, files = (own(p, None) for p in props)
        present = store.named_graphs()
    else:
        checksums, versions, times, files = {}, {}, {}, {}
        present = [g for g in only if raw.contains_named_graph(ox.NamedNode(g))]
        for g in present:
            for found, p in zip((checksums, versions, times, files), props):
                found.update(own(p, g))
    keys = {g: f"{c} {versions[g]} {times.get(g, '')}" for g, c in checksums.items() if g in versions}
    sources = {g: f for g, f in files.items() if f}
    for g in present:
        sources.setdefault(g, g)
        if g not in keys:
            keys[g] = hashlib.sha256("\n".join(store.nquads_lines(g)).encode()).hexdigest()
    return keys, sources


def validate_store(store: EmbeddedStore, base_iri: str, extra_shapes: Iterable[str | Path] = (),
                   engine: str = "sparql", cache: bool = True, per_graph: bool = True,
                   meter: Progress | None = None) -> ValidationReport:
    """Validate every graph in the store; attribute results to their source file and paragraph.

    engine="sparql" (default): shapes compiled to SPARQL on the store, each document graph
    checked inside itself and its results cached by the graph's checksum and the shapes'
    fingerprint (`cache=False` recomputes and leaves the cache alone); cross-document checks run
    over the union every time. `per_graph=False`: the SPARQL engine over the union of the graphs,
    as pySHACL sees the store, uncached. The two differ only when a node described in several
    graphs is incomplete in one of them (a body without its label, say): per graph, that graph
    is reported. engine="pyshacl": pySHACL over the union parsed into rdflib (the reference;
    SPARQL-based constraints run on Oxigraph). `meter` counts the checks (queries) as they end.
    """
    extra_shapes = list(extra_shapes)
    shapes = shapes_graph(base_iri, extra_shapes)
    keys: dict[str, str] = {}
    sources: dict[str, str] = {}
    if not (engine == "sparql" and per_graph):
        keys, sources = _graph_keys_and_sources(store)
    try:
        if engine == "pyshacl":
            if meter is not None:
                meter.start(1, "passes")
            report = _validate_store_pyshacl(store, shapes)
            if meter is not None:
                meter.advance()
        elif engine == "sparql" and not per_graph:
            report = _from_groups(_Engine(store.raw, shapes).run("union", None, lambda _g: _union_data(store)))
        elif engine == "sparql":
            report, keys, sources = _validate_store_sparql(store, shapes, base_iri, extra_shapes, cache, meter)
        else:
            raise ValueError(f"unknown engine {engine!r}")
    finally:
        if meter is not None:
            meter.close()
    _attribute(report.results, store.raw, sources, report.graph_of)
    _sort(report.results)
    report.checked = len(keys)
    return report


def _union_data(store: EmbeddedStore) -> rdflib.Graph:
    data = rdflib.Graph()
    for graph in store.named_graphs():
        data.parse(data="\n".join(store.nquads_lines(graph)), format="nt")
    return data


def _validate_store_pyshacl(store: EmbeddedStore, shapes: rdflib.Graph) -> ValidationReport:
    core, checks = split_sparql_constraints(shapes)
    report = run_pyshacl(_union_data(store), core)
    for rs in run_sparql_checks(store.raw, checks).values():
        report.results.extend(rs)
    return report


def _validate_store_sparql(store: EmbeddedStore, shapes: rdflib.Graph, base_iri: str,
                           extra_shapes: list[str | Path], use_cache: bool, meter: Progress | None = None
                           ) -> tuple[ValidationReport, dict[str, str], dict[str, str]]:
    """The report, and the key and source of every graph."""
    from . import changes
    from .validation_cache import CachedState, ResultCache

    position = changes.position(store.path)  # before reading anything: later writes are seen next time
    eng = _Engine(store.raw, shapes)
    fingerprint = shapes_fingerprint(base_iri, extra_shapes) + " " + hashlib.sha256(
        eng.closure_text().encode()).hexdigest()
    cache = ResultCache(store.path) if use_cache else None
    state = cache.load(fingerprint) if cache is not None else CachedState()
    cached = state.graphs
    since = changes.Position.parse(state.position) if state.position else None
    written = changes.written_since(store.path, since) if since is not None and cached else None
    if written is None:
        keys, sources = _graph_keys_and_sources(store)
    else:
        # the journal names the graphs written since the last run: read only their keys
        keys = {g: k for g, (k, _rs) in cached.items()}
        sources = dict(state.sources)
        now_keys, now_sources = _graph_keys_and_sources(store, written)
        for name in written:
            keys.pop(name, None)
            sources.pop(name, None)
        keys.update(now_keys)
        sources.update(now_sources)
        log.info("validate: the change journal names %d graphs written since the last run", len(written))
    graphs = sorted(keys)
    fresh: dict[str, list[ValidationResult]] = {}
    todo = [g for g in graphs if g not in cached or cached[g][0] != keys[g]]
    removed = sorted(g for g in cached if g not in keys)
    log.info("validate: %d graphs, %d cached, %d to check", len(graphs), len(graphs) - len(todo), len(todo))

    def graph_data(g: str) -> rdflib.Graph:
        return rdflib.Graph().parse(data="\n".join(store.nquads_lines(g)), format="nt")

    if meter is not None:
        meter.start((eng.per_graph_count() if todo else 0) + len(eng.cross_units()), "checks")
    if todo:
        # a VALUES list of graphs only pays when few graphs changed
        restrict = todo if len(todo) <= 200 else None
        found = eng.run("graph", restrict, graph_data if eng.fallback else None, meter)
        if restrict is None and eng.fallback:
            found_fb = eng.run("graph", todo, graph_data)  # pySHACL fallbacks need the list
            for g, rs in found_fb.items():
                found.setdefault(g, []).extend(r for r in rs if r not in found.get(g, []))
        wanted = set(todo)
        for g in todo:
            fresh[g] = []
        for g, rs in found.items():
            if g in wanted:
                fresh[g] = _dedupe(rs)

    # cross-document checks: after a few changes only the nodes the changed graphs touch,
    # before (their footprints in the cache) and after (their footprints now)
    footprints: dict[str, dict[str, list[str]]] = {}
    if cache is None:
        cross, updates = eng.run_cross(meter=meter)
    elif cached:
        footprints = eng.footprints(todo) if todo else {}
        affected: dict[str, set[str]] = {}
        for fp in (cache.footprints([g for g in todo if g in cached] + removed), footprints):
            for per in fp.values():
                for uid, xs in per.items():
                    affected.setdefault(uid, set()).update(xs)
        cross, updates = eng.run_cross(state, affected, meter)
        log.info("validate: cross-document checks again for %d nodes (%d graphs gone)",
                 sum(len(xs) for xs in affected.values()), len(removed))
    else:
        footprints = eng.footprints(None)
        cross, updates = eng.run_cross(meter=meter)
    if cache is not None:
        cache.save(fingerprint, {g: (keys[g], sources.get(g, g), fresh[g], footprints.get(g, {})) for g in fresh},
                   keep=set(graphs), cross=updates, position=str(position) if position else None)
    results: list[ValidationResult] = []
    owner: dict[int, str] = {}
    for g in graphs:
        rs = fresh[g] if g in fresh else cached[g][1]
        for r in rs:
            results.append(r)
            owner[id(r)] = g
    for g2, r in cross:
        results.append(r)
        if g2 is not None:
            owner[id(r)] = g2
    report = ValidationReport(_dedupe(results))
    report.graph_of = {id(r): owner[id(r)] for r in report.results if id(r) in owner}
    return report, keys, sources


_PARAGRAPH = re.compile(r"/(pp|op|fn|annex)/([^/]+)((?:/[a-z0-9]+)*)$")


def _paragraph_of(iri: str) -> str | None:
    m = _PARAGRAPH.search(iri)
    if not m:
        return None
    kind = {"pp": "preambular paragraph", "op": "operative paragraph", "fn": "footnote",
            "annex": "annex"}[m.group(1)]
    subs = "".join(f" ({s})" for s in m.group(3).split("/") if s)
    return f"{kind} {m.group(2)}{subs}"


def _attribute(results: list[ValidationResult], store: object, sources: dict[str, str],
               graph_of: dict[int, str] | None = None) -> None:
    """Fill each result's source (the file its focus node came from) and paragraph."""
    import pyoxigraph as ox

    graph_of = graph_of or {}
    unknown = sorted({r.focus for r in results if id(r) not in graph_of
                      and ("://" in r.focus or r.focus.startswith("urn:"))})
    # citations, mandates and agenda inclusions name the paragraph they sit in
    situated = sorted({r.focus for r in results if _SITUATED.search(r.focus)})
    first_graph: dict[str, str] = {}
    where: dict[str, str] = {}
    for i in range(0, len(unknown), 2000):
        chunk = " ".join(str(ox.NamedNode(f)) for f in unknown[i:i + 2000])
        q = f"""SELECT ?f (MIN(STR(?g)) AS ?first) WHERE {{
                  VALUES ?f {{ {chunk} }} GRAPH ?g {{ ?f ?pred ?o }} }} GROUP BY ?f"""
        for row in store.query(q, use_default_graph_as_union=True):  # type: ignore[attr-defined]
            if row["first"] is not None:
                first_graph[row["f"].value] = row["first"].value
    for i in range(0, len(situated), 2000):
        chunk = " ".join(str(ox.NamedNode(f)) for f in situated[i:i + 2000])
        q = f"""SELECT ?f (MIN(STR(?p)) AS ?par) WHERE {{
                  VALUES ?f {{ {chunk} }} ?f <{UNKG.citedIn}>|<{UNKG.inParagraph}> ?p }} GROUP BY ?f"""
        for row in store.query(q, use_default_graph_as_union=True):  # type: ignore[attr-defined]
            if row["par"] is not None:
                where[row["f"].value] = row["par"].value
    for r in results:
        g = graph_of.get(id(r)) or first_graph.get(r.focus)
        r.source = sources.get(g, g) if g is not None else None
        r.paragraph = _paragraph_of(r.focus) or (_paragraph_of(where[r.focus]) if r.focus in where else None)


_SITUATED = re.compile(r"/(citation|mandate|inclusion)/[^/]+$")


def validate_files(paths: Iterable[str], base_iri: str, extra_shapes: Iterable[str | Path] = (),
                   input_format: str | None = None, engine: str = "sparql",
                   allow_remote_context: bool = False) -> ValidationReport:
    """Validate files without a store: RDF files as they are, resolution texts parsed first.

    All files are validated together (as one graph), each kept in a named graph of an in-memory
    Oxigraph store so that results name the file they came from. A JSON-LD file whose @context
    is given by reference is refused unless `allow_remote_context`.
    """
    from .loader import collect_inputs
    from .mapper import record_to_graph
    from .parser import parse_file

    shapes = shapes_graph(base_iri, extra_shapes)
    iris = IRIs(base_iri)
    data = rdflib.Graph()
    memory = ox.Store()
    sources = collect_inputs(paths)
    graph_source: dict[str, str] = {}
    for n, source in enumerate(sources):
        if source != "-" and not Path(source).exists():
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
        graph = f"urn:unkg:validate:file:{n}"
        graph_source[graph] = source
        memory.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph))
                      for q in ox.parse(part.serialize(format="nt"), ox.RdfFormat.N_TRIPLES))
        data += part
    if engine == "pyshacl":
        core, checks = split_sparql_constraints(shapes)
        report = run_pyshacl(data, core)
        for rs in run_sparql_checks(memory, checks).values():
            report.results.extend(rs)
    elif engine == "sparql":
        report = _from_groups(_Engine(memory, shapes).run("union", None, lambda _g: data))
    else:
        raise ValueError(f"unknown engine {engine!r}")
    _attribute(report.results, memory, graph_source, report.graph_of)
    _sort(report.results)
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
            lines.append(f"  source: {r.source}" + (f", {r.paragraph}" if r.paragraph else ""))
        elif r.paragraph:
            lines.append(f"  in:     {r.paragraph}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def report_graph(report: ValidationReport) -> rdflib.Graph:
    """The standard SHACL validation report graph of the results (whichever engine found them)."""
    from rdflib.util import from_n3

    g = rdflib.Graph()
    g.bind("sh", SH)
    root = rdflib.BNode("report")
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, rdflib.Literal(report.counts()["Violation"] == 0)))
    for n, r in enumerate(report.results):
        node = rdflib.BNode(f"r{n}")
        g.add((root, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, rdflib.URIRef(r.focus) if "://" in r.focus or r.focus.startswith("urn:")
               else rdflib.BNode(r.focus)))
        g.add((node, SH.resultSeverity, SH[r.severity]))
        g.add((node, SH.resultMessage, rdflib.Literal(r.message)))
        if r.path:
            if r.path.startswith("^"):
                path = rdflib.BNode(f"r{n}path")
                g.add((path, SH.inversePath, rdflib.URIRef(r.path[1:])))
                g.add((node, SH.resultPath, path))
            elif not r.path.startswith("("):
                g.add((node, SH.resultPath, rdflib.URIRef(r.path)))
        if r.value_term:
            g.add((node, SH.value, from_n3(r.value_term)))  # type: ignore[arg-type]
        elif r.value is not None:
            g.add((node, SH.value, rdflib.Literal(r.value)))
        if r.shape:
            g.add((node, SH.sourceShape, rdflib.URIRef(r.shape)))
        if r.constraint:
            g.add((node, SH.sourceConstraintComponent, rdflib.URIRef(r.constraint)))
    return g


def _gh_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's escaping of %, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """Escape a workflow command's property value (also ':' and ',')."""
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: ValidationReport, fmt: str, fail_on: str = "violation") -> str:
    if fmt == "text":
        return render_text(report)
    if fmt == "json":
        return json.dumps(report.to_json(fail_on), indent=2, ensure_ascii=False) + "\n"
    if fmt in ("turtle", "ttl", "jsonld", "json-ld"):
        g = report_graph(report)
        return g.serialize(format="turtle" if fmt in ("turtle", "ttl") else "json-ld")
    if fmt == "github":
        out = []
        for r in report.results:
            level = {"Violation": "error", "Warning": "warning", "Info": "notice"}[r.severity]
            params = [f"file={_gh_property(r.source)}"] if r.source else []
            params.append(f"title={_gh_property((r.shape or 'shape').rsplit('/', 1)[-1])}")
            where = f" ({r.paragraph})" if r.paragraph else ""
            msg = f"{r.focus}{where} {r.path or ''}: {r.message}"
            out.append(f"::{level} {','.join(params)}::{_gh_data(msg)}")
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
