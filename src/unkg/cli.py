"""The unkg command line: thin adapters over the library. Data on stdout, messages on stderr.

Exit codes: 0 success; 1 validation found results at or above --fail-on; 2 usage error;
3 input could not be read (missing file, unparseable text, RDF syntax error, invalid SPARQL or
shapes); 4 internal error; 5 store unavailable (missing, locked by another process);
6 remote endpoint error.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Iterator, NoReturn, TypeVar

import click

from . import __version__, formats
from .config import Settings, settings
from .errors import (FormatError, InputError, QueryError, RemoteError, StoreError, UnkgError,
                     UsageError)

if TYPE_CHECKING:
    from .store import EmbeddedStore

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL, EXIT_STORE, EXIT_REMOTE = 0, 1, 2, 3, 4, 5, 6

F = TypeVar("F", bound=Callable[..., Any])


class UnkgCommandError(click.ClickException):
    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it per instance

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


def fail(exc: BaseException, verbose: bool = False) -> NoReturn:
    """Map a library exception to a message and an exit code."""
    if isinstance(exc, (FormatError, UsageError)):
        raise UnkgCommandError(str(exc), EXIT_USAGE)
    if isinstance(exc, QueryError) and "invalid SPARQL" not in str(exc):
        raise UnkgCommandError(str(exc), EXIT_USAGE)
    if isinstance(exc, (InputError, QueryError)):
        raise UnkgCommandError(str(exc), EXIT_INPUT)
    if isinstance(exc, StoreError):
        raise UnkgCommandError(str(exc), EXIT_STORE)
    if isinstance(exc, RemoteError):
        raise UnkgCommandError(str(exc), EXIT_REMOTE)
    if isinstance(exc, UnkgError):
        raise UnkgCommandError(str(exc), EXIT_INPUT)
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    raise UnkgCommandError(f"internal error: {type(exc).__name__}: {exc} (run with -v for the "
                           "traceback and report it)", EXIT_INTERNAL)


def _settings(ctx: click.Context, store: str | None = None, base_iri: str | None = None) -> Settings:
    root = ctx.find_root().params
    wait = ctx.meta.get(WAIT_KEY, root.get("wait"))
    try:
        return settings(base_iri=base_iri or root.get("base_iri"), store=store or root.get("store"),
                        wait=wait)
    except UnkgError as exc:  # a bad base IRI or wait (exit 2) or an unreadable unkg.toml (exit 3)
        fail(exc)


WAIT_KEY = "unkg.wait"
WAIT_HELP = ("While another process holds the store, wait up to SECONDS for it (env UNKG_WAIT, "
             "default 0: fail at once, exit 5).")


def _remember_wait(ctx: click.Context, param: click.Parameter, value: float | None) -> None:
    if value is not None:
        ctx.meta[WAIT_KEY] = value


def store_option(f: F) -> F:
    """--store DIR, and --wait SECONDS for a store in use."""
    f = click.option("--wait", metavar="SECONDS", type=click.FloatRange(min=0), default=None,
                     expose_value=False, callback=_remember_wait, help=WAIT_HELP)(f)
    return click.option("--store", "store", metavar="DIR", default=None,
                        help="Store directory (env UNKG_STORE, default ./unkg-data).")(f)


def open_store(cfg: Settings, **options: Any) -> EmbeddedStore:
    """The store of `cfg`, waiting `cfg.wait` seconds for it if another process holds it."""
    from .store import EmbeddedStore

    def waiting() -> None:
        log(f"store {cfg.store} is in use by another process; waiting up to {cfg.wait:g} s for it")

    return EmbeddedStore(cfg.store, wait=cfg.wait, on_wait=waiting, **options)


def base_option(f: F) -> F:
    return click.option("--base-iri", metavar="IRI", default=None,
                        help="Base of minted IRIs (env UNKG_BASE_IRI, default https://w3id.org/unkg/).")(f)


def write_output(data: bytes, output: str | None) -> None:
    with output_stream(output) as out:
        out.write(data)


@contextlib.contextmanager
def output_stream(output: str | None) -> Iterator[BinaryIO]:
    """A binary stream for data that is written piece by piece: stdout, or a file that appears
    only when it is complete (written beside it, then renamed), so a failure leaves no half file."""
    if output in (None, "-"):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(str(output))
    if target.exists() and not target.is_file():  # /dev/null, a named pipe: write in place
        with open(target, "wb") as f:
            yield f
        return
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        with open(partial, "wb") as f:
            yield f
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def log(message: str) -> None:
    click.echo(message, err=True)


class TerminalBar:
    """A `unkg.progress.Progress` drawn on stderr by click: counts, percentage, rate and ETA."""

    def __init__(self, label: str):
        self.label = label
        self._bar: Any = None
        self._t0 = 0.0
        self._done = 0

    def start(self, total: int | None, unit: str) -> None:
        import time
        self.unit = unit
        self._t0 = time.perf_counter()
        self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True,
                                      item_show_func=lambda rate: rate)
        self._bar.__enter__()

    def advance(self, n: int = 1) -> None:
        import time
        if self._bar is None:
            return
        self._done += n
        elapsed = time.perf_counter() - self._t0
        rate = f"{self._done / elapsed:.1f} {self.unit}/s" if elapsed > 0 else None
        self._bar.update(n, rate)

    def close(self) -> None:
        bar, self._bar = self._bar, None
        if bar is not None:
            bar.__exit__(None, None, None)


def progress_bar(label: str) -> TerminalBar | None:
    """A bar on stderr when it is a terminal; nothing in pipes, files and CI logs."""
    return TerminalBar(label) if sys.stderr.isatty() else None


def _log_to_stderr(name: str) -> None:
    """Show the library's INFO log lines (what was checked, cached, handed to pySHACL) on stderr."""
    import logging

    logger = logging.getLogger(name)
    if not any(getattr(h, "_unkg", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._unkg = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _verbose(ctx: click.Context) -> bool:
    return bool(ctx.find_root().params.get("verbose"))


def _run(ctx: click.Context, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except click.ClickException:
        raise
    except Exception as exc:  # every error gets a message and an exit code
        fail(exc, _verbose(ctx))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unkg")
@click.option("--store", metavar="DIR", default=None, help="Store directory (env UNKG_STORE).")
@click.option("--base-iri", metavar="IRI", default=None, help="Base IRI (env UNKG_BASE_IRI).")
@click.option("--wait", metavar="SECONDS", type=click.FloatRange(min=0), default=None, help=WAIT_HELP)
@click.option("-v", "--verbose", is_flag=True,
              help="Say more on stderr (what validate checked) and show tracebacks of internal errors.")
def cli(store: str | None, base_iri: str | None, wait: float | None, verbose: bool) -> None:
    """unkg: United Nations resolutions as a linked-data knowledge graph.

    Every command reads files or - (stdin) and writes data to stdout (or -o FILE), messages to
    stderr. --format takes a short name (ttl, jsonld, csv...) or a MIME type; without it the
    format is guessed from the file extension.
    """


# ---- parse -----------------------------------------------------------------------------------

@cli.command()
@click.argument("file", metavar="FILE|-")
@click.option("-f", "--format", "fmt", default="json",
              help="json (the record), or RDF: ttl, nt, jsonld (name or MIME type).")
@click.option("--input-format", default=None, help="txt, md, pdf or json (wrapper); default: by extension.")
@click.option("-o", "--output", default=None, help="Write here instead of stdout.")
@click.option("--strict", is_flag=True, help="Fail on text the parser cannot place.")
@base_option
@click.pass_context
def parse(ctx: click.Context, file: str, fmt: str, input_format: str | None, output: str | None,
          strict: bool, base_iri: str | None) -> None:
    """Parse one resolution text and print it as a JSON record or as RDF.

    \b
    Example:
      unkg parse A-RES-61-54.txt
      unkg parse A-RES-61-54.txt --format ttl -o 61-54.ttl
    """
    from .parser import parse_file

    def go() -> None:
        out_fmt = formats.lookup(fmt, ("record", "rdf"))
        data = sys.stdin.buffer.read() if file == "-" else None
        record = parse_file(None if file == "-" else file, input_format=input_format,
                            strict=strict, data=data)
        for w in record.warnings:
            log(f"warning: {record.source or file}:{w.line}: {w.message}")
        if out_fmt.kind == "record":
            write_output((json.dumps(record.to_json(), indent=2, ensure_ascii=False) + "\n").encode(),
                         output)
            return
        write_output(record_rdf(record, out_fmt, _settings(ctx, base_iri=base_iri).base_iri), output)

    _run(ctx, go)


def record_rdf(record: Any, fmt: formats.Format, base_iri: str) -> bytes:
    """One record as canonical RDF (the same text as the store would export for its graph)."""
    import pyoxigraph as ox

    from .export import serialize_triples
    from .iris import IRIs
    from .mapper import record_triples
    from .store import ntriples_of

    nt = ntriples_of(record_triples(record, IRIs(base_iri)))
    triples = {(str(q.subject), str(q.predicate), str(q.object))
               for q in ox.parse(nt, ox.RdfFormat.N_TRIPLES)}
    return serialize_triples(triples, fmt.name)


# ---- load ------------------------------------------------------------------------------------

@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@store_option
@base_option
@click.option("--input-format", default=None, help="Format of every input (default: by extension).")
@click.option("--strict", is_flag=True, help="Reject texts with parts the parser cannot place.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first file that fails.")
@click.option("-j", "--jobs", type=int, default=None, help="Parser processes (default: cores).")
@click.option("--allow-remote-context", is_flag=True,
              help="Let JSON-LD files fetch the @context they refer to (network access).")
@click.pass_context
def load(ctx: click.Context, paths: tuple[str, ...], store: str | None, base_iri: str | None,
         input_format: str | None, strict: bool, fail_fast: bool, jobs: int | None,
         allow_remote_context: bool) -> None:
    """Parse resolution texts and load them (and RDF files) into the store.

    Each source document becomes one named graph with its provenance; loading it again replaces
    that graph, and unchanged files are skipped. A document that fails leaves the store as it was.

    \b
    Example:
      unkg load examples/
      cat data.ttl | unkg load - --input-format ttl
    """
    from .loader import LoadOutcome, load_paths

    cfg = _settings(ctx, store, base_iri)

    def go() -> int:
        stdin = sys.stdin.buffer.read() if "-" in paths else None

        def progress(o: LoadOutcome) -> None:
            if o.status == "failed":
                log(f"failed: {o.error}")
            for w in o.warnings:
                log(f"warning: {w}")

        with open_store(cfg) as st:
            report = load_paths(st, paths, base_iri=cfg.base_iri, input_format=input_format,
                                strict=strict, fail_fast=fail_fast, stdin=stdin, jobs=jobs,
                                progress=progress, meter=progress_bar("loading"),
                                allow_remote_context=allow_remote_context)
            answered = (f"; {len(report.answered)} whole-store queries answered for `unkg query` in "
                        f"{sum(report.answered.values()):.1f} s" if report.answered else "")
            if report.deferred is not None:
                took = f" (they took {report.deferred:.1f} s last time)" if report.deferred else ""
                answered = f"; whole-store queries left to the first `unkg query` that asks{took}"
            log(f"{report.summary()}; store {cfg.store} holds {st.graph_count()} graphs{answered}")
        return EXIT_INPUT if report.failed else EXIT_OK

    ctx.exit(_run(ctx, go))


# ---- validate --------------------------------------------------------------------------------

@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH...]")
@store_option
@base_option
@click.option("-f", "--format", "fmt", default="text",
              type=click.Choice(["text", "json", "turtle", "jsonld", "junit", "github"]),
              help="Report format.")
@click.option("--fail-on", default="violation", type=click.Choice(["violation", "warning", "info"]),
              help="Lowest severity that makes the exit code 1.")
@click.option("--shapes", "extra_shapes", multiple=True, metavar="FILE",
              help="Add your own shapes to unkg's (repeatable).")
@click.option("--engine", default="sparql", type=click.Choice(["sparql", "pyshacl"]),
              help="sparql: shapes compiled to SPARQL on Oxigraph (default); pyshacl: the reference.")
@click.option("--no-cache", is_flag=True,
              help="Check every graph again and leave the store's validation cache untouched.")
@click.option("-o", "--output", default=None, help="Write the report here instead of stdout.")
@click.option("--allow-remote-context", is_flag=True,
              help="Let JSON-LD files fetch the @context they refer to (network access).")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[str, ...], store: str | None, base_iri: str | None,
             fmt: str, fail_on: str, extra_shapes: tuple[str, ...], engine: str, no_cache: bool,
             output: str | None, allow_remote_context: bool) -> None:
    """Validate the store (or the given files) against the SHACL shapes.

    Exit 0 when nothing at or above --fail-on is found, 1 otherwise, 2 on a usage error and
    3 when an input cannot be read. With the sparql engine the store's results are cached per
    document graph (by checksum and shapes); `unkg -v validate` logs what was checked and what fell
    back to pySHACL.
    """
    from .validation import render, validate_files, validate_store

    cfg = _settings(ctx, store, base_iri)
    if _verbose(ctx):
        _log_to_stderr("unkg.validation")

    def go() -> int:
        if paths:
            report = validate_files(paths, cfg.base_iri, extra_shapes, engine=engine,
                                    allow_remote_context=allow_remote_context)
        else:
            with open_store(cfg, read_only=False, create=False) as st:
                report = validate_store(st, cfg.base_iri, extra_shapes, engine=engine, cache=not no_cache,
                                        meter=progress_bar("validating"))
        write_output(render(report, fmt, fail_on).encode(), output)
        counts = report.counts()
        verdict = "conforms" if report.conforms(fail_on) else "does not conform"
        log(f"{report.checked} checked: {verdict} ({counts['Violation']} violations, "
            f"{counts['Warning']} warnings, {counts['Info']} infos)")
        return EXIT_OK if report.conforms(fail_on) else EXIT_INVALID

    ctx.exit(_run(ctx, go))


# ---- queries ---------------------------------------------------------------------------------

def _query_detail(q: Any, formatter: click.HelpFormatter) -> None:
    """A library query's title, description, parameters and example, as help text."""
    formatter.write_paragraph()
    with formatter.indentation():
        formatter.write_text(f"{q.title or q.name}")
        if q.description:
            formatter.write_paragraph()
            formatter.write_text(q.description)
    if q.params:
        rows = []
        for p in q.params:
            default = f"default {p.default}" if p.default is not None else "required"
            rows.append((f"{p.name}=<{p.type}>", f"{p.description} ({default})".strip()))
        with formatter.section("Parameters (-p NAME=VALUE)"):
            formatter.write_dl(rows)
        if any(p.type == "fulltext" for p in q.params):
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text("A fulltext parameter takes a search expression (as `unkg search`): "
                                     "its variable is bound to every matching paragraph, footnote or "
                                     "annex, found in the store's full-text index.")
    if q.example:
        with formatter.section("Example"):
            formatter.write(" " * formatter.current_indent + q.example + "\n")  # not re-wrapped


class QueryCommand(click.Command):
    """`unkg query NAME --help` shows that query's title, description, parameters and example
    before the command's options; `unkg query --help` shows the command's own help."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["unkg.query.args"] = list(args)
        return super().parse_args(ctx, args)

    def _named_query(self, ctx: click.Context) -> Any:
        args = [a for a in ctx.meta.get("unkg.query.args", []) if a not in ctx.help_option_names]
        sub = self.make_context(ctx.info_name, args, parent=ctx.parent, resilient_parsing=True)
        name = sub.params.get("query")
        if not name or name == "-":
            return None
        from .queries import find_query

        try:
            return find_query(str(name))
        except UnkgError as exc:
            raise click.UsageError(str(exc), ctx) from None

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        q = self._named_query(ctx)
        if q is None:
            super().format_help(ctx, formatter)
            return
        formatter.write_usage(f"{ctx.command_path} {q.name}", "[-p NAME=VALUE]... [OPTIONS]")
        _query_detail(q, formatter)
        self.format_options(ctx, formatter)


@cli.command(name="queries")
@click.argument("name", required=False)
def queries_cmd(name: str | None) -> None:
    """List the query library with descriptions, or show one query's parameters and text.

    `unkg query NAME --help` shows the same detail.
    """
    from .queries import find_query, library

    try:
        if name:
            q = find_query(name)
            formatter = click.HelpFormatter()
            formatter.write_text(f"{q.name}")
            _query_detail(q, formatter)
            click.echo(formatter.getvalue(), nl=False)
            click.echo("\n" + q.text)
            return
        formatter = click.HelpFormatter()
        for q in library().values():
            params = " ".join(f"-p {p.name}=<{p.type}>" for p in q.params)
            formatter.write_text(f"{q.name}  {params}".rstrip())
            with formatter.indentation():
                formatter.write_text(q.title + ("." if q.title and not q.title.endswith(".") else "")
                                     + (" " + q.description if q.description else ""))
            formatter.write_paragraph()
        click.echo(formatter.getvalue(), nl=False)
    except UnkgError as exc:
        fail(exc)


@cli.command(cls=QueryCommand)
@click.argument("query", metavar="NAME|FILE.rq|-")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (as an RDF term, never pasted into the text).")
@click.option("-f", "--format", "fmt", default=None,
              help="table (default on a terminal), csv, tsv, json; ttl, nt, jsonld for CONSTRUCT.")
@click.option("-o", "--output", default=None, help="Write here instead of stdout.")
@click.option("--endpoint", default=None, metavar="URL", help="Run on a remote SPARQL 1.1 endpoint.")
@click.option("--timeout", default=60.0, show_default=True, help="Remote request timeout (s).")
@click.option("--retries", default=2, show_default=True, type=click.IntRange(min=0),
              help="Ask the endpoint again after a refused or dropped connection or HTTP 429, 502, "
                   "503 or 504 (waiting 0.5 s, 1 s, ... or its Retry-After).")
@click.option("--allow-service", is_flag=True,
              help="Run queries with SERVICE (federated: the engine sends requests to other servers).")
@click.option("--fresh", is_flag=True,
              help="Evaluate a whole-store query even if the store holds its answer (after writes "
                   "that bypassed unkg).")
@store_option
@base_option
@click.pass_context
def query(ctx: click.Context, query: str, params: tuple[str, ...], fmt: str | None,
          output: str | None, endpoint: str | None, timeout: float, retries: int, allow_service: bool,
          fresh: bool, store: str | None, base_iri: str | None) -> None:
    """Run a library query (by name), a .rq file or - (stdin) on the store or an endpoint.

    `unkg queries` lists the library; `unkg query NAME --help` shows a query's parameters.

    \b
    Example:
      unkg query cited-by-resolution --param resolution=A/RES/61/54
      unkg query citation-chain -p resolution=A/RES/61/54 -f csv
      unkg query fulltext-search -p 'paragraph=climate AND finance' -f json
    """
    from .iris import IRIs
    from .queries import bind_params, find_query, format_result, inline_values, needs_fulltext, run_local

    cfg = _settings(ctx, store, base_iri)

    def go() -> None:
        stdin_text = sys.stdin.read() if query == "-" else None
        q = find_query(query, stdin_text)
        values: dict[str, str] = {}
        for item in params:
            if "=" not in item:
                raise QueryError(f"--param takes NAME=VALUE, got {item!r}")
            k, v = item.split("=", 1)
            values[k.strip()] = v
        guessed = formats.guess(output, ("results", "rdf"))
        default = "ttl" if q.form in ("CONSTRUCT", "DESCRIBE") else "table"
        out_fmt = fmt or (guessed.name if guessed else default)
        out_fmt = _result_format_name(out_fmt)
        iris = IRIs(cfg.base_iri)
        if endpoint and not needs_fulltext(q):
            terms = bind_params(q, values, iris)
        else:
            # full-text parameters are resolved through the local store's index, also for an endpoint
            from .fulltext import resolver

            with open_store(cfg, create=False) as st:
                terms = bind_params(q, values, iris, resolver(st))
                if not endpoint:
                    result = run_local(st, q, terms, allow_service=allow_service, fresh=fresh)
        if endpoint:
            from .remote import query_endpoint

            def retrying(reason: str, delay: float) -> None:
                log(f"{reason}; trying again in {delay:g} s")

            result = query_endpoint(endpoint, inline_values(q.text, terms), timeout=timeout,
                                    allow_service=allow_service, retries=retries, on_retry=retrying)
        write_output(format_result(result, out_fmt, _compact(cfg.base_iri)), output)

    _run(ctx, go)


def _compact(base_iri: str) -> Callable[[str], str]:
    """Shorten IRIs for the table format: relative to the base IRI, or prefixed."""
    from .export import PREFIXES

    def compact(iri: str) -> str:
        if iri.startswith(base_iri):
            return iri[len(base_iri):]
        for p, ns in PREFIXES.items():
            if iri.startswith(ns):
                return f"{p}:{iri[len(ns):]}"
        return iri

    return compact


def _result_format_name(value: str) -> str:
    for kinds in (("results",), ("rdf",)):
        try:
            return formats.lookup(value, kinds).name
        except FormatError:
            continue
    raise FormatError(f"unknown result format {value!r}; use table, csv, tsv, json, ttl, nt or jsonld")


# ---- full-text search ------------------------------------------------------------------------

@cli.command()
@click.argument("expression", metavar="EXPRESSION")
@click.option("--session", default=None, metavar="N", help="Only resolutions of this session (61, ES-10, XI).")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["preambular", "operative", "footnote", "annex"]),
              help="Only this kind of passage (repeatable).")
@click.option("-n", "--limit", default=20, show_default=True, type=click.IntRange(min=0),
              help="Most hits to show (0: all).")
@click.option("-f", "--format", "fmt", default=None, help="table (default), csv, tsv or json.")
@click.option("-o", "--output", default=None, help="Write here instead of stdout.")
@store_option
@base_option
@click.pass_context
def search(ctx: click.Context, expression: str, session: str | None, kinds: tuple[str, ...], limit: int,
           fmt: str | None, output: str | None, store: str | None, base_iri: str | None) -> None:
    """Search the text of paragraphs, footnotes and annexes (SQLite FTS5, best matches first).

    EXPRESSION is FTS5 query syntax: words (all must occur), "a phrase", OR, NOT, NEAR(a b, 5),
    prefix*, parentheses. Matches are ranked by bm25 and shown with a snippet (**match**). The
    index lives in the store directory and is brought in step with the store before searching.

    \b
    Example:
      unkg search "climate AND finance"
      unkg search '"sustainable development" NOT climate' --session 77 -f csv
      unkg search "information security" -f json | jq -r '.results.bindings[].paragraph.value'
    """
    from .fulltext import hits_result
    from .fulltext import search as run_search
    from .iris import IRIs, session_key
    from .queries import format_result

    cfg = _settings(ctx, store, base_iri)

    def go() -> None:
        session_iri = None
        if session is not None:
            try:
                session_iri = str(IRIs(cfg.base_iri).session(session_key(session)))
            except ValueError as exc:
                raise click.UsageError(str(exc)) from None
        guessed = formats.guess(output, ("results",))
        out_fmt = _result_format_name(fmt or (guessed.name if guessed else "table"))
        with open_store(cfg, create=False) as st:
            hits = run_search(st, expression, session=session_iri, kinds=kinds, limit=limit or None)
        write_output(format_result(hits_result(hits), out_fmt, _compact(cfg.base_iri)), output)

    _run(ctx, go)


@cli.command()
@click.option("--rebuild", is_flag=True, help="Build the index again from the whole store.")
@click.option("--verify", is_flag=True, help="Compare every indexed passage with the store (exit 1 on a difference).")
@store_option
@click.pass_context
def index(ctx: click.Context, rebuild: bool, verify: bool, store: str | None) -> None:
    """Bring the full-text index in step with the store (or rebuild it) and report its size.

    Searching repairs what unkg's own writes left unfinished; this also compares every graph's
    fingerprint, for writes made with other tools. Run it after those, or to build the index of
    a large store ahead of the first search.
    """
    from .fulltext import RefreshReport, open_index, rebuild_index

    cfg = _settings(ctx, store)

    def go() -> int:
        with open_store(cfg, create=False) as st:
            if rebuild:
                idx, report = rebuild_index(st), RefreshReport(rebuilt=True)
            else:
                idx, report = open_index(st, full=True)
            counts = idx.counts()
            what = ("rebuilt" if report.rebuilt else
                    f"{len(report.synced)} graphs re-read, {len(report.removed)} removed")
            log(f"full-text index {idx.path}: {what}; {counts['graphs']} graphs, "
                f"{counts['passages']} passages")
            if verify:
                problems = idx.verify(st)
                for p in problems[:20]:
                    log(f"difference: {p}")
                log(f"verify: {len(problems)} differences")
                return EXIT_INVALID if problems else EXIT_OK
        return EXIT_OK

    ctx.exit(_run(ctx, go))


# ---- export ----------------------------------------------------------------------------------

@cli.command()
@click.option("-f", "--format", "fmt", default=None, help="ttl, nt, nq, trig or jsonld (or MIME type).")
@click.option("-g", "--graph", default=None, metavar="SYMBOL",
              help="Export one document's graph (by symbol, e.g. A/RES/61/54, or graph IRI).")
@click.option("-o", "--output", default=None, help="Write here instead of stdout (format from extension).")
@store_option
@base_option
@click.pass_context
def export(ctx: click.Context, fmt: str | None, graph: str | None, output: str | None,
           store: str | None, base_iri: str | None) -> None:
    """Write the whole store, or one document's graph, in canonical order.

    The whole store is sorted on disk in runs (under TMPDIR), so memory stays flat at any size;
    an output file appears only once it is complete.

    \b
    Example:
      unkg export -o graph.ttl
      unkg export --format jsonld --graph A/RES/61/54
    """
    from .export import write_store
    from .iris import IRIs

    cfg = _settings(ctx, store, base_iri)

    def go() -> None:
        out_fmt = formats.resolve(fmt, output, ("rdf",), default="nq" if graph is None else "ttl")
        with open_store(cfg, create=False) as st:
            graph_iri = None
            if graph:
                graph_iri = graph if "://" in graph else str(IRIs(cfg.base_iri).graph(graph))
                if graph_iri not in st.named_graphs():
                    raise InputError(f"no graph {graph_iri} in the store", path=cfg.store)
            with output_stream(output) as out:
                write_store(st, out_fmt, out, graph_iri)

    _run(ctx, go)


# ---- docs ------------------------------------------------------------------------------------

@cli.command()
@click.argument("outdir", metavar="OUTDIR")
@base_option
@click.pass_context
def docs(ctx: click.Context, outdir: str, base_iri: str | None) -> None:
    """Write the HTML documentation of the ontology, the SKOS vocabularies and the shapes.

    \b
    OUTDIR gets index.html (classes, properties, alignments, examples), vocabularies.html (the
    concept schemes), classes.svg (diagram) and the ontology, context and shape files.
    Example:
      unkg docs site/ontology
    """
    from .docs import write_docs

    cfg = _settings(ctx, None, base_iri)

    def go() -> None:
        paths = write_docs(Path(outdir), cfg.base_iri)
        log(f"wrote {len(paths)} files to {outdir}")

    _run(ctx, go)


# ---- info ------------------------------------------------------------------------------------

@cli.command()
@store_option
@click.pass_context
def info(ctx: click.Context, store: str | None) -> None:
    """Summarise the store: graphs, triples, documents by type."""

    cfg = _settings(ctx, store)

    def go() -> None:
        with open_store(cfg, create=False) as st:
            click.echo(f"store:   {cfg.store}")
            click.echo(f"graphs:  {st.graph_count()}")
            click.echo(f"triples: {st.count()}")
            for type_iri, n in st.type_counts():
                click.echo(f"  {n:>7}  {type_iri}")

    _run(ctx, go)


@cli.command()
@click.option("--endpoint", default=None, metavar="URL",
              help="SPARQL query endpoint; its Graph Store URL is derived (Oxigraph, Fuseki, GraphDB, Virtuoso).")
@click.option("--graph-store", default=None, metavar="URL", help="Graph Store Protocol URL (overrides --endpoint).")
@click.option("-g", "--graph", "graphs", multiple=True, metavar="SYMBOL",
              help="Push only this document's graph (repeatable; symbol or graph IRI).")
@click.option("--timeout", default=60.0, show_default=True, help="Timeout per request (s).")
@click.option("--retries", default=3, show_default=True, help="Retries on connection errors and 5xx.")
@store_option
@base_option
@click.pass_context
def push(ctx: click.Context, endpoint: str | None, graph_store: str | None, graphs: tuple[str, ...],
         timeout: float, retries: int, store: str | None, base_iri: str | None) -> None:
    """Upload every named graph to a triple store with the SPARQL 1.1 Graph Store Protocol.

    One PUT per graph replaces that graph on the server, so pushing twice changes nothing.

    \b
    Example:
      unkg push --endpoint http://127.0.0.1:7878/query
      unkg push --graph-store http://localhost:3030/unkg/data --graph A/RES/61/54
    """
    from .iris import IRIs
    from .remote import default_graph_store, push_graphs

    cfg = _settings(ctx, store, base_iri)

    def go() -> None:
        if not (graph_store or endpoint):
            raise click.UsageError("give --endpoint or --graph-store")
        url = graph_store or default_graph_store(str(endpoint))
        iris = IRIs(cfg.base_iri)
        wanted = [g if "://" in g else str(iris.graph(g)) for g in graphs] or None
        bar = progress_bar("pushing")
        try:
            with open_store(cfg, create=False) as st:
                report = push_graphs(st, url, graphs=wanted, timeout=timeout, retries=retries,
                                     meter=bar)
        finally:
            if bar is not None:
                bar.close()
        log(f"pushed {len(report.graphs)} graphs, {report.triples} triples ({report.bytes} bytes) "
            f"to {url}; {report.retries} retries, {len(report.failures)} failed")
        for graph, error in report.failures.items():
            log(f"failed: {graph}: {error}")
        if report.failures:
            ctx.exit(EXIT_REMOTE)

    _run(ctx, go)


@cli.command()
@click.argument("outdir", metavar="OUTDIR")
@click.option("--force", is_flag=True, help="Replace a site unkg published in OUTDIR before.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Processes rendering pages (default: one per core, up to 4).")
@store_option
@base_option
@click.pass_context
def publish(ctx: click.Context, outdir: str, force: bool, jobs: int | None, store: str | None,
            base_iri: str | None) -> None:
    """Write the store as a static linked-data site into OUTDIR.

    One .html, .ttl and .jsonld per resource at its IRI path under the base IRI, plus void.ttl,
    catalog.ttl (DCAT), sitemap.xml, context.jsonld, ontology/, dumps/ (.nq.gz, .ttl.gz with
    SHA-256) and content-negotiation rules for Apache (.htaccess) and nginx (nginx.conf).

    \b
    Example:
      unkg publish site/
      unkg publish site/ --force --base-iri https://example.org/un/
    """
    from .publish import publish as publish_site

    cfg = _settings(ctx, store, base_iri)

    def go() -> None:
        with open_store(cfg, read_only=True) as st:
            report = publish_site(st, outdir, cfg.base_iri, force=force, jobs=jobs,
                                  meter=progress_bar("publishing"))
        log(f"published {report.pages} pages, {report.files} files ({report.bytes} bytes) to "
            f"{report.outdir} in {report.seconds:.1f} s; {len(report.skipped)} resources skipped")
        for iri, why in sorted(report.skipped.items()):
            log(f"skipped: {iri}: {why}")

    _run(ctx, go)


@cli.command()
@store_option
@base_option
@click.option("--site", default=None, metavar="DIR",
              help="A folder written by `unkg publish`: its files are served first.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (127.0.0.1: this machine only).")
@click.option("--port", default=7878, show_default=True, type=int)
@click.option("--timeout", "timeout_s", default=60, show_default=True, type=int,
              help="SPARQL query timeout in seconds.")
@click.option("--cors", is_flag=True, help="Allow cross-origin requests (for browser tools such as YASGUI).")
@click.pass_context
def serve(ctx: click.Context, store: str | None, base_iri: str | None, site: str | None, host: str,
          port: int, timeout_s: int, cors: bool) -> None:
    """Serve the linked-data site and a read-only SPARQL endpoint at http://HOST:PORT/sparql.

    Every resource IRI under the base is answered at its path with content negotiation
    (text/html, text/turtle, application/ld+json; 406 otherwise); pages come from --site when
    it has them, else they are rendered from the store. The store is opened read-only; stop
    other writers (unkg load) while serving. SPARQL answers at once; pages answer 503 with
    Retry-After until the store's index is built (about a minute at 30,000 documents).
    """
    from .serve import serve as run_server

    cfg = _settings(ctx, store, base_iri)
    log(f"linked data: http://{host}:{port}/  SPARQL: http://{host}:{port}/sparql "
        "(read-only; Ctrl-C to stop); SPARQL answers now, pages once the store is indexed")
    ctx.exit(_run(ctx, lambda: run_server(cfg.store, host, port, timeout_s, cors, cfg.base_iri, site,
                                          log=log)))


def main() -> None:
    cli(prog_name="unkg")


if __name__ == "__main__":
    main()
