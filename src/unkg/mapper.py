"""Record -> triples of one document's named graph. The only module that knows the ontology's terms.

Conventions (see ontology/unkg.ttl and ontology/CHANGELOG.md):
- no blank nodes: every node has an IRI from unkg.iris, so graphs can be canonically sorted;
- the described resolution carries its unkg terms plus ELI, DC Terms and schema.org views
  (materialised, because consumers are not expected to run a reasoner);
- every cited document is a typed node with its symbol, reached by ``eli:cites`` (shortcut)
  and by one ``unkg:Citation`` per place it is cited (qualified, typed by clause verb);
- nodes shared between documents (sessions, agenda items, meetings, bodies, conferences,
  cited documents) are described only with facts derived from their IRI's key, so two graphs
  never disagree about them.

Speed matters (about 1 ms per document): plain loops over the Record, no SPARQL, no parsing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS as _DCTERMS
from rdflib.namespace import PROV as _PROV
from rdflib.namespace import RDF as _RDF
from rdflib.namespace import RDFS as _RDFS
from rdflib.namespace import XSD as _XSD

from . import iris as iri_mod
from .iris import IRIs
from .record import Paragraph, Record, SubParagraph
from .vocab import (
    ADOPTION_MODE,
    CITATION_TYPE,
    CLAUSE_VERB,
    DOCUMENT_TYPE,
    ELI_TERMS as _ELI,
    EU_LANGUAGE,
    MEDIA_TYPE,
    SCHEMA_TERMS as _SCHEMA,
    SESSION_KIND,
    UNKG as _UNKG,
)


def _fast(ns: Any) -> Any:
    """A closed namespace as plain attributes: DefinedNamespace.__getattr__ costs ~1 us a call,
    which was a tenth of the mapping time. Still closed: an unknown name raises AttributeError."""
    return SimpleNamespace(**{name: ns[name] for name in ns.__annotations__})


UNKG = _fast(_UNKG)
ELI = _fast(_ELI)
SCHEMA = _fast(_SCHEMA)
RDF = _fast(_RDF)
RDFS = SimpleNamespace(label=_RDFS.label)
DCTERMS = SimpleNamespace(identifier=_DCTERMS.identifier, title=_DCTERMS.title,
                          date=_DCTERMS.date, issued=_DCTERMS.issued, subject=_DCTERMS.subject)
PROV = SimpleNamespace(generatedAtTime=_PROV.generatedAtTime, wasDerivedFrom=_PROV.wasDerivedFrom)
XSD = SimpleNamespace(date=_XSD.date, dateTime=_XSD.dateTime, integer=_XSD.integer)

Triple = tuple[URIRef, URIRef, URIRef | Literal]


@dataclass
class Provenance:
    """Where a graph came from: file name, SHA-256 of its bytes, parser version, load time (ISO)."""

    source_file: str
    checksum: str
    parser_version: str
    loaded_at: str


# Clause-verb key (unkg.verbs.verb_head) -> citation type. Keys not listed give the generic "cites".
_CITATION_TYPES: dict[str, str] = {}
for _keys, _ctype in (
    (("recalling", "recalls", "recalling-also", "recollecting"), "recalls"),
    (("reaffirming", "reaffirms", "reiterating", "reiterates", "restating", "reasserts",
      "confirming", "confirms", "affirming", "affirms"), "reaffirms"),
    (("taking-note-of", "taking-note", "takes-note-of", "takes-note", "takes"), "takes-note-of"),
    (("welcoming", "welcomes"), "welcomes"),
    (("noting", "notes", "observing"), "notes"),
    (("endorsing", "endorses", "supporting", "supports"), "endorses"),
    (("acknowledging", "acknowledges", "acknowledge"), "acknowledges"),
    (("referring", "refers"), "refers-to"),
    (("bearing-in-mind", "bearing", "keeping-in-mind", "mindful-of", "mindful"), "bears-in-mind"),
    (("guided",), "guided-by"),
    (("having-considered", "having-examined", "having-reviewed", "having-studied",
      "having-received", "considering", "considers", "reviewing"), "considers"),
    (("approves", "adopts", "having-adopted"), "approves"),
):
    for _k in _keys:
        _CITATION_TYPES[_k] = _ctype

_BODY_BY_PREFIX = {"A": "General Assembly", "S": "Security Council",
                   "E": "Economic and Social Council"}
_KIND_WORDS = {"regular": "session", "special": "special session",
               "emergency-special": "emergency special session"}
_ENG = EU_LANGUAGE["ENG"]
# File extension (as unkg.readers reads them) -> (IRI segment of the unkg:File, IANA media type)
_FILE_FORMATS = {ext: (fmt, MEDIA_TYPE[mt]) for ext, fmt, mt in (
    (".txt", "txt", "text/plain"), (".text", "txt", "text/plain"),
    (".md", "md", "text/markdown"), (".markdown", "md", "text/markdown"),
    (".pdf", "pdf", "application/pdf"), (".json", "json", "application/json"))}


def _file_format(name: str | None) -> tuple[str, URIRef] | None:
    """(segment, media type) of a source file name by its extension; None for stdin or unknown."""
    if not name:
        return None
    dot = name.rfind(".")
    return _FILE_FORMATS.get(name[dot:].lower()) if dot > 0 else None


@lru_cache(maxsize=4096)  # a few hundred distinct phrases cover the corpus; matching is slow
def _verb_key(phrase: str | None) -> str | None:
    """The clause-verb key of a printed verb phrase, if it is in the clause-verb scheme."""
    if not phrase:
        return None
    from .verbs import ALL_VERB_HEADS, verb_head

    try:
        key = verb_head(phrase)
    except ValueError:
        return None
    return key if key in ALL_VERB_HEADS else None


@lru_cache(maxsize=4096)
def citation_type_key(phrase: str | None) -> str:
    """Citation-type key for a citing paragraph's verb phrase ('Taking note of' -> 'takes-note-of')."""
    key = _verb_key(phrase)
    if key is None and phrase:
        # unknown continuation: fall back on the first word ("Recalling, in this connection")
        key = iri_mod.slug(phrase.split()[0])
    return _CITATION_TYPES.get(key or "", "cites")


