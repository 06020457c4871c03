"""SHACL shapes: the seed conforms; for each shape a small broken graph is reported as expected."""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from unkg.iris import IRIs
from unkg.mapper import record_to_graph
from unkg.shapes import load_shapes, rewrite_pattern
from unkg.vocab import UNKG

from unkg_seed import PROVENANCE, seed_record

B = "https://w3id.org/unkg/"
USH = "https://w3id.org/unkg/shapes#"
PREFIXES = f"""
@prefix unkg: <https://w3id.org/unkg/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <{B}> .
"""
# A described GA resolution that passes the described-document shapes, to build on.
GOOD_DOC = """
<graph/A/RES/1/1> a unkg:SourceRecord ; unkg:describes <doc/A/RES/1/1> ;
    unkg:sourceChecksum "0000000000000000000000000000000000000000000000000000000000000000" .
<body/ga> a unkg:Body ; rdfs:label "General Assembly"@en .
<session/ga/1> a unkg:Session ; unkg:sessionNumber 1 ; unkg:ofBody <body/ga> ;
    unkg:sessionKind <https://w3id.org/unkg/vocab/session-kind/regular> .
<doc/A/RES/1/1/en> a unkg:ResolutionExpression ; eli:realizes <doc/A/RES/1/1> ;
    eli:language <http://publications.europa.eu/resource/authority/language/ENG> .
<doc/A/RES/1/1> a unkg:Resolution ; unkg:symbol "A/RES/1/1" ; dcterms:title "T"@en ;
    unkg:dateAdopted "2006-12-06"^^xsd:date ; unkg:dateDistributed "2006-12-19"^^xsd:date ;
    unkg:session <session/ga/1> ; unkg:body <body/ga> ;
    unkg:documentType <https://w3id.org/unkg/vocab/document-type/resolution> ;
    unkg:adoptionMode <https://w3id.org/unkg/vocab/adoption-mode/unknown> ;
    eli:is_realized_by <doc/A/RES/1/1/en> ; unkg:hasParagraph <doc/A/RES/1/1/op/1> .
<doc/A/RES/1/1/op/1> a unkg:OperativeParagraph ; unkg:number 1 ; unkg:text "Decides."@en ;
    eli:is_part_of <doc/A/RES/1/1> ; unkg:clauseVerb <https://w3id.org/unkg/vocab/clause-verb/decides> .
"""


@dataclass
class Case:
    name: str
    shape: str  # the node shape (in ush:) whose constraint must report it
    ttl: str
    focus: str  # relative to the base unless absolute
    path: str | None  # CURIE of the result path, "inverse" for an inverse path, None for none
    severity: str = "Violation"


