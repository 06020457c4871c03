"""Settings resolve command line > environment > unkg.toml > default; the store-lock wait among them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from unkg.cli import cli
from unkg.config import settings
from unkg.errors import FormatError
from unkg.store import EmbeddedStore


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("UNKG_STORE", "UNKG_BASE_IRI", "UNKG_WAIT", "UNKG_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_wait_comes_from_the_command_then_environment_then_file(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    assert settings().wait == 0.0
    (tmp_path / "unkg.toml").write_text("[unkg]\nwait = 2.5\n")
    assert settings().wait == 2.5
    monkeypatch.setenv("UNKG_WAIT", "7")
    assert settings().wait == 7.0
    assert settings(wait=0.25).wait == 0.25


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf"])
def test_a_bad_wait_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("UNKG_WAIT", value)
    with pytest.raises(FormatError, match=r"invalid wait \(UNKG_WAIT\)"):
        settings()


def test_cli_wait_options(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(cli, ["--store", str(tmp_path / "s"), "export", "--wait", "-3"])
    assert bad.exit_code == 2 and "--wait" in bad.stderr, bad.stderr
    monkeypatch.setenv("UNKG_WAIT", "soon")
    bad_env = runner.invoke(cli, ["--store", str(tmp_path / "s"), "export"])
    assert bad_env.exit_code == 2 and "invalid wait (UNKG_WAIT)" in bad_env.stderr, bad_env.stderr


HOLD = """
import sys, time
import pyoxigraph as ox
store = ox.Store(sys.argv[1])
print("held", flush=True)
time.sleep(30)
"""


@pytest.mark.parametrize("where", ["group", "command", "environment"])
def test_every_way_of_giving_the_wait_is_used(tmp_path: Path, where: str) -> None:
    store = tmp_path / "s"
    runner = CliRunner()
    EmbeddedStore(store).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(store)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        args = {"group": ["--wait", "0.3", "--store", str(store), "export"],
                "command": ["--store", str(store), "export", "--wait", "0.3"],
                "environment": ["--store", str(store), "export"]}[where]
        env = {"UNKG_WAIT": "0.3"} if where == "environment" else {}
        result = runner.invoke(cli, args, env=env)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert result.exit_code == 5, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"store {store} is in use by another process; waiting up to 0.3 s for it", lines
    assert "still in use by another process after 0.3 s" in lines[1], lines
