"""Deterministic serialisation: the same store gives byte-identical output every time."""

from __future__ import annotations

import io
import json
import re
from functools import lru_cache
from typing import BinaryIO, Callable, Iterable, Iterator

import pyoxigraph as ox

from . import extsort
from .errors import FormatError
from .formats import Format
from .jsonld import compact, dumps_indented, published_context
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
def _short_cached(term: str) -> str:
    if term.startswith("<"):
        iri = term[1:-1]
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns):
                local = iri[len(ns):]
                if _PN_LOCAL.match(local):
                    return f"{prefix}:{local}"
        return term
    if term.startswith('"') and term.endswith(f"^^<{PREFIXES['xsd']}string>"):
        return term[: -len(f"^^<{PREFIXES['xsd']}string>")]
    if "^^<" in term:
        lex, dt = term.rsplit("^^", 1)
        return f"{lex}^^{_short(dt)}"
    return term


def _short(term: str) -> str:
    """A term as Turtle writes it: IRIs under a known namespace as prefixed names, xsd:string
    literals without their datatype. A term that does not end in '>' (a plain or language-tagged
    literal, a blank node) is written as it is, without the cache: texts are long and rarely repeat."""
    if term[-1:] != ">":
        return term
    return _short_cached(term)


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
    short = _short_cached  # subjects and predicates: IRIs (and blank nodes), which recur
    rdf_type = _RDF_TYPE
    in_subject = f"\n{indent}    "
    in_predicate = f"\n{indent}        "
    # each subject block is gathered in `block` and joined once: no string grows piece by piece
    block: list[str] = []
    for s, p, o in triples:
        if s != subject:
            if block:
                block.append(" .")
                out.append("".join(block))
                out.append("")
                block.clear()
            subject, predicate = s, p
            block += (indent, short(s), " ", "a" if p == rdf_type else short(p), " ",
                      short(o) if o[-1] == ">" else o)  # see _short
        elif p != predicate:
            predicate = p
            block += (" ;", in_subject, "a" if p == rdf_type else short(p), " ", short(o) if o[-1] == ">" else o)
        else:
            block += (",", in_predicate, short(o) if o[-1] == ">" else o)
    if block:
        block.append(" .")
        out.append("".join(block))
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


class TurtleWriter:
    """Turtle of distinct triples fed in canonical N-Triples order (subject, predicate, object),
    written in blocks of subjects as they arrive: the same text as `turtle_of(_sorted_triples(all))`
    without holding the graph. A subject's rdf:type triples are moved to its front, as there."""

    def __init__(self, write: Callable[[str], None], block_triples: int = 50_000):
        self._write = write
        self._limit = block_triples
        self._block: list[tuple[str, str, str]] = []
        self._types: list[tuple[str, str, str]] = []
        self._rest: list[tuple[str, str, str]] = []
        self._subject: str | None = None
        self._first = True

    def add(self, s: str, p: str, o: str) -> None:
        if s != self._subject:
            self._end_subject()
            if len(self._block) >= self._limit:
                self._flush()
            self._subject = s
        (self._types if p == _RDF_TYPE else self._rest).append((s, p, o))

    def close(self) -> None:
        self._end_subject()
        self._flush(last=True)

    def _end_subject(self) -> None:
        self._block.extend(self._types)
        self._block.extend(self._rest)
        self._types.clear()
        self._rest.clear()

    def _flush(self, last: bool = False) -> None:
        if self._block or (last and self._first):
            text = turtle_of(self._block, with_prefixes=self._first)
            self._write(text if self._first else "\n" + text)
            self._first = False
            self._block.clear()


_RDF_TYPE = f"<{PREFIXES['rdf']}type>"


def distinct_triples(quads: Iterable[tuple[str, str]]) -> Iterator[str]:
    """The triples 's p o' of canonical quads, each once (a triple's graphs are consecutive)."""
    previous = None
    for triple, _graph in quads:
        if triple != previous:
            previous = triple
            yield triple