CASES = [
    Case("adopted-after-distributed", "DescribedDocumentShape",
         GOOD_DOC.replace('"2006-12-06"', '"2006-12-20"'), "doc/A/RES/1/1", "unkg:dateAdopted"),
    Case("adoption-date-untyped", "DescribedDocumentShape",
         GOOD_DOC.replace('"2006-12-06"^^xsd:date', '"6 December 2006"'), "doc/A/RES/1/1", "unkg:dateAdopted"),
    Case("no-title", "TitledDocumentShape",
         GOOD_DOC.replace('dcterms:title "T"@en ;', ""), "doc/A/RES/1/1", None),
    Case("untagged-title", "DescribedDocumentShape",
         GOOD_DOC.replace('dcterms:title "T"@en ;', 'dcterms:title "T" ;'), "doc/A/RES/1/1", "dcterms:title"),
    Case("untyped-subject", "DescribedDocumentShape",
         GOOD_DOC.replace('dcterms:title "T"@en ;', 'dcterms:title "T"@en ; dcterms:subject <topic/t> ;'),
         "doc/A/RES/1/1", "dcterms:subject"),
    Case("no-distribution-date", "DescribedDocumentShape",
         GOOD_DOC.replace('unkg:dateDistributed "2006-12-19"^^xsd:date ;', ""), "doc/A/RES/1/1",
         "unkg:dateDistributed", "Warning"),
    Case("document-type-outside-scheme", "DescribedDocumentShape",
         GOOD_DOC.replace("document-type/resolution", "document-type/law"), "doc/A/RES/1/1", "unkg:documentType"),
    Case("ga-resolution-without-session", "GeneralAssemblySessionShape",
         GOOD_DOC.replace("unkg:session <session/ga/1> ;", ""), "doc/A/RES/1/1", None),
    Case("operative-numbering-gap", "OperativeNumberingShape",
         GOOD_DOC + """<doc/A/RES/1/1> unkg:hasParagraph <doc/A/RES/1/1/op/3> .
            <doc/A/RES/1/1/op/3> a unkg:OperativeParagraph ; unkg:number 3 .""",
         "doc/A/RES/1/1", None, "Warning"),
    Case("preambular-numbering-gap", "PreambularNumberingShape",
         GOOD_DOC + """<doc/A/RES/1/1> unkg:hasParagraph <doc/A/RES/1/1/pp/2> .
            <doc/A/RES/1/1/pp/2> a unkg:PreambularParagraph ; unkg:number 2 .""",
         "doc/A/RES/1/1", None, "Warning"),
    Case("report-symbol", "DocumentShape",
         '<doc/A/61/389> a unkg:Report ; unkg:symbol "A 61 389" .', "doc/A/61/389", "unkg:symbol"),
    Case("document-without-symbol", "DocumentShape",
         '<doc/A/61/389> a unkg:Document .', "doc/A/61/389", "unkg:symbol"),
    Case("resolution-symbol", "ResolutionShape",
         '<doc/A/53/70> a unkg:Resolution ; unkg:symbol "A/53/70" .', "doc/A/53/70", "unkg:symbol"),
    Case("resolution-iri-outside-base", "ResolutionShape",
         '<http://example.org/doc/A/RES/1/1> a unkg:Resolution ; unkg:symbol "A/RES/1/1" .',
         "http://example.org/doc/A/RES/1/1", None),
    Case("decision-symbol", "DecisionShape",
         '<doc/A/RES/61/503> a unkg:Decision ; unkg:symbol "A/RES/61/503" .', "doc/A/RES/61/503", "unkg:symbol"),
    Case("draft-symbol", "DraftResolutionShape",
         '<doc/A/C.1/61/35> a unkg:DraftResolution ; unkg:symbol "A/C.1/61/35" .', "doc/A/C.1/61/35",
         "unkg:symbol"),
    Case("meeting-record-symbol", "MeetingRecordShape",
         '<doc/A/61/67> a unkg:MeetingRecord ; unkg:symbol "A/61/67" .', "doc/A/61/67", "unkg:symbol"),
    Case("cited-document-not-in-store", "CitedDocumentInStoreShape",
         '<doc/A/RES/1/1> eli:cites <doc/A/60/202> .', "doc/A/60/202", "inverse", "Info"),
    Case("expression-without-language", "ResolutionExpressionShape",
         '<doc/A/RES/1/1/en> a unkg:ResolutionExpression ; eli:realizes <doc/A/RES/1/1> .',
         "doc/A/RES/1/1/en", "eli:language"),
    Case("preambular-number-zero", "PreambularParagraphShape",
         '<doc/A/RES/1/1/pp/1> a unkg:PreambularParagraph ; unkg:number 0 ; unkg:text "x"@en ; '
         'eli:is_part_of <doc/A/RES/1/1> .', "doc/A/RES/1/1/pp/1", "unkg:number"),
    Case("footnote-reference-without-footnote", "PreambularParagraphShape",
         '<doc/A/RES/1/1/pp/1> a unkg:PreambularParagraph ; unkg:number 1 ; unkg:text "x"@en ; '
         'eli:is_part_of <doc/A/RES/1/1> ; unkg:footnoteRef <doc/A/RES/1/1/fn/9> .',
         "doc/A/RES/1/1/pp/1", "unkg:footnoteRef"),
    Case("operative-without-clause-verb", "OperativeParagraphShape",
         GOOD_DOC.replace("; unkg:clauseVerb <https://w3id.org/unkg/vocab/clause-verb/decides>", ""),
         "doc/A/RES/1/1/op/1", "unkg:clauseVerb", "Warning"),
    Case("clause-verb-outside-scheme", "OperativeParagraphShape",
         GOOD_DOC.replace("https://w3id.org/unkg/vocab/clause-verb/decides", "https://example.org/verb/decides"),
         "doc/A/RES/1/1/op/1", "unkg:clauseVerb"),
    Case("sub-paragraph-label", "SubParagraphShape",
         '<doc/A/RES/1/1/op/1/a> a unkg:SubParagraph ; unkg:label "(a)" ; unkg:text "x"@en ; '
         'eli:is_part_of <doc/A/RES/1/1/op/1> . <doc/A/RES/1/1/op/1> a unkg:OperativeParagraph .',
         "doc/A/RES/1/1/op/1/a", "unkg:label"),
    Case("footnote-without-marker", "FootnoteShape",
         '<doc/A/RES/1/1/fn/1> a unkg:Footnote ; unkg:text "A/60/202."@en ; eli:is_part_of <doc/A/RES/1/1> .',
         "doc/A/RES/1/1/fn/1", "unkg:marker"),
    Case("annex-number-text", "AnnexShape",
         '<doc/A/RES/1/1/annex/1> a unkg:Annex ; unkg:number "one" ; unkg:text "x"@en ; '
         'eli:is_part_of <doc/A/RES/1/1> .', "doc/A/RES/1/1/annex/1", "unkg:number"),
    Case("citation-target-without-symbol", "CitationShape",
         '<doc/A/RES/1/1/citation/1> a unkg:Citation ; unkg:citedDocument <doc/A/RES/53/70> ; '
         'unkg:citationType <https://w3id.org/unkg/vocab/citation-type/recalls> ; '
         'unkg:citedIn <doc/A/RES/1/1/pp/1> . <doc/A/RES/1/1/pp/1> a unkg:PreambularParagraph .',
         "doc/A/RES/1/1/citation/1", "unkg:citedDocument"),
    Case("citation-type-outside-scheme", "CitationShape",
         '<doc/A/RES/1/1/citation/1> a unkg:Citation ; unkg:citedDocument <doc/A/60/202> ; '
         'unkg:citationType <https://w3id.org/unkg/vocab/clause-verb/recalling> . '
         '<doc/A/60/202> unkg:symbol "A/60/202" .', "doc/A/RES/1/1/citation/1", "unkg:citationType"),
    Case("citation-place-unknown", "CitationShape",
         '<doc/A/RES/1/1/citation/1> a unkg:Citation ; unkg:citedDocument <doc/A/60/202> ; '
         'unkg:citationType <https://w3id.org/unkg/vocab/citation-type/cites> . '
         '<doc/A/60/202> unkg:symbol "A/60/202" .', "doc/A/RES/1/1/citation/1", "unkg:citedIn", "Warning"),
    Case("body-without-label", "BodyShape", "<body/ga> a unkg:Body .", "body/ga", "rdfs:label"),
    Case("committee-without-body", "CommitteeShape",
         '<body/ga/first-committee> a unkg:Committee ; rdfs:label "First Committee"@en .',
         "body/ga/first-committee", "unkg:parentBody"),
    Case("session-kind", "SessionShape",
         '<session/ga/61> a unkg:Session ; unkg:sessionNumber 61 ; unkg:ofBody <body/ga> ; '
         'unkg:sessionKind <https://w3id.org/unkg/vocab/session-kind/annual> . '
         '<body/ga> a unkg:Body ; rdfs:label "GA"@en .', "session/ga/61", "unkg:sessionKind"),
    Case("agenda-item-without-session", "AgendaItemShape",
         '<session/ga/61/item/85> a unkg:AgendaItem ; unkg:itemNumber "85" .',
         "session/ga/61/item/85", "unkg:inSession"),
    Case("agenda-topic-without-label", "AgendaTopicShape", "<topic/ict> a unkg:AgendaTopic .",
         "topic/ict", "rdfs:label"),
    Case("meeting-date-untyped", "MeetingShape",
         '<meeting/ga/61/plenary/67> a unkg:Meeting ; unkg:meetingNumber 67 ; unkg:ofBody <body/ga> ; '
         'unkg:meetingDate "6 December 2006" . '
         '<body/ga> a unkg:Body ; rdfs:label "GA"@en .', "meeting/ga/61/plenary/67", "unkg:meetingDate"),
    Case("vote-count-untyped", "VoteShape",
         '<doc/A/RES/1/1/vote> a unkg:Vote ; unkg:votesInFavour "many" .', "doc/A/RES/1/1/vote",
         "unkg:votesInFavour"),
    Case("conference-ends-before-start", "ConferenceShape",
         '<conference/wsis/2003-12-10> a unkg:Conference ; rdfs:label "WSIS"@en ; unkg:inSeries <conference/wsis> ; '
         'unkg:startDate "2003-12-10"^^xsd:date ; unkg:endDate "2003-12-01"^^xsd:date . '
         '<conference/wsis> a unkg:ConferenceSeries ; rdfs:label "WSIS"@en .',
         "conference/wsis/2003-12-10", "unkg:startDate"),
    Case("conference-series-without-label", "ConferenceSeriesShape",
         "<conference/wsis> a unkg:ConferenceSeries .", "conference/wsis", "rdfs:label"),
    Case("mandate-in-missing-paragraph", "MandateShape",
         '<doc/A/RES/1/1/mandate/1> a unkg:Mandate ; unkg:addresseeName "Secretary-General" ; '
         'unkg:inParagraph <doc/A/RES/1/1/op/9> .', "doc/A/RES/1/1/mandate/1", "unkg:inParagraph"),
    Case("inclusion-without-session", "AgendaInclusionShape",
         '<doc/A/RES/1/1/inclusion/1> a unkg:AgendaInclusion ; unkg:inParagraph <doc/A/RES/1/1/op/1> . '
         '<doc/A/RES/1/1/op/1> a unkg:OperativeParagraph .', "doc/A/RES/1/1/inclusion/1",
         "unkg:inclusionSession"),
    Case("source-checksum", "SourceRecordShape",
         '<graph/A/RES/1/1> a unkg:SourceRecord ; unkg:describes <doc/A/RES/1/1> ; unkg:sourceChecksum "md5:abc" .',
         "graph/A/RES/1/1", "unkg:sourceChecksum"),
    Case("clause-verb-not-in-vocabulary", "OperativeParagraphShape",
         GOOD_DOC.replace("clause-verb/decides", "clause-verb/frobnicates"),
         "doc/A/RES/1/1/op/1", "unkg:clauseVerb"),
    Case("preambular-clause-verb-not-in-vocabulary", "PreambularParagraphShape",
         '<doc/A/RES/1/1/pp/1> a unkg:PreambularParagraph ; unkg:number 1 ; unkg:text "x"@en ; '
         'eli:is_part_of <doc/A/RES/1/1> ; '
         'unkg:clauseVerb <https://w3id.org/unkg/vocab/clause-verb/recallingly> .',
         "doc/A/RES/1/1/pp/1", "unkg:clauseVerb"),
    Case("expression-embodied-by-untyped-file", "ResolutionExpressionShape",
         '<doc/A/RES/1/1/en> a unkg:ResolutionExpression ; eli:realizes <doc/A/RES/1/1> ; '
         'eli:language <http://publications.europa.eu/resource/authority/language/ENG> ; '
         'eli:is_embodied_by <doc/A/RES/1/1/en/txt> .', "doc/A/RES/1/1/en", "eli:is_embodied_by"),
    Case("file-without-format", "FileShape",
         '<doc/A/RES/1/1/en/pdf> a unkg:File ; eli:embodies <doc/A/RES/1/1/en> . '
         '<doc/A/RES/1/1/en> a unkg:ResolutionExpression .', "doc/A/RES/1/1/en/pdf", "eli:format"),
    Case("file-format-not-a-media-type", "FileShape",
         '<doc/A/RES/1/1/en/pdf> a unkg:File ; eli:embodies <doc/A/RES/1/1/en> ; eli:format <http://example.org/pdf> . '
         '<doc/A/RES/1/1/en> a unkg:ResolutionExpression .', "doc/A/RES/1/1/en/pdf", "eli:format"),
    Case("file-embodies-no-expression", "FileShape",
         '<doc/A/RES/1/1/en/txt> a unkg:File ; '
         'eli:format <http://www.iana.org/assignments/media-types/text/plain> .',
         "doc/A/RES/1/1/en/txt", "eli:embodies"),
    Case("file-iri-outside-base", "FileShape",
         '<http://example.org/A-RES-1-1.pdf> a unkg:File ; eli:embodies <doc/A/RES/1/1/en> ; '
         'eli:format <http://www.iana.org/assignments/media-types/application/pdf> . '
         '<doc/A/RES/1/1/en> a unkg:ResolutionExpression .', "http://example.org/A-RES-1-1.pdf", None),
    Case("meeting-record-untyped", "MeetingShape",
         '<meeting/ga/61/plenary/67> a unkg:Meeting ; unkg:meetingNumber 67 ; unkg:ofBody <body/ga> ; '
         'unkg:recordedIn <doc/A/61/PV.67> . <body/ga> a unkg:Body ; rdfs:label "GA"@en .',
         "meeting/ga/61/plenary/67", "unkg:recordedIn"),
    Case("agenda-item-topic-untyped", "AgendaItemShape",
         '<session/ga/61/item/85> a unkg:AgendaItem ; unkg:itemNumber "85" ; unkg:inSession <session/ga/61> ; '
         'unkg:topic <topic/ict> . <session/ga/61> a unkg:Session .',
         "session/ga/61/item/85", "unkg:topic"),
    Case("source-derived-from-untyped-file", "SourceRecordShape",
         '<graph/A/RES/1/1> a unkg:SourceRecord ; unkg:describes <doc/A/RES/1/1> ; '
         'unkg:sourceChecksum "0000000000000000000000000000000000000000000000000000000000000000" ; '
         'prov:wasDerivedFrom <doc/A/RES/1/1/en/txt> .', "graph/A/RES/1/1", "prov:wasDerivedFrom"),
    Case("source-without-provenance", "SourceRecordShape",
         '<graph/A/RES/1/1> a unkg:SourceRecord ; unkg:describes <doc/A/RES/1/1> .',
         "graph/A/RES/1/1", "unkg:sourceChecksum", "Warning"),
]



