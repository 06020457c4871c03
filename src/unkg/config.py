"""Settings: command line > environment > config file > default."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .iris import DEFAULT_BASE_IRI

DEFAULT_STORE = "./unkg-data"
CONFIG_FILE = "unkg.toml"


@dataclass(frozen=True)
class Settings:
    base_iri: str = DEFAULT_BASE_IRI
    store: str = DEFAULT_STORE


def _config_file_values(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        data = tomllib.load(f)
    section = data.get("unkg", data)
    return {k.replace("-", "_"): str(v) for k, v in section.items() if isinstance(v, (str, int))}


def settings(base_iri: str | None = None, store: str | None = None,
             config_file: str | Path | None = None) -> Settings:
    """Resolve settings from the given values, UNKG_* environment variables and unkg.toml."""
    file_values = _config_file_values(Path(config_file or os.environ.get("UNKG_CONFIG", CONFIG_FILE)))
    return Settings(
        base_iri=base_iri or os.environ.get("UNKG_BASE_IRI") or file_values.get("base_iri")
        or DEFAULT_BASE_IRI,
        store=store or os.environ.get("UNKG_STORE") or file_values.get("store") or DEFAULT_STORE,
    )