class _Buffered:
    """Text pieces gathered and written to a binary stream as UTF-8 about a megabyte at a time."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self.parts).encode())
        self.parts.clear()
        self.size = 0


def _write_nq(quads: Iterable[tuple[str, str]], sink: _Buffered) -> None:
    for triple, graph in quads:
        sink.write(f"{triple} {graph} .\n" if graph else f"{triple} .\n")


def _write_nt(quads: Iterable[tuple[str, str]], sink: _Buffered) -> None:
    for triple in distinct_triples(quads):
        sink.write(triple + " .\n")


def _write_ttl(quads: Iterable[tuple[str, str]], sink: _Buffered) -> None:
    writer = TurtleWriter(sink.write)
    for triple in distinct_triples(quads):
        s, p, o = triple.split(" ", 2)  # subjects and predicates hold no space
        writer.add(s, p, o)
    writer.close()


def _write_jsonld(quads: Iterable[tuple[str, str]], sink: _Buffered, tmpdir: str | None,
                  run_lines: int | None, chunk_lines: int = 50_000) -> None:
    """Compacted JSON-LD, node by node: the text of `serialize_triples(..., "jsonld")`.

    Its nodes are ordered by their @id as written ('_:b', 'http://...'), not by N-Triples term,
    so the triples are sorted again with that key in front; compacting needs only one subject's
    triples at a time."""
    def keyed() -> Iterator[str]:
        for triple in distinct_triples(quads):
            s = triple.split(" ", 1)[0]
            yield (s[1:-1] if s.startswith("<") else s) + "\x00" + triple

    sink.write('{\n  "@context": ' + dumps_indented(published_context(), "  ") + ',\n  "@graph": ')
    written = 0
    chunk: list[str] = []

    def flush() -> None:
        nonlocal written
        data = "".join(line + " .\n" for line in chunk).encode()
        terms = ((t.subject, t.predicate, t.object) for t in ox.parse(data, ox.RdfFormat.N_TRIPLES))
        for node in compact(terms)["@graph"]:
            sink.write(("[\n    " if not written else ",\n    ") + dumps_indented(node, "    "))
            written += 1
        chunk.clear()

    subject = None
    for item in extsort.sorted_lines(keyed(), tmpdir=tmpdir, run_lines=run_lines):
        ref, _, triple = item.partition("\x00")
        if ref != subject:
            if len(chunk) >= chunk_lines:
                flush()  # only between subjects: a node is compacted from all its triples
            subject = ref
        chunk.append(triple)
    flush()
    sink.write("\n  ]\n}\n" if written else "[]\n}\n")


def _write_trig(store: EmbeddedStore, sink: _Buffered, graph: str | None = None) -> None:
    """TriG of the store (default graph, then each named graph), or of one named graph."""
    sink.write(turtle_of([], with_prefixes=True).rstrip("\n"))
    default = set() if graph else store.triples(None, default_only=True)
    if default:
        sink.write("\n\n" + turtle_of(_sorted_triples(default), with_prefixes=False).rstrip("\n"))
    for g in [graph] if graph else store.named_graphs():
        triples = _sorted_triples(store.triples(g))
        sink.write("\n\n" + turtle_of(triples, graph_block=f"<{g}>", with_prefixes=False).rstrip("\n"))
    sink.write("\n")


STREAMED = ("nq", "nt", "ttl", "jsonld", "trig")


def write_store(store: EmbeddedStore, fmt: Format, out: BinaryIO, graph: str | None = None,
                tmpdir: str | None = None, run_lines: int | None = None) -> None:
    """Write the store (or one named graph) to `out` in a registered RDF format, canonically ordered.

    The whole store is streamed: quads are read one graph at a time and sorted on disk in
    `tmpdir` (`extsort`), so memory stays flat at any size; the bytes are those of the in-memory
    writers (`serialize_triples`), tested."""
    sink = _Buffered(out)
    if fmt.name == "trig":
        _write_trig(store, sink, graph)
    elif graph is not None or fmt.name not in STREAMED:
        out.write(serialize_store(store, fmt, graph))
    else:
        quads = store.canonical_quads(tmpdir=tmpdir, run_lines=run_lines)
        if fmt.name == "nq":
            _write_nq(quads, sink)
        elif fmt.name == "nt":
            _write_nt(quads, sink)
        elif fmt.name == "ttl":
            _write_ttl(quads, sink)
        else:
            _write_jsonld(quads, sink, tmpdir, run_lines, chunk_lines=run_lines or 50_000)
    sink.flush()


def serialize_store(store: EmbeddedStore, fmt: Format, graph: str | None = None) -> bytes:
    """The store (or one named graph) in a registered RDF format, canonically ordered, in memory."""
    if fmt.name == "trig" or (graph is None and fmt.name in STREAMED):
        buffer = io.BytesIO()
        write_store(store, fmt, buffer, graph)
        return buffer.getvalue()
    if fmt.name == "nq":
        return "".join(line + "\n" for line in store.nquads_lines(graph)).encode()
    if fmt.name in ("nt", "ttl", "jsonld"):
        return serialize_triples(store.triples(graph), fmt.name)
    raise FormatError(f"cannot export as {fmt.name}; use ttl, nt, nq, trig or jsonld")
