"""Where the ontology, shapes and query library live (the repository's top-level folders)."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import UnkgError


def project_dir(name: str) -> Path:
    """The folder `name` (ontology, shapes, queries) of the unkg checkout or of $UNKG_HOME."""
    candidates = []
    if os.environ.get("UNKG_HOME"):
        candidates.append(Path(os.environ["UNKG_HOME"]) / name)
    candidates.append(Path(__file__).resolve().parent / "data" / name)
    candidates.append(Path(__file__).resolve().parents[2] / name)
    for path in candidates:
        if path.is_dir():
            return path
    raise UnkgError(f"cannot find the {name}/ folder of unkg; set UNKG_HOME to the unkg checkout")


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD context (ontology/context.jsonld), never fetched from the network."""
    with (project_dir("ontology") / "context.jsonld").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data
