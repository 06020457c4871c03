"""Fast compaction of small graphs to JSON-LD with the published context (no rdflib).

rdflib's JSON-LD serialiser takes ~0.1 s for one resolution's 600 triples, which is too slow for
a site of 30,000 resolutions. The published context has only a few kinds of term definitions
(prefixes, plain terms, `@type: @id`, `@type: xsd:…`, `@container: @language`), so compaction
is a table lookup: each value goes under a term whose definition fits it exactly, otherwise under
the compact IRI of its predicate with an explicit value object. Node and object IRIs are written
in full, which is valid compacted JSON-LD and cannot be misread through a prefix.
The tests parse every page's JSON-LD with rdflib and compare it with its Turtle.
"""

from __future__ import annotations

import json
from functools import lru_cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any, Iterable

import pyoxigraph as ox

from .resources import jsonld_context

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _Context:
    def __init__(self, ctx: dict[str, Any]):
        self.ctx = ctx
        self.prefixes = {k: v for k, v in ctx.items()
                         if isinstance(v, str) and not k.startswith("@") and v.endswith(("#", "/"))}
        # predicate IRI -> {kind: term}; kinds: "id", "lang", "plain", "dt:<datatype IRI>"
        self.props: dict[str, dict[str, str]] = {}
        self.classes: dict[str, str] = {}
        self._compacted: dict[str, str] = {}  # compact_iri's answers (predicates, classes, datatypes)
        for term in sorted(ctx):
            if term.startswith("@") or term in self.prefixes:
                continue
            d = ctx[term]
            if isinstance(d, str):
                if d.startswith("@"):
                    continue
                iri = self.expand(d)
                self.props.setdefault(iri, {}).setdefault("plain", term)
                self.classes.setdefault(iri, term)
            elif isinstance(d, dict) and "@id" in d:
                iri = self.expand(d["@id"])
                if d.get("@container") == "@language" and "@type" not in d:
                    kind = "lang"
                elif d.get("@type") == "@id" and "@container" not in d:
                    kind = "id"
                elif isinstance(d.get("@type"), str) and "@container" not in d:
                    kind = "dt:" + self.expand(d["@type"])
                else:
                    continue
                self.props.setdefault(iri, {}).setdefault(kind, term)

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return value

    def compact_iri(self, iri: str) -> str:
        """'prefix:local' when a prefix fits and the result cannot be read as an IRI, else the IRI."""
        known = self._compacted.get(iri)
        if known is None:
            known = self._compacted[iri] = self._compact_iri(iri)
        return known

    def _compact_iri(self, iri: str) -> str:
        best = iri
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns):
                local = iri[len(ns):]
                if local and "/" not in local and ":" not in local and "#" not in local:
                    candidate = f"{prefix}:{local}"
                    if len(candidate) < len(best) or (len(candidate) == len(best) and candidate < best):
                        best = candidate
        return best


@lru_cache(maxsize=1)
def _context() -> _Context:
    return _Context(jsonld_context()["@context"])


def published_context() -> dict[str, Any]:
    """The @context object `compact` puts in its output (one object, never modified)."""
    return _context().ctx


def _node_ref(term: ox.NamedNode | ox.BlankNode) -> str:
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


_Nodes = dict[str, dict[str, list[Any]]]


def _collect(triples: Iterable[tuple[Any, Any, Any]]) -> _Nodes:
    """@id -> key -> values as compaction writes them (a language-map value is (lang, text))."""
    cx = _context()
    classes, props, compact_iri = cx.classes, cx.props, cx.compact_iri
    named, literal = ox.NamedNode, ox.Literal
    nodes: _Nodes = {}
    refs: dict[Any, str] = {}  # a page's triples share a few subject objects: one ref each
    for s, p, o in triples:
        ref = refs.get(s)
        if ref is None:
            ref = refs[s] = _node_ref(s)
        node = nodes.get(ref)
        if node is None:
            node = nodes[ref] = {}
        piri = p.value
        if piri == RDF_TYPE and type(o) is named:
            node.setdefault("@type", []).append(classes.get(o.value) or compact_iri(o.value))
            continue
        terms = props.get(piri, _NO_TERMS)
        if type(o) is literal:
            lang = o.language
            if lang:
                if "lang" in terms:
                    node.setdefault(terms["lang"], []).append((lang, o.value))
                else:
                    key = terms.get("plain") or compact_iri(piri)
                    node.setdefault(key, []).append({"@value": o.value, "@language": lang})
                continue
            dt = o.datatype.value
            if dt == XSD_STRING and "plain" in terms:
                node.setdefault(terms["plain"], []).append(o.value)
            elif "dt:" + dt in terms:
                node.setdefault(terms["dt:" + dt], []).append(o.value)
            else:
                key = terms.get("plain") or compact_iri(piri)
                value: dict[str, str] = {"@value": o.value}
                if dt != XSD_STRING:
                    value["@type"] = compact_iri(dt)
                node.setdefault(key, []).append(value)
        else:  # a named or blank node
            ref_o = _node_ref(o)
            if "id" in terms:
                node.setdefault(terms["id"], []).append(ref_o)
            else:
                node.setdefault(compact_iri(piri), []).append({"@id": ref_o})
    return nodes


