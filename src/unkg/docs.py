"""HTML documentation of the ontology, the SKOS vocabularies and the shapes (`unkg docs OUTDIR`).

Our own small template code, deterministic (same files in, byte-identical files out: everything
is sorted, nothing depends on time or on dict order of rdflib), every text HTML-escaped. The class
diagram is an SVG drawn here on a fixed layered grid (no graphviz). Examples are real mapper output
for two built-in records (A/RES/61/54 and S/RES/338 (1973)), so they cannot drift from the code.

``write_docs(outdir)`` is the library entry point (also used by ``unkg publish``).
"""

from __future__ import annotations

import html
import math
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from .errors import UnkgError
from .iris import DEFAULT_BASE_IRI, IRIs
from .resources import project_dir
from .vocab import ONTOLOGY_IRI, UNKG, VOCAB

__all__ = ["write_docs", "DOC_FILES"]

NS = str(UNKG._NS)
DCT = "http://purl.org/dc/terms/"
PREFIXES = {
    "unkg": NS, "eli": "http://data.europa.eu/eli/ontology#",
    "eli-dl": "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
    "dcterms": DCT, "schema": "https://schema.org/", "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#", "skos": str(SKOS), "owl": str(OWL), "rdfs": str(RDFS),
    "rdf": str(RDF), "xsd": "http://www.w3.org/2001/XMLSchema#", "sh": str(SH),
    "undo": "https://w3id.org/un/ontology/undo/", "doco": "http://purl.org/spar/doco/",
    "cito": "http://purl.org/spar/cito/",
}
# Source files copied next to the pages, so the documentation links to what it documents.
DOC_FILES = {"unkg.ttl": ("ontology", "unkg.ttl"), "vocabularies.ttl": ("ontology", "vocabularies.ttl"),
             "clause-verbs.ttl": ("ontology", "clause-verbs.ttl"),
             "context.jsonld": ("ontology", "context.jsonld"), "CHANGELOG.md": ("ontology", "CHANGELOG.md"),
             "unkg.shapes.ttl": ("shapes", "unkg.shapes.ttl"),
             "clause-verbs.shapes.ttl": ("shapes", "clause-verbs.shapes.ttl")}
ALIGN = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty,
         SKOS.exactMatch, SKOS.closeMatch, URIRef(PREFIXES["eli"] + "specificPropertyOf"))


def esc(text: object) -> str:
    """HTML-escape any text (quotes too: values also go into attributes)."""
    return html.escape(str(text), quote=True)


def curie(term: Node) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if str(term).startswith(ns) and str(term)[len(ns):].replace("-", "_").replace(".", "_").isidentifier():
            return f"{prefix}:{str(term)[len(ns):]}"
    return f"<{term}>"


def local(term: Node) -> str:
    return str(term)[len(NS):]


def _text(g: Graph, s: Node, p: URIRef) -> str:
    """The English (or only) literal value, deterministic when there are several."""
    values = sorted((str(v) for v in g.objects(s, p)
                     if isinstance(v, Literal) and v.language in (None, "en")))
    return values[0] if values else ""


def link(term: Node, own: set[URIRef]) -> str:
    """A term as a link: internal anchor for our own terms, the IRI itself for others."""
    if isinstance(term, URIRef) and term in own:
        return f'<a href="#{esc(local(term))}"><code>{esc(curie(term))}</code></a>'
    if isinstance(term, URIRef):
        return f'<a href="{esc(term)}"><code>{esc(curie(term))}</code></a>'
    return f"<code>{esc(term)}</code>"


# ---------------------------------------------------------------------------------------------
# Examples: the mapper's own output for two built-in records
# ---------------------------------------------------------------------------------------------

