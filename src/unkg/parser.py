"""Parse the text of a UN resolution into a Record.

The work is done in passes: lines are classified (page furniture, footnote blocks, body text);
body lines are grouped into logical paragraphs (re-joining paragraphs cut by page breaks);
paragraphs are classified (preambular, operative, sub-paragraph, meeting line, annex);
references (citations, documents, conferences, mandates) are then extracted from the clean text.
"""

from __future__ import annotations

import pathlib
import re

from .errors import ParseError
from .readers import normalise_text, read_source, split_front_matter
from .parser_header import _find_enacting, _parse_header
from .parser_layout import (
    _ANNEX_RE,
    _Ctx,
    _DATE_ONLY_RE,
    _ENACT_RE,
    _Line,
    _M0,
    _MARK_RE,
    _MEETING_RE,
    _NUMWORDS,
    _OPNUM_RE,
    _ROMANS,
    _SC_ADOPTED_RE,
    _SECTION_RE,
    _SUBLABEL_RE,
    _TERMINAL,
    _Unit,
    _classify,
    _is_heading_like,
    _iso_date,
    _join,
    _norm,
    _prep_line,
    _space_before,
    _split_body,
    _units,
)
from .parser_refs import extract_agenda_inclusion, extract_conferences, extract_mandate
from .record import Citation, Conference, Footnote, Meeting, Paragraph, Record, SubParagraph, Vote
from .symbols import MONTH_RE, find_citations, find_symbols, is_resolution_symbol, normalise_symbol
from .verbs import VerbMatch, guess_verb, match_verb

__all__ = ["PARSER_VERSION", "parse_text", "parse_file"]

PARSER_VERSION = "0.2.0"  # of the parse and the mapping: a new version re-maps texts already loaded

def _clean_markers(ctx: _Ctx, text: str) -> tuple[str, list[str]]:
    """Remove footnote markers from text; return the text and the markers found."""
    known = set(ctx.footnotes)
    found: list[str] = []

    def keep(n: str) -> bool:
        return n.isdigit() and int(n) in known

    def sent(m: re.Match[str]) -> str:
        found.append(m.group(1))
        return ""

    if _M0 in text:  # the markers' sentinel
        text = _MARK_RE.sub(sent, text)
    if known and _DIGIT_RE.search(text):  # each glued-marker pattern needs a digit
        def glued(m: re.Match[str]) -> str:
            if keep(m.group(2)):
                found.append(m.group(2))
                return m.group(1)
            return m.group(0)

        # "2025–20286" / "26 June 20146": year followed by a marker
        text = _GLUED_YEAR_RE.sub(glued, text)
        # "Weapons1", "report4", "2010,1", "session,2"
        if _GLUED_WORD_NEEDS.search(text):
            text = _GLUED_WORD_RE.sub(glued, text)
        # spaced: "Peoples, 3 there", "Goals, 6 in", paragraph end ", 2"
        if _SPACED_MARK_NEEDS.search(text):
            text = _SPACED_MARK_RE.sub(glued, text)
    text = _SPACES_RE.sub(" ", text).strip()
    if _space_before(text, ",;."):
        text = _SPACE_BEFORE_RE.sub(r"\1", text)
    return text, found


# compiled once: _clean_markers runs on every unit of every document
# each of these starts with a lookahead on the characters a match can begin with: the same
# matches, and the engine rejects every other position at once instead of trying each branch
_GLUED_YEAR_RE = re.compile(r"(?=[JFMASOND–\-−])((?:" + MONTH_RE + r")\s+(?:19|20)\d\d|[–\-−](?:19|20)\d\d)(\d{1,2})(?!\d)")
_GLUED_WORD_RE = re.compile(r"(?=[a-z\)”’\]\d])([a-z]{3}[”’\)]?|[a-z\)”’\]][,;:.]|\d{4}[,;:.])(\d{1,3})(?=[\s,;.:)]|$)")
_SPACED_MARK_RE = re.compile(r"([A-Za-z”’\)\]][,;:.]|(?:19|20)\d\d,)\s(\d{1,3})(?=\s+[a-z]|\s*$)")
# what a match of each needs somewhere: a digit right after a letter, quote, bracket or
# punctuation mark; punctuation, a space and a digit. Most paragraphs have neither, and these
# are found at once, where the full patterns are tried at every letter
_GLUED_WORD_NEEDS = re.compile(r"[a-z”’\),;:.]\d")
_SPACED_MARK_NEEDS = re.compile(r"[,;:.]\s\d")
_DIGIT_RE = re.compile(r"\d")
_SEP_FIRST_RE = re.compile(r"^(_{5,})\s+(\S.*)$")
_SEP_LAST_RE = re.compile(r"^(.*\S)\s+(_{5,})$")
_SPACES_RE = re.compile(r"\s\s+")  # r"\s{2,}", see parser_layout._MULTISPACE_RE
_SPACE_BEFORE_RE = re.compile(r"\s+([,;.])")


