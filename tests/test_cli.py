"""The commands as a user runs them: load the corpus, validate, query, export; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from unkg.cli import cli

DATA = Path(__file__).parent / "data"
TEXTS = DATA / "corpus" / "texts"
SEED = TEXTS / "A-RES-61-54.txt"


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("corpus") / "store"
    result = run("--store", str(store), "load", str(TEXTS))
    assert result.exit_code == 0, result.output
    return store


def test_parse_seed_json() -> None:
    result = run("parse", str(SEED))
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["symbol"] == "A/RES/61/54"
    assert record["meeting"]["number"] == 67


def test_parse_stdin_turtle_equals_file_turtle() -> None:
    from_file = run("parse", str(SEED), "--format", "text/turtle")
    from_stdin = run("parse", "-", "--format", "ttl", input=SEED.read_bytes())
    assert from_file.exit_code == 0 and from_stdin.exit_code == 0
    assert from_file.stdout == from_stdin.stdout
    assert "eli:cites" in from_file.stdout


def test_parse_missing_file_exit_3() -> None:
    result = run("parse", "no/such/file.txt")
    assert result.exit_code == 3
    assert "no/such/file.txt" in result.stderr


def test_unknown_format_exit_2() -> None:
    result = run("parse", str(SEED), "--format", "yaml")
    assert result.exit_code == 2


def test_every_corpus_text_loads(corpus_store: Path) -> None:
    result = run("--store", str(corpus_store), "info")
    assert result.exit_code == 0
    graphs = int(result.stdout.split("graphs:")[1].split()[0])
    assert graphs == len({p.stem for p in TEXTS.iterdir()})


def test_corpus_validates(corpus_store: Path) -> None:
    result = run("--store", str(corpus_store), "validate", "--format", "json")
    report = json.loads(result.stdout)
    violations = [r for r in report["results"] if r["severity"] == "Violation"]
    assert result.exit_code == 0, violations[:5]


def test_loading_twice_exports_the_same(corpus_store: Path) -> None:
    before = run("--store", str(corpus_store), "export", "--format", "nq").stdout
    again = run("--store", str(corpus_store), "load", str(TEXTS))
    assert again.exit_code == 0
    assert "0 loaded" in again.stderr
    after = run("--store", str(corpus_store), "export", "--format", "nq").stdout
    assert before == after


def test_export_one_graph_jsonld(corpus_store: Path) -> None:
    result = run("--store", str(corpus_store), "export", "--format", "application/ld+json",
                 "--graph", "A/RES/61/54")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "@context" in data and data["@graph"]


def test_jsonld_export_is_the_same_graph_as_ntriples(corpus_store: Path) -> None:
    """The whole store's JSON-LD (our compactor, inline context) reads back as its N-Triples."""
    import rdflib
    from rdflib.compare import graph_diff, to_isomorphic
    nt = run("--store", str(corpus_store), "export", "--format", "nt").stdout
    jsonld = run("--store", str(corpus_store), "export", "--format", "jsonld").stdout
    expected = rdflib.Graph().parse(data=nt, format="nt")
    got = rdflib.Graph().parse(data=jsonld, format="json-ld")
    if to_isomorphic(expected) != to_isomorphic(got):
        _, missing, added = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        raise AssertionError(f"missing {sorted(missing)[:5]}; added {sorted(added)[:5]}")
    assert len(expected) > 50_000


def test_failed_document_leaves_store_unchanged(corpus_store: Path, tmp_path: Path) -> None:
    before = run("--store", str(corpus_store), "export", "--format", "nq").stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/a> <http://example.org/b> .\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run("--store", str(corpus_store), "load", str(bad), str(empty))
    assert result.exit_code == 3
    assert "bad.ttl" in result.stderr and "empty.txt" in result.stderr
    after = run("--store", str(corpus_store), "export", "--format", "nq").stdout
    assert before == after


def test_query_with_param_csv(corpus_store: Path) -> None:
    result = run("--store", str(corpus_store), "query", "cited-by-resolution",
                 "--param", "resolution=A/RES/61/54", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "A/RES/53/70" in result.stdout


def test_query_unknown_name_exit_2(corpus_store: Path) -> None:
    result = run("--store", str(corpus_store), "query", "no-such-query")
    assert result.exit_code == 2


def test_query_invalid_sparql_exit_3(corpus_store: Path) -> None:
    result = run("--store", str(corpus_store), "query", "-", input="SELECT WHERE {")
    assert result.exit_code == 3


def test_queries_lists_library() -> None:
    result = run("queries")
    assert result.exit_code == 0
    assert "citation-chain" in result.stdout


def test_query_name_help_shows_the_query() -> None:
    from unkg.queries import find_query

    q = find_query("mandates-due")
    result = run("query", "mandates-due", "--help")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Usage: ") and " query mandates-due [-p NAME=VALUE]" in out.splitlines()[0]
    assert q.title in out and "due at the given session" in out
    assert "session=<session>" in out and "(default 65)" in out
    assert q.example in out
    assert "--endpoint" in out  # the command's options follow
    # -h too, and options before the name; a query without parameters says so by omission
    assert " query conferences-referenced " in run("query", "-f", "csv", "-h",
                                                   "conferences-referenced").stdout.splitlines()[0]
    assert "Parameters" not in run("query", "conferences-referenced", "--help").stdout


def test_query_file_help_shows_its_header(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("# title: My question\n# description: Counts things.\n"
                    "# param: n (integer) = 3 -- how many\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n")
    out = run("query", str(path), "--help").stdout
    assert "My question" in out and "Counts things." in out and "n=<integer>" in out


def test_plain_query_help_and_unknown_name() -> None:
    plain = run("query", "--help")
    assert plain.exit_code == 0 and " query [OPTIONS] NAME|FILE.rq|-" in plain.stdout.splitlines()[0]
    assert "Parameters (-p" not in plain.stdout
    unknown = run("query", "no-such-query", "--help")
    assert unknown.exit_code == 2 and "no library query named" in unknown.stderr


def test_queries_lists_every_query_with_its_description() -> None:
    from unkg.queries import library

    out = " ".join(run("queries").stdout.split())  # descriptions are wrapped
    for q in library().values():
        assert q.name in out and " ".join(q.description.split()) in out, q.name
    detail = run("queries", "fulltext-search")
    assert detail.exit_code == 0 and "paragraph=<fulltext>" in detail.stdout and "SELECT" in detail.stdout
