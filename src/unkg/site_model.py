"""What the published site is made of, read from the store: which IRIs get a page, which are
anchors on another page, the labels of everything, and the citation graph.

One pass over a few predicates (rdf:type, labels, eli:cites, session and committee) builds the
index; each page's description is then read per resource with pyoxigraph quad patterns (a
document's parts from its own named graph), never by loading the whole store into rdflib.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import pyoxigraph as ox

from .sitepaths import UnsafePathError, relpath_of
from .store import EmbeddedStore

UNKG = "https://w3id.org/unkg/ontology#"
ELI = "http://data.europa.eu/eli/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCT_TITLE = "http://purl.org/dc/terms/title"
ELI_CITES = ELI + "cites"

# Resources described on the page of the document they belong to (as #anchors), not on their own.
PART_CLASSES = frozenset(UNKG + c for c in (
    "Paragraph", "PreambularParagraph", "OperativeParagraph", "SubParagraph", "Footnote", "Annex",
    "Citation", "Mandate", "AgendaInclusion", "Vote", "ResolutionExpression", "File"))
DOCUMENT_CLASSES = frozenset(UNKG + c for c in (
    "Document", "Resolution", "Decision", "DraftResolution", "Report", "MeetingRecord"))
RESOLUTION_CLASSES = frozenset({UNKG + "Resolution", UNKG + "Decision"})
# Resources restated in the graph of every document that names them: what is said about them,
# and what points at them, repeats hundreds or thousands of times (the General Assembly: 5,808
# statements about it and 18,959 pointing at it in 3,000 resolutions).
SHARED_CLASSES = frozenset(UNKG + c for c in (
    "Body", "Committee", "Session", "AgendaTopic", "Conference", "ConferenceSeries"))

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]


@dataclass
class SiteIndex:
    base: str
    types: dict[str, set[str]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # page IRI -> relative path
    owner: dict[str, str] = field(default_factory=dict)  # part IRI -> page IRI
    parts: dict[str, list[str]] = field(default_factory=dict)  # page IRI -> part IRIs
    skipped: dict[str, str] = field(default_factory=dict)  # IRI -> why it has no page
    labels: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)  # document -> adoption date
    cites: dict[str, set[str]] = field(default_factory=dict)
    cited_by: dict[str, set[str]] = field(default_factory=dict)
    doc_graph: dict[str, str] = field(default_factory=dict)  # document -> its named graph
    session_of: dict[str, str] = field(default_factory=dict)
    committee_of: dict[str, str] = field(default_factory=dict)

    def page_of(self, iri: str) -> tuple[str, str] | None:
        """(page IRI, anchor) where `iri` is described, or None when the site has no page for it."""
        if iri in self.pages:
            return iri, ""
        page = self.owner.get(iri)
        if page is not None:
            return page, anchor_of(iri, page)
        return None

    def label(self, iri: str) -> str:
        if iri in self.labels:
            return self.labels[iri]
        if iri in self.pages:
            return iri[len(self.base):]
        # a vocabulary concept or an outside IRI: its last segment ('regular', 'recalls')
        return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].replace("-", " ") or iri

    def is_resolution(self, iri: str) -> bool:
        return not RESOLUTION_CLASSES.isdisjoint(self.types.get(iri, ()))  # no set built per call


def anchor_of(part: str, page: str) -> str:
    """The fragment of a part on its document's page: 'op/3/a' for {doc}/op/3/a."""
    return part[len(page) + 1:] if part.startswith(page + "/") else part.rsplit("/", 1)[-1]


def _least(target: dict[str, str], pairs: Iterable[tuple[Any, Any]],
           kind: type[ox.Literal] | type[ox.NamedNode]) -> None:
    """target[subject] = the least value of the objects of `kind` given to each IRI subject."""
    for subject, obj in pairs:
        if isinstance(subject, ox.NamedNode) and isinstance(obj, kind):
            s, value = subject.value, obj.value
            if s not in target or value < target[s]:
                target[s] = value


def _pairs(store: ox.Store, predicate: str) -> Iterable[tuple[Any, Any]]:
    """(subject, object) of every statement with `predicate`, in the default or any named graph,
    in no fixed order (for what a set or a minimum collects). A SELECT decodes two terms per
    statement where a quad pattern decodes four, and decoding is most of a scan's time."""
    query = f"SELECT ?s ?o WHERE {{ {{ ?s <{predicate}> ?o }} UNION {{ GRAPH ?g {{ ?s <{predicate}> ?o }} }} }}"
    solutions = store.query(query, use_default_graph_as_union=False)
    assert isinstance(solutions, ox.QuerySolutions)
    return ((row[0], row[1]) for row in solutions)