DOC = "<doc/A/RES/1/1>"


def doc_case(name: str, path: str, ttl: str, severity: str = "Violation") -> Case:
    """A broken variant of GOOD_DOC, reported on the described document."""
    return Case(name, "DescribedDocumentShape", ttl, "doc/A/RES/1/1", path, severity)


def drop(text: str) -> str:
    assert text in GOOD_DOC, text
    return GOOD_DOC.replace(text, "")


SESSION = ('<session/ga/61> a unkg:Session ; unkg:sessionNumber 61 ; unkg:ofBody <body/ga> ; '
           'unkg:sessionKind <https://w3id.org/unkg/vocab/session-kind/regular> . '
           '<body/ga> a unkg:Body ; rdfs:label "GA"@en . ')
PP = ('<doc/A/RES/1/1/pp/1> a unkg:PreambularParagraph ; unkg:number 1 ; unkg:text "Recalling x,"@en ; '
      'eli:is_part_of <doc/A/RES/1/1> ; unkg:verbPhrase "Recalling" . ')
OP = ('<doc/A/RES/1/1/op/2> a unkg:OperativeParagraph ; unkg:number 2 ; unkg:text "Decides."@en ; '
      'eli:is_part_of <doc/A/RES/1/1> ; unkg:verbPhrase "Decides" ; '
      'unkg:clauseVerb <https://w3id.org/unkg/vocab/clause-verb/decides> . ')