def _sub_kind(label: str, top: list[SubParagraph], nested_of: SubParagraph | None) -> str:
    """'top' or 'nested': (i) can be a roman numeral or the ninth letter."""

    def letter_next(prev: str) -> str:
        if len(prev) == 1:
            return chr(ord(prev) + 1) if prev != "z" else "aa"
        return chr(ord(prev[0]) + 1) * len(prev)

    if top and letter_next(top[-1].label) == label:
        if nested_of is not None and nested_of.subparagraphs and label in _ROMANS:
            nl = nested_of.subparagraphs[-1].label
            if nl in _ROMANS and _ROMANS.index(nl) + 1 < len(_ROMANS) and _ROMANS[_ROMANS.index(nl) + 1] == label:
                return "nested"
        return "top"
    if label in _ROMANS and top:
        last = top[-1]
        if label == "i" and not last.subparagraphs:
            return "nested"
        if last.subparagraphs:
            nl = last.subparagraphs[-1].label
            if nl in _ROMANS and _ROMANS.index(nl) + 1 < len(_ROMANS) and _ROMANS[_ROMANS.index(nl) + 1] == label:
                return "nested"
    return "top"


def _split_inline_preamble(units: list[_Unit]) -> list[_Unit]:
    """Compilation texts run the preamble on one line: 'Recalling ..., Noting ...,'."""
    out: list[_Unit] = []
    for u in units:
        t = u.text
        mv = match_verb(t, "preambular")
        if mv is None or _OPNUM_RE.match(t):
            out.append(u)
            continue
        cuts = [0]
        for m in re.finditer(r",\s+(?=[A-Z][a-z]+\b)", t):
            nv = match_verb(t[m.end():], "preambular")
            if nv is not None and t[m.end():].split()[0].endswith(("ing", "ed")):
                cuts.append(m.end())
        if len(cuts) == 1:
            out.append(u)
            continue
        cuts.append(len(t))
        for a, b in zip(cuts, cuts[1:]):
            out.append(_Unit(list(u.lines), [t[a:b].strip()]))
    return out


def _inner_verb(text: str) -> str | None:
    """'Pending the total elimination of nuclear weapons, urges ...': the verb after an opening clause."""
    for m in re.finditer(r",\s+((?:also\s+|further\s+|once\s+again\s+)?[a-z][a-z\-]+s\b(?:\s+[a-z]+){0,4})", text[:250]):
        cand = m.group(1)
        mv = match_verb(cand[:1].upper() + cand[1:], "operative")
        if mv is not None:
            return cand[: len(mv.phrase)]
    return None


def _list_open(p: Paragraph) -> bool:
    """Whether the paragraph introduced a list (ends with ':') that has not ended yet."""
    t = _MARK_RE.sub("", p.text).rstrip()
    return t.endswith(":") or (t.endswith((";", ",", "; and", "; or")) and ":" in t)


def _split_glued_closing(units: list[_Unit]) -> list[_Unit]:
    """'... session. 45th plenary meeting 5 December 2018' on one line: split off the closing line."""
    out: list[_Unit] = []
    pat = re.compile(r"(?<=[.;:])\s+(?=\d{1,4}(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary\s+meeting\b|Adopted\s+at\s+the\s+\d)")
    for u in units:
        t = u.text
        m = pat.search(t) if "plenary" in t or "Adopted" in t else None  # words the pattern needs
        if m and not _MEETING_RE.match(t):
            out.append(_Unit(list(u.lines), [t[: m.start()]]))
            out.append(_Unit([u.lines[-1]], [t[m.end():]]))
        else:
            out.append(u)
    return out


