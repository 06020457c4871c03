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
