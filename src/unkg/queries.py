"""The query library: named SPARQL files with headers, parameters bound as RDF terms, result formats."""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pyoxigraph as ox

from .errors import FormatError, QueryError
from .iris import IRIs, session_key
from .pushdown import push_values
from .resources import project_dir
from .security import refuse_service

_HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*(?:\((\w+)\))?\s*(?:=\s*(\S+))?\s*(?:[-—]+\s*(.*))?$")
PARAM_TYPES = ("doc", "session", "iri", "string", "integer", "date", "fulltext")
"""Parameter types. A `fulltext` parameter takes an FTS5 search expression; it is resolved through
the store's full-text index and binds its variable to the IRIs of every matching paragraph,
footnote or annex (a multi-row VALUES block), before the query runs locally or remotely."""

Term = ox.NamedNode | ox.Literal
Binding = Term | tuple[ox.NamedNode, ...]


_WS = r"(?:\s+|#[^\n]*)*"  # whitespace and comments
_PROLOGUE_ITEM = re.compile(rf"{_WS}(?:BASE{_WS}<[^<>\s]*>|PREFIX{_WS}[^\s:#]*:{_WS}<[^<>\s]*>)", re.I)
_FORM = re.compile(rf"{_WS}(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE"
                   rf"|ADD|WITH)\b", re.I)


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (or an update keyword): the first keyword after the prologue.

    SPARQLWrapper's own detection searches the whole text without word boundaries, so a variable
    such as `?loaded` or a comment mentioning "ask" makes a SELECT look like an update.
    """
    pos = 0
    while (m := _PROLOGUE_ITEM.match(sparql, pos)) is not None:
        pos = m.end()
    m = _FORM.match(sparql, pos)
    if m is None:
        raise QueryError("cannot tell the query form: expected SELECT, ASK, CONSTRUCT or DESCRIBE "
                         "after the PREFIX/BASE declarations")
    return m.group(1).upper()


@dataclass
class Param:
    name: str
    type: str = "string"
    default: str | None = None
    description: str = ""


@dataclass
class LibraryQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    example: str = ""
    params: list[Param] = field(default_factory=list)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE; SELECT when the text is not a query (the engine
        then reports its syntax error)."""
        try:
            return query_form(self.text)
        except QueryError:
            return "SELECT"


def parse_query_file(path: Path, text: str | None = None) -> LibraryQuery:
    """Read a .rq file and its header comments (title, description, param, example)."""
    text = path.read_text(encoding="utf-8") if text is None else text
    q = LibraryQuery(name=path.stem, path=path, text=text)
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key == "title":
            q.title = value
        elif key == "description":
            q.description = (q.description + " " + value).strip()
        elif key == "example":
            q.example = value
        elif key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(f"{path}: cannot read parameter line {value!r}")
            ptype = pm.group(2) or "string"
            if ptype not in PARAM_TYPES:
                raise QueryError(f"{path}: parameter type {ptype!r} is not one of {PARAM_TYPES}")
            q.params.append(Param(pm.group(1), ptype, pm.group(3), pm.group(4) or ""))
    return q


def library(directory: Path | None = None) -> dict[str, LibraryQuery]:
    """Every named query in queries/, by name."""
    directory = directory or project_dir("queries")
    return {p.stem: parse_query_file(p) for p in sorted(directory.glob("*.rq"))}


def find_query(name_or_path: str, stdin_text: str | None = None) -> LibraryQuery:
    """A library query by name, a .rq file, or '-' (stdin)."""
    if name_or_path == "-":
        if stdin_text is None:
            raise QueryError("no query on stdin")
        return parse_query_file(Path("stdin.rq"), stdin_text)
    path = Path(name_or_path)
    if path.suffix == ".rq" or path.exists():
        if not path.is_file():
            raise QueryError(f"no query file {path}")
        return parse_query_file(path)
    queries = library()
    if name_or_path not in queries:
        raise QueryError(f"no library query named {name_or_path!r}; `unkg queries` lists them")
    return queries[name_or_path]


