"""Settings: command line > environment > config file > default."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import FormatError, InputError
from .iris import DEFAULT_BASE_IRI, IRIs

DEFAULT_STORE = "./unkg-data"
CONFIG_FILE = "unkg.toml"


@dataclass(frozen=True)
class Settings:
    base_iri: str = DEFAULT_BASE_IRI
    store: str = DEFAULT_STORE
    wait: float = 0.0
    """Seconds to wait for a store another process holds (0: fail at once)."""


def _config_file_values(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the settings file: {exc}", path=str(path)) from exc
    section = data.get("unkg", data)
    return {k.replace("-", "_"): str(v) for k, v in section.items() if isinstance(v, (str, int, float))}


def _seconds(value: str, where: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        raise FormatError(f"invalid wait ({where}): {value!r} is not a number of seconds >= 0")
    return seconds


def settings(base_iri: str | None = None, store: str | None = None,
             config_file: str | Path | None = None, wait: float | None = None) -> Settings:
    """Resolve settings from the given values, UNKG_* environment variables and unkg.toml."""
    file_values = _config_file_values(Path(config_file or os.environ.get("UNKG_CONFIG", CONFIG_FILE)))
    if wait is None:
        if os.environ.get("UNKG_WAIT"):
            wait = _seconds(os.environ["UNKG_WAIT"], "UNKG_WAIT")
        elif "wait" in file_values:
            wait = _seconds(file_values["wait"], "unkg.toml")
    resolved = Settings(
        base_iri=base_iri or os.environ.get("UNKG_BASE_IRI") or file_values.get("base_iri")
        or DEFAULT_BASE_IRI,
        store=store or os.environ.get("UNKG_STORE") or file_values.get("store") or DEFAULT_STORE,
        wait=wait or 0.0,
    )
    try:
        IRIs(resolved.base_iri)
    except ValueError as exc:
        raise FormatError(f"invalid base IRI (--base-iri, UNKG_BASE_IRI or unkg.toml): {exc}") from exc
    return resolved
