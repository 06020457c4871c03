"""SHACL core constraints compiled to SPARQL and evaluated by Oxigraph.

Each constraint-carrying shape (a node shape with targets, or one of its property shapes) becomes
one SELECT over all its focus nodes: a UNION of one branch per constraint component, each branch
returning the focus nodes (and value nodes) that violate it. The results are the tuples pySHACL
reports (focus node, result path, value, severity, source shape, constraint component), which
`tests/test_engines.py` checks on the corpus and on broken graphs.

Queries run in one of two scopes:

* ``union``: over the union of the named graphs (as pySHACL over one merged graph);
* ``graph``: inside each named graph (``GRAPH ?g { ... }``), so that a graph's results depend on
  that graph alone and can be cached by its checksum. Shapes marked ``ush:crossDocument true``
  (a cited document described by another graph, duplicate symbols) always run over the union.

Subclasses: as pySHACL without inference, sh:targetClass and sh:class follow the
``rdfs:subClassOf`` triples found in the data (the store), closed transitively in Python and
written into the queries as VALUES.

A shape using something this compiler does not handle (sh:closed, sh:qualifiedValueShape,
SHACL-AF, sh:sparql inside a nested shape, ...) raises `Unsupported`; the caller validates that
shape with pySHACL instead.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, TypeVar

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

ENGINE_VERSION = "unkg-sparql-1"
USH = rdflib.Namespace("https://w3id.org/unkg/shapes#")
CROSS_DOCUMENT = USH.crossDocument  # annotation: this shape's results depend on several graphs

_T = TypeVar("_T")
_R = TypeVar("_R")

log = logging.getLogger("unkg.validation")

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# predicates of a shape that are not constraints (or are read together with one)
_NOT_CONSTRAINTS = {
    RDF.type, SH.path, SH.property, SH.message, SH.severity, SH.name, SH.description, SH.order,
    SH.group, SH.deactivated, SH.flags, SH.defaultValue, SH.sparql, *_TARGETS,
}
# constraints that look at a focus node's value terms only, never at other nodes' triples
_LOCAL_PARAMS = {
    SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH.pattern, SH.minLength, SH.maxLength,
    SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH["in"], SH.languageIn,
    SH.hasValue, SH.uniqueLang,
}
# the predicates in a `targets()` pattern (subjects-of, objects-of) and its class targets
_TARGET_PREDICATE = re.compile(r"\?_to <([^>]+)> \?this\b|\?this <([^>]+)> \?_ts\b")
_TARGET_CLASS = re.compile(r"\?this a ")
_MAX_COUNT_PARAM = 6  # min/maxCount above this are left to pySHACL (the queries grow as n²)


class Unsupported(Exception):
    """The shape uses something the SPARQL compiler does not handle."""


@dataclass(frozen=True)
class Finding:
    """One validation result, with the terms pySHACL would report."""

    focus: Node
    path: Node | None  # the sh:path node of the shapes graph
    value: Node | None
    severity: URIRef
    shape: Node  # the source shape in the shapes graph
    component: URIRef
    message: str


@dataclass
class _Branch:
    """One part of a shape's query, returning violating focus nodes (and values).

    kind: "node" (node-level checks on ?this, one ok-expression per component), "values" (the
    value nodes on `path`, joined to the focus nodes by hash, one ok-expression per component),
    "missing" (focus nodes without any value: minCount 1), "group" (focus nodes whose values,
    grouped, break a count: maxCount, uniqueLang), "pattern" (any other pattern on ?this).
    """

    kind: str
    components: list[URIRef]
    exprs: list[str] = field(default_factory=list)
    path: str = ""
    pattern: str = ""
    having: str = ""
    group_filter: str = ""
    group_key: str = ""
    has_value: bool = False


@dataclass
class CompiledShape:
    """One query's worth: the constraints of `shape` over the focus nodes of `owner`."""

    owner: Node
    shape: Node
    path: Node | None
    severity: URIRef
    message: str
    target: str
    branches: list[_Branch]
    cross_document: bool
    # Cross-document shapes whose result for a focus node depends only on the triples that have
    # the node as subject or object with one of these predicates (single-step paths, constraints
    # on the value terms alone): re-checking the nodes a changed graph touches is enough. None:
    # any change may affect any result, so the shape is evaluated in full.
    footprint_predicates: tuple[str, ...] | None = None

    def query(self, scope: str, graphs: list[str] | None = None, focus: list[str] | None = None) -> str:
        """The SELECT for the `union` scope (optionally some focus nodes only, in N-Triples
        syntax), or for the `graph` scope (optionally some graphs only)."""
        graph = scope == "graph"
        gv = "?g " if graph else ""
        only = "" if graph or focus is None else "VALUES ?this { " + " ".join(focus) + " } "
        restrict = ""
        one = graph and graphs is not None and len(graphs) == 1
        if graph and graphs is not None and not one:
            restrict = "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " } "

        def scoped(pattern: str) -> str:
            if only:  # the same focus nodes on both sides of a join or MINUS: no effect but speed
                return only + pattern
            if one:  # a constant graph: Oxigraph reads only that graph's quads
                return f"GRAPH <{graphs[0]}> {{ {pattern} }}"  # type: ignore[index]
            return f"{restrict}GRAPH ?g {{ {pattern} }}" if graph else pattern

        # Sub-selects are evaluated on their own by Oxigraph, so joining two of them is a hash
        # join: much cheaper than one index lookup per focus node on a large store.
        if one:
            t = f"{{ SELECT DISTINCT ?g ?this WHERE {{ {scoped(self.target)} VALUES ?g {{ <{graphs[0]}> }} }} }}"  # type: ignore[index]
        elif graph:
            t = f"{{ SELECT DISTINCT ?g ?this WHERE {{ {scoped(self.target)} }} }}"
        else:
            # over the union: each focus node once, with the first graph its target came from
            # (the source a report names)
            t = f"{{ SELECT ?this (MIN(STR(?_sg)) AS ?src) WHERE {{ {only}GRAPH ?_sg {{ {self.target} }} }} GROUP BY ?this }}"
        parts: list[str] = []
        project: list[str] = []
        for i, b in enumerate(self.branches):
            oks = [f"?ok_{i}_{j}" for j in range(len(b.exprs))]
            binds = " ".join(f"BIND(COALESCE({e}, false) AS {v})" for e, v in zip(b.exprs, oks))
            failed = " || ".join(f"!{v}" for v in oks)
            if b.kind == "node":
                body = f"{t} {binds} FILTER({failed})"
            elif b.kind == "values":
                values = f"{{ SELECT {gv}?this ?value WHERE {{ {scoped(f'?this {b.path} ?value')} }} }}"
                body = f"{t} {values} {binds} FILTER({failed})"
            elif b.kind == "missing":
                body = f"{t} MINUS {{ {scoped(f'?this {b.path} ?_m')} }}"
            elif b.kind == "group":
                key = f" ({b.group_key} AS ?_key)" if b.group_key else ""
                inner = scoped(f"?this {b.path} ?_x . {b.group_filter}")
                body = (f"{t} {{ SELECT DISTINCT {gv}?this WHERE {{ {inner} }} GROUP BY {gv}?this{key} "
                        f"HAVING ({b.having}) }}")
                if b.pattern:
                    body += f" {scoped(b.pattern)}"
            else:
                body = f"{t} {scoped(b.pattern)}"
            parts.append(f"{{ {body} BIND({i} AS ?k) }}")
            project.extend(oks)
        text = (f"SELECT DISTINCT {gv or '?src '}?this ?value ?k {' '.join(project)} WHERE {{\n"
                + "\nUNION\n".join(parts) + "\n}")
        if graph:
            return text.replace(_IN, "GRAPH ?g { ").replace(_OUT, " }")
        return text.replace(_IN, "").replace(_OUT, "")


