"""A/RES/61/54 as a Record, written by hand from the text (the mapper tests must not need the parser)."""

from __future__ import annotations

from unkg.mapper import Provenance
from unkg.record import (
    AgendaInclusion,
    Citation,
    Conference,
    Footnote,
    Mandate,
    Meeting,
    Paragraph,
    Record,
    SubParagraph,
)

TITLE = ("Developments in the field of information and telecommunications in the context of "
         "international security")
SERIES = ["53/70", "54/49", "55/28", "56/19", "57/53", "58/32", "59/61", "60/45"]
DATES = ["1998-12-04", "1999-12-01", "2000-11-20", "2001-11-29", "2002-11-22", "2003-12-08",
         "2004-12-03", "2005-12-08"]

PREAMBLE = [
    ("Recalling", "Recalling its resolutions 53/70 of 4 December 1998, 54/49 of 1 December 1999, "
     "55/28 of 20 November 2000, 56/19 of 29 November 2001, 57/53 of 22 November 2002, 58/32 of "
     "8 December 2003, 59/61 of 3 December 2004 and 60/45 of 8 December 2005,", []),
    ("Recalling also", "Recalling also its resolutions on the role of science and technology in the "
     "context of international security,", []),
    ("Noting", "Noting that considerable progress has been achieved in developing and applying the "
     "latest information technologies and means of telecommunication,", []),
    ("Affirming", "Affirming that it sees in this process the broadest positive opportunities,", []),
    ("Recalling", "Recalling, in this connection, the approaches and principles outlined at the "
     "Information Society and Development Conference, held in Midrand, South Africa, from 13 to "
     "15 May 1996,", []),
    ("Bearing in mind", "Bearing in mind the results of the Ministerial Conference on Terrorism, "
     "held in Paris on 30 July 1996, and the recommendations that it made,", ["1"]),
    ("Bearing in mind also", "Bearing in mind also the results of the World Summit on the "
     "Information Society, held in Geneva from 10 to 12 December 2003 (first phase) and in Tunis "
     "from 16 to 18 November 2005 (second phase),", ["2"]),
    ("Noting", "Noting that the dissemination and use of information technologies and means affect "
     "the interests of the entire international community,", []),
    ("Expressing its concern", "Expressing its concern that these technologies and means can "
     "potentially be used for purposes that are inconsistent with the objectives of maintaining "
     "international stability and security,", []),
    ("Considering", "Considering that it is necessary to prevent the use of information resources "
     "or technologies for criminal or terrorist purposes,", []),
    ("Noting", "Noting the contribution of those Member States that have submitted their assessments "
     "on issues of information security to the Secretary-General pursuant to paragraphs 1 to 3 of "
     "resolutions 53/70, 54/49, 55/28, 56/19, 57/53, 58/32, 59/61 and 60/45,", []),
    ("Taking note of", "Taking note of the reports of the Secretary-General containing those "
     "assessments,", ["3"]),
    ("Welcoming", "Welcoming the initiative taken by the Secretariat and the United Nations Institute "
     "for Disarmament Research in convening an international meeting of experts in Geneva in "
     "August 1999,", []),
    ("Considering", "Considering that the assessments of the Member States contained in the reports "
     "of the Secretary-General have contributed to a better understanding,", []),
    ("Bearing in mind", "Bearing in mind that the Secretary-General, in fulfilment of resolution "
     "58/32, established in 2004 a group of governmental experts,", []),
    ("Taking note of", "Taking note of the report of the Secretary-General on the Group of "
     "Governmental Experts on Developments in the Field of Information and Telecommunications in "
     "the Context of International Security, prepared on the basis of the results of the Group's "
     "work,", ["4"]),
]

