"""The SHACL shapes (shapes/*.shapes.ttl), with IRI patterns rewritten for a configured base."""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import Graph, Literal
from rdflib.namespace import SH

from .iris import DEFAULT_BASE_IRI
from .resources import project_dir

# The default base as it is written in the shapes' sh:pattern values ("^https://w3id\.org/unkg/").
# Vocabulary patterns (".../unkg/vocab/...") stay: concept IRIs do not move with the data base.
_DEFAULT_IN_PATTERN = re.compile(r"\^" + re.escape(_DEFAULT := "https://w3id\\.org/unkg/")
                                 + r"(?!vocab/)")


def _regex_escape(text: str) -> str:
    """Escape what is special in XPath/Python regular expressions, and nothing else."""
    return re.sub(r"([.\\?*+^$|()\[\]{}])", r"\\\1", text)


def rewrite_pattern(pattern: str, base_iri: str) -> str:
    """'^https://w3id\\.org/unkg/doc/...' -> the same pattern under `base_iri`."""
    replacement = "^" + _regex_escape(base_iri)
    return _DEFAULT_IN_PATTERN.sub(lambda _m: replacement, pattern)


# The hand-written shapes, and the clause-verb shape generated from unkg.verbs (python -m unkg.vocabularies).
SHAPE_FILES = ("unkg.shapes.ttl", "clause-verbs.shapes.ttl")


@lru_cache(maxsize=8)
def _parsed() -> Graph:
    g = Graph()
    for name in SHAPE_FILES:
        g.parse(project_dir("shapes") / name, format="turtle")
    return g


def load_shapes(base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """A fresh copy of the shapes graph, its IRI patterns checking `base_iri` instead of the default."""
    if not base_iri.endswith(("/", "#")):
        base_iri += "/"  # as unkg.iris.IRIs does
    g = Graph()
    for prefix, ns in _parsed().namespaces():
        g.bind(prefix, ns)
    for s, p, o in _parsed():
        if p == SH.pattern and isinstance(o, Literal) and base_iri != DEFAULT_BASE_IRI:
            o = Literal(rewrite_pattern(str(o), base_iri), lang=o.language, datatype=o.datatype)
        g.add((s, p, o))
    return g