@dataclass
class Plan:
    compiled: list[CompiledShape] = field(default_factory=list)
    fallback: list[Node] = field(default_factory=list)  # top-level shapes left to pySHACL



def _int(node: Node) -> int:
    """An integer parameter (ValueError if it is not one: pySHACL then reports the shape)."""
    return int(str(node))


def _lit(node: Node) -> str:
    """A term in SPARQL syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        lexical = (str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                   .replace("\r", "\\r"))
        if node.language:
            return f'"{lexical}"@{node.language}'
        if node.datatype:
            return f'"{lexical}"^^<{node.datatype}>'
        return f'"{lexical}"'
    raise Unsupported(f"blank node {node} as a constraint parameter")


_IN, _OUT = "\x01", "\x02"  # around every EXISTS pattern: becomes GRAPH ?g { ... } in the graph scope


def _ex(pattern: str) -> str:
    """An EXISTS group whose pattern is evaluated in the active scope (the focus node's graph)."""
    return f"{{ {_IN}{pattern}{_OUT} }}"


class _Vars:
    def __init__(self) -> None:
        self._n = itertools.count()

    def __call__(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self._n)}"


# Integer types derived from xsd:integer: (lower bound, upper bound) of their values.
_INTEGER_RANGES: dict[URIRef, tuple[int | None, int | None]] = {
    XSD.integer: (None, None), XSD.nonNegativeInteger: (0, None), XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0), XSD.negativeInteger: (None, -1),
    XSD.long: (-2**63, 2**63 - 1), XSD.int: (-2**31, 2**31 - 1), XSD.short: (-2**15, 2**15 - 1),
    XSD.byte: (-128, 127), XSD.unsignedLong: (0, 2**64 - 1), XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 65535), XSD.unsignedByte: (0, 255),
}
# types whose lexical form Oxigraph can check by casting the string
_CASTABLE = {XSD.decimal, XSD.float, XSD.double, XSD.boolean, XSD.date, XSD.dateTime, XSD.time}