OPERATIVE = [
    ("Calls upon", "Calls upon Member States to promote further at multilateral levels the "
     "consideration of existing and potential threats in the field of information security;", []),
    ("Considers", "Considers that the purpose of such measures could be served through the "
     "examination of relevant international concepts;", []),
    ("Invites", "Invites all Member States to continue to inform the Secretary-General of their "
     "views and assessments on the following questions:", [
         ("a", "General appreciation of the issues of information security;"),
         ("b", "Efforts taken at the national level to strengthen information security and promote "
               "international cooperation in this field;"),
         ("c", "The content of the concepts mentioned in paragraph 2 above;"),
         ("d", "Possible measures that could be taken by the international community to "
               "strengthen information security at the global level;"),
     ]),
    ("Requests", "Requests the Secretary-General, with the assistance of a group of governmental "
     "experts, to be established in 2009, to continue to study existing and potential threats and "
     "to submit a report on the results of this study to the General Assembly at its sixty-fifth "
     "session;", []),
    ("Decides", "Decides to include in the provisional agenda of its sixty-second session the item "
     "entitled \"Developments in the field of information and telecommunications in the context "
     "of international security\".", []),
]

FOOTNOTES = [
    ("1", "See A/51/261, annex."),
    ("2", "See A/C.2/59/3 and A/60/687."),
    ("3", "A/54/213, A/55/140 and Corr.1 and Add.1, A/56/164 and Add.1, A/57/166 and Add.1, "
          "A/58/373, A/59/116 and Add.1, A/60/95 and Add.1 and A/61/161."),
    ("4", "A/60/202."),
]

DOCUMENTS = ["A/51/261", "A/C.2/59/3", "A/60/687", "A/54/213", "A/55/140", "A/55/140/Corr.1",
             "A/55/140/Add.1", "A/56/164", "A/56/164/Add.1", "A/57/166", "A/57/166/Add.1",
             "A/58/373", "A/59/116", "A/59/116/Add.1", "A/60/95", "A/60/95/Add.1", "A/61/161",
             "A/60/202"]

PROVENANCE = Provenance(source_file="A-RES-61-54.txt", checksum="0" * 64, parser_version="0.1.0",
                        loaded_at="2026-11-28T02:00:00Z")


def seed_record() -> Record:
    """The Record the parser should produce for tests/data/corpus/texts/A-RES-61-54.txt."""
    cites = []
    for short, date in zip(SERIES, DATES):
        where = ["preambular:1", "preambular:11"] + (["preambular:15"] if short == "58/32" else [])
        cites.append(Citation(symbol=f"A/RES/{short}", date=date, where=where))
    return Record(
        symbol="A/RES/61/54", body="General Assembly", session="61", agenda_items=["85"],
        title=TITLE, adopted="2006-12-06", distributed="2006-12-19", committee="First Committee",
        reports=["A/61/389"], drafts=[], meeting=Meeting(number=67, date="2006-12-06"),
        preambular=[Paragraph(i, verb, text, [], list(fns))
                    for i, (verb, text, fns) in enumerate(PREAMBLE, start=1)],
        operative=[Paragraph(i, verb, text, [SubParagraph(label, t) for label, t in subs])
                   for i, (verb, text, subs) in enumerate(OPERATIVE, start=1)],
        cites=cites, documents=list(DOCUMENTS),
        conferences=[
            Conference("Information Society and Development Conference", "Midrand, South Africa",
                       "1996-05-13", "1996-05-15"),
            Conference("Ministerial Conference on Terrorism", "Paris", "1996-07-30", "1996-07-30"),
            Conference("World Summit on the Information Society", "Geneva", "2003-12-10",
                       "2003-12-12"),
            Conference("World Summit on the Information Society", "Tunis", "2005-11-16",
                       "2005-11-18"),
        ],
        footnotes=[Footnote(m, t) for m, t in FOOTNOTES],
        mandates=[Mandate(paragraph=4, addressee="Secretary-General", due_session="65")],
        agenda_inclusions=[AgendaInclusion(paragraph=5, session="62", title=TITLE)],
        source="A-RES-61-54.txt",
    )
