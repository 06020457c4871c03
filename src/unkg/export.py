"""Deterministic serialisation: the same store gives byte-identical output every time."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pyoxigraph as ox

from .errors import FormatError
from .formats import Format
from .jsonld import compact
from .store import EmbeddedStore

PREFIXES: dict[str, str] = {
    "unkg": "https://w3id.org/unkg/ontology#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "eli-dl": "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "org": "http://www.w3.org/ns/org#",
}

_PN_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


@lru_cache(maxsize=65536)  # pure; a site of pages writes the same terms over and over
def _short(term: str) -> str:
    if term.startswith("<") and term.endswith(">"):
        iri = term[1:-1]
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns):
                local = iri[len(ns):]
                if _PN_LOCAL.match(local):
                    return f"{prefix}:{local}"
        return term
    if term.startswith('"') and term.endswith(f"^^<{PREFIXES['xsd']}string>"):
        return term[: -len(f"^^<{PREFIXES['xsd']}string>")]
    if "^^<" in term and term.endswith(">"):
        lex, dt = term.rsplit("^^", 1)
        return f"{lex}^^{_short(dt)}"
    return term


def turtle_of(triples: list[tuple[str, str, str]], graph_block: str | None = None,
              with_prefixes: bool = True) -> str:
    """Turtle of sorted N-Triples terms, one subject block each (diff-friendly, deterministic)."""
    out: list[str] = []
    if with_prefixes:
        out.extend(f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items()))
        out.append("")
    indent = "    " if graph_block else ""
    if graph_block:
        out.append(f"{graph_block} {{")
    subject: str | None = None
    predicate: str | None = None
    for s, p, o in triples:
        if s != subject:
            if subject is not None:
                out[-1] += " ."
                out.append("")
            subject, predicate = s, p
            verb = "a" if p == f"<{PREFIXES['rdf']}type>" else _short(p)
            out.append(f"{indent}{_short(s)} {verb} {_short(o)}")
        elif p != predicate:
            predicate = p
            verb = "a" if p == f"<{PREFIXES['rdf']}type>" else _short(p)
            out[-1] += " ;"
            out.append(f"{indent}    {verb} {_short(o)}")
        else:
            out[-1] += ","
            out.append(f"{indent}        {_short(o)}")
    if subject is not None:
        out[-1] += " ."
    if graph_block:
        out.append("}")
    return "\n".join(out) + "\n"


def _sorted_triples(triples: set[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    rdf_type = f"<{PREFIXES['rdf']}type>"
    # rdf:type first within a subject reads better; the order is otherwise canonical. Sorting
    # plain tuples with rdf:type written as "" (before any term) is the order of the key
    # (s, p != rdf:type, p, o), without a key function call per triple.
    keyed = sorted([(s, "" if p == rdf_type else p, o) for s, p, o in triples])
    return [(s, p or rdf_type, o) for s, p, o in keyed]


def serialize_triples(triples: set[tuple[str, str, str]], fmt_name: str) -> bytes:
    """Triples (terms in N-Triples syntax) as canonical nt, ttl or compacted JSON-LD."""
    if fmt_name == "nt":
        return "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(triples)).encode()
    if fmt_name == "ttl":
        return turtle_of(_sorted_triples(triples)).encode()
    if fmt_name == "jsonld":
        nt = "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(triples)).encode()
        terms = ((t.subject, t.predicate, t.object) for t in ox.parse(nt, ox.RdfFormat.N_TRIPLES))
        return (json.dumps(compact(terms), indent=2, sort_keys=True, ensure_ascii=False)
                + "\n").encode()
    raise FormatError(f"cannot write a graph as {fmt_name}; use ttl, nt or jsonld")


def serialize_store(store: EmbeddedStore, fmt: Format, graph: str | None = None) -> bytes:
    """The store (or one named graph) in a registered RDF format, canonically ordered."""
    if fmt.name == "nq":
        return "".join(line + "\n" for line in store.nquads_lines(graph)).encode()
    if fmt.name == "trig":
        parts = [turtle_of([], with_prefixes=True).rstrip("\n")]
        graphs = [graph] if graph else store.named_graphs()
        default = set() if graph else store.triples(None, default_only=True)
        if default:
            parts.append(turtle_of(_sorted_triples(default), with_prefixes=False).rstrip("\n"))
        for g in graphs:
            triples = _sorted_triples(store.triples(g))
            parts.append(turtle_of(triples, graph_block=f"<{g}>", with_prefixes=False).rstrip("\n"))
        return ("\n\n".join(parts) + "\n").encode()
    if fmt.name in ("nt", "ttl", "jsonld"):
        return serialize_triples(store.triples(graph), fmt.name)
    raise FormatError(f"cannot export as {fmt.name}; use ttl, nt, nq, trig or jsonld")