def _parse_body(ctx: _Ctx, units: list[_Unit], enact_has_comma: bool) -> None:
    rec = ctx.record
    units = _split_inline_preamble(_split_glued_closing(units))
    phase = "pre"
    section: str | None = None
    unnumbered: list[tuple[_Unit, VerbMatch | None]] = []
    numbered_seen = False
    current: Paragraph | None = None
    annex_parts: list[str] = []
    annex_started = False
    pending_heading = False

    def add_sub(u_text: str, no: int) -> None:
        m = _SUBLABEL_RE.match(u_text)
        assert m is not None
        label = m.group("l")
        body_text = m.group("t").strip()
        if current is None:
            ctx.warn(no, "sub-paragraph outside any paragraph", u_text)
            return
        kind = _sub_kind(label, current.subparagraphs, current.subparagraphs[-1] if current.subparagraphs else None)
        sp = SubParagraph(label, body_text)
        if kind == "nested" and current.subparagraphs:
            current.subparagraphs[-1].subparagraphs.append(sp)
        else:
            current.subparagraphs.append(sp)
        current.text = current.text + " (" + label + ") " + body_text

    for u in units:
        raw = u.text
        text, markers = _clean_markers(ctx, raw)
        if not text:
            continue
        if phase == "after":
            if _ANNEX_RE.match(text):
                if annex_parts:
                    rec.annexes.append("\n".join(annex_parts))
                annex_parts = [text]
                annex_started = True
            elif annex_started:
                annex_parts.append(text)
            else:
                mvote = _vote_from(text)
                if mvote is not None and rec.vote is not None:
                    rec.vote = _merge_vote(rec.vote, mvote)
                    continue
                ctx.warn(u.no, "text after the closing line that is not an annex", text)
            continue
        # closing lines
        mm = _MEETING_RE.match(text)
        if mm:
            rec.meeting = Meeting(int(mm.group(1)), _iso_date(mm.group(2)) or rec.adopted, "plenary")
            phase = "after"
            continue
        ms = _SC_ADOPTED_RE.match(text)
        if ms:
            rec.meeting = Meeting(int(ms.group(1)), rec.adopted, "meeting")
            rec.vote = _vote_from(text) or Vote()
            phase = "after"
            continue
        if _DATE_ONLY_RE.match(text) and (rec.operative or unnumbered):
            rec.meeting = Meeting(None, _iso_date(text), "plenary")
            phase = "after"
            continue
        if _ANNEX_RE.fullmatch(text.strip()) or (_ANNEX_RE.match(text) and len(text) < 80 and (rec.operative or unnumbered)):
            phase = "after"
            annex_parts = [text]
            annex_started = True
            continue
        if _SECTION_RE.match(text):
            section = text.rstrip(".")
            pending_heading = True
            current = None
            continue
        mo = _OPNUM_RE.match(text)
        if mo:
            num = int(mo.group(1))
            body_text = mo.group(2).strip()
            mv = match_verb(body_text) or guess_verb(body_text, "operative")
            if mv is not None and mv.kind == "preambular" and not mv.known:
                mv = None
            verb = mv.phrase if mv else _inner_verb(body_text)
            p = Paragraph(num, verb, body_text, [], markers, u.no)
            rec.operative.append(p)
            current = p
            numbered_seen = True
            phase = "op"
            pending_heading = False
            continue
        if _SUBLABEL_RE.match(text):
            if current is not None:
                current.footnotes.extend(markers)
            add_sub(text, u.no)
            continue
        if re.fullmatch(r"Resolves\s+that\s*:?", text):
            phase = "op"
            current = None
            continue
        if current is not None and _list_open(current) and (
            phase == "op" or (phase == "pre" and not (match_verb(text) or _is_heading_like(text)))
        ):
            # a list whose (a), (b) labels were lost in extraction: the items stay in the paragraph
            current.text = _join([current.text, text])
            current.footnotes.extend(markers)
            continue
        mv = match_verb(text)
        if mv is not None and mv.kind == "operative" and text[:1].isupper():
            # an unnumbered operative paragraph
            if numbered_seen or section is not None:
                if section is not None or numbered_seen:
                    ctx.warn(u.no, f"unnumbered operative paragraph{' in section ' + section if section else ''} (not counted)", text)
                    current = None
                    continue
            unnumbered.append((u, mv))
            p = Paragraph(len(unnumbered), mv.phrase, text, [], markers, u.no)
            current = p
            phase = "op"
            continue
        short_heading = len(text.split()) <= 16 and not text.rstrip().endswith(_TERMINAL)
        if mv is None and not short_heading:
            mv = guess_verb(text, "preambular")
        if mv is not None and mv.kind == "preambular" and phase == "pre" and section is None and not unnumbered:
            p = Paragraph(len(rec.preambular) + 1, mv.phrase, text, [], markers, u.no)
            rec.preambular.append(p)
            current = p
            continue
        if mv is not None and mv.kind == "preambular":
            ctx.warn(u.no, f"preambular paragraph{' of section ' + section if section else ''} after the operative part (not counted)", text)
            current = None
            continue
        if pending_heading or short_heading:
            pending_heading = False
            continue  # a section heading
        if current is not None and phase in ("pre", "op"):
            current.text = _join([current.text, text])
            current.footnotes.extend(markers)
            continue
        ctx.warn(u.no, "text the parser could not place", text)
    if annex_parts:
        rec.annexes.append("\n".join(annex_parts))
    if not numbered_seen and unnumbered:
        for i, (u, mv) in enumerate(unnumbered, start=1):
            t, mk = _clean_markers(ctx, u.text)
            rec.operative.append(Paragraph(i, mv.phrase if mv else None, t, [], mk, u.no))
    elif unnumbered:
        for u, _ in unnumbered:
            ctx.warn(u.no, "unnumbered operative paragraph before numbered ones (not counted)", u.text)


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    s = s.lower()
    if s.isdigit():
        return int(s)
    return _NUMWORDS.get(s)