def bind_params(query: LibraryQuery, values: dict[str, str], iris: IRIs,
                fulltext: Callable[[str], list[str]] | None = None) -> dict[str, Binding]:
    """Turn --param values (and declared defaults) into RDF terms for the query's variables.

    `fulltext(expression)` gives the IRIs of the passages matching a search expression; it is
    needed only by queries with a `fulltext` parameter.
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown and query.params:
        raise QueryError(f"query {query.name} has no parameter {unknown[0]!r}; it takes: "
                         + ", ".join(declared) or "none")
    terms: dict[str, Binding] = {}
    for name, raw in values.items():
        p = declared.get(name, Param(name))
        terms[name] = _term(p, raw, iris, fulltext)
    for p in query.params:
        if p.name not in terms:
            if p.default is None:
                raise QueryError(f"query {query.name} needs --param {p.name}=... ({p.description})")
            terms[p.name] = _term(p, p.default, iris, fulltext)
    return terms


def needs_fulltext(query: LibraryQuery) -> bool:
    return any(p.type == "fulltext" for p in query.params)


def _term(p: Param, raw: str, iris: IRIs,
          fulltext: Callable[[str], list[str]] | None = None) -> Binding:
    if p.type == "fulltext":
        if fulltext is None:
            raise QueryError(f"parameter {p.name} is a full-text search: it needs the store's "
                             "full-text index")
        return tuple(ox.NamedNode(iri) for iri in fulltext(raw))
    try:
        if p.type == "doc":
            return ox.NamedNode(str(iris.document(raw)))
        if p.type == "session":
            return ox.NamedNode(str(iris.session(session_key(raw))))
        if p.type == "iri":
            return ox.NamedNode(raw)
        if p.type == "integer":
            return ox.Literal(str(int(raw)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        if p.type == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError("expected YYYY-MM-DD")
            return ox.Literal(raw, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
        return ox.Literal(raw)
    except ValueError as exc:
        raise QueryError(f"parameter {p.name}={raw!r} is not a valid {p.type}: {exc}") from exc


def inline_values(text: str, terms: dict[str, Binding]) -> str:
    """The query with a VALUES block opening its outer WHERE group (for remote endpoints too).

    Copies of the block open the inner groups that bind a parameter (`pushdown.push_values`), so
    the engine starts there from the bound term rather than joining at the end.

    Terms are written in their N-Triples form by pyoxigraph, so no value can change the query's
    structure. Each parameter gets a VALUES block of its own (a full-text one, one row per term).
    """
    if not terms:
        return text
    blocks = {n: _values_block(n, terms[n]) for n in sorted(terms)}
    values = "\n  ".join(blocks.values())
    m = re.search(r"(?is)\bWHERE\s*\{", text)
    if not m:
        m = re.search(r"\{", _strip_prologue(text))
        if not m:
            raise QueryError("cannot bind parameters: the query has no WHERE group")
        offset = len(text) - len(_strip_prologue(text))
        pos = offset + m.end()
    else:
        pos = m.end()
    # the copies inside go in first: they all lie after `pos`
    text = push_values(text, pos, blocks)
    return text[:pos] + "\n  " + values + "\n" + text[pos:]


def _values_block(name: str, binding: Binding) -> str:
    rows = dict.fromkeys(binding if isinstance(binding, tuple) else (binding,))
    return f"VALUES ?{name} {{ " + " ".join(str(t) for t in rows) + " }"


def _strip_prologue(text: str) -> str:
    return re.sub(r"(?is)^(\s*(#[^\n]*\n|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>))*", "", text)


# ---- results --------------------------------------------------------------------------------

@dataclass
class QueryResult:
    form: str  # "SELECT" | "ASK" | "GRAPH"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # var -> pyoxigraph term or None
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


def from_oxigraph(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [{v: sol[v] for v in variables} for sol in result]
        return QueryResult("SELECT", variables, rows)
    return QueryResult("GRAPH", triples=list(result))


def results_json(result: QueryResult) -> bytes:
    import json

    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": result.boolean}).encode()

    def term(t: Any) -> dict[str, str]:
        if isinstance(t, ox.NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, ox.BlankNode):
            return {"type": "bnode", "value": t.value}
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = t.datatype.value
        return d

    bindings = [{k: term(v) for k, v in row.items() if v is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode()


def _plain(t: Any, compact: Callable[[str], str] | None = None) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        return compact(t.value) if compact else t.value
    return str(t.value)


def format_result(result: QueryResult, fmt: str, compact: Callable[[str], str] | None = None) -> bytes:
    """Render a result as table, csv, tsv, json or (CONSTRUCT/DESCRIBE) ttl, nt, jsonld."""
    if result.form == "GRAPH":
        return _format_graph(result, fmt)
    if fmt == "json":
        return results_json(result)
    if result.form == "ASK":
        if fmt in ("table", "csv", "tsv"):
            return (("true" if result.boolean else "false") + "\n").encode()
        raise FormatError(f"an ASK result cannot be written as {fmt}")
    if fmt == "csv":
        import csv

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow([_plain(row[v]) for v in result.variables])
        return buf.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in result.variables)]
        for row in result.rows:
            lines.append("\t".join("" if row[v] is None else str(row[v]) for v in result.variables))
        return ("\n".join(lines) + "\n").encode()
    if fmt == "table":
        return _table(result, compact).encode()
    raise FormatError(f"a SELECT result cannot be written as {fmt}; use table, csv, tsv or json")


def _table(result: QueryResult, compact: Callable[[str], str] | None) -> str:
    header = result.variables
    cells = [[_plain(row[v], compact) for v in header] for row in result.rows]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(header)]
    widths = [min(w, 80) for w in widths]

    def line(values: list[str]) -> str:
        return "  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                         for v, w in zip(values, widths)).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    out += [line(c) for c in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def _format_graph(result: QueryResult, fmt: str) -> bytes:
    from .export import serialize_triples

    triples = {(str(t.subject), str(t.predicate), str(t.object)) for t in result.triples}
    try:
        return serialize_triples(triples, "nt" if fmt == "table" else fmt)
    except FormatError:
        raise FormatError(f"a CONSTRUCT/DESCRIBE result cannot be written as {fmt}; "
                          "use ttl, nt or jsonld") from None


def run_local(store: Any, query: LibraryQuery, terms: dict[str, Binding],
              allow_service: bool = False, fresh: bool = False) -> QueryResult:
    """Run a query on the embedded store with its parameters bound as terms.

    Oxigraph's own substitution only binds projected variables, so parameters are bound by a
    VALUES block of terms, as for remote endpoints (one mechanism, the same answers). A query
    with SERVICE (Oxigraph would call that server) is refused unless `allow_service`.
    A library query without parameters gives its stored answer while the store is unchanged
    (`unkg.answers`), unless `fresh`; otherwise it is evaluated and, on a writable store, kept.
    """
    from . import answers, changes

    if not allow_service:
        refuse_service(query.text, str(query.path))
    path: Path | None = getattr(store, "path", None) if not terms and answers.storable(query) else None
    if path is not None and not fresh:
        stored = answers.lookup(path, query)
        if stored is not None:
            return stored
    # read before evaluating: a write during the evaluation moves the journal past it
    position = changes.position(path) if path is not None and not getattr(store, "read_only", True) else None
    try:
        started = time.perf_counter()
        raw = store.query(inline_values(query.text, terms))
        result = from_oxigraph(raw)
        if path is not None and position is not None:
            answers.keep(path, query, position, result, time.perf_counter() - started)
        return result
    except SyntaxError as exc:
        raise QueryError(f"{query.path}: invalid SPARQL: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"{query.path}: query failed: {exc}") from exc