class Compiler:
    """Compiles the shapes of an rdflib shapes graph to SPARQL."""

    def __init__(self, shapes: rdflib.Graph, subclasses: dict[URIRef, set[URIRef]]):
        self.g = shapes
        self.subclasses = subclasses  # class -> itself and every (transitive) subclass in the data
        self.var = _Vars()

    # ---- helpers -----------------------------------------------------------------------------

    def _classes(self, cls: Node) -> str:
        if not isinstance(cls, URIRef):
            raise Unsupported("a class that is not an IRI")
        found = sorted(self.subclasses.get(cls, set()) | {cls})
        return " ".join(f"<{c}>" for c in found)

    def _has_type(self, var: str, cls: Node) -> str:
        t = self.var("t")
        return f"{var} a {t} . VALUES {t} {{ {self._classes(cls)} }}"

    def path(self, p: Node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(p, URIRef):
            return f"<{p}>"
        if not isinstance(p, BNode):
            raise Unsupported(f"path {p}")
        if (p, RDF.first, None) in self.g:
            items = list(Collection(self.g, p))
            if len(items) < 2:
                raise Unsupported("sequence path of fewer than two elements")
            return "(" + "/".join(self.path(i) for i in items) + ")"
        for pred, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                          (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
            inner = self.g.value(p, pred)
            if inner is not None:
                return "(" + fmt.format(self.path(inner)) + ")"
        alt = self.g.value(p, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self.path(i) for i in Collection(self.g, alt)) + ")"
        raise Unsupported(f"path {p}")

    def _list(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))

    def _params(self, shape: Node) -> Iterator[tuple[URIRef, Node]]:
        for p, o in sorted(self.g.predicate_objects(shape), key=str):
            if p in _NOT_CONSTRAINTS or not isinstance(p, URIRef):
                continue
            if not str(p).startswith(str(SH)):
                continue  # annotations (rdfs:label, ush:crossDocument, ...) are not constraints
            yield p, o

    def _deactivated(self, shape: Node) -> bool:
        return self.g.value(shape, SH.deactivated) == Literal(True)

    # ---- value-level conditions: a boolean SPARQL expression, true when `v` is fine -----------------

    def value_ok(self, p: URIRef, o: Node, v: str, shape: Node) -> tuple[URIRef, str] | None:
        """(component, expression) for a constraint on each value node, or None if not one."""
        if p == SH["class"]:
            return SH.ClassConstraintComponent, f"EXISTS {_ex(self._has_type(v, o))}"
        if p == SH.datatype:
            return SH.DatatypeConstraintComponent, self._datatype_ok(o, v)
        if p == SH.nodeKind:
            kinds = {SH.IRI: f"isIRI({v})", SH.BlankNode: f"isBlank({v})", SH.Literal: f"isLiteral({v})",
                     SH.BlankNodeOrIRI: f"(isBlank({v}) || isIRI({v}))",
                     SH.BlankNodeOrLiteral: f"(isBlank({v}) || isLiteral({v}))",
                     SH.IRIOrLiteral: f"(isIRI({v}) || isLiteral({v}))"}
            if o not in kinds:
                raise Unsupported(f"sh:nodeKind {o}")
            return SH.NodeKindConstraintComponent, kinds[URIRef(str(o))]
        if p == SH.pattern:
            flags = self.g.value(shape, SH.flags)
            args = _lit(Literal(str(o))) + (f", {_lit(Literal(str(flags)))}" if flags else "")
            return SH.PatternConstraintComponent, f"COALESCE(!isBlank({v}) && REGEX(STR({v}), {args}), false)"
        if p in (SH.minLength, SH.maxLength):
            op = ">=" if p == SH.minLength else "<="
            comp = SH.MinLengthConstraintComponent if p == SH.minLength else SH.MaxLengthConstraintComponent
            return comp, f"COALESCE(!isBlank({v}) && STRLEN(STR({v})) {op} {_int(o)}, false)"
        if p in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            op = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
                  SH.maxExclusive: "<"}[p]
            comp = SH[str(p)[len(str(SH)):][0].upper() + str(p)[len(str(SH)) + 1:] + "ConstraintComponent"]
            return comp, f"COALESCE({v} {op} {_lit(o)}, false)"
        if p == SH["in"]:
            items = self._list(o)
            if not items:
                return SH.InConstraintComponent, "false"
            return SH.InConstraintComponent, "(" + " || ".join(f"sameTerm({v}, {_lit(i)})" for i in items) + ")"
        if p == SH.languageIn:
            tags = [str(t) for t in self._list(o)]
            test = " || ".join(f"langMatches(lang({v}), {_lit(Literal(t))})" for t in tags) or "false"
            return SH.LanguageInConstraintComponent, f"COALESCE(isLiteral({v}) && ({test}), false)"
        if p == SH.node:
            return SH.NodeConstraintComponent, self.conforms(o, v)
        if p == SH["not"]:
            return SH.NotConstraintComponent, f"!({self.conforms(o, v)})"
        if p in (SH["or"], SH["and"], SH.xone):
            members = [self.conforms(s, v) for s in self._list(o)]
            if p == SH["or"]:
                return SH.OrConstraintComponent, "(" + (" || ".join(members) or "false") + ")"
            if p == SH["and"]:
                return SH.AndConstraintComponent, "(" + (" && ".join(members) or "true") + ")"
            count = " + ".join(f"IF({m}, 1, 0)" for m in members) or "0"
            return SH.XoneConstraintComponent, f"({count} = 1)"
        return None

    def _datatype_ok(self, dt: Node, v: str) -> str:
        if dt == RDFS.Literal:
            return f"isLiteral({v})"
        if dt == RDF.langString:
            return f"COALESCE(isLiteral({v}) && lang({v}) != \"\", false)"
        base = f"isLiteral({v}) && datatype({v}) = {_lit(dt)}"
        if dt in _INTEGER_RANGES and dt != XSD.integer:
            # Oxigraph stores the types derived from xsd:integer as xsd:integer ("1"^^xsd:
            # nonNegativeInteger comes back "1"^^xsd:integer): accept both, check the range
            base = f"isLiteral({v}) && (datatype({v}) = {_lit(dt)} || datatype({v}) = <{XSD.integer}>)"
        if dt in _INTEGER_RANGES:
            low, high = _INTEGER_RANGES[URIRef(str(dt))]
            cast = f"<{XSD.integer}>(STR({v}))"
            # xsd:integer's lexical space has no '.' or exponent, which the cast would accept
            test = f"REGEX(STR({v}), \"^[+-]?[0-9]+$\") && {cast} = {cast}"
            if low is not None:
                test += f" && {cast} >= {low}"
            if high is not None:
                test += f" && {cast} <= {high}"
            return f"COALESCE({base} && {test}, false)"
        if dt in _CASTABLE:
            cast = f"<{dt}>(STR({v}))"
            return f"COALESCE({base} && ({cast} = {cast} || {cast} != {cast}), false)"
        return f"COALESCE({base}, false)"

    # ---- conformance of a node to a (nested) shape, as a boolean expression ---------------------

    def conforms(self, shape: Node, v: str) -> str:
        if self._deactivated(shape):
            return "true"
        if (shape, SH.sparql, None) in self.g:
            raise Unsupported("sh:sparql in a nested shape")
        terms: list[str] = []
        path = self.g.value(shape, SH.path)
        if path is None:
            for p, o in self._params(shape):
                got = self.value_ok(p, o, v, shape)
                if got is not None:
                    terms.append(got[1])
                elif p == SH.hasValue:
                    terms.append(f"sameTerm({v}, {_lit(o)})")
                else:
                    raise Unsupported(f"{p} in a nested node shape")
        else:
            terms.extend(self._focus_conditions(shape, path, v))
        for prop in self.g.objects(shape, SH.property):
            terms.append(self.conforms(prop, v))
        return "(" + (" && ".join(terms) or "true") + ")"

    def _focus_conditions(self, shape: Node, path: Node, v: str) -> list[str]:
        """Conformance of focus `v` to property shape `shape`, one expression per constraint."""
        sp = self.path(path)
        out: list[str] = []
        for p, o in self._params(shape):
            x = self.var()
            got = self.value_ok(p, o, x, shape)
            if got is not None:
                out.append(f"NOT EXISTS {_ex(f'{v} {sp} {x} . FILTER(!({got[1]}))')}")
            elif p == SH.minCount:
                out.append(f"EXISTS {_ex(self._distinct_values(v, sp, _int(o)))}")
            elif p == SH.maxCount:
                out.append(f"NOT EXISTS {_ex(self._distinct_values(v, sp, _int(o) + 1))}")
            elif p == SH.hasValue:
                out.append(f"EXISTS {_ex(f'{v} {sp} {_lit(o)}')}")
            elif p == SH.uniqueLang:
                if o == Literal(True):
                    out.append(f"NOT EXISTS {_ex(self._same_lang(v, sp))}")
            elif p in (SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint):
                out.append(f"NOT EXISTS {_ex(self._pair_pattern(p, o, v, sp)[0])}")
            else:
                raise Unsupported(f"{p} in a nested property shape")
        return out

    def _distinct_values(self, v: str, sp: str, n: int) -> str:
        """A pattern matching when `v` has at least n distinct values on the path."""
        if n > _MAX_COUNT_PARAM:
            raise Unsupported(f"count {n} > {_MAX_COUNT_PARAM}")
        if n <= 0:
            return ""
        xs = [self.var("c") for _ in range(n)]
        triples = " ".join(f"{v} {sp} {x} ." for x in xs)
        distinct = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(xs, 2))
        return triples + (f" FILTER({distinct})" if distinct else "")

    def _same_lang(self, v: str, sp: str) -> str:
        a, b = self.var("a"), self.var("b")
        return (f"{v} {sp} {a} . {v} {sp} {b} . FILTER(!sameTerm({a}, {b}) && isLiteral({a}) && "
                f"isLiteral({b}) && lang({a}) != \"\" && LCASE(lang({a})) = LCASE(lang({b})))")

    def _pair_pattern(self, p: URIRef, other: Node, v: str, sp: str) -> tuple[str, str]:
        """(pattern matching a violating value, the value variable) for the property-pair components."""
        if not isinstance(other, URIRef):
            raise Unsupported(f"{p} with a non-IRI property")
        a, b = self.var("a"), self.var("b")
        if p in (SH.lessThan, SH.lessThanOrEquals):
            op = "<" if p == SH.lessThan else "<="
            return f"{v} {sp} {a} . {v} <{other}> {b} . FILTER(!COALESCE({a} {op} {b}, false))", a
        if p == SH.disjoint:
            return f"{v} {sp} {a} . {v} <{other}> {a} .", a
        # sh:equals: a value on one side missing on the other (value nodes from either side)
        return (f"{{ {v} {sp} {a} . FILTER NOT EXISTS {{ {v} <{other}> {a} }} }} UNION "
                f"{{ {v} <{other}> {a} . FILTER NOT EXISTS {{ {v} {sp} {a} }} }}"), a

    # ---- top level: one query per constraint-carrying shape over its focus nodes ---------------

    def targets(self, shape: Node) -> str | None:
        """A pattern binding ?this to every focus node of `shape`, or None without targets."""
        alts: list[str] = []
        classes = list(self.g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in self.g or (shape, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in self.g:
            classes.append(shape)  # implicit class target
        if classes:
            found = sorted({c for cls in classes for c in self._classes(cls).split()})
            if len(found) == 1:
                alts.append(f"?this a {found[0]} .")
            else:
                alts.append("?this a ?_tc . VALUES ?_tc { " + " ".join(found) + " }")
        for n in sorted(self.g.objects(shape, SH.targetNode), key=str):
            alts.append(f"VALUES ?this {{ {_lit(n)} }}")
        for p in sorted(self.g.objects(shape, SH.targetSubjectsOf), key=str):
            alts.append(f"?this <{p}> ?_ts .")
        for p in sorted(self.g.objects(shape, SH.targetObjectsOf), key=str):
            alts.append(f"?_to <{p}> ?this .")
        if not alts:
            return None
        if len(alts) == 1:
            return alts[0]
        return " UNION ".join(f"{{ {a} }}" for a in alts)

    def compile_unit(self, owner: Node, shape: Node, target: str, cross: bool) -> CompiledShape | None:
        if self._deactivated(shape):
            return None
        path = self.g.value(shape, SH.path)
        branches: list[_Branch] = []
        sp = self.path(path) if path is not None else None
        checks = _Branch("node" if sp is None else "values", [], path=sp or "", has_value=sp is not None)
        for p, o in self._params(shape):
            v = "?this" if sp is None else "?value"
            got = self.value_ok(p, o, v, shape)
            if got is not None:
                checks.components.append(got[0])
                checks.exprs.append(got[1])
                continue
            if sp is None:
                if p == SH.hasValue:
                    checks.components.append(SH.HasValueConstraintComponent)
                    checks.exprs.append(f"sameTerm(?this, {_lit(o)})")
                    continue
                raise Unsupported(f"{p} on a node shape")
            if p == SH.minCount:
                n = _int(o)
                if n == 1:
                    branches.append(_Branch("missing", [SH.MinCountConstraintComponent], path=sp))
                elif n > 1:
                    branches.append(_Branch("pattern", [SH.MinCountConstraintComponent],
                                            pattern=f"FILTER NOT EXISTS {_ex(self._distinct_values('?this', sp, n))}"))
            elif p == SH.maxCount:
                branches.append(_Branch("group", [SH.MaxCountConstraintComponent], path=sp,
                                        having=f"COUNT(DISTINCT ?_x) > {_int(o)}"))
            elif p == SH.hasValue:
                branches.append(_Branch("pattern", [SH.HasValueConstraintComponent],
                                        pattern=f"FILTER NOT EXISTS {_ex(f'?this {sp} {_lit(o)}')}"))
            elif p == SH.uniqueLang:
                if o == Literal(True):
                    # only focus nodes with two values or more can break it: find those by a
                    # grouped scan, then compare their languages
                    branches.append(_Branch(
                        "group", [SH.UniqueLangConstraintComponent], path=sp,
                        having="COUNT(DISTINCT ?_x) > 1", pattern=self._same_lang("?this", sp)))
            elif p in (SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint):
                pattern, value = self._pair_pattern(p, o, "?this", sp)
                comp = {SH.lessThan: SH.LessThanConstraintComponent,
                        SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
                        SH.equals: SH.EqualsConstraintComponent, SH.disjoint: SH.DisjointConstraintComponent}[p]
                branches.append(_Branch("pattern", [comp], pattern=f"{pattern} BIND({value} AS ?value)",
                                        has_value=True))
            else:
                raise Unsupported(f"{p}")
        if (shape, SH.property, None) in self.g and path is not None:
            raise Unsupported("sh:property inside a property shape")
        if checks.exprs:
            branches.insert(0, checks)
        if not branches:
            return None
        severity = self.g.value(shape, SH.severity)
        return CompiledShape(owner, shape, path, severity if isinstance(severity, URIRef) else SH.Violation,
                             _message(self.g, shape), target, branches, cross,
                             self._footprint(shape, path, target) if cross else None)

    def _footprint(self, shape: Node, path: Node | None, target: str) -> tuple[str, ...] | None:
        """The predicates whose triples decide this shape's result for a node (see CompiledShape)."""
        if any(p not in _LOCAL_PARAMS for p, _o in self._params(shape)):
            return None  # sh:class, sh:node, pairs...: the result reads other nodes' triples
        preds = {a or b for a, b in _TARGET_PREDICATE.findall(target)}
        if _TARGET_CLASS.search(target):
            preds.add(str(RDF.type))
        if path is not None:
            inverse = self.g.value(path, SH.inversePath) if isinstance(path, BNode) else None
            step = path if isinstance(path, URIRef) else inverse
            if not isinstance(step, URIRef) or (isinstance(path, BNode) and len(set(self.g.predicate_objects(path))) != 1):
                return None
            preds.add(str(step))
        return tuple(sorted(preds))


    def plan(self) -> Plan:
        plan = Plan()
        shared: dict[tuple[Node, bool], list[tuple[Node, str]]] = {}
        shapes = sorted({s for t in _TARGETS for s in self.g.subjects(t, None)}
                        | {s for s in self.g.subjects(RDF.type, RDFS.Class)
                           if (s, RDF.type, SH.NodeShape) in self.g or (s, RDF.type, SH.PropertyShape) in self.g}, key=str)
        for shape in shapes:
            if self._deactivated(shape):
                continue
            target = self.targets(shape)
            if target is None:
                continue
            cross = self.g.value(shape, CROSS_DOCUMENT) == Literal(True)
            try:
                units = [self.compile_unit(shape, shape, target, cross)]
                for prop in sorted(self.g.objects(shape, SH.property), key=str):
                    self.compile_unit(shape, prop, target, cross)  # raises Unsupported early
                    shared.setdefault((prop, cross), []).append((shape, target))
            except (Unsupported, ValueError, TypeError) as why:  # bad parameters: pySHACL says why
                log.info("shape %s is validated by pySHACL: the SPARQL engine does not compile %s", shape, why)
                plan.fallback.append(shape)
                continue
            plan.compiled.extend(u for u in units if u is not None)
        # a property shape shared by several node shapes (ush:TextProperty) is one query over the
        # focus nodes of all of them, not one per owner
        fallback = set(plan.fallback)
        for (prop, cross), owners in sorted(shared.items(), key=lambda kv: str(kv[0][0])):
            owners = [(o, t) for o, t in owners if o not in fallback]
            if not owners:
                continue
            targets = sorted({t for _o, t in owners})
            target = targets[0] if len(targets) == 1 else " UNION ".join(f"{{ {t} }}" for t in targets)
            unit = self.compile_unit(owners[0][0], prop, target, cross)
            if unit is not None:
                plan.compiled.append(unit)
        return plan


def _message(g: rdflib.Graph, shape: Node) -> str:
    msgs = sorted(g.objects(shape, SH.message), key=lambda m: (getattr(m, "language", None) != "en", str(m)))
    return str(msgs[0]) if msgs else ""


def subclass_closure(store: ox.Store, classes: Iterable[URIRef]) -> dict[URIRef, set[URIRef]]:
    """For each class, its subclasses (transitively) according to rdfs:subClassOf triples in the store."""
    direct: dict[str, set[str]] = {}
    q = f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{RDFS.subClassOf}> ?o }}"
    for row in store.query(q, use_default_graph_as_union=True):  # type: ignore[union-attr]
        s, o = row["s"], row["o"]
        if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
            direct.setdefault(o.value, set()).add(s.value)
    out: dict[URIRef, set[URIRef]] = {}
    for cls in classes:
        seen: set[str] = set()
        todo = [str(cls)]
        while todo:
            for sub in direct.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        if seen:
            out[cls] = {URIRef(s) for s in seen}
    return out