def _vote_from(text: str) -> Vote | None:
    t = text.lower()
    if "without vote" in t or "without a vote" in t:
        return Vote(without_vote=True)
    if "unanimously" in t or "unanimité" in t:
        return Vote(unanimous=True)
    m = re.search(r"by (\w+) votes? to (\w+)(?:,? with (\w+) abstentions?)?", t)
    if m:
        return Vote(_num(m.group(1)), _num(m.group(2)), _num(m.group(3)) if m.group(3) else None)
    return None


def _merge_vote(a: Vote, b: Vote) -> Vote:
    return Vote(
        a.yes if a.yes is not None else b.yes,
        a.no if a.no is not None else b.no,
        a.abstain if a.abstain is not None else b.abstain,
        a.non_voting if a.non_voting is not None else b.non_voting,
        a.without_vote or b.without_vote,
        a.unanimous or b.unanimous,
    )


# --- references ----------------------------------------------------------------------------


def _references(ctx: _Ctx) -> None:
    rec = ctx.record
    chunks: list[tuple[str, str]] = []
    for p in rec.preambular:
        chunks.append((f"preambular:{p.number}", p.text))
    for p in rec.operative:
        chunks.append((f"operative:{p.number}", p.text))
    for f in rec.footnotes:
        chunks.append((f"footnote:{f.marker}", f.text))
    for a in rec.annexes:
        chunks.append(("annex", a))
    for w in rec.warnings:
        chunks.append((f"unplaced:{w.line}", w.text))
    own = rec.symbol
    header_docs = set(rec.reports) | set(rec.drafts)
    cites: dict[str, Citation] = {}
    docs: list[str] = []
    for where, text in chunks:
        cited_spans: list[tuple[int, int]] = []
        for c in find_citations(text):
            cited_spans.append((c.start, c.end))
            if c.symbol == own:
                continue
            if c.symbol not in cites:
                cites[c.symbol] = Citation(c.symbol, c.date, [])
            cit = cites[c.symbol]
            if cit.date is None and c.date:
                cit.date = c.date
            if where not in cit.where:
                cit.where.append(where)
        for sym, s, e in find_symbols(text):
            if is_resolution_symbol(sym):
                continue  # resolution symbols are citations
            if any(a <= s < b for a, b in cited_spans):
                continue
            if sym == own or sym in header_docs or sym in docs:
                continue
            docs.append(sym)
    rec.cites = list(cites.values())
    rec.documents = docs
    confs: list[Conference] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    for where, text in chunks:
        if where.startswith("unplaced"):
            continue
        for conf in extract_conferences(text):
            key = (conf.name, conf.start, conf.end)
            if key not in seen:
                seen.add(key)
                confs.append(conf)
    rec.conferences = confs
    for p in rec.operative:
        m = extract_mandate(p.number, p.verb, p.text)
        if m is not None:
            rec.mandates.append(m)
        ai = extract_agenda_inclusion(p.number, p.text)
        if ai is not None:
            rec.agenda_inclusions.append(ai)


# --- entry points --------------------------------------------------------------------------


