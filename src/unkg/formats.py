"""The one table of formats: short names, MIME types and extensions, for --format and HTTP Accept."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import FormatError


@dataclass(frozen=True)
class Format:
    name: str  # canonical short name
    kind: str  # "rdf" (graph data), "results" (SPARQL results), "input" (resolution text), "record"
    mime: str
    extensions: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    quads: bool = False  # can carry named graphs
    oxigraph: ox.RdfFormat | None = None
    rdflib: str | None = None


FORMATS: tuple[Format, ...] = (
    Format("ttl", "rdf", "text/turtle", (".ttl",), ("turtle",), False, ox.RdfFormat.TURTLE, "turtle"),
    Format("nt", "rdf", "application/n-triples", (".nt",), ("ntriples", "n-triples"), False,
           ox.RdfFormat.N_TRIPLES, "nt"),
    Format("nq", "rdf", "application/n-quads", (".nq",), ("nquads", "n-quads"), True,
           ox.RdfFormat.N_QUADS, "nquads"),
    Format("trig", "rdf", "application/trig", (".trig",), (), True, ox.RdfFormat.TRIG, "trig"),
    Format("jsonld", "rdf", "application/ld+json", (".jsonld",), ("json-ld",), True,
           ox.RdfFormat.JSON_LD, "json-ld"),
    Format("rdfxml", "rdf", "application/rdf+xml", (".rdf", ".owl"), ("xml", "rdf/xml"), False,
           ox.RdfFormat.RDF_XML, "xml"),
    Format("table", "results", "text/plain", (), ()),
    Format("csv", "results", "text/csv", (".csv",), ()),
    Format("tsv", "results", "text/tab-separated-values", (".tsv",), ()),
    Format("json", "results", "application/sparql-results+json", (".srj",), ("srj",)),
    Format("xml", "results", "application/sparql-results+xml", (".srx",), ("srx",)),
    Format("txt", "input", "text/plain", (".txt",), ("text",)),
    Format("md", "input", "text/markdown", (".md", ".markdown"), ("markdown",)),
    Format("pdf", "input", "application/pdf", (".pdf",), ()),
    Format("json", "input", "application/json", (".json",), ("wrapper",)),
    Format("json", "record", "application/json", (".json",), ()),
    Format("html", "page", "text/html", (".html",), ("htm",)),
)


def _matches(fmt: Format, value: str) -> bool:
    value = value.strip().lower()
    mime = value.split(";", 1)[0].strip()
    return value == fmt.name or value in fmt.aliases or mime == fmt.mime or value in fmt.extensions \
        or ("." + value) in fmt.extensions


def lookup(value: str, kinds: tuple[str, ...]) -> Format:
    """A format by short name, alias, extension or MIME type, among the given kinds."""
    for kind in kinds:
        for fmt in FORMATS:
            if fmt.kind == kind and _matches(fmt, value):
                return fmt
    known = sorted({f.name for f in FORMATS if f.kind in kinds})
    raise FormatError(f"unknown format {value!r}; use one of: {', '.join(known)} (or their MIME types)")


def guess(path: str | Path | None, kinds: tuple[str, ...]) -> Format | None:
    """The format a file name's extension implies, or None."""
    if path is None or str(path) == "-":
        return None
    suffix = Path(str(path)).suffix.lower()
    if suffix == ".gz":
        suffix = Path(str(path)[:-3]).suffix.lower()
    for kind in kinds:
        for fmt in FORMATS:
            if fmt.kind == kind and suffix in fmt.extensions:
                return fmt
    return None


def resolve(value: str | None, path: str | Path | None, kinds: tuple[str, ...],
            default: str | None = None) -> Format:
    """--format if given, else the file extension, else the default; FormatError when none applies."""
    if value:
        return lookup(value, kinds)
    guessed = guess(path, kinds)
    if guessed:
        return guessed
    if default:
        return lookup(default, kinds)
    raise FormatError(f"cannot tell the format of {path or 'stdin'}: pass --format")


def names(kind: str) -> list[str]:
    seen: list[str] = []
    for fmt in FORMATS:
        if fmt.kind == kind and fmt.name not in seen:
            seen.append(fmt.name)
    return seen


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """An HTTP Accept header as (media range, q, position); a missing header accepts anything."""
    if not header or not header.strip():
        return [("*/*", 1.0, 0)]
    ranges: list[tuple[str, float, int]] = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if media == "*":  # some clients send a bare '*'
            media = "*/*"
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, i))
    return ranges


def _quality(mime: str, ranges: list[tuple[str, float, int]]) -> tuple[float, int, int]:
    """q of the most specific range matching `mime`, its specificity, and its position."""
    major = mime.split("/", 1)[0]
    best: tuple[float, int, int] | None = None
    for media, q, pos in ranges:
        if media == mime:
            spec = 2
        elif media == f"{major}/*":
            spec = 1
        elif media == "*/*":
            spec = 0
        else:
            continue
        if best is None or spec > best[1]:
            best = (q, spec, pos)
    return best if best is not None else (0.0, -1, 0)


def negotiate(accept: str | None, offered: list[Format]) -> Format | None:
    """The offered format the Accept header prefers (RFC 9110 q-values, most specific range
    wins); ties go to the offered order. None when nothing offered is acceptable (HTTP 406)."""
    ranges = parse_accept(accept)
    scored = []
    for rank, fmt in enumerate(offered):
        q, spec, pos = _quality(fmt.mime, ranges)
        if q > 0:
            # higher q first; then an explicitly named type before a wildcard; then server order
            scored.append((-q, -spec, rank, fmt))
    if not scored:
        return None
    scored.sort(key=lambda t: (t[0], t[1], t[2]))
    return scored[0][3]
