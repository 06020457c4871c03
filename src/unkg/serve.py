"""A local, read-only SPARQL 1.1 endpoint over the embedded store, served by the Oxigraph server.

The Oxigraph server (PyPI package `oxigraph`) implements the SPARQL 1.1 Protocol (GET and POST),
content negotiation of result formats with q-values, and a service description at `/query`.
unkg runs it read-only over the store directory with the union of all named graphs as default graph.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .errors import StoreError, UnkgError


def oxigraph_executable() -> str:
    """The `oxigraph` server binary installed beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise UnkgError("the Oxigraph server is not installed: pip install oxigraph")


def server_command(store: str | Path, host: str = "127.0.0.1", port: int = 7878,
                   timeout_s: int | None = 60, cors: bool = False) -> list[str]:
    """The command line that serves `store` read-only on host:port."""
    if not (Path(store) / "CURRENT").exists():
        raise StoreError(f"no store at {store}: run `unkg load` first or pass --store")
    cmd = [oxigraph_executable(), "serve-read-only", "--location", str(store),
           "--bind", f"{host}:{port}", "--union-default-graph"]
    if timeout_s:
        cmd += ["--timeout-s", str(timeout_s)]
    if cors:
        cmd.append("--cors")
    return cmd


def serve(store: str | Path, host: str = "127.0.0.1", port: int = 7878, timeout_s: int | None = 60,
          cors: bool = False) -> int:
    """Run the endpoint in the foreground until interrupted; returns the server's exit status."""
    proc = subprocess.Popen(server_command(store, host, port, timeout_s, cors))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait(timeout=10)