def parse_text(text: str, source: str = "<input>", front_matter: dict[str, str] | None = None) -> Record:
    """Parse one resolution text; raise ParseError when it is not a resolution at all."""
    if not isinstance(text, str):
        raise ParseError("input is not text", path=source)
    text = normalise_text(text)
    text, fm2 = split_front_matter(text)
    fm = dict(front_matter or {})
    for k, v in fm2.items():
        fm.setdefault(k, v)
    if not text.strip():
        raise ParseError("empty input", path=source, line=1)
    rec = Record(source=source)
    ctx = _Ctx(rec, source)
    lines: list[_Line] = []
    for i, raw in enumerate(text.split("\n")):
        t = _prep_line(raw)
        # both patterns need five underscores at one end of the line: test that first, since
        # "(.*\S)" backtracks over the whole of every long line
        sep = _SEP_FIRST_RE.match(t) if t.startswith("_____") else None
        if sep:  # a re-flowed footnote block: separator and first footnote on one line
            lines.append(_Line(i + 1, sep.group(1)))
            t = sep.group(2)
        tail = _SEP_LAST_RE.match(t) if t.endswith("_____") else None
        if tail:  # a re-flowed paragraph that swallowed the separator line
            lines.append(_Line(i + 1, tail.group(1)))
            t = tail.group(2)
        lines.append(_Line(i + 1, t))
    for ln in lines:
        if not ln.text:
            ln.kind = "blank"
    ei = _find_enacting(lines)
    if ei is None:
        # no enacting formula: take the first numbered paragraph as the start of the body
        ei2 = next((i for i, ln in enumerate(lines) if re.match(r"^1\.\s", ln.text)), None)
        if ei2 is None:
            raise ParseError("no enacting formula ('The General Assembly,') and no numbered paragraph: not a resolution", path=source, line=1)
        header, body_lines, comma = lines[:ei2], lines[ei2:], True
    else:
        em = _ENACT_RE.match(lines[ei].text)
        assert em is not None
        header = lines[:ei]
        body_lines = lines[ei + 1:]
        comma = bool(em.group(2))
        if em.group(3).strip():
            body_lines = [_Line(lines[ei].no, em.group(3).strip())] + body_lines
        if rec.body is None:
            rec.body = em.group(1)
    _parse_header(ctx, header, fm)
    if ei is not None:
        em = _ENACT_RE.match(lines[ei].text)
        if em and em.group(1) == "Security Council":
            rec.body = "Security Council"
    if rec.symbol is None:
        sm2 = re.match(r"([AS])-RES-(.+)$", pathlib.Path(source).name.split(".")[0])
        if sm2:
            guess = sm2.group(1) + "/RES/" + re.sub(r"-([IVXL]+|\d{4})$", r"(\1)", sm2.group(2)).replace("-", "/")
            guess = re.sub(r"/(ES|S)/(\d+)", r"/\1-\2", guess)
            try:
                rec.symbol = normalise_symbol(guess)
            except ValueError:
                pass
    if rec.body == "Security Council":
        rec.session = None
    elif rec.symbol:
        sm = re.match(r"A/RES/((?:ES|S)-\d+|\d+)/", rec.symbol) or re.match(r"A/RES/\d+\(([IVXL]+)\)", rec.symbol)
        if sm:
            rec.session = sm.group(1)
    own = {s for s in (rec.symbol, (rec.symbol or "").replace("(", " (")) if s}
    _classify(body_lines, own, rec.title)
    segs = _split_body(ctx, body_lines, _norm(rec.title or ""))
    units = _units(segs)
    # footnotes first: marker cleaning needs to know which markers exist
    for n in ctx.fn_order:
        t = _MARK_RE.sub("", _join(ctx.footnotes[n]))
        rec.footnotes.append(Footnote(str(n), t))
    _parse_body(ctx, units, comma)
    if rec.meeting is None and rec.body == "General Assembly" and rec.adopted and (rec.operative or rec.preambular):
        pass
    if rec.adopted is None and rec.meeting is not None and rec.meeting.date:
        rec.adopted = rec.meeting.date
    if rec.meeting is not None and rec.meeting.date is None:
        rec.meeting.date = rec.adopted
    if rec.vote is not None:
        for f in rec.footnotes:
            nv = re.search(r"\b(\w+)\s+members?\b[^.]*\bdid not participate in the vot", f.text, re.I)
            if nv and rec.vote.non_voting is None:
                rec.vote.non_voting = _num(nv.group(1))
    if rec.vote is None:
        for f in rec.footnotes:
            fv = _vote_from(f.text) if re.match(r"Adopted", f.text) else None
            if fv is not None:
                rec.vote = fv
    if rec.symbol is None and rec.title is None and (ei is None or not (rec.operative or rec.preambular)):
        raise ParseError("no symbol and no title found: not a resolution", path=source, line=1)
    _references(ctx)
    return rec


def parse_file(
    path: str | pathlib.Path | None,
    *,
    input_format: str | None = None,
    strict: bool = False,
    data: bytes | None = None,
) -> Record:
    """Read and parse one file; with strict, any warning becomes a ParseError."""
    src = read_source(path, data=data, input_format=input_format)
    rec = parse_text(src.text, source=src.source, front_matter=src.front_matter)
    if strict and rec.warnings:
        w = rec.warnings[0]
        raise ParseError(f"text the parser could not place: {w.message}: {w.text[:80]!r}", path=src.source, line=w.line)
    return rec
