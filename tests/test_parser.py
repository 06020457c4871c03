"""Parser tests: the seed against its gold record, every corpus file, every gold record, tricky layouts."""

from __future__ import annotations

import json
import pathlib

import pytest

from goldcheck import compare, differences
from unkg.errors import ParseError
from unkg.parser import PARSER_VERSION, parse_file, parse_text
from unkg.record import Record

DATA = pathlib.Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
GOLD = DATA / "gold"

# Gold records that disagree with the text itself (reported to the gold authors, not "fixed" here).
KNOWN_GOLD_DISPUTES: dict[tuple[str, str], str] = {}

_CACHE: dict[str, Record] = {}


def parsed(path: pathlib.Path) -> Record:
    key = str(path)
    if key not in _CACHE:
        _CACHE[key] = parse_file(path)
    return _CACHE[key]


def corpus_files() -> list[pathlib.Path]:
    files: list[pathlib.Path] = []
    for sub in ("texts", "variants", "wrappers", "excerpts"):
        files += sorted(p for p in (CORPUS / sub).glob("*") if p.suffix in (".txt", ".md", ".json"))
    return files


def source_for(gold_path: pathlib.Path, gold: dict) -> pathlib.Path:
    if gold.get("source"):
        p = CORPUS / gold["source"]
        if p.exists():
            return p
    name = gold_path.name.replace(".gold.json", "")
    for sub in ("texts", "excerpts", "variants"):
        for p in sorted((CORPUS / sub).glob(name + ".*")):
            return p
    raise FileNotFoundError(name)


# --- the seed ------------------------------------------------------------------------------

SEED = CORPUS / "texts" / "A-RES-61-54.txt"
SEED_GOLD = json.loads((GOLD / "A-RES-61-54.gold.json").read_text(encoding="utf-8"))


def test_seed_matches_gold_on_every_field() -> None:
    rec = parsed(SEED).to_json()
    res = compare(rec, SEED_GOLD)
    assert set(res) >= {k for k in SEED_GOLD if k not in ("source", "_note")}
    assert all(res.values()), differences(rec, SEED_GOLD)


def test_seed_details() -> None:
    rec = parsed(SEED)
    assert rec.symbol == "A/RES/61/54" and rec.session == "61" and rec.body == "General Assembly"
    assert [p.verb for p in rec.operative] == ["Calls upon", "Considers", "Invites", "Requests", "Decides"]
    assert rec.preambular[6].verb == "Bearing in mind also"
    assert [s.label for s in rec.operative[2].subparagraphs] == ["a", "b", "c", "d"]
    assert rec.preambular[5].footnotes == ["1"]
    assert "¹" not in rec.preambular[5].text
    cites = {c.symbol: c for c in rec.cites}
    assert cites["A/RES/53/70"].date == "1998-12-04"
    assert "preambular:1" in cites["A/RES/53/70"].where
    wsis = [c for c in rec.conferences if c.name == "World Summit on the Information Society"]
    assert {c.place for c in wsis} == {"Geneva", "Tunis"}
    assert rec.mandates[0].addressee == "Secretary-General"
    assert rec.agenda_inclusions[0].title and rec.agenda_inclusions[0].title.startswith("Developments")
    assert rec.warnings == []
    assert PARSER_VERSION


# --- every corpus file ---------------------------------------------------------------------


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_file_parses(path: pathlib.Path) -> None:
    rec = parsed(path)
    assert rec.symbol, "no symbol"
    assert rec.body in ("General Assembly", "Security Council")
    if path.parent.name == "excerpts":
        if rec.body == "General Assembly":
            assert rec.title
        return
    assert rec.title, "no title"
    assert rec.session
    assert len(rec.operative) >= 1, "no operative paragraph"
    assert rec.adopted
    for p in rec.operative:
        assert p.text and p.line is not None
    # an annex's numbered paragraphs never become operative paragraphs
    assert all(not p.text.startswith("We, ") for p in rec.operative)


# --- every gold record (others add more; they are picked up here) --------------------------