def build_index(store: EmbeddedStore, base: str) -> SiteIndex:
    """Read the site's structure from the store (a few predicate scans)."""
    raw = store.raw
    idx = SiteIndex(base=base)
    for subject, obj in _pairs(raw, RDF_TYPE):
        if isinstance(subject, ox.NamedNode) and isinstance(obj, ox.NamedNode):
            idx.types.setdefault(subject.value, set()).add(obj.value)
    # labels: a symbol beats a title beats an rdfs:label (documents are known by their symbols)
    for pred in (RDFS_LABEL, DCT_TITLE, UNKG + "symbol"):
        found: dict[str, str] = {}
        _least(found, _pairs(raw, pred), ox.Literal)  # the least label of a subject: any order
        idx.labels.update(found)
        if pred == DCT_TITLE:
            idx.titles.update(found)
    # where graphs disagree on a value, the least wins: the index does not depend on scan order
    _least(idx.dates, _pairs(raw, UNKG + "dateAdopted"), ox.Literal)
    # a cited resolution that is not loaded is dated by the citations that give its date
    cited_date: dict[str, str] = {}
    _least(cited_date, _pairs(raw, UNKG + "citedDate"), ox.Literal)
    adopted = set(idx.dates)
    for subject, obj in _pairs(raw, UNKG + "citedDocument"):
        if isinstance(subject, ox.NamedNode) and isinstance(obj, ox.NamedNode):
            date = cited_date.get(subject.value)
            doc = obj.value
            if date and doc not in adopted and (doc not in idx.dates or date < idx.dates[doc]):
                idx.dates[doc] = date
    for subject, obj in _pairs(raw, ELI_CITES):
        if isinstance(subject, ox.NamedNode) and isinstance(obj, ox.NamedNode):
            idx.cites.setdefault(subject.value, set()).add(obj.value)
            idx.cited_by.setdefault(obj.value, set()).add(subject.value)
    described = raw.query(f"SELECT ?g ?o WHERE {{ GRAPH ?g {{ ?s <{UNKG}describes> ?o }} }}",
                          use_default_graph_as_union=False)
    assert isinstance(described, ox.QuerySolutions)
    _least(idx.doc_graph, ((row[1], row[0]) for row in described), ox.NamedNode)  # document -> graph
    for pred, target in ((UNKG + "session", idx.session_of), (UNKG + "committee", idx.committee_of)):
        _least(target, _pairs(raw, pred), ox.NamedNode)

    candidates = sorted(s for s in idx.types if s.startswith(base))
    part_iris = [s for s in candidates if idx.types[s] & PART_CLASSES]
    page_iris = [s for s in candidates if not idx.types[s] & PART_CLASSES]
    for iri in page_iris:
        try:
            idx.pages[iri] = relpath_of(iri, base)
        except UnsafePathError as exc:
            idx.skipped[iri] = str(exc)
    for part in part_iris:
        owner = part
        while "/" in owner[len(base):]:
            owner = owner.rsplit("/", 1)[0]
            if owner in idx.pages:
                break
        if owner in idx.pages:
            idx.owner[part] = owner
            idx.parts.setdefault(owner, []).append(part)
        else:
            idx.skipped[part] = "a part whose document has no page"
    return idx


def _po(raw: ox.Store, node: ox.NamedNode) -> set[tuple[Any, Any]]:
    """(predicate, object) of a subject in any graph, each once (a shared resource, a session or
    a committee, is restated in every document's graph). A quad pattern and a Python set cost
    half of what a SELECT DISTINCT does: most subjects have few repeats, and a query is parsed
    and planned every time."""
    return {(q.predicate, q.object) for q in raw.quads_for_pattern(node, None, None, None)}


Incoming = set[tuple[Any, ox.NamedNode]]


def _distinct_pairs(raw: ox.Store, pattern: str) -> set[tuple[Any, Any]]:
    """The distinct (?a, ?b) of a triple pattern in the default and any named graph. Oxigraph
    removes the duplicates before it decodes the terms: for a resource stated in thousands of
    graphs, a quarter of the time of a quad pattern and a Python set (measured at 3,000
    resolutions), though slower for most resources, which have few repeats (see `_po`)."""
    solutions = raw.query(f"SELECT DISTINCT ?a ?b WHERE {{ {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }} }}",
                          use_default_graph_as_union=False)
    assert isinstance(solutions, ox.QuerySolutions)
    return {(row[0], row[1]) for row in solutions}


def pointing_at(store: EmbeddedStore, page: str) -> Incoming:
    """(subject, predicate) of every statement, in any graph, whose object is `page`."""
    return {(q.subject, q.predicate)
            for q in store.raw.quads_for_pattern(None, None, ox.NamedNode(page), None)}


