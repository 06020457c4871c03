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
