"""The unkg ontology's terms, as a closed namespace (a typo raises instead of minting a new IRI).

Kept in step with ontology/unkg.ttl by tests/test_ontology.py.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/unkg/ontology"
ONTOLOGY_VERSION = "0.2.0"

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ELI_DL = Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
# IANA media types, as ELI data uses for eli:format.
MEDIA_TYPE = Namespace("http://www.iana.org/assignments/media-types/")
# EU Publications Office language authority, as ELI data uses for eli:language.
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")


class ELI_TERMS(DefinedNamespace):
    """The ELI terms unkg emits, closed so that a typo fails (ELI itself is open above)."""

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    LegalResource: URIRef
    LegalExpression: URIRef
    Format: URIRef
    cites: URIRef
    date_document: URIRef
    date_publication: URIRef
    id_local: URIRef
    is_part_of: URIRef
    is_realized_by: URIRef
    realizes: URIRef
    is_embodied_by: URIRef
    embodies: URIRef
    format: URIRef
    language: URIRef
    passed_by: URIRef
    title: URIRef


class SCHEMA_TERMS(DefinedNamespace):
    """The schema.org terms unkg emits for schema.org-only consumers."""

    _NS = Namespace("https://schema.org/")
    _fail = True

    Legislation: URIRef
    name: URIRef
    legislationIdentifier: URIRef
    legislationDate: URIRef
    legislationPassedBy: URIRef


class UNKG(DefinedNamespace):
    """Classes and properties of https://w3id.org/unkg/ontology#."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # documents
    Document: URIRef
    Resolution: URIRef
    Decision: URIRef
    DraftResolution: URIRef
    Report: URIRef
    MeetingRecord: URIRef
    ResolutionExpression: URIRef
    File: URIRef
    # procedure
    Body: URIRef
    Committee: URIRef
    Session: URIRef
    AgendaItem: URIRef
    AgendaTopic: URIRef
    Meeting: URIRef
    Vote: URIRef
    Conference: URIRef
    ConferenceSeries: URIRef
    # text structure
    Paragraph: URIRef
    PreambularParagraph: URIRef
    OperativeParagraph: URIRef
    SubParagraph: URIRef
    Footnote: URIRef
    Annex: URIRef
    # reified statements
    Citation: URIRef
    Mandate: URIRef
    AgendaInclusion: URIRef
    SourceRecord: URIRef

    # document properties
    symbol: URIRef
    body: URIRef
    session: URIRef
    agendaItem: URIRef
    committee: URIRef
    adoptedOnReport: URIRef
    adoptedOnDraft: URIRef
    adoptedAt: URIRef
    dateAdopted: URIRef
    dateDistributed: URIRef
    adoptionMode: URIRef
    hasVote: URIRef
    hasParagraph: URIRef
    hasPreambularParagraph: URIRef
    hasOperativeParagraph: URIRef
    hasSubParagraph: URIRef
    hasFootnote: URIRef
    hasAnnex: URIRef
    hasCitation: URIRef
    hasMandate: URIRef
    hasAgendaInclusion: URIRef
    mentionsConference: URIRef
    documentType: URIRef
    # paragraph properties
    number: URIRef
    label: URIRef
    text: URIRef
    clauseVerb: URIRef
    verbPhrase: URIRef
    footnoteRef: URIRef
    marker: URIRef
    # citations
    citedDocument: URIRef
    citedIn: URIRef
    citationType: URIRef
    citedDate: URIRef
    # mandates and inclusions
    addressee: URIRef
    addresseeName: URIRef
    dueSession: URIRef
    inParagraph: URIRef
    inclusionSession: URIRef
    itemTitle: URIRef
    # sessions, items, meetings, bodies
    sessionNumber: URIRef
    sessionKind: URIRef
    ofBody: URIRef
    inSession: URIRef
    itemNumber: URIRef
    parentItem: URIRef
    topic: URIRef
    meetingNumber: URIRef
    meetingDate: URIRef
    recordedIn: URIRef
    parentBody: URIRef
    # conferences
    place: URIRef
    startDate: URIRef
    endDate: URIRef
    inSeries: URIRef
    # votes
    votesInFavour: URIRef
    votesAgainst: URIRef
    abstentions: URIRef
    nonVoting: URIRef
    # provenance of a named graph
    describes: URIRef
    sourceFile: URIRef
    sourceChecksum: URIRef
    parserVersion: URIRef


# SKOS concept schemes (ontology/vocabularies.ttl)
VOCAB = Namespace("https://w3id.org/unkg/vocab/")
CLAUSE_VERB = Namespace("https://w3id.org/unkg/vocab/clause-verb/")
CITATION_TYPE = Namespace("https://w3id.org/unkg/vocab/citation-type/")
DOCUMENT_TYPE = Namespace("https://w3id.org/unkg/vocab/document-type/")
SESSION_KIND = Namespace("https://w3id.org/unkg/vocab/session-kind/")
ADOPTION_MODE = Namespace("https://w3id.org/unkg/vocab/adoption-mode/")
COMMITTEE = Namespace("https://w3id.org/unkg/vocab/committee/")
