"""Shared fixtures: a real Oxigraph SPARQL server on 127.0.0.1 (the `oxigraph` binary from PyPI)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

import pytest

READY_TIMEOUT = 10.0
# Local servers only: never send test requests through a proxy from the environment.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def oxigraph_executable() -> str | None:
    """The `oxigraph` binary next to the running Python (the venv's bin/) or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


@pytest.fixture
def local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests go to 127.0.0.1 directly, whatever proxy or credentials the environment has."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                 "UNKG_ENDPOINT_USER", "UNKG_ENDPOINT_PASSWORD", "UNKG_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@contextmanager
def tcp_server(handle: Callable[[socket.socket, threading.Event], None]) -> Iterator[int]:
    """A bare TCP server on 127.0.0.1 (its port is yielded) that gives each connection to
    `handle(conn, stop)` on a thread of its own, for servers that misbehave on purpose."""
    stop = threading.Event()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(conn, stop), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OxigraphServer:
    """A running `oxigraph serve` child process on 127.0.0.1 with a store directory of its own."""

    def __init__(self, executable: str, location: Path, port: int | None = None):
        self.executable = executable
        self.location = location
        self.use_port(port or free_port())
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = location.parent / f"{location.name}.log"

    def use_port(self, port: int) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.query_url = f"{self.base}/query"
        self.update_url = f"{self.base}/update"
        self.store_url = f"{self.base}/store"

    def start(self) -> None:
        """Start the server (same directory and port as before) and wait until `ASK{}` answers."""
        if self.running:
            return
        self.location.mkdir(parents=True, exist_ok=True)
        with open(self._log, "ab") as log:
            self.proc = subprocess.Popen(
                [self.executable, "serve", "--location", str(self.location),
                 "--bind", f"127.0.0.1:{self.port}",
                 # unkg's queries read the union of the named graphs as default graph
                 "--union-default-graph"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                with _NO_PROXY.open(f"{self.query_url}?query=ASK%7B%7D", timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"oxigraph did not answer within {READY_TIMEOUT:g} s: {self.log_tail()}")

    def stop(self) -> None:
        """Terminate the server (kill it if it does not exit within 5 s)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n: int = 2000) -> str:
        try:
            return self._log.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def update(self, sparql: str) -> None:
        """Run a SPARQL update on the server (test set-up and clean-up)."""
        req = urllib.request.Request(self.update_url, data=sparql.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
        with _NO_PROXY.open(req, timeout=10) as r:
            r.read()

    def clear(self) -> None:
        """Remove every graph (a clean server between tests that share it)."""
        self.update("DROP ALL")


def _server(tmp: Path) -> Iterator[OxigraphServer]:
    exe = oxigraph_executable()
    if exe is None:
        pytest.skip("the oxigraph server binary is not installed (pip install 'unkg[test]')")
    server = OxigraphServer(exe, tmp / "oxigraph")
    for attempt in range(3):  # the free port may be taken between probing and binding
        try:
            server.start()
            break
        except RuntimeError:
            if attempt == 2:
                raise
            server.use_port(free_port())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One Oxigraph server for the whole session; tests call `.clear()` when they need it empty."""
    yield from _server(tmp_path_factory.mktemp("oxigraph-session"))


@pytest.fixture
def fresh_oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A server of the test's own, which the test may `.stop()`, `.start()` or `.restart()`."""
    yield from _server(tmp_path_factory.mktemp("oxigraph-fresh"))


from sitefixtures import published, served_site, site_store  # noqa: E402,F401  (shared site fixtures)


# Property-based tests: a modest number of examples so the suite stays fast; no per-example deadline
# (a loaded 2-core machine would make one fail for nothing). HYPOTHESIS_PROFILE=thorough runs more.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("unkg", max_examples=200, deadline=None)
_hypothesis_settings.register_profile("thorough", max_examples=5000, deadline=None)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "unkg"))
