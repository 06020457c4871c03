"""Beyond one machine: the N-Quads dump bulk-loads into a fresh Oxigraph store with the `oxigraph`
binary, and that store answers every library query as the embedded store does."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import oxigraph_executable
from unkg.cli import cli
from unkg.fulltext import resolver
from unkg.iris import IRIs
from unkg.queries import bind_params, inline_values, library
from unkg.store import EmbeddedStore

TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
BASE = "https://w3id.org/unkg/"


@pytest.fixture(scope="module")
def dumped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, str]:
    exe = oxigraph_executable()
    if exe is None:
        pytest.skip("the oxigraph binary is not installed (pip install 'unkg[test]')")
    tmp = tmp_path_factory.mktemp("dump")
    texts = tmp / "texts"
    texts.mkdir()
    for f in sorted(TEXTS.glob("A-RES-7[2-4]-*.txt"))[:20] + [TEXTS / "A-RES-61-54.txt"]:
        shutil.copy(f, texts / f.name)
    store = tmp / "store"
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", str(store), "load", str(texts)]).exit_code == 0
    dump = tmp / "dump.nq"
    assert runner.invoke(cli, ["--store", str(store), "export", "-f", "nq", "-o", str(dump)]).exit_code == 0
    fresh = tmp / "oxigraph"
    done = subprocess.run([exe, "load", "--location", str(fresh), "--file", str(dump)],
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    return store, dump, fresh, exe


def test_the_bulk_loaded_store_holds_the_dump(dumped: tuple[Path, Path, Path, str]) -> None:
    _, dump, fresh, exe = dumped
    out = subprocess.run([exe, "dump", "--location", str(fresh), "--format", "nq"],
                         capture_output=True, timeout=300)
    assert out.returncode == 0, out.stderr.decode()
    theirs = sorted(out.stdout.decode().splitlines())
    ours = dump.read_text().splitlines()
    assert theirs == ours, (sorted(set(theirs) - set(ours))[:5], sorted(set(ours) - set(theirs))[:5])


def _rows(results: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(json.dumps(b, sort_keys=True) for b in results["results"]["bindings"])


@pytest.mark.parametrize("name", sorted(n for n, q in library().items() if q.form == "SELECT"))
def test_library_query_same_answer_after_bulk_load(dumped: tuple[Path, Path, Path, str], name: str,
                                                   tmp_path: Path) -> None:
    store, _, fresh, exe = dumped
    q = library()[name]
    with EmbeddedStore(store) as st:  # a fulltext parameter is resolved by our index
        text = inline_values(q.text, bind_params(q, {}, IRIs(BASE), resolver(st)))
    qfile = tmp_path / f"{name}.rq"
    qfile.write_text(text)
    theirs = subprocess.run([exe, "query", "--location", str(fresh), "--union-default-graph",
                             "--query-file", str(qfile), "--results-format", "json"],
                            capture_output=True, timeout=120)
    assert theirs.returncode == 0, theirs.stderr.decode()
    ours = CliRunner().invoke(cli, ["--store", str(store), "query", name, "--format", "json"],
                              catch_exceptions=False)
    assert ours.exit_code == 0, ours.output
    mine, other = _rows(json.loads(ours.stdout)), _rows(json.loads(theirs.stdout))
    assert mine == other, (name, sorted(set(mine) ^ set(other))[:5])
    if name in ("resolutions-per-session", "cited-by-resolution"):
        assert mine, f"{name} answers nothing: the comparison would prove little"