def example_graph(base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """Mapped graphs of A/RES/61/54 (abridged, real facts) and S/RES/338 (1973) (a vote)."""
    from .mapper import Provenance, record_to_graph
    from .record import (AgendaInclusion, Citation, Conference, Footnote, Mandate, Meeting,
                         Paragraph, Record, SubParagraph, Vote)

    title = ("Developments in the field of information and telecommunications in the context "
             "of international security")
    ga = Record(
        symbol="A/RES/61/54", body="General Assembly", session="61", agenda_items=["85"],
        title=title, adopted="2006-12-06", distributed="2006-12-19", committee="First Committee",
        reports=["A/61/389"], meeting=Meeting(number=67, date="2006-12-06"),
        preambular=[Paragraph(1, "Recalling", "Recalling its resolutions 53/70 of 4 December 1998 "
                              "and 60/45 of 8 December 2005,"),
                    Paragraph(2, "Noting", "Noting the results of the World Summit on the "
                              "Information Society, held in Geneva from 10 to 12 December 2003,",
                              footnotes=["1"])],
        operative=[Paragraph(1, "Calls upon", "Calls upon Member States to promote further at "
                             "multilateral levels the consideration of existing and potential "
                             "threats in the field of information security;"),
                   Paragraph(2, "Requests", "Requests the Secretary-General to submit a report to "
                             "the General Assembly at its sixty-fifth session;",
                             [SubParagraph("a", "General appreciation of the issues;")]),
                   Paragraph(3, "Decides", "Decides to include in the provisional agenda of its "
                             f"sixty-second session the item entitled \"{title}\".")],
        cites=[Citation("A/RES/53/70", "1998-12-04", ["preambular:1"]),
               Citation("A/RES/60/45", "2005-12-08", ["preambular:1"])],
        documents=["A/60/202"],
        conferences=[Conference("World Summit on the Information Society", "Geneva",
                                "2003-12-10", "2003-12-12")],
        footnotes=[Footnote("1", "See A/60/202.")],
        mandates=[Mandate(2, "Secretary-General", "65")],
        agenda_inclusions=[AgendaInclusion(3, "62", title)],
        annexes=[], source="A-RES-61-54.txt")
    sc = Record(
        symbol="S/RES/338(1973)", body="Security Council", title="Resolution 338 (1973)",
        adopted="1973-10-22", meeting=Meeting(number=1747, date="1973-10-22", kind="meeting"),
        operative=[Paragraph(1, "Calls upon", "Calls upon all parties to the present fighting to "
                             "cease all firing and terminate all military activity immediately;")],
        vote=Vote(yes=14, no=0, abstain=0, non_voting=1), source="S-RES-338(1973).pdf")
    iris = IRIs(base_iri)
    g = Graph()
    for record, name in ((ga, "A-RES-61-54.txt"), (sc, "S-RES-338(1973).pdf")):
        # fixed provenance: no load time of today, so the pages are byte-identical run to run
        prov = Provenance(name, "0" * 64, "example", "2026-11-28T00:00:00Z")
        for t in record_to_graph(record, iris, prov):
            g.add(t)
    return g


def turtle_of(g: Graph, subject: URIRef, base_iri: str) -> str:
    """Turtle of one node's triples, sorted, with the docs' prefixes (our own writer: stable)."""
    def term(t: Node) -> str:
        if isinstance(t, URIRef):
            if t == RDF.type:
                return "a"
            ours = str(t).startswith(base_iri) and not str(t).startswith((NS, str(VOCAB)))
            return f"<{str(t)[len(base_iri):]}>" if ours else curie(t)
        if isinstance(t, Literal):
            text = str(t)
            if len(text) > 90:
                text = text[:87] + "..."
            quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
            if t.language:
                return f"{quoted}@{t.language}"
            if t.datatype is not None:
                return f"{quoted}^^{curie(t.datatype)}"
            return quoted
        return str(t)

    pairs = sorted((term(p), term(o)) for p, o in g.predicate_objects(subject))
    pairs.sort(key=lambda po: (po[0] != "a", po))
    lines = [f"<{str(subject)[len(base_iri):]}>" if str(subject).startswith(base_iri) else term(subject)]
    for i, (p, o) in enumerate(pairs):
        lines.append(f"    {p} {o} {'.' if i == len(pairs) - 1 else ';'}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The class diagram
# ---------------------------------------------------------------------------------------------

# Fixed layered layout: (row, column) of each class. Rows read top-down: provenance and files,
# documents, text structure, procedure, events. A new class without a place goes to the last row.
LAYOUT: dict[str, tuple[int, int]] = {
    "SourceRecord": (0, 1), "File": (0, 2), "ResolutionExpression": (0, 3), "Body": (0, 5),
    "Committee": (0, 6),
    "Report": (1, 0), "DraftResolution": (1, 1), "Decision": (1, 2), "Resolution": (1, 3),
    "Vote": (1, 4), "Meeting": (1, 5), "MeetingRecord": (1, 6),
    "Annex": (2, 0), "Footnote": (2, 1), "Paragraph": (2, 2), "Document": (2, 3),
    "Citation": (2, 4), "Session": (2, 5),
    "PreambularParagraph": (3, 0), "SubParagraph": (3, 1), "OperativeParagraph": (3, 2),
    "Mandate": (3, 3), "AgendaInclusion": (3, 4), "AgendaItem": (3, 5), "AgendaTopic": (3, 6),
    "Conference": (4, 3), "ConferenceSeries": (4, 4),
}
# Relations that have no rdfs:domain in the ontology (they serve several classes) or are ELI's,
# drawn between the classes that use them.
EXTRA_EDGES = [
    ("Resolution", "eli:is_realized_by", "ResolutionExpression"),
    ("ResolutionExpression", "eli:is_embodied_by", "File"),
    ("SourceRecord", "prov:wasDerivedFrom", "File"),
    ("Session", "unkg:ofBody", "Body"), ("AgendaItem", "unkg:inSession", "Session"),
    ("Meeting", "unkg:inSession", "Session"), ("AgendaItem", "unkg:topic", "AgendaTopic"),
    ("AgendaInclusion", "unkg:topic", "AgendaTopic"),
    ("Mandate", "unkg:inParagraph", "OperativeParagraph"),
]
BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 150, 34, 110, 100, 30


@dataclass(frozen=True)
class Edge:
    source: str
    label: str
    target: str
    subclass: bool = False


def diagram_edges(onto: Graph) -> list[Edge]:
    """Object properties whose domain and range are both drawn, subclass links, EXTRA_EDGES."""
    shown = set(LAYOUT)
    edges: set[Edge] = set()
    for p in onto.subjects(RDF.type, OWL.ObjectProperty):
        if not str(p).startswith(NS):
            continue
        if any(str(sup).startswith(NS) for sup in onto.objects(p, RDFS.subPropertyOf)):
            continue  # a specialisation (hasOperativeParagraph): its super-property is drawn
        for d in onto.objects(p, RDFS.domain):
            for r in onto.objects(p, RDFS.range):
                if local(d) in shown and local(r) in shown and d != r:
                    edges.add(Edge(local(d), curie(p), local(r)))
    for c in onto.subjects(RDF.type, OWL.Class):
        for sup in onto.objects(c, RDFS.subClassOf):
            if str(c).startswith(NS) and str(sup).startswith(NS) and local(c) in shown \
                    and local(sup) in shown:
                edges.add(Edge(local(c), "subClassOf", local(sup), subclass=True))
    edges |= {Edge(s, p, t) for s, p, t in EXTRA_EDGES}
    return sorted(edges, key=lambda e: (e.subclass, e.source, e.label, e.target))


def class_diagram(onto: Graph) -> str:
    """An SVG of the main classes (boxes, linked to their sections) and their relations."""
    classes = sorted(local(c) for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(NS))
    last = max(r for r, _c in LAYOUT.values()) + 1
    pos = dict(LAYOUT)
    for i, name in enumerate(n for n in classes if n not in LAYOUT):
        pos[name] = (last, i)
    rows = max(r for r, _c in pos.values()) + 1
    cols = max(c for _r, c in pos.values()) + 1
    width = MARGIN * 2 + cols * BOX_W + (cols - 1) * GAP_X
    height = MARGIN * 2 + rows * BOX_H + (rows - 1) * GAP_Y + 40

    def centre(name: str) -> tuple[float, float]:
        r, c = pos[name]
        return MARGIN + c * (BOX_W + GAP_X) + BOX_W / 2, MARGIN + 40 + r * (BOX_H + GAP_Y) + BOX_H / 2

    def border(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
        """Where the segment from the centre a towards b leaves a's box."""
        dx, dy = b[0] - a[0], b[1] - a[1]
        if dx == 0 and dy == 0:
            return a
        scale = min((BOX_W / 2) / abs(dx) if dx else math.inf, (BOX_H / 2) / abs(dy) if dy else math.inf)
        return a[0] + dx * scale, a[1] + dy * scale

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'font-family="sans-serif" font-size="12">',
           "<title>unkg ontology: main classes and relations</title>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
           'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/>'
           '</marker><marker id="triangle" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" '
           'markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#fff" '
           'stroke="#333"/></marker></defs>',
           f'<text x="{MARGIN}" y="{MARGIN}" font-size="15" font-weight="bold">unkg: main classes '
           '(solid: relation, dashed: sub-class of)</text>']
    boxes = {name: centre(name) for name in pos}

    def hits(points: list[tuple[float, float]], ends: tuple[str, str]) -> bool:
        """True if the path crosses a box other than its two ends (boxes grown by 6 px)."""
        for name, (bx, by) in boxes.items():
            if name in ends:
                continue
            if any(abs(x - bx) < BOX_W / 2 + 6 and abs(y - by) < BOX_H / 2 + 6 for x, y in points):
                return True
        return False

    def route(a: tuple[float, float], b: tuple[float, float], ends: tuple[str, str], straight: bool
              ) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
        """Start, control point and end of a quadratic curve from box a to box b that avoids the
        other boxes: the straight line if it is clear, else bent sideways more and more."""
        length = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
        nx, ny = -(b[1] - a[1]) / length, (b[0] - a[0]) / length
        best = None
        for bend in (0, 30, -30, 60, -60, 90, -90, 120, -120, 160, -160, 200, -200)[0 if straight else 1:]:
            mx, my = (a[0] + b[0]) / 2 + nx * bend * 2, (a[1] + b[1]) / 2 + ny * bend * 2
            start, end = border(a, (mx, my)), border(b, (mx, my))
            pts = [((1 - t) ** 2 * start[0] + 2 * (1 - t) * t * mx + t * t * end[0],
                    (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * my + t * t * end[1])
                   for t in (i / 40 for i in range(41))]
            if best is None:
                best = (start, (mx, my), end)
            if not hits(pts, ends):
                return start, (mx, my), end
        assert best is not None
        return best

    labels = []
    pairs: set[frozenset[str]] = set()
    for e in diagram_edges(onto):
        if e.source not in pos or e.target not in pos:
            continue
        pair = frozenset((e.source, e.target))
        # a second edge between the same two boxes bends, so the two stay apart
        (x1, y1), (cx, cy), (x2, y2) = route(centre(e.source), centre(e.target), (e.source, e.target),
                                             pair not in pairs)
        pairs.add(pair)
        style = ('stroke-dasharray="5,4" marker-end="url(#triangle)"' if e.subclass
                 else 'marker-end="url(#arrow)"')
        out.append(f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" fill="none" '
                   f'stroke="#555" stroke-width="1" {style}><title>{esc(e.source)} {esc(e.label)} '
                   f'{esc(e.target)}</title></path>')
        if not e.subclass:
            # the first point of the curve, from its middle outwards, that is on no box
            def at(t: float) -> tuple[float, float]:
                return ((1 - t) ** 2 * x1 + 2 * (1 - t) * t * cx + t * t * x2,
                        (1 - t) ** 2 * y1 + 2 * (1 - t) * t * cy + t * t * y2)
            candidates = [at(t) for t in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74)]
            mx, my = next((p for p in candidates if not hits([p], ("", ""))), candidates[0])
            labels.append(f'<text x="{mx:.1f}" y="{my + 3:.1f}" text-anchor="middle" font-size="10" '
                          f'fill="#1a4f8b" stroke="#fff" stroke-width="3" paint-order="stroke">'
                          f'{esc(e.label)}</text>')
    boxes_at = len(out)
    for name in sorted(pos):
        cx, cy = centre(name)
        x, y = cx - BOX_W / 2, cy - BOX_H / 2
        out.append(f'<a xlink:href="index.html#{esc(name)}" href="index.html#{esc(name)}">'
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="5" '
                   'fill="#eef3fb" stroke="#1a4f8b"/>'
                   f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" font-weight="bold">'
                   f'{esc(name)}</text></a>')
    out[boxes_at:boxes_at] = labels  # labels under the boxes: a box name is never hidden
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------

STYLE = """body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}
code{background:#f3f3f3;padding:0 .2em}pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font-size:.85em}
section.term{border-top:1px solid #ddd;margin-top:1.5em}table{border-collapse:collapse}
td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
nav ul{columns:4}dt{font-weight:bold}.sev{font-size:.85em;color:#555}"""


def _page(title: str, body: list[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
            f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _shape_rows(shapes: Graph, cls: URIRef) -> list[str]:
    """(severity, path, message) of the shapes that target a class."""
    rows: set[tuple[str, str, str]] = set()
    for node_shape in shapes.subjects(SH.targetClass, cls):
        default = shapes.value(node_shape, SH.severity) or SH.Violation
        rows.add((curie(default)[3:], "(the node)", _text(shapes, node_shape, SH.message)))
        for ps in shapes.objects(node_shape, SH.property):
            path = shapes.value(ps, SH.path)
            shown = curie(path) if isinstance(path, URIRef) else "(path)"
            severity = shapes.value(ps, SH.severity) or default
            rows.add((curie(severity)[3:], shown, _text(shapes, ps, SH.message)))
    return [f"<tr><td class=\"sev\">{esc(s)}</td><td><code>{esc(p)}</code></td><td>{esc(m)}</td></tr>"
            for s, p, m in sorted(rows, key=lambda r: (r[1] != "(the node)", r[1], r[0], r[2]))]


def ontology_page(onto: Graph, shapes: Graph, examples: Graph, base_iri: str) -> str:
    o = URIRef(ONTOLOGY_IRI)
    classes = sorted((t for t in onto.subjects(RDF.type, OWL.Class)
                      if isinstance(t, URIRef) and str(t).startswith(NS)), key=local)
    props = sorted((t for k in (OWL.ObjectProperty, OWL.DatatypeProperty)
                    for t in onto.subjects(RDF.type, k)
                    if isinstance(t, URIRef) and str(t).startswith(NS)), key=local)
    own = set(classes) | set(props)
    title = _text(onto, o, URIRef(DCT + "title"))
    body = [f"<h1>{esc(title)}</h1>", "<dl>",
            f"<dt>Ontology IRI</dt><dd><code>{esc(o)}</code></dd>",
            f"<dt>Version IRI</dt><dd><code>{esc(onto.value(o, OWL.versionIRI))}</code></dd>",
            f"<dt>Version</dt><dd>{esc(onto.value(o, OWL.versionInfo))}</dd>"]
    prior = onto.value(o, OWL.priorVersion)
    if prior is not None:
        body.append(f"<dt>Prior version</dt><dd><code>{esc(prior)}</code></dd>")
    body += [f"<dt>Licence</dt><dd><a href=\"{esc(onto.value(o, URIRef(DCT + 'license')))}\">"
             f"{esc(onto.value(o, URIRef(DCT + 'license')))}</a></dd>",
             f"<dt>Namespace</dt><dd><code>{esc(NS)}</code> (prefix <code>unkg:</code>)</dd>",
             f"<dt>Data base IRI of these examples</dt><dd><code>{esc(base_iri)}</code></dd>",
             "<dt>Files</dt><dd>" + ", ".join(f'<a href="{esc(n)}">{esc(n)}</a>' for n in DOC_FILES)
             + "</dd>", "</dl>",
             f"<p>{esc(_text(onto, o, URIRef(DCT + 'description')))}</p>",
             f"<p>{esc(_text(onto, o, RDFS.comment))}</p>",
             '<p>Controlled values: <a href="vocabularies.html">SKOS concept schemes</a>.</p>',
             '<nav><h2 id="contents">Contents</h2><h3>Classes</h3><ul>']
    body += [f'<li><a href="#{esc(local(c))}">{esc(local(c))}</a></li>' for c in classes]
    body.append("</ul><h3>Properties</h3><ul>")
    body += [f'<li><a href="#{esc(local(p))}">{esc(local(p))}</a></li>' for p in props]
    body += ["</ul></nav>", '<h2 id="diagram">Diagram</h2>',
             '<p><a href="classes.svg"><img src="classes.svg" alt="Main classes of the unkg ontology '
             'and their relations" style="max-width:100%"/></a></p>', '<h2 id="classes">Classes</h2>']
    by_domain: dict[Node, list[URIRef]] = defaultdict(list)
    by_range: dict[Node, list[URIRef]] = defaultdict(list)
    for p in props:
        for d in onto.objects(p, RDFS.domain):
            by_domain[d].append(p)
        for r in onto.objects(p, RDFS.range):
            by_range[r].append(p)
    for c in classes:
        body += _term_section(onto, c, "Class", own)
        subs = sorted((s for s in onto.subjects(RDFS.subClassOf, c) if s in own), key=local)
        if subs:
            body.append("<p>Sub-classes: " + ", ".join(link(s, own) for s in subs) + "</p>")
        if by_domain.get(c):
            body.append("<p>Properties (domain): " + ", ".join(link(p, own) for p in by_domain[c]) + "</p>")
        if by_range.get(c):
            body.append("<p>Used as range of: " + ", ".join(link(p, own) for p in by_range[c]) + "</p>")
        rows = _shape_rows(shapes, c)
        if rows:
            body += ["<details><summary>Shape constraints</summary><table>"
                     "<tr><th>severity</th><th>path</th><th>message</th></tr>"] + rows + ["</table></details>"]
        # the best described instance: most triples, then by IRI
        instances = sorted((s for s in set(examples.subjects(RDF.type, c)) if isinstance(s, URIRef)),
                           key=lambda s: (-len(list(examples.predicate_objects(s))), str(s)))
        if instances:
            body.append("<p>Example (mapper output; IRIs relative to the base):</p>"
                        f"<pre>{esc(turtle_of(examples, instances[0], base_iri))}</pre>")
        body.append("</section>")
    body.append('<h2 id="properties">Properties</h2>')
    for p in props:
        kind = "Object property" if (p, RDF.type, OWL.ObjectProperty) in onto else "Datatype property"
        body += _term_section(onto, p, kind, own)
        for name, pred in (("Domain", RDFS.domain), ("Range", RDFS.range)):
            values = sorted(onto.objects(p, pred), key=str)
            body.append(f"<p>{name}: " + (", ".join(link(v, own) for v in values) or "(any)") + "</p>")
        uses = sorted(examples.subject_objects(p), key=lambda so: (str(so[0]), str(so[1])))
        if uses:
            subject, value = uses[0]
            shown = value.n3() if isinstance(value, Literal) else f"<{value}>"
            body.append(f"<p>Example:</p><pre>{esc(f'<{subject}> {curie(p)} {shown} .')}</pre>")
        body.append("</section>")
    body.append('<p><a href="#contents">Contents</a></p>')
    return _page(title, body)


def _term_section(onto: Graph, term: URIRef, kind: str, own: set[URIRef]) -> list[str]:
    out = [f'<section class="term" id="{esc(local(term))}">',
           f"<h3>{esc(_text(onto, term, RDFS.label))} <small><code>{esc(curie(term))}</code></small></h3>",
           f"<p><em>{esc(kind)}</em> <code>{esc(term)}</code></p>",
           f"<p>{esc(_text(onto, term, RDFS.comment))}</p>"]
    aligned = []
    for pred in ALIGN:
        for value in sorted(onto.objects(term, pred), key=str):
            if isinstance(value, BNode):
                continue
            aligned.append(f"<li><code>{esc(curie(pred))}</code> {link(value, own)}</li>")
    if aligned:
        out += ["<p>Alignment:</p><ul>"] + aligned + ["</ul>"]
    return out


def vocabularies_page(vocabs: Graph) -> str:
    schemes = sorted(vocabs.subjects(RDF.type, SKOS.ConceptScheme), key=str)
    body = ["<h1>unkg SKOS concept schemes</h1>",
            '<p>Controlled values of unkg data, under <code>https://w3id.org/unkg/vocab/</code>. '
            'Back to the <a href="index.html">ontology</a>. Files: <a href="vocabularies.ttl">'
            'vocabularies.ttl</a>, <a href="clause-verbs.ttl">clause-verbs.ttl</a> (generated).</p>',
            "<nav><ul>"]

    def key(iri: Node) -> str:
        return str(iri)[len(str(VOCAB)):].replace("/", "-")

    body += [f'<li><a href="#{esc(key(s))}">{esc(_pref(vocabs, s))}</a></li>' for s in schemes]
    body.append("</ul></nav>")
    for s in schemes:
        concepts = sorted(vocabs.subjects(SKOS.inScheme, s), key=str)
        body += [f'<section class="term" id="{esc(key(s))}">',
                 f"<h2>{esc(_pref(vocabs, s))}</h2>", f"<p><code>{esc(s)}</code></p>",
                 f"<p>{esc(_text(vocabs, s, SKOS.definition))}</p>",
                 f"<p>{len(concepts)} concepts.</p>",
                 "<table><tr><th>concept</th><th>notation</th><th>label</th><th>broader</th>"
                 "<th>definition</th></tr>"]
        for c in concepts:
            broader = vocabs.value(c, SKOS.broader)
            broader_cell = f'<a href="#{esc(key(broader))}">{esc(_pref(vocabs, broader))}</a>' if broader else ""
            alt = _text(vocabs, c, SKOS.altLabel)
            body.append(f'<tr id="{esc(key(c))}"><td><code>{esc(c)}</code></td>'
                        f"<td>{esc(vocabs.value(c, SKOS.notation) or '')}</td>"
                        f"<td>{esc(_pref(vocabs, c))}{' (' + esc(alt) + ')' if alt else ''}</td>"
                        f"<td>{broader_cell}</td><td>{esc(_text(vocabs, c, SKOS.definition))}</td></tr>")
        body += ["</table>", "</section>"]
    return _page("unkg SKOS concept schemes", body)


def _pref(g: Graph, s: Node) -> str:
    return _text(g, s, SKOS.prefLabel) or str(s)


def write_docs(outdir: Path, base_iri: str = DEFAULT_BASE_IRI) -> list[Path]:
    """Write index.html (ontology), vocabularies.html (SKOS schemes), classes.svg (diagram) and
    copies of the ontology, vocabulary, context and shape files into `outdir`; return the paths."""
    onto_dir, shapes_dir = project_dir("ontology"), project_dir("shapes")
    onto = Graph().parse(onto_dir / "unkg.ttl", format="turtle")
    vocabs = Graph().parse(onto_dir / "vocabularies.ttl", format="turtle")
    vocabs.parse(onto_dir / "clause-verbs.ttl", format="turtle")
    shapes = Graph()
    for name in ("unkg.shapes.ttl", "clause-verbs.shapes.ttl"):
        shapes.parse(shapes_dir / name, format="turtle")
    iris = IRIs(base_iri)  # validates and normalises the base
    examples = example_graph(iris.base)
    pages = (("index.html", ontology_page(onto, shapes, examples, iris.base)),
             ("vocabularies.html", vocabularies_page(vocabs)),
             ("classes.svg", class_diagram(onto)))
    written = []
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        for name, text in pages:
            path = outdir / name
            path.write_bytes(text.encode("utf-8"))
            written.append(path)
        for name, (folder, source) in DOC_FILES.items():
            path = outdir / name
            shutil.copyfile(project_dir(folder) / source, path)
            written.append(path)
    except OSError as exc:
        raise UnkgError(f"cannot write the documentation to {outdir}: {exc.strerror or exc}") from exc
    return written