def classes_used(shapes: rdflib.Graph) -> set[URIRef]:
    found = set(shapes.objects(None, SH.targetClass)) | set(shapes.objects(None, SH["class"]))
    found |= set(shapes.subjects(RDF.type, RDFS.Class))
    return {c for c in found if isinstance(c, URIRef)}


def to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unexpected term {term!r}")


def run(store: ox.Store, compiled: Iterable[CompiledShape], scope: str,
        graphs: list[str] | None = None,
        on_query: Callable[[CompiledShape, float], None] | None = None,
        focus: list[str] | None = None, jobs: int | None = None) -> dict[str | None, set[Finding]]:
    """Evaluate compiled shapes; findings grouped by named graph: in the `graph` scope the graph
    they were found in, in the `union` scope the first graph the focus node's target came from.
    `focus` (union scope): these focus nodes only, in N-Triples syntax. The queries run on
    `jobs` threads (default: one per core, at most 4): Oxigraph evaluates a query without the
    GIL, so a cold validation uses every core."""
    import time

    units = list(compiled)
    # a few changed graphs: one query per graph, each reading only that graph
    batches: list[list[str] | None] = [[g] for g in graphs] if graphs is not None and len(graphs) <= 50 else [graphs]
    chunks: list[list[str] | None] = [None] if focus is None else [
        focus[i:i + 1000] for i in range(0, len(focus), 1000)]

    def one(unit: CompiledShape) -> tuple[dict[str | None, set[Finding]], float]:
        t0 = time.perf_counter()
        found: dict[str | None, set[Finding]] = {}
        for batch in batches:
            for chunk in chunks:
                _run_one(store, unit, scope, batch, found, chunk)
        return found, time.perf_counter() - t0

    out: dict[str | None, set[Finding]] = {}
    for unit, (found, seconds) in zip(units, in_threads(one, units, jobs)):
        for g, fs in found.items():
            out.setdefault(g, set()).update(fs)
        if on_query is not None:  # in this thread, in the units' order
            on_query(unit, seconds)
    return out