CONF = ('<conference/wsis/2003-12-10> a unkg:Conference ; rdfs:label "WSIS"@en ; '
        'unkg:inSeries <conference/wsis> ; unkg:place "Geneva" ; '
        'unkg:startDate "2003-12-10"^^xsd:date ; unkg:endDate "2003-12-12"^^xsd:date . '
        '<conference/wsis> a unkg:ConferenceSeries ; rdfs:label "WSIS"@en . ')
MEETING = ('<meeting/ga/61/plenary/67> a unkg:Meeting ; unkg:meetingNumber 67 ; unkg:ofBody <body/ga> ; '
           'unkg:inSession <session/ga/61> . ' + SESSION)
SOURCE = ('<graph/A/RES/1/1> a unkg:SourceRecord ; unkg:describes <doc/A/RES/1/1> ; '
          'unkg:sourceChecksum "0000000000000000000000000000000000000000000000000000000000000000" ; '
          'unkg:sourceFile "a.txt" ; unkg:parserVersion "0.1.0" . ')

# One case for every (node shape, path, severity) not covered by CASES above.
CASES += [
    doc_case("described-without-symbol", "unkg:symbol", drop('unkg:symbol "A/RES/1/1" ;')),
    doc_case("adopted-on-untyped-report", "unkg:adoptedOnReport",
             GOOD_DOC + f"{DOC} unkg:adoptedOnReport <doc/A/1/389> ."),
    doc_case("eli-date-untyped", "eli:date_document", GOOD_DOC + f'{DOC} eli:date_document "6 December 2006" .'),
    doc_case("untyped-agenda-item", "unkg:agendaItem", GOOD_DOC + f"{DOC} unkg:agendaItem <session/ga/1/item/5> ."),
    doc_case("no-adoption-mode", "unkg:adoptionMode",
             drop("unkg:adoptionMode <https://w3id.org/unkg/vocab/adoption-mode/unknown> ;")),
    doc_case("no-expression", "eli:is_realized_by", drop("eli:is_realized_by <doc/A/RES/1/1/en> ;")),
    doc_case("no-paragraphs", "unkg:hasParagraph",
             drop(" ; unkg:hasParagraph <doc/A/RES/1/1/op/1>"), "Warning"),
    doc_case("two-distribution-dates", "unkg:dateDistributed",
             GOOD_DOC + f'{DOC} unkg:dateDistributed "2006-12-20"^^xsd:date .'),
    doc_case("untyped-committee", "unkg:committee", GOOD_DOC + f"{DOC} unkg:committee <body/ga/x> ."),
    doc_case("untyped-citation", "unkg:hasCitation", GOOD_DOC + f"{DOC} unkg:hasCitation <doc/A/RES/1/1/citation/1> ."),
    doc_case("untyped-draft", "unkg:adoptedOnDraft", GOOD_DOC + f"{DOC} unkg:adoptedOnDraft <doc/A/1/L.1> ."),
    doc_case("untyped-footnote", "unkg:hasFootnote", GOOD_DOC + f"{DOC} unkg:hasFootnote <doc/A/RES/1/1/fn/1> ."),
    doc_case("untyped-vote", "unkg:hasVote", GOOD_DOC + f"{DOC} unkg:hasVote <doc/A/RES/1/1/vote> ."),
    doc_case("no-body", "unkg:body", drop("unkg:session <session/ga/1> ; unkg:body <body/ga> ;")
             .replace("unkg:dateDistributed", "unkg:session <session/ga/1> ; unkg:dateDistributed")),
    doc_case("paragraph-of-no-kind", "unkg:hasParagraph", GOOD_DOC + f"{DOC} unkg:hasParagraph <doc/A/RES/1/1/x/1> ."),
    doc_case("untyped-meeting", "unkg:adoptedAt", GOOD_DOC + f"{DOC} unkg:adoptedAt <meeting/ga/1/plenary/1> ."),
    doc_case("cites-a-literal", "eli:cites", GOOD_DOC + f'{DOC} eli:cites "A/RES/2/2" .'),
    doc_case("two-sessions", "unkg:session", GOOD_DOC + f"{DOC} unkg:session <session/ga/2> ."),
    Case("inclusion-title-untagged", "AgendaInclusionShape",
         '<doc/A/RES/1/1/inclusion/1> a unkg:AgendaInclusion ; unkg:inParagraph <doc/A/RES/1/1/op/2> ; '
         'unkg:inclusionSession <session/ga/61> ; unkg:itemTitle "Item" . ' + OP + SESSION,
         "doc/A/RES/1/1/inclusion/1", "unkg:itemTitle"),
    Case("inclusion-topic-untyped", "AgendaInclusionShape",
         '<doc/A/RES/1/1/inclusion/1> a unkg:AgendaInclusion ; unkg:inParagraph <doc/A/RES/1/1/op/2> ; '
         'unkg:inclusionSession <session/ga/61> ; unkg:topic <topic/item> . ' + OP + SESSION,
         "doc/A/RES/1/1/inclusion/1", "unkg:topic"),
    Case("inclusion-without-paragraph", "AgendaInclusionShape",
         '<doc/A/RES/1/1/inclusion/1> a unkg:AgendaInclusion ; unkg:inclusionSession <session/ga/61> . ' + SESSION,
         "doc/A/RES/1/1/inclusion/1", "unkg:inParagraph"),
    Case("agenda-item-parent-untyped", "AgendaItemShape",
         '<session/ga/61/item/71/c> a unkg:AgendaItem ; unkg:itemNumber "71 (c)" ; unkg:inSession <session/ga/61> ; '
         'unkg:parentItem <session/ga/61/item/71> . ' + SESSION, "session/ga/61/item/71/c", "unkg:parentItem"),
    Case("agenda-item-number", "AgendaItemShape",
         '<session/ga/61/item/85> a unkg:AgendaItem ; unkg:itemNumber "item 85" ; unkg:inSession <session/ga/61> . '
         + SESSION, "session/ga/61/item/85", "unkg:itemNumber"),
    Case("annex-not-part-of-document", "AnnexShape",
         '<doc/A/RES/1/1/annex/1> a unkg:Annex ; unkg:number 1 ; unkg:text "x"@en .',
         "doc/A/RES/1/1/annex/1", "eli:is_part_of"),
    Case("annex-text-untagged", "AnnexShape",
         '<doc/A/RES/1/1/annex/1> a unkg:Annex ; unkg:number 1 ; unkg:text "x" ; eli:is_part_of <doc/A/RES/1/1> .',
         "doc/A/RES/1/1/annex/1", "unkg:text"),
    Case("cited-date-untyped", "CitationShape",
         '<doc/A/RES/1/1/citation/1> a unkg:Citation ; unkg:citedDocument <doc/A/60/202> ; '
         'unkg:citationType <https://w3id.org/unkg/vocab/citation-type/recalls> ; unkg:citedIn <doc/A/RES/1/1/pp/1> ; '
         'unkg:citedDate "4 December 1998" . <doc/A/60/202> unkg:symbol "A/60/202" . ' + PP,
         "doc/A/RES/1/1/citation/1", "unkg:citedDate"),
    Case("cited-in-untyped-place", "CitationShape",
         '<doc/A/RES/1/1/citation/1> a unkg:Citation ; unkg:citedDocument <doc/A/60/202> ; '
         'unkg:citationType <https://w3id.org/unkg/vocab/citation-type/recalls> ; unkg:citedIn <doc/A/RES/1/1/pp/9> . '
         '<doc/A/60/202> unkg:symbol "A/60/202" .', "doc/A/RES/1/1/citation/1", "unkg:citedIn"),
    Case("committee-without-label", "CommitteeShape",
         '<body/ga/first-committee> a unkg:Committee ; unkg:parentBody <body/ga> . <body/ga> a unkg:Body ; '
         'rdfs:label "GA"@en .', "body/ga/first-committee", "rdfs:label"),
    Case("conference-place-tagged", "ConferenceShape", CONF.replace('"Geneva"', '"Geneva"@en'),
         "conference/wsis/2003-12-10", "unkg:place"),
    Case("conference-without-series", "ConferenceShape", CONF.replace("unkg:inSeries <conference/wsis> ;", ""),
         "conference/wsis/2003-12-10", "unkg:inSeries"),
    Case("conference-end-untyped", "ConferenceShape",
         CONF.replace('unkg:endDate "2003-12-12"^^xsd:date', 'unkg:endDate "12 December 2003"'),
         "conference/wsis/2003-12-10", "unkg:endDate"),
    Case("conference-without-label", "ConferenceShape", CONF.replace('a unkg:Conference ; rdfs:label "WSIS"@en ;',
                                                                     "a unkg:Conference ;"),
         "conference/wsis/2003-12-10", "rdfs:label"),
    Case("footnote-not-part-of-document", "FootnoteShape",
         '<doc/A/RES/1/1/fn/1> a unkg:Footnote ; unkg:marker "1" ; unkg:text "x"@en .',
         "doc/A/RES/1/1/fn/1", "eli:is_part_of"),
    Case("footnote-without-text", "FootnoteShape",
         '<doc/A/RES/1/1/fn/1> a unkg:Footnote ; unkg:marker "1" ; eli:is_part_of <doc/A/RES/1/1> .',
         "doc/A/RES/1/1/fn/1", "unkg:text"),
    Case("mandate-due-untyped", "MandateShape",
         '<doc/A/RES/1/1/mandate/1> a unkg:Mandate ; unkg:addresseeName "Secretary-General" ; '
         'unkg:inParagraph <doc/A/RES/1/1/op/2> ; unkg:dueSession <session/ga/65> . ' + OP,
         "doc/A/RES/1/1/mandate/1", "unkg:dueSession"),
    Case("mandate-without-addressee", "MandateShape",
         '<doc/A/RES/1/1/mandate/1> a unkg:Mandate ; unkg:inParagraph <doc/A/RES/1/1/op/2> . ' + OP,
         "doc/A/RES/1/1/mandate/1", "unkg:addresseeName"),
    Case("meeting-number-zero", "MeetingShape", MEETING.replace("unkg:meetingNumber 67", "unkg:meetingNumber 0"),
         "meeting/ga/61/plenary/67", "unkg:meetingNumber"),
    Case("meeting-without-body", "MeetingShape", MEETING.replace("unkg:ofBody <body/ga> ; unkg:inSession", "unkg:inSession"),
         "meeting/ga/61/plenary/67", "unkg:ofBody"),
    Case("meeting-session-untyped", "MeetingShape", MEETING.replace("<session/ga/61> .", "<session/ga/60> .", 1),
         "meeting/ga/61/plenary/67", "unkg:inSession"),
    Case("operative-text-untagged", "OperativeParagraphShape", OP.replace('"Decides."@en', '"Decides."'),
         "doc/A/RES/1/1/op/2", "unkg:text"),
    Case("operative-sub-untyped", "OperativeParagraphShape",
         OP + "<doc/A/RES/1/1/op/2> unkg:hasSubParagraph <doc/A/RES/1/1/op/2/a> .", "doc/A/RES/1/1/op/2",
         "unkg:hasSubParagraph"),
    Case("operative-footnote-missing", "OperativeParagraphShape",
         OP + "<doc/A/RES/1/1/op/2> unkg:footnoteRef <doc/A/RES/1/1/fn/3> .", "doc/A/RES/1/1/op/2", "unkg:footnoteRef"),
    Case("operative-not-part-of-document", "OperativeParagraphShape",
         OP.replace("eli:is_part_of <doc/A/RES/1/1> ;", ""), "doc/A/RES/1/1/op/2", "eli:is_part_of"),
    Case("operative-two-verb-phrases", "OperativeParagraphShape",
         OP + '<doc/A/RES/1/1/op/2> unkg:verbPhrase "Requests" .', "doc/A/RES/1/1/op/2", "unkg:verbPhrase"),
    Case("operative-without-number", "OperativeParagraphShape", OP.replace("unkg:number 2 ;", ""),
         "doc/A/RES/1/1/op/2", "unkg:number"),
    Case("preambular-part-of-literal", "PreambularParagraphShape",
         PP.replace("eli:is_part_of <doc/A/RES/1/1>", 'eli:is_part_of "A/RES/1/1"'), "doc/A/RES/1/1/pp/1",
         "eli:is_part_of"),
    Case("preambular-without-text", "PreambularParagraphShape", PP.replace('unkg:text "Recalling x,"@en ;', ""),
         "doc/A/RES/1/1/pp/1", "unkg:text"),
    Case("preambular-verb-phrase-too-short", "PreambularParagraphShape",
         PP.replace('unkg:verbPhrase "Recalling"', 'unkg:verbPhrase "R"'), "doc/A/RES/1/1/pp/1", "unkg:verbPhrase"),
    Case("expression-title-untagged", "ResolutionExpressionShape",
         '<doc/A/RES/1/1/en> a unkg:ResolutionExpression ; eli:realizes <doc/A/RES/1/1> ; eli:title "T" ; '
         'eli:language <http://publications.europa.eu/resource/authority/language/ENG> .',
         "doc/A/RES/1/1/en", "eli:title"),
    Case("expression-realizes-nothing", "ResolutionExpressionShape",
         '<doc/A/RES/1/1/en> a unkg:ResolutionExpression ; '
         'eli:language <http://publications.europa.eu/resource/authority/language/ENG> .',
         "doc/A/RES/1/1/en", "eli:realizes"),
    Case("session-number-string", "SessionShape", SESSION.replace("unkg:sessionNumber 61", 'unkg:sessionNumber "61"'),
         "session/ga/61", "unkg:sessionNumber"),
    Case("session-without-body", "SessionShape", SESSION.replace("unkg:ofBody <body/ga> ;", ""),
         "session/ga/61", "unkg:ofBody"),
    Case("source-describes-nothing", "SourceRecordShape", SOURCE.replace("unkg:describes <doc/A/RES/1/1> ;", ""),
         "graph/A/RES/1/1", "unkg:describes"),
    Case("source-two-parser-versions", "SourceRecordShape", SOURCE + '<graph/A/RES/1/1> unkg:parserVersion "0.2.0" .',
         "graph/A/RES/1/1", "unkg:parserVersion"),
    Case("source-file-not-a-string", "SourceRecordShape", SOURCE.replace('unkg:sourceFile "a.txt"', "unkg:sourceFile 7"),
         "graph/A/RES/1/1", "unkg:sourceFile"),
    Case("source-time-untyped", "SourceRecordShape", SOURCE + '<graph/A/RES/1/1> prov:generatedAtTime "today" .',
         "graph/A/RES/1/1", "prov:generatedAtTime"),
    Case("sub-paragraph-of-untyped", "SubParagraphShape",
         '<doc/A/RES/1/1/op/1/a> a unkg:SubParagraph ; unkg:label "a" ; unkg:text "x"@en ; '
         'eli:is_part_of <doc/A/RES/1/1/op/1> .', "doc/A/RES/1/1/op/1/a", "eli:is_part_of"),
    Case("sub-paragraph-without-text", "SubParagraphShape",
         '<doc/A/RES/1/1/op/1/a> a unkg:SubParagraph ; unkg:label "a" ; '
         'eli:is_part_of <doc/A/RES/1/1/op/1> . <doc/A/RES/1/1/op/1> a unkg:OperativeParagraph .',
         "doc/A/RES/1/1/op/1/a", "unkg:text"),
    Case("vote-non-voting-negative", "VoteShape", '<doc/A/RES/1/1/vote> a unkg:Vote ; unkg:nonVoting -1 .',
         "doc/A/RES/1/1/vote", "unkg:nonVoting"),
    Case("vote-two-abstention-counts", "VoteShape",
         '<doc/A/RES/1/1/vote> a unkg:Vote ; unkg:abstentions 1, 2 .',
         "doc/A/RES/1/1/vote", "unkg:abstentions"),
    Case("vote-against-string", "VoteShape", '<doc/A/RES/1/1/vote> a unkg:Vote ; unkg:votesAgainst "none" .',
         "doc/A/RES/1/1/vote", "unkg:votesAgainst"),
]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def validate(data: Graph, shapes: Graph) -> Graph:
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                                advanced=True, allow_warnings=True, allow_infos=True)
    assert isinstance(report, Graph)
    return report