_NO_TERMS: dict[str, str] = {}


def _language_map(values: list[tuple[str, str]]) -> dict[str, Any]:
    by_lang: dict[str, list[str]] = {}
    for lang, text in values:
        by_lang.setdefault(lang, []).append(text)
    return {lang: (sorted(set(texts)) if len(set(texts)) > 1 else texts[0])
            for lang, texts in sorted(by_lang.items())}


def _distinct_sorted(values: list[Any]) -> list[Any]:
    """The values once each, in the order of `_sort_key` (a string sorts as itself)."""
    if len(values) == 1:
        return values
    unique = sorted({(v if type(v) is str else _sort_key(v)): v for v in values}.items())
    return [v for _, v in unique]


def compact(triples: Iterable[tuple[Any, Any, Any]]) -> dict[str, Any]:
    """Triples of pyoxigraph terms as compacted JSON-LD: {"@context": …, "@graph": [nodes by @id]}."""
    nodes = _collect(triples)
    out: list[dict[str, Any]] = []
    for ref in sorted(nodes):
        props = nodes[ref]
        obj: dict[str, Any] = {"@id": ref}
        for key in sorted(props):
            values = props[key]
            if values and isinstance(values[0], tuple):  # a language map
                obj[key] = _language_map(values)
                continue
            vals = _distinct_sorted(values)
            obj[key] = vals[0] if len(vals) == 1 else vals
        out.append(obj)
    return {"@context": _context().ctx, "@graph": out}


def graph_text(triples: Iterable[tuple[Any, Any, Any]], indent: str = "  ") -> str:
    """`dumps_indented(compact(triples)["@graph"], indent)`, written straight from the collected
    values: no node dictionaries to build and walk again, and the value shapes compaction makes
    (strings, {"@id"}, {"@value", "@language" or "@type"}, language maps) encoded directly."""
    nodes = _collect(triples)
    if not nodes:
        return "[]"
    enc = encode_basestring
    at_node = indent + "  "
    at_key = at_node + "  "
    at_value = at_key + "  "
    key_sep = ",\n" + at_key
    value_sep = ",\n" + at_value
    texts: list[str] = []
    for ref in sorted(nodes):
        props = nodes[ref]
        members = [("@id", enc(ref))]
        for key, values in props.items():
            if values and isinstance(values[0], tuple):
                members.append((key, dumps_indented(_language_map(values), at_key)))
                continue
            vals = _distinct_sorted(values)
            if len(vals) == 1:
                members.append((key, _value_text(vals[0], at_key)))
            else:
                members.append((key, "[\n" + at_value + value_sep.join(_value_text(v, at_value) for v in vals)
                                + "\n" + at_key + "]"))
        members.sort()
        texts.append("{\n" + at_key + key_sep.join(enc(k) + ": " + v for k, v in members) + "\n" + at_node + "}")
    return "[\n" + at_node + (",\n" + at_node).join(texts) + "\n" + indent + "]"


def _value_text(value: Any, indent: str) -> str:
    if type(value) is str:
        return encode_basestring(value)  # type: ignore[no-any-return]
    if type(value) is dict and value and all(type(v) is str for v in value.values()):
        # a value object ({"@id"}, {"@value", "@language" or "@type"}): strings only
        inner = ",\n" + indent + "  "
        return ("{" + inner[1:] + inner.join(encode_basestring(k) + ": " + encode_basestring(value[k])
                                              for k in sorted(value)) + "\n" + indent + "}")
    return dumps_indented(value, indent)


def _sort_key(value: Any) -> str:
    if isinstance(value, dict):
        return "\x01" + "\x00".join(f"{k}={v}" for k, v in sorted(value.items()))
    return str(value)


def dumps_indented(value: Any, indent: str = "") -> str:
    """json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False), character for character,
    for the strings, lists and dicts of compacted JSON-LD. With `indent`, the standard library
    runs its pure-Python encoder, which spent a third of a page's time; this one does less
    (strings go through the same C escaper). Anything else falls back to json.dumps."""
    if isinstance(value, str):
        return encode_basestring(value)  # type: ignore[no-any-return]
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = indent + "  "
        sep = ",\n" + inner
        return "[\n" + inner + sep.join(dumps_indented(v, inner) for v in value) + "\n" + indent + "]"
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        if not value:
            return "{}"
        inner = indent + "  "
        sep = ",\n" + inner
        return ("{\n" + inner
                + sep.join(encode_basestring(k) + ": " + dumps_indented(value[k], inner) for k in sorted(value))
                + "\n" + indent + "}")
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    return text.replace("\n", "\n" + indent) if indent else text