def document_class(symbol: str) -> URIRef:
    """The unkg class a symbol's form tells: /RES/ resolution, /DEC/ decision, /L. draft, PV./SR. record."""
    parts = symbol.replace(" ", "").split("/")
    if "RES" in parts:
        return UNKG.Resolution
    if "DEC" in parts:
        return UNKG.Decision
    if any(p.startswith("L.") for p in parts):
        return UNKG.DraftResolution
    if any(p.startswith(("PV.", "SR.")) for p in parts):
        return UNKG.MeetingRecord
    return UNKG.Document


_DOC_TYPE_OF_CLASS = {
    UNKG.Resolution: "resolution", UNKG.Decision: "decision",
    UNKG.DraftResolution: "draft-resolution", UNKG.Report: "report",
    UNKG.MeetingRecord: "meeting-record", UNKG.Document: "document",
}


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


# Literal() costs ~10 us (type dispatch, validation). Values that repeat across documents
# (numbers, symbols, markers, labels) are cached; long texts are not.
_lit = lru_cache(maxsize=16384, typed=True)(Literal)  # typed: 1 and True must differ
_label = lru_cache(maxsize=4096)(_en)


@lru_cache(maxsize=4096)  # Literal() parses the lexical form; dates repeat across a document
def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def _contains_symbol(text: str, symbol: str) -> bool:
    """True if `symbol` occurs in `text` as a whole symbol (not as the prefix of A/55/1400)."""
    start = text.find(symbol)
    while start != -1:
        before = text[start - 1] if start else " "
        end = start + len(symbol)
        after = text[end] if end < len(text) else " "
        nxt = text[end + 1] if end + 1 < len(text) else " "
        if not (before.isalnum() or before in "/.") and not (
                after.isalnum() or after == "/" or (after == "." and nxt.isdigit())):
            return True
        start = text.find(symbol, start + 1)
    return False


def _base_symbols(symbol: str) -> list[str]:
    """'A/55/140/Corr.1' -> ['A/55/140/Corr.1', 'A/55/140']: "A/55/140 and Corr.1" prints only the base."""
    out = [symbol]
    parts = symbol.split("/")
    while len(parts) > 2 and parts[-1].split(".")[0] in {"Add", "Corr", "Rev", "Amend"}:
        parts = parts[:-1]
        out.append("/".join(parts))
    return out