def _expand(curie: str) -> URIRef:
    prefixes = {"unkg": str(UNKG._NS), "eli": "http://data.europa.eu/eli/ontology#",
                "prov": "http://www.w3.org/ns/prov#",
                "dcterms": "http://purl.org/dc/terms/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    prefix, local = curie.split(":", 1)
    return URIRef(prefixes[prefix] + local)


def _owned_by(shapes: Graph, node_shape: URIRef) -> set[object]:
    return {node_shape} | set(shapes.objects(node_shape, SH.property))


def results(report: Graph) -> list[tuple[object, object, object, object]]:
    return [(report.value(r, SH.focusNode), report.value(r, SH.resultPath),
             report.value(r, SH.resultSeverity), report.value(r, SH.sourceShape))
            for r in report.subjects(RDF.type, SH.ValidationResult)]


def test_seed_conforms_except_info(shapes: Graph) -> None:
    data = record_to_graph(seed_record(), IRIs(), PROVENANCE)
    found = results(validate(data, shapes))
    severities = {str(sev) for _f, _p, sev, _s in found}
    assert severities <= {str(SH.Info)}, [r for r in found if r[2] != SH.Info]
    # the only remarks: the 26 cited documents are not in the store
    assert len(found) == 26


def test_seed_conforms_under_another_base() -> None:
    base = "http://example.org/kg/"
    data = record_to_graph(seed_record(), IRIs(base), PROVENANCE)
    found = results(validate(data, load_shapes(base)))
    assert all(sev == SH.Info for _f, _p, sev, _s in found)
    # and the default shapes reject those IRIs
    default = results(validate(data, load_shapes()))
    assert any(sev == SH.Violation for _f, _p, sev, _s in default)


def test_union_of_graphs_silences_info_for_loaded_documents(shapes: Graph) -> None:
    """A cited document that is itself described in the store is not reported."""
    data = Graph().parse(data=PREFIXES + GOOD_DOC.replace("A/RES/1/1", "A/RES/2/2")
                         + GOOD_DOC + "<doc/A/RES/2/2> eli:cites <doc/A/RES/1/1> .", format="turtle")
    assert results(validate(data, shapes)) == []


def test_security_council_resolution_needs_no_session(shapes: Graph) -> None:
    ttl = GOOD_DOC.replace("A/RES/1/1", "S/RES/1(1946)").replace("unkg:session <session/ga/1> ;", "")
    data = Graph().parse(data=PREFIXES + ttl, format="turtle")
    assert results(validate(data, shapes)) == []


def test_security_council_resolution_needs_no_title(shapes: Graph) -> None:
    """The printed volumes give SC resolutions no title ("Resolution 338 (1973) of 22 October
    1973"): parsed from that layout, the resolution conforms; a GA one without a title does not."""
    from pathlib import Path
    from unkg.parser import parse_text
    text = (Path(__file__).parent / "data" / "corpus" / "excerpts" / "S-RES-338-1973.usip-excerpt.txt").read_text()
    record = parse_text(text)
    assert record.symbol == "S/RES/338(1973)" and record.title is None
    data = record_to_graph(record, IRIs())
    assert [r for r in results(validate(data, shapes)) if str(r[2]) == str(SH.Violation)] == []
    ga = GOOD_DOC.replace('dcterms:title "T"@en ;', "")
    assert results(validate(Graph().parse(data=PREFIXES + ga, format="turtle"), shapes))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_graph_is_reported(case: Case, shapes: Graph) -> None:
    data = Graph().parse(data=PREFIXES + case.ttl, format="turtle")
    found = results(validate(data, shapes))
    focus = URIRef(case.focus if "://" in case.focus else B + case.focus)
    owners = _owned_by(shapes, URIRef(USH + case.shape))
    severity = URIRef(str(SH) + case.severity)
    for f, path, sev, source in found:
        if f != focus or sev != severity or source not in owners:
            continue
        if case.path is None and path is None:
            return
        if case.path == "inverse" and isinstance(path, BNode):
            return
        if case.path not in (None, "inverse") and path == _expand(case.path):
            return
    pytest.fail(f"expected {case.severity} on {focus} path {case.path} from ush:{case.shape}; got:\n"
                + "\n".join(f"  {f} {p} {s} {src}" for f, p, s, src in found))


def test_every_node_shape_has_a_broken_case(shapes: Graph) -> None:
    node_shapes = {str(s)[len(USH):] for s in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = {c.shape for c in CASES} | {"CitedSymbolShape"}  # via CitationShape's sh:node
    assert sorted(node_shapes - covered) == []


def test_every_property_shape_has_a_broken_case(shapes: Graph) -> None:
    """Each (node shape, path, severity) of the shapes is exercised by a broken graph.
    CitedSymbolShape is only reached through CitationShape's sh:node (reported on its path)."""
    covered = {(c.shape, str(_expand(c.path)) if c.path not in (None, "inverse") else c.path, c.severity)
               for c in CASES}
    missing = []
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        name = str(node_shape)[len(USH):]
        if name == "CitedSymbolShape":
            continue
        default = shapes.value(node_shape, SH.severity) or SH.Violation
        for ps in shapes.objects(node_shape, SH.property):
            path = shapes.value(ps, SH.path)
            severity = str(shapes.value(ps, SH.severity) or default).split("#")[1]
            key = (name, "inverse" if isinstance(path, BNode) else str(path), severity)
            if key not in covered:
                missing.append(key)
    assert sorted(missing) == []


def test_pattern_rewrite_keeps_vocabulary_patterns() -> None:
    assert rewrite_pattern("^https://w3id\\.org/unkg/doc/[A-Z]", "http://ex.org/a+b/") == \
        "^http://ex\\.org/a\\+b/doc/[A-Z]"
    vocab = "^https://w3id\\.org/unkg/vocab/clause-verb/[a-z0-9-]+$"
    assert rewrite_pattern(vocab, "http://ex.org/") == vocab