def in_threads(fn: Callable[[_T], _R], items: list[_T], jobs: int | None = None) -> Iterator[_R]:
    """fn over items on a few threads; results in the items' order, as each becomes available."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 4)
    if workers <= 1 or len(items) < 2:
        yield from (fn(i) for i in items)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="unkg-shacl") as pool:
        for fut in [pool.submit(fn, i) for i in items]:
            yield fut.result()


def _run_one(store: ox.Store, unit: CompiledShape, scope: str, graphs: list[str] | None,
             out: dict[str | None, set[Finding]], only: list[str] | None = None) -> None:
    q = unit.query(scope, graphs, only)
    try:
        rows = store.query(q, use_default_graph_as_union=True)
    except SyntaxError as exc:  # a user's sh:pattern Oxigraph's regex engine rejects, say
        raise Unsupported(f"query for {unit.shape} rejected by Oxigraph: {exc}") from exc
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        i = int(row["k"].value)
        branch = unit.branches[i]
        focus = to_rdflib(row["this"])
        value: Node | None = None
        if branch.kind == "node":
            value = focus  # (sh:hasValue reports none: below)
        elif branch.has_value and row["value"] is not None:
            value = to_rdflib(row["value"])
        src = row["g"] if scope == "graph" else row["src"]
        g = src.value if src is not None else None
        if branch.exprs:
            failed = [c for j, c in enumerate(branch.components) if row[f"ok_{i}_{j}"].value != "true"]
        else:
            failed = branch.components
        for component in failed:
            v = None if component == SH.HasValueConstraintComponent else value
            out.setdefault(g, set()).add(Finding(focus, unit.path, v, unit.severity, unit.shape,
                                                 component, unit.message))


# ---- SPARQL-based constraints (sh:sparql) inside each named graph --------------------------------

_SELECT = re.compile(r"(?is)\bSELECT\s+(DISTINCT\s+|REDUCED\s+)?")


def scope_to_graph(query: str, graphs: list[str] | None = None) -> str | None:
    """A SPARQL constraint's whole-store query rewritten to run inside each named graph (?__g).

    None when the query is not a plain SELECT ... WHERE { ... } that can be wrapped safely.
    """
    if re.search(r"(?i)\b(GROUP\s+BY|GRAPH|SERVICE|ORDER\s+BY|LIMIT|OFFSET|HAVING)\b", query):
        return None
    if query.count("SELECT") + query.count("select") != 1 or re.search(r"(?i)SELECT\s+\*", query):
        return None
    m = re.search(r"(?is)\bWHERE\s*\{", query)
    end = query.rstrip().rfind("}")
    if not m or end < m.end():
        return None
    head = _SELECT.sub(lambda s: s.group(0) + "?__g ", query[: m.start()], count=1)
    if graphs is not None and len(graphs) == 1:
        # a constant graph: Oxigraph reads that graph only (VALUES ?__g would be joined after)
        return (head + f"WHERE {{ VALUES ?__g {{ <{graphs[0]}> }} GRAPH <{graphs[0]}> {{"
                + query[m.end(): end] + "} }" + query[end + 1:])
    restrict = ""
    if graphs is not None:
        restrict = "VALUES ?__g { " + " ".join(f"<{g}>" for g in graphs) + " } "
    return head + "WHERE { " + restrict + "GRAPH ?__g {" + query[m.end(): end] + "} }" + query[end + 1:]