def describe(store: EmbeddedStore, idx: SiteIndex, page: str, pointing: Incoming | None = None,
             graph_triples: Iterable[Any] | None = None, about: set[tuple[Any, Any]] | None = None) -> set[Triple]:
    """The triples a page publishes: its resource's and its parts' own statements (from every
    graph), plus the eli:cites statements of documents that cite it. `pointing` is
    `pointing_at(store, page)` when the caller has it already; `graph_triples`, the triples of
    the page's document graph (`idx.doc_graph[page]`) when the caller has read it whole, which
    then give the parts' statements instead of one quad pattern per part; `about`, the page's
    resource's (predicate, object) pairs when the caller has read them."""
    raw = store.raw
    out: set[Triple] = set()
    node = ox.NamedNode(page)
    for p, o in _po(raw, node) if about is None else about:
        out.add((node, p, o))
    parts = idx.parts.get(page, [])
    if parts:
        graph = idx.doc_graph.get(page)
        if graph is not None and graph_triples is not None:
            wanted = set(parts)
            for t in graph_triples:
                subject = t.subject
                if type(subject) is ox.NamedNode and subject.value in wanted:
                    out.add((subject, t.predicate, t.object))
        elif graph is not None:  # a loaded document's parts are all in its own graph
            # one pattern per part: a third of a document's graph is not about its parts
            # (the cited documents, sessions, provenance), and skipping it beats one scan
            g = ox.NamedNode(graph)
            for part in parts:
                part_node = ox.NamedNode(part)
                for q in raw.quads_for_pattern(part_node, None, None, g):
                    out.add((part_node, q.predicate, q.object))  # type: ignore[arg-type]
        else:
            for part in parts:
                part_node = ox.NamedNode(part)
                for p, o in _po(raw, part_node):
                    out.add((part_node, p, o))
    if pointing is None:
        pointing = pointing_at(store, page)
    for s, p in pointing:
        if p.value == ELI_CITES and isinstance(s, ox.NamedNode):
            out.add((s, p, node))
    return out


def read_page(store: EmbeddedStore, idx: SiteIndex, page: str,
              graph_triples: Iterable[Any] | None = None) -> tuple[set[Triple], Incoming]:
    """`describe(store, idx, page)` and `pointing_at(store, page)`, read once.

    With `graph_triples`, the triples of the page's document graph read whole, the statements in
    that graph (three quarters of what a document's page reads about itself and what points at it)
    come from them in one pass, and the store is asked only for the statements in the other graphs:
    two queries that skip that graph compare its encoded name and decode nothing of its rows,
    which costs a fifth of reading them again (measured at 3,000 resolutions: 0.5 against 1.7 ms
    a document)."""
    graph = idx.doc_graph.get(page)
    if graph_triples is None or graph is None:
        if not SHARED_CLASSES.isdisjoint(idx.types.get(page, ())):
            term = str(ox.NamedNode(page))  # validated by Oxigraph: safe in a query
            read = _distinct_pairs(store.raw, f"?a ?b {term}")
            return describe(store, idx, page, read, about=_distinct_pairs(store.raw, f"{term} ?a ?b")), read
        read = pointing_at(store, page)
        return describe(store, idx, page, read), read
    raw = store.raw
    node = ox.NamedNode(page)
    out: set[Triple] = set()
    pointing: Incoming = set()
    wanted = set(idx.parts.get(page, ()))
    named = ox.NamedNode
    for t in graph_triples:
        subject, obj = t.subject, t.object
        if type(subject) is named:
            value = subject.value
            if value == page or value in wanted:
                out.add((subject, t.predicate, obj))
        if type(obj) is named and obj.value == page:
            pointing.add((subject, t.predicate))
    # the IRIs are NamedNodes' own N-Triples forms, which Oxigraph has validated: safe in a query
    n, g = str(node), str(ox.NamedNode(graph))
    elsewhere = "{{ {{ {0} }} UNION {{ GRAPH ?g {{ {0} }} FILTER(?g != " + g + ") }} }}"
    about = raw.query(f"SELECT ?p ?o WHERE {elsewhere.format(n + ' ?p ?o')}", use_default_graph_as_union=False)
    assert isinstance(about, ox.QuerySolutions)
    for row in about:
        out.add((node, row[0], row[1]))
    at = raw.query(f"SELECT ?s ?p WHERE {elsewhere.format('?s ?p ' + n)}", use_default_graph_as_union=False)
    assert isinstance(at, ox.QuerySolutions)
    for row in at:
        pointing.add((row[0], row[1]))
    for s, p in pointing:
        if p.value == ELI_CITES and isinstance(s, ox.NamedNode):
            out.add((s, p, node))
    return out, pointing


def incoming(store: EmbeddedStore, idx: SiteIndex, page: str,
             pointing: Incoming | None = None) -> list[tuple[str, str]]:
    """(predicate, page IRI) of the pages whose resource or parts point at `page`, sorted."""
    found: set[tuple[str, str]] = set()
    if pointing is None:
        pointing = pointing_at(store, page)
    for subject, predicate in pointing:
        if not isinstance(subject, ox.NamedNode):
            continue
        where = idx.page_of(subject.value)
        if where is not None and where[0] != page:
            found.add((predicate.value, where[0]))
    return sorted(found)