class _Mapper:
    """One mapping run; holds the IRIs of the document being mapped."""

    def __init__(self, record: Record, iris: IRIs, provenance: Provenance | None) -> None:
        if not record.symbol:
            raise ValueError("a record without a symbol cannot be mapped (its graph has no name)")
        self.r = record
        self.iris = iris
        self.prov = provenance
        self.symbol: str = record.symbol
        self.doc = iris.document(self.symbol)
        self.body_name = record.body or _BODY_BY_PREFIX.get(self.symbol.split("/")[0],
                                                            "General Assembly")
        self.out: list[Triple] = []
        self.add = self.out.append
        self.sessions_done: set[URIRef] = set()
        self.docs_done: set[tuple[URIRef, URIRef]] = set()
        # footnote marker -> verb phrase of the paragraph carrying it (for footnote citations)
        self.fn_verb: dict[str, str | None] = {}
        # number -> first paragraph with it ("operative:3" of a sectioned resolution means the first)
        self.pp: dict[int, Paragraph] = {}
        self.op: dict[int, Paragraph] = {}
        for p in record.preambular:
            self.pp.setdefault(p.number, p)
        for p in record.operative:
            self.op.setdefault(p.number, p)
        self.fn_markers = {f.marker for f in record.footnotes}
        self.file: URIRef | None = None

    # -- shared nodes ----------------------------------------------------------------------

    def body(self) -> URIRef:
        node = self.iris.body(self.body_name)
        self.add((node, RDF.type, UNKG.Body))
        self.add((node, RDFS.label, _label(self.body_name)))
        return node

    def session(self, session: str) -> URIRef:
        node = self.iris.session(session, self.body_name)
        if node in self.sessions_done:
            return node
        self.sessions_done.add(node)
        key = iri_mod.session_key(session)
        kind = iri_mod.session_kind(session)
        number = int(key.split("-")[-1])
        add = self.add
        add((node, RDF.type, UNKG.Session))
        add((node, UNKG.sessionNumber, _lit(number)))
        add((node, UNKG.sessionKind, SESSION_KIND[kind]))
        add((node, UNKG.ofBody, self.body()))
        add((node, RDFS.label, _label(f"{self.body_name}, {_ordinal(number)} {_KIND_WORDS[kind]}")))
        return node

    def cited_document(self, symbol: str, cls: URIRef) -> URIRef:
        node = self.iris.document(symbol)
        if (node, cls) in self.docs_done:
            return node
        self.docs_done.add((node, cls))
        self.add((node, RDF.type, cls))
        sym = _lit(symbol)
        self.add((node, UNKG.symbol, sym))
        self.add((node, DCTERMS.identifier, sym))
        return node

    # -- the document ----------------------------------------------------------------------

    def run(self) -> list[Triple]:
        r, doc, add = self.r, self.doc, self.add
        cls = UNKG.Decision if document_class(self.symbol) == UNKG.Decision else UNKG.Resolution
        add((doc, RDF.type, cls))
        add((doc, RDF.type, ELI.LegalResource))
        add((doc, RDF.type, SCHEMA.Legislation))
        add((doc, UNKG.documentType, DOCUMENT_TYPE[_DOC_TYPE_OF_CLASS[cls]]))
        sym = Literal(self.symbol)
        for p in (UNKG.symbol, DCTERMS.identifier, ELI.id_local, SCHEMA.legislationIdentifier):
            add((doc, p, sym))
        expr = self.iris.expression(self.symbol, "en")
        add((doc, ELI.is_realized_by, expr))
        add((expr, RDF.type, UNKG.ResolutionExpression))
        add((expr, RDF.type, ELI.LegalExpression))
        add((expr, ELI.realizes, doc))
        add((expr, ELI.language, _ENG))
        # the loaded file (ELI Format) comes with the provenance: `unkg parse` of a file and of
        # stdin give the same graph, so the Record's own source name is not used
        fmt = _file_format(self.prov.source_file) if self.prov is not None else None
        if fmt is not None:
            self.file = f = self.iris.file(self.symbol, "en", fmt[0])
            add((expr, ELI.is_embodied_by, f))
            add((f, RDF.type, UNKG.File))
            add((f, RDF.type, ELI.Format))
            add((f, ELI.embodies, expr))
            add((f, ELI.format, fmt[1]))
        if r.title:
            title = _en(r.title)
            add((doc, DCTERMS.title, title))
            add((doc, SCHEMA.name, title))
            add((expr, ELI.title, title))
            # the topic the title names: resolutions of one annual series share it, whatever
            # their case, spacing or punctuation ("Non Proliferation" is "Non-Proliferation")
            subject = self.iris.agenda_topic(r.title)
            add((doc, DCTERMS.subject, subject))
            add((subject, RDF.type, UNKG.AgendaTopic))
            add((subject, RDFS.label, title))
        if r.adopted:
            d = _date(r.adopted)
            for p in (UNKG.dateAdopted, ELI.date_document, DCTERMS.date, SCHEMA.legislationDate):
                add((doc, p, d))
        if r.distributed:
            d = _date(r.distributed)
            for p in (UNKG.dateDistributed, ELI.date_publication, DCTERMS.issued):
                add((doc, p, d))
        body = self.body()
        for p in (UNKG.body, ELI.passed_by, SCHEMA.legislationPassedBy):
            add((doc, p, body))
        session = self.session(r.session) if r.session else None
        if session is not None:
            add((doc, UNKG.session, session))
            topic = self.series_topic()
            for item in r.agenda_items:
                self.agenda_item(session, item, topic)
        if r.committee:
            committee = self.iris.committee(r.committee, self.body_name)
            add((doc, UNKG.committee, committee))
            add((committee, RDF.type, UNKG.Committee))
            add((committee, RDFS.label, _label(r.committee)))
            add((committee, UNKG.parentBody, body))
        for report in r.reports:
            add((doc, UNKG.adoptedOnReport, self.cited_document(report, UNKG.Report)))
        for draft in r.drafts:
            # "[without reference to a Main Committee (A/76/550)]" can name a report: type by symbol
            add((doc, UNKG.adoptedOnDraft, self.cited_document(draft, document_class(draft))))
        if r.meeting is not None and r.meeting.number is not None:
            self.meeting(r.meeting.number, r.meeting.date, r.meeting.kind)
        self.adoption()
        self.paragraphs()
        self.footnotes()
        self.annexes()
        self.citations()
        self.conferences()
        self.mandates()
        self.inclusions()
        self.source_record()
        return self.out

    def series_topic(self) -> URIRef | None:
        """The recurring topic of the resolution's one agenda item, when it tells it: the
        resolution puts an item with its own title on a future session's agenda (the annual
        series pattern, "include in the provisional agenda of its sixty-second session the item
        entitled ..."). Several agenda items, or no such inclusion: no topic."""
        r = self.r
        if len(r.agenda_items) != 1 or not r.title:
            return None
        title = " ".join(r.title.split()).casefold()
        for a in r.agenda_inclusions:
            if a.title and " ".join(a.title.split()).casefold() == title:
                return self.iris.agenda_topic(a.title)
        return None

    def agenda_item(self, session: URIRef, item: str, topic: URIRef | None = None) -> None:
        assert self.r.session is not None
        number, letter = iri_mod.agenda_item_key(item)
        node = self.iris.agenda_item(self.r.session, item, self.body_name)
        self.add((self.doc, UNKG.agendaItem, node))
        if topic is not None:
            self.add((node, UNKG.topic, topic))
        self._item_node(node, session, f"{number} ({letter})" if letter else number)
        if letter:
            parent = self.iris.agenda_item(self.r.session, number, self.body_name)
            self.add((node, UNKG.parentItem, parent))
            self._item_node(parent, session, number)

    def _item_node(self, node: URIRef, session: URIRef, notation: str) -> None:
        self.add((node, RDF.type, UNKG.AgendaItem))
        self.add((node, UNKG.itemNumber, _lit(notation)))
        self.add((node, UNKG.inSession, session))
        self.add((node, RDFS.label, _label(f"Agenda item {notation}")))

    def meeting(self, number: int, date: str | None, kind: str) -> None:
        node = self.iris.meeting(number, self.r.session, self.body_name)
        add = self.add
        add((self.doc, UNKG.adoptedAt, node))
        add((node, RDF.type, UNKG.Meeting))
        add((node, UNKG.meetingNumber, _lit(int(number))))
        add((node, UNKG.ofBody, self.body()))
        if date:
            add((node, UNKG.meetingDate, _date(date)))
        word = "plenary meeting" if kind == "plenary" else "meeting"
        add((node, RDFS.label, _label(f"{_ordinal(int(number))} {word}")))
        record = iri_mod.meeting_record_symbol(number, self.r.session, self.body_name)
        if record is not None:
            add((node, UNKG.recordedIn, self.cited_document(record, UNKG.MeetingRecord)))
        if self.r.session and iri_mod.BODY_CODES.get(self.body_name) == "ga":
            add((node, UNKG.inSession, self.session(self.r.session)))

    def adoption(self) -> None:
        v = self.r.vote
        mode = "unknown"
        if v is not None:
            if v.without_vote:
                mode = "without-vote"
            elif v.unanimous:
                mode = "consensus"
            elif any(x is not None for x in (v.yes, v.no, v.abstain)):
                mode = "vote"
            counts = [(UNKG.votesInFavour, v.yes), (UNKG.votesAgainst, v.no),
                      (UNKG.abstentions, v.abstain), (UNKG.nonVoting, v.non_voting)]
            if any(c is not None for _, c in counts):
                node = self.iris.vote(self.symbol)
                self.add((self.doc, UNKG.hasVote, node))
                self.add((node, RDF.type, UNKG.Vote))
                for prop, count in counts:
                    if count is not None:
                        self.add((node, prop, Literal(int(count), datatype=XSD.integer)))
        self.add((self.doc, UNKG.adoptionMode, ADOPTION_MODE[mode]))

    # -- text structure --------------------------------------------------------------------

    def paragraphs(self) -> None:
        for kind, paras, cls in (("pp", self.r.preambular, UNKG.PreambularParagraph),
                                 ("op", self.r.operative, UNKG.OperativeParagraph)):
            part, previous = 1, 0
            for p in paras:
                # Sectioned resolutions (A/RES/75/245 A, B, C) restart their operative numbering;
                # the Record has no section, so a restart opens a new part rather than letting
                # two paragraphs collide on one IRI.
                if kind == "op" and p.number <= previous:
                    part += 1
                previous = p.number
                node = self.para_iri(kind, p.number, part)
                self.paragraph(node, p, cls, part)
                for marker in p.footnotes:
                    self.fn_verb.setdefault(marker, p.verb)

    def para_iri(self, kind: str, number: int, part: int = 1, *labels: str) -> URIRef:
        if kind == "pp":
            if labels:
                return self.iris.preambular_sub(self.symbol, number, *labels)
            return self.iris.preambular(self.symbol, number)
        if part > 1:
            return self.iris.operative_in_part(self.symbol, part, number, *labels)
        return self.iris.operative(self.symbol, number, *labels)

    def paragraph(self, node: URIRef, p: Paragraph, cls: URIRef, part: int = 1) -> None:
        add = self.add
        add((self.doc, UNKG.hasParagraph, node))
        add((node, RDF.type, cls))
        add((node, ELI.is_part_of, self.doc))
        add((node, UNKG.number, _lit(int(p.number))))
        add((node, UNKG.text, _en(p.text)))
        if p.verb:
            add((node, UNKG.verbPhrase, _lit(p.verb)))
            key = _verb_key(p.verb)
            if key is not None:
                add((node, UNKG.clauseVerb, CLAUSE_VERB[key]))
        for marker in p.footnotes:
            add((node, UNKG.footnoteRef, self.iris.footnote(self.symbol, marker)))
        kind = "pp" if cls == UNKG.PreambularParagraph else "op"
        self.subparagraphs(node, kind, p.number, part, (), p.subparagraphs)

    def subparagraphs(self, parent: URIRef, kind: str, number: int, part: int,
                      labels: tuple[str, ...], subs: list[SubParagraph]) -> None:
        add = self.add
        for s in subs:
            path = labels + (s.label,)
            node = self.para_iri(kind, number, part, *path)
            add((parent, UNKG.hasSubParagraph, node))
            add((node, RDF.type, UNKG.SubParagraph))
            add((node, ELI.is_part_of, parent))
            add((node, UNKG.label, _lit(s.label)))
            add((node, UNKG.text, _en(s.text)))
            self.subparagraphs(node, kind, number, part, path, s.subparagraphs)

    def footnotes(self) -> None:
        for f in self.r.footnotes:
            node = self.iris.footnote(self.symbol, f.marker)
            self.add((self.doc, UNKG.hasFootnote, node))
            self.add((node, RDF.type, UNKG.Footnote))
            self.add((node, ELI.is_part_of, self.doc))
            self.add((node, UNKG.marker, _lit(f.marker)))
            self.add((node, UNKG.text, _en(f.text)))

    def annexes(self) -> None:
        for i, text in enumerate(self.r.annexes, start=1):
            node = self.iris.annex(self.symbol, i)
            self.add((self.doc, UNKG.hasAnnex, node))
            self.add((node, RDF.type, UNKG.Annex))
            self.add((node, ELI.is_part_of, self.doc))
            self.add((node, UNKG.number, _lit(i)))
            self.add((node, UNKG.text, _en(text)))

    # -- citations -------------------------------------------------------------------------

    def locate(self, where: str, symbol: str) -> tuple[URIRef | None, str | None]:
        """(IRI of the place, verb phrase that types the citation) for a Citation.where entry."""
        kind, _, ref = where.partition(":")
        if kind == "preambular" and ref.isdigit() and int(ref) in self.pp:
            return self.iris.preambular(self.symbol, int(ref)), self.pp[int(ref)].verb
        if kind == "operative" and ref.isdigit() and int(ref) in self.op:
            return self.iris.operative(self.symbol, int(ref)), self.op[int(ref)].verb
        if kind == "footnote" and ref in self.fn_markers:
            return self.iris.footnote(self.symbol, ref), self.fn_verb.get(ref)
        if kind == "annex" and self.r.annexes:
            short = symbol.split("/RES/")[-1]
            for i, text in enumerate(self.r.annexes, start=1):
                if _contains_symbol(text, symbol) or _contains_symbol(text, short):
                    return self.iris.annex(self.symbol, i), None
            return self.iris.annex(self.symbol, 1), None
        return None, None

    def _places(self) -> list[tuple[str, str]]:
        """(Citation.where entry, text) for every text a symbol can be printed in, in order."""
        out = [(f"footnote:{f.marker}", f.text) for f in self.r.footnotes]

        def subs(where: str, items: list[SubParagraph]) -> None:
            for s in items:
                out.append((where, s.text))
                subs(where, s.subparagraphs)

        for kind, paras in (("preambular", self.r.preambular), ("operative", self.r.operative)):
            for p in paras:
                out.append((f"{kind}:{p.number}", p.text))
                subs(f"{kind}:{p.number}", p.subparagraphs)
        out += [("annex", text) for text in self.r.annexes]
        return out

    def find_places(self, symbol: str, texts: list[tuple[str, str]]) -> list[str]:
        """Where a referenced document's symbol is printed, as Citation.where entries."""
        candidates = _base_symbols(symbol)
        found: list[str] = []
        for where, text in texts:
            if where not in found and any(c in text and _contains_symbol(text, c)
                                          for c in candidates):
                found.append(where)
        return found

    def citations(self) -> None:
        index = 0
        items: list[tuple[str, str | None, list[str]]] = []
        for c in self.r.cites:
            items.append((c.symbol, c.date, c.where))
        texts = self._places() if self.r.documents else []
        for symbol in self.r.documents:
            items.append((symbol, None, self.find_places(symbol, texts)))
        for symbol, date, where in items:
            if symbol == self.symbol:
                continue  # a document quoting its own symbol does not cite itself
            target = self.cited_document(symbol, document_class(symbol))
            self.add((self.doc, ELI.cites, target))
            places: list[tuple[URIRef | None, str | None]] = []
            for w in where:
                place = self.locate(w, symbol)
                if place[0] is not None and place not in places:
                    places.append(place)
            for place_iri, verb in places or [(None, None)]:
                index += 1
                node = self.iris.citation(self.symbol, index)
                add = self.add
                add((self.doc, UNKG.hasCitation, node))
                add((node, RDF.type, UNKG.Citation))
                add((node, UNKG.citedDocument, target))
                if place_iri is not None:
                    add((node, UNKG.citedIn, place_iri))
                add((node, UNKG.citationType, CITATION_TYPE[citation_type_key(verb)]))
                if date:
                    add((node, UNKG.citedDate, _date(date)))

    # -- events, mandates, agenda ----------------------------------------------------------

    def conferences(self) -> None:
        for c in self.r.conferences:
            series = self.iris.conference_series(c.name)
            node = self.iris.conference(c.name, c.start, c.place)
            add = self.add
            add((self.doc, UNKG.mentionsConference, node))
            add((node, RDF.type, UNKG.Conference))
            add((node, RDFS.label, _label(c.name)))
            add((node, UNKG.inSeries, series))
            if c.place:
                add((node, UNKG.place, Literal(c.place)))
            if c.start:
                add((node, UNKG.startDate, _date(c.start)))
            if c.end:
                add((node, UNKG.endDate, _date(c.end)))
            add((series, RDF.type, UNKG.ConferenceSeries))
            add((series, RDFS.label, _label(c.name)))

    def mandates(self) -> None:
        for i, m in enumerate(self.r.mandates, start=1):
            node = self.iris.mandate(self.symbol, i)
            self.add((self.doc, UNKG.hasMandate, node))
            self.add((node, RDF.type, UNKG.Mandate))
            self.add((node, UNKG.inParagraph, self.iris.operative(self.symbol, m.paragraph)))
            self.add((node, UNKG.addresseeName, Literal(m.addressee)))
            if m.due_session:
                self.add((node, UNKG.dueSession, self.session(m.due_session)))

    def inclusions(self) -> None:
        for i, a in enumerate(self.r.agenda_inclusions, start=1):
            node = self.iris.agenda_inclusion(self.symbol, i)
            self.add((self.doc, UNKG.hasAgendaInclusion, node))
            self.add((node, RDF.type, UNKG.AgendaInclusion))
            self.add((node, UNKG.inParagraph, self.iris.operative(self.symbol, a.paragraph)))
            self.add((node, UNKG.inclusionSession, self.session(a.session)))
            if a.title:
                self.add((node, UNKG.itemTitle, _en(a.title)))
                topic = self.iris.agenda_topic(a.title)
                self.add((node, UNKG.topic, topic))
                self.add((topic, RDF.type, UNKG.AgendaTopic))
                self.add((topic, RDFS.label, _en(a.title)))

    def source_record(self) -> None:
        node = self.iris.graph(self.symbol)
        self.add((node, RDF.type, UNKG.SourceRecord))
        self.add((node, UNKG.describes, self.doc))
        if self.file is not None:
            self.add((node, PROV.wasDerivedFrom, self.file))
        if self.prov is not None:
            p = self.prov
            self.add((node, UNKG.sourceFile, Literal(p.source_file)))
            self.add((node, UNKG.sourceChecksum, Literal(p.checksum)))
            self.add((node, UNKG.parserVersion, Literal(p.parser_version)))
            self.add((node, PROV.generatedAtTime, Literal(p.loaded_at, datatype=XSD.dateTime)))


def record_triples(record: Record, iris: IRIs, provenance: Provenance | None = None) -> Iterator[Triple]:
    """The triples of one document's graph, without building an rdflib Graph (for bulk loads)."""
    # dict.fromkeys: drop the repeats (shared nodes such as the body) and keep a stable order
    return iter(dict.fromkeys(_Mapper(record, iris, provenance).run()))


def record_to_graph(record: Record, iris: IRIs, provenance: Provenance | None = None) -> Graph:
    """Every triple of one document's named graph; the caller stores them in ``iris.graph(record.symbol)``."""
    # The default (context-aware) store: pySHACL and Dataset code need it. SimpleMemory fills
    # three times faster but breaks them; bulk loaders should use record_triples() instead.
    g = Graph()
    g.addN((s, p, o, g) for s, p, o in _Mapper(record, iris, provenance).run())
    return g
