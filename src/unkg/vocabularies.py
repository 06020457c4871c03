"""SKOS concept schemes generated from code: the clause verbs (ontology/clause-verbs.ttl).

Run ``python -m unkg.vocabularies`` to rewrite ontology/clause-verbs.ttl after unkg.verbs changes.
The output is deterministic (sorted N-Triples-like Turtle), so a diff shows only real changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from .vocab import CLAUSE_VERB

CLAUSE_VERB_SCHEME = URIRef(str(CLAUSE_VERB).rstrip("/"))
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


def clause_verb_scheme() -> Graph:
    """The clause-verb concept scheme: one concept per key of unkg.verbs.ALL_VERB_HEADS."""
    from .verbs import ALL_VERB_HEADS

    g = Graph()
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("cv", CLAUSE_VERB)
    scheme = CLAUSE_VERB_SCHEME
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("Clause verbs", lang="en")))
    g.add((scheme, SKOS.definition, Literal(
        "Normalised opening verbs of preambular and operative paragraphs of UN resolutions, "
        "without modifiers ('Recalling also' -> recalling). Generated from unkg.verbs.", lang="en")))
    g.add((scheme, DCTERMS.license, LICENSE))
    for key in sorted(ALL_VERB_HEADS):
        label = ALL_VERB_HEADS[key]
        concept = CLAUSE_VERB[key]
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.prefLabel, Literal(label, lang="en")))
        g.add((concept, SKOS.notation, Literal(key)))
        g.add((concept, SKOS.definition, Literal(
            f"A paragraph opening with \"{label}\" (any modifiers such as 'also' or "
            "'with appreciation' removed).", lang="en")))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.topConceptOf, scheme))
        g.add((scheme, SKOS.hasTopConcept, concept))
    return g


def write_clause_verbs(path: Path) -> int:
    """Write the scheme as Turtle to `path`; return the number of concepts."""
    g = clause_verb_scheme()
    # rdflib's Turtle serializer sorts subjects and predicates, so the file is stable.
    path.write_text(g.serialize(format="turtle"), encoding="utf-8")
    return len(set(g.subjects(RDF.type, SKOS.Concept)))


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m unkg.vocabularies [OUTPUT]``."""
    args = sys.argv[1:] if argv is None else argv
    from .resources import project_dir

    out = Path(args[0]) if args else project_dir("ontology") / "clause-verbs.ttl"
    n = write_clause_verbs(out)
    print(f"wrote {n} clause verbs to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