def gold_files() -> list[pathlib.Path]:
    return sorted(GOLD.glob("*.gold.json"))


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.name.replace(".gold.json", ""))
def test_gold_record(gold_path: pathlib.Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    name = gold_path.name.replace(".gold.json", "")
    rec = parsed(source_for(gold_path, gold)).to_json()
    diff = {
        k: v for k, v in differences(rec, gold).items() if (name, k) not in KNOWN_GOLD_DISPUTES
    }
    assert not diff, "fields that differ (parsed, gold):\n" + "\n".join(
        f"  {k}: {json.dumps(v, ensure_ascii=False)[:600]}" for k, v in diff.items()
    )


def test_wrappers_agree_with_texts() -> None:
    """The JSON wrapper's text is kind A: same record as the .txt file."""
    n = 0
    for w in sorted((CORPUS / "wrappers").glob("*.json"))[:12]:
        t = CORPUS / "texts" / (w.stem + ".txt")
        if not t.exists():
            continue
        a, b = parsed(w).to_json(), parsed(t).to_json()
        for k in ("symbol", "title", "adopted", "operative", "preambular", "cites", "documents", "footnotes"):
            assert a[k] == b[k], (w.name, k)
        n += 1
    assert n > 5


# --- tricky layouts (synthetic, general rules) ---------------------------------------------

KIND_A = """United Nations 
A/RES/99/7
 
General Assembly 
Distr.: General 
15 December 2044 
 
44-22133 (E)    191244 
*4422133* 
 
Ninety-ninth session 
Agenda items 13 and 117 
 
 Resolution adopted by the General Assembly 
on 7 December 2044 
 
[on the report of the Special Political and Decolonization Committee 
(Fourth Committee) (A/99/456, para. 8)] 
 
99/7. 
Question of the 
Imaginary Islands 
 
The General Assembly,  
 
Recalling its resolutions 1514 (XV) of 14 December 1960 and 98/12 of 
1 December 2043, and Security Council resolution 1325 (2000),1  
 
Noting with deep concern the report of the Secretary -General on the work of the
__________________ 
 
1  See A/98/55 and Corr.1 and Add.1. 
 
A/RES/99/7 
Question of the Imaginary Islands 
 
44-22133
2/3 
 
Special Conference, held in Geneva from 3 to 5 May 2044, 2  
__________________ 
 
2  Report of the Ninth International Conference on Islands, New York, 9−20 July 2043 (A/CONF.99/15). 
 
1. 
Takes note with appreciation of the report; 
 
2. 
Calls upon the administering Power: 
 
(a) 
To respect the wishes of the people; 
 
(b) To cooperate fully; 
 
(i) 
Ninth letter, not a roman numeral; 
 
3. 
Once again urges Member States to submit a report on this question to the 
General Assembly at its one hundred and first session; 
 
10. Decides to include in the provisional agenda of its one hundredth session the item 
entitled “Question of the Imaginary Islands”. 
 
66th plenary meeting  
7 December 2044 
 
Annex 
 
1. 
This annex paragraph is not an operative paragraph. 
"""


def test_kind_a_synthetic_layout() -> None:
    rec = parse_text(KIND_A, source="synthetic.txt")
    assert rec.symbol == "A/RES/99/7"
    assert rec.session == "99"
    assert rec.agenda_items == ["13", "117"]
    assert rec.title == "Question of the Imaginary Islands"
    assert rec.distributed == "2044-12-15" and rec.adopted == "2044-12-07"
    assert rec.committee == "Fourth Committee" and rec.reports == ["A/99/456"]
    assert rec.meeting is not None and rec.meeting.number == 66 and rec.meeting.date == "2044-12-07"
    # the paragraph cut by the footnote block and page break is ONE paragraph
    assert len(rec.preambular) == 2
    assert "Secretary-General" in rec.preambular[1].text
    assert rec.preambular[1].text.endswith("2044,")
    assert [p.number for p in rec.operative] == [1, 2, 3, 10]
    assert rec.operative[0].verb == "Takes note with appreciation of"
    assert rec.operative[2].verb == "Once again urges"
    subs = rec.operative[1].subparagraphs
    assert [s.label for s in subs] == ["a", "b"]
    assert [s.label for s in subs[1].subparagraphs] == ["i"]
    cites = {c.symbol for c in rec.cites}
    assert cites == {"A/RES/1514(XV)", "A/RES/98/12", "S/RES/1325(2000)"}
    assert [c.date for c in rec.cites if c.symbol == "A/RES/98/12"] == ["2043-12-01"]
    assert set(rec.documents) == {"A/98/55", "A/98/55/Corr.1", "A/98/55/Add.1", "A/CONF.99/15"}
    assert {(c.start, c.end) for c in rec.conferences} == {("2044-05-03", "2044-05-05"), ("2043-07-09", "2043-07-20")}
    assert [(m.paragraph, m.due_session) for m in rec.mandates] == [(3, "101")]
    assert [(a.paragraph, a.session, a.title) for a in rec.agenda_inclusions] == [
        (10, "100", "Question of the Imaginary Islands")
    ]
    assert len(rec.footnotes) == 2
    assert len(rec.annexes) == 1 and "annex paragraph" in rec.annexes[0]
    assert rec.warnings == []


def test_single_unnumbered_operative_sentence() -> None:
    text = (
        "General Assembly\n\nResolution adopted by the General Assembly on 2 April 2044\n\n"
        "[without reference to a Main Committee (A/99/L.52 and A/99/L.52/Add.1)]\n\n"
        "99/9. Some declaration\n\nThe General Assembly\n\n"
        "Adopts the Declaration annexed to the present resolution.\n\n"
        "5th plenary meeting\n2 April 2044\n\nAnnex\n\nSome declaration\n\n"
        "1. We, the Heads of State, affirm.\n\n2. We decide.\n"
    )
    rec = parse_text(text)
    assert rec.symbol == "A/RES/99/9" and rec.committee is None
    assert rec.drafts == ["A/99/L.52", "A/99/L.52/Add.1"]
    assert [(p.number, p.verb) for p in rec.operative] == [(1, "Adopts")]
    assert rec.preambular == []
    assert rec.annexes and "We decide" in rec.annexes[0]


def test_resolves_that_and_date_only_closing() -> None:
    text = (
        "General Assembly\nSeventy-fourth session\nAgenda item 135\n\n"
        "Resolution adopted by the General Assembly on 27 December 2019\n\n"
        "74/999. Working Capital Fund\n\nThe General Assembly\n\nResolves that:\n\n"
        "1. The Fund shall be established;\n\n2. Member States shall make advances:\n\n"
        "(a) In full;\n\n(b) On time.\n\n27 December 2019\n"
    )
    rec = parse_text(text)
    assert len(rec.operative) == 2 and rec.operative[0].verb is None
    assert rec.preambular == []
    assert [s.label for s in rec.operative[1].subparagraphs] == ["a", "b"]
    assert rec.meeting is not None and rec.meeting.number is None and rec.meeting.date == "2019-12-27"


def test_markdown_front_matter_and_footnotes() -> None:
    text = (
        "---\nsymbol: A/RES/99/3\ntitle: \"A cut title that goes on :\"\ndate: \"2044-10-15\"\n---\n\n"
        "United Nations A/RES/99/3\n\nGeneral Assembly Distr.: General 20 October 2044\n\n"
        "Ninety-ninth session Agenda item 99 (ee) A cut title that goes on\n\n"
        "Resolution adopted by the General Assembly on 14 October 2044\n\n"
        "[on the report of the Sixth Committee (A/99/401, para. 6)]\n\n"
        "99/3. A cut title that\n\nThe General Assembly,\n\n"
        "Recalling its resolution 70/1,[^1] and decision 76/563 of 11 May 2022,\n\n"
        "1. Reaffirms the Goals, 2 in particular;\n\n2. Also decides to remain seized.\n\n"
        "18th plenary meeting 14 October 2044\n\n"
        "[^1]: Resolution 217 A (III).\n\n[^2]: See CD/1839 and GC(69)/RES/7.\n"
    )
    rec = parse_text(text, source="x.md")
    assert rec.title == "A cut title that goes on"
    assert rec.agenda_items == ["99 (ee)"]
    assert rec.distributed == "2044-10-20"
    assert rec.committee == "Sixth Committee" and rec.reports == ["A/99/401"]
    assert {c.symbol for c in rec.cites} == {"A/RES/70/1", "A/DEC/76/563", "A/RES/217(III)"}
    assert set(rec.documents) == {"CD/1839", "GC(69)/RES/7"}
    assert rec.operative[0].text == "Reaffirms the Goals, in particular;"
    assert rec.operative[0].footnotes == ["2"]
    assert rec.operative[1].verb == "Also decides"
    assert rec.meeting is not None and rec.meeting.number == 18


def test_security_council_yearbook() -> None:
    text = (
        "Resolution 999 (2044)\nof 22 October 2044\n\nThe Security Council,\n\n"
        "1. Calls upon all parties to implement resolution 242 (1967);\n\n"
        "2. Decides to remain seized of the matter.\n\n"
        "Adopted at the 9747th meeting by 14 votes to none, with 1 abstention.\n"
    )
    rec = parse_text(text)
    assert rec.body == "Security Council" and rec.session is None
    assert rec.meeting is not None and rec.meeting.number == 9747 and rec.meeting.kind == "meeting"
    assert rec.vote is not None and (rec.vote.yes, rec.vote.no, rec.vote.abstain) == (14, 0, 1)
    assert {c.symbol for c in rec.cites} == {"S/RES/242(1967)"}


def test_glued_markers_and_dates() -> None:
    text = (
        "General Assembly\n\n99/1. Title\n\nThe General Assembly,\n\n"
        "Recalling the Programme of Action on Small Arms and Light Weapons1 for 2025–20282 and "
        "its resolution 26/2 of 26 June 20143 adopted on 4 December2024,\n\n"
        "1. Decides to act.\n\n1st plenary meeting\n1 January 2045\n\n"
        "__________________\n\n1 A/80/83.\n\n2 A/80/84.\n\n3 A/80/85.\n"
    )
    rec = parse_text(text)
    p = rec.preambular[0]
    assert p.footnotes == ["2", "3", "1"] or sorted(p.footnotes) == ["1", "2", "3"]
    assert "Weapons for 2025–2028 and" in p.text
    assert [c.date for c in rec.cites] == ["2014-06-26"]


def test_not_a_resolution() -> None:
    with pytest.raises(ParseError) as exc:
        parse_text("Hello world.\nThis is a shopping list.\n", source="list.txt")
    assert exc.value.path == "list.txt"
    with pytest.raises(ParseError):
        parse_text("   \n\n", source="empty.txt")


def test_strict_mode_names_file_and_line(tmp_path: pathlib.Path) -> None:
    text = (
        "General Assembly\n\n99/1. Title\n\nThe General Assembly,\n\nRecalling things,\n\n"
        "1. Decides to act.\n\n1st plenary meeting\n1 January 2045\n\n"
        "Some stray web-page text that belongs nowhere at all.\n"
    )
    f = tmp_path / "stray.txt"
    f.write_text(text, encoding="utf-8")
    rec = parse_file(f)
    assert rec.warnings and rec.warnings[0].line == 14
    with pytest.raises(ParseError) as exc:
        parse_file(f, strict=True)
    assert exc.value.path == str(f) and exc.value.line == 14


def test_sections_restart_numbering() -> None:
    rec = parsed(CORPUS / "texts" / "A-RES-75-245.txt")
    nums = [p.number for p in rec.operative]
    assert nums == list(range(1, 11)) + [1, 2, 3, 4] + [1, 2, 3]


def test_annex_paragraphs_not_operative() -> None:
    rec = parsed(CORPUS / "texts" / "A-RES-80-9.txt")
    assert len(rec.operative) == 1 and rec.operative[0].verb == "Adopts"
    assert rec.annexes and len(rec.annexes[0]) > 1000


def test_modern_security_council_header() -> None:
    text = (
        "United Nations S/RES/9826 (2048)\n\nSecurity Council Distr.: General\n29 July 2048\n\n"
        "Resolution 9826 (2048)\nAdopted by the Security Council at its 9945th meeting, on\n29 July 2048\n\n"
        "The Security Council,\n\nRecalling its resolution 1739 (2007),\n\n"
        "1. Requests the Secretary-General to report to the Council by 15 January 2049;\n\n"
        "2. Decides to remain seized of the matter.\n"
    )
    rec = parse_text(text)
    assert rec.symbol == "S/RES/9826(2048)" and rec.body == "Security Council" and rec.session is None
    assert rec.adopted == "2048-07-29"
    assert rec.meeting is not None and rec.meeting.number == 9945 and rec.meeting.kind == "meeting"
    assert [c.symbol for c in rec.cites] == ["S/RES/1739(2007)"]
    assert [(m.paragraph, m.addressee) for m in rec.mandates] == [(1, "Secretary-General")]


def test_number_alone_then_blank_line() -> None:
    text = (
        "General Assembly\n\n99/2. Title\n\nThe General Assembly,\n\nRecalling things,\n\n"
        "1.\n\nDecides to act;\n\n2.\n\nAlso decides to act again.\n\n1st plenary meeting\n1 January 2045\n"
    )
    rec = parse_text(text)
    assert [(p.number, p.verb) for p in rec.operative] == [(1, "Decides"), (2, "Also decides")]
    assert rec.warnings == []


def _signature(rec: Record) -> tuple:
    return (
        rec.symbol, rec.title, rec.adopted, rec.distributed, tuple(rec.agenda_items), rec.committee,
        [p.verb for p in rec.preambular], [p.verb for p in rec.operative], len(rec.footnotes),
        sorted(c.symbol for c in rec.cites), rec.meeting.number if rec.meeting else None,
    )


@pytest.mark.parametrize("path", sorted((CORPUS / "texts").glob("A-RES-7*.txt"))[::4], ids=lambda p: p.name)
def test_layout_invariance(path: pathlib.Path) -> None:
    """The same text without blank lines (as pypdf gives it) or re-flowed (kind B) parses the same."""
    import re

    from unkg.readers import read_source

    text = read_source(path).text
    base = _signature(parse_text(text))
    no_blank = "\n".join(ln for ln in text.split("\n") if ln.strip())
    blocks = re.split(r"\n\s*\n", text)
    reflowed = "\n\n".join(" ".join(ln.strip() for ln in b.split("\n") if ln.strip()) for b in blocks)
    assert _signature(parse_text(no_blank)) == base
    assert _signature(parse_text(reflowed)) == base


def test_kind_e_fixed_width() -> None:
    text = (
        "United Nations\n\nA/RES/51/999\n\n\nGeneral Assembly\n\nDistr. GENERAL\n\n20 February 1997\n\n"
        "ORIGINAL:\nENGLISH\n\n\nFifty-first session\nAgenda item 106\n\n\n"
        "                  RESOLUTION ADOPTED BY THE GENERAL ASSEMBLY\n\n"
        "               [on the report of the Third Committee (A/51/615)]\n\n\n"
        "                        51/999.  The rights of the child\n\n\n"
        "      The General Assembly,\n\n"
        "      Recalling its resolution 50/153 of 21 December 1995 and\n"
        "Commission on Human Rights resolution 1996/85 of 24 April 1996, 1/\n\n"
        "      Encouraged by the commitment shown by the States parties to the\n"
        "Convention on the Rights of the Child, 2/\n\n"
        "      1.   Reaffirms the importance of the Convention;\n\n"
        "      2.   Requests the Secretary-General to submit a report to the General\n"
        "Assembly at its fifty-second session.\n\n"
        "                                           82nd plenary meeting\n"
        "                                           12 December 1996\n\n"
        "1/  Official Records of the Economic and Social Council, 1996, Supplement No. 3 (E/1996/23).\n\n"
        "2/  Resolution 44/25, annex.\n"
    )
    rec = parse_text(text)
    assert rec.symbol == "A/RES/51/999" and rec.title == "The rights of the child"
    assert rec.distributed == "1997-02-20" and rec.adopted == "1996-12-12"
    assert rec.committee == "Third Committee" and rec.reports == ["A/51/615"]
    assert [p.verb for p in rec.preambular] == ["Recalling", "Encouraged"]
    assert rec.preambular[0].footnotes == ["1"] and "1/" not in rec.preambular[0].text
    assert [c.symbol for c in rec.cites] == ["A/RES/50/153", "E/CN.4/RES/1996/85", "A/RES/44/25"]
    assert rec.documents == ["E/1996/23"]
    assert [(m.paragraph, m.due_session) for m in rec.mandates] == [(2, "52")]
    assert len(rec.footnotes) == 2 and rec.meeting is not None and rec.meeting.number == 82
