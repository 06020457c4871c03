"""Progress: the library counts through `unkg.progress`; the CLI draws a bar on a terminal only."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import OxigraphServer
from unkg.cli import cli
from unkg.loader import load_paths
from unkg.progress import Meter, tracked
from unkg.remote import push_graphs
from unkg.store import EmbeddedStore

TEXTS = Path(__file__).parent / "data" / "corpus" / "texts"
BASE = "https://w3id.org/unkg/"
UNKG = Path(sys.executable).parent / "unkg"


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("progress-texts")
    for f in sorted(TEXTS.glob("A-RES-7[23]-*.txt"))[:18]:
        shutil.copy(f, d / f.name)
    return d


def _on_pty(args: list[str], timeout: float = 120.0) -> tuple[int, str]:
    """Run a command with stderr on a pseudo-terminal; return its exit code and what it drew."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return proc.wait(timeout=timeout), out.decode("utf-8", "replace")


def test_meter_counts_every_document(texts: Path, tmp_path: Path) -> None:
    meter = Meter()
    with EmbeddedStore(tmp_path / "s") as st:
        report = load_paths(st, [texts], base_iri=BASE, meter=meter)
    assert meter.total == 18 and meter.done == 18 and meter.closed and meter.unit == "documents"
    assert report.count("loaded") == 18 and meter.rate > 0


def test_meter_is_closed_when_the_work_fails() -> None:
    meter = Meter()
    with pytest.raises(RuntimeError):
        for i in tracked(range(5), meter, 5, "items"):
            if i == 2:
                raise RuntimeError("stop")
    assert meter.closed and meter.done == 2


def test_no_bar_when_stderr_is_not_a_terminal(texts: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "load", str(texts)],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [result.stderr.strip()]  # the summary line only
    assert "\r" not in result.stderr and "loading" not in result.stderr
    assert "18 loaded" in result.stderr


def test_load_draws_a_bar_on_a_terminal(texts: Path, tmp_path: Path) -> None:
    code, drawn = _on_pty([str(UNKG), "--store", str(tmp_path / "s"), "load", str(texts)])
    assert code == 0, drawn
    assert "loading" in drawn and "18/18" in drawn and "documents/s" in drawn, drawn
    assert "18 loaded, 0 unchanged, 0 failed" in drawn


def test_push_draws_a_bar_on_a_terminal_and_meters_in_the_library(
        texts: Path, tmp_path: Path, oxigraph_server: OxigraphServer) -> None:
    oxigraph_server.clear()
    store = tmp_path / "s"
    with EmbeddedStore(store) as st:
        load_paths(st, [texts], base_iri=BASE)
        meter = Meter()
        report = push_graphs(st, oxigraph_server.store_url, meter=meter)
    assert meter.total == 18 and meter.done == 18 and meter.closed and len(report.graphs) == 18
    code, drawn = _on_pty([str(UNKG), "--store", str(store), "push", "--endpoint", oxigraph_server.query_url])
    assert code == 0, drawn
    assert "pushing" in drawn and "18/18" in drawn and "graphs/s" in drawn, drawn
    quiet = CliRunner().invoke(cli, ["--store", str(store), "push", "--endpoint", oxigraph_server.query_url],
                               catch_exceptions=False)
    assert quiet.exit_code == 0 and "pushing" not in quiet.stderr and "\r" not in quiet.stderr


def test_validate_draws_a_bar_on_a_terminal_and_meters_in_the_library(texts: Path, tmp_path: Path) -> None:
    from unkg.validation import validate_store

    store = tmp_path / "s"
    with EmbeddedStore(store) as st:
        load_paths(st, [texts], base_iri=BASE)
        cold = Meter()
        validate_store(st, BASE, meter=cold)
        warm = Meter()
        validate_store(st, BASE, meter=warm)
    # every query of a cold run is counted; a warm run makes only the cross-document ones
    assert cold.closed and cold.unit == "checks" and cold.total == cold.done > 10
    assert warm.closed and warm.total == warm.done and 0 < warm.done < cold.done
    (store / "unkg-validation-cache.sqlite").unlink()
    code, drawn = _on_pty([str(UNKG), "--store", str(store), "validate", "-f", "json"])
    assert code == 0, drawn
    assert "validating" in drawn and f"{cold.total}/{cold.total}" in drawn and "checks/s" in drawn, drawn
    quiet = CliRunner().invoke(cli, ["--store", str(store), "validate", "-f", "json"], catch_exceptions=False)
    assert quiet.exit_code == 0 and "validating" not in quiet.stderr and "\r" not in quiet.stderr
