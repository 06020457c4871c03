"""Parse the text of a UN resolution into a Record.

The work is done in passes: lines are classified (page furniture, footnote blocks, body text);
body lines are grouped into logical paragraphs (re-joining paragraphs cut by page breaks);
paragraphs are classified (preambular, operative, sub-paragraph, meeting line, annex);
references (citations, documents, conferences, mandates) are then extracted from the clean text.
"""

from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass, field

from .errors import ParseError
from .readers import normalise_text, read_source, split_front_matter
from .record import (
    AgendaInclusion,
    Citation,
    Conference,
    Footnote,
    Mandate,
    Meeting,
    Paragraph,
    Record,
    SubParagraph,
    Vote,
    Warning_,
)
from .parser_refs import extract_conferences, extract_mandate, extract_agenda_inclusion, ordinal_session
from .symbols import DATE_RE, MONTH_RE, expand_symbols, find_citations, find_symbols, normalise_symbol, parse_date
from .verbs import VerbMatch, guess_verb, match_verb

__all__ = ["PARSER_VERSION", "parse_text", "parse_file"]

PARSER_VERSION = "0.1.0"

_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_MAP = {c: str(i) for i, c in enumerate(_SUP)}
# Internal footnote-marker sentinel, so explicit markers ([^3], superscripts, "3/") survive joining.
_M0, _M1 = "\ue000", "\ue001"
_MARK_RE = re.compile(_M0 + r"(\d+)" + _M1)

_JOB_RE = re.compile(r"^\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?$")
_BARCODE_RE = re.compile(r"^\*\d{6,9}\*$")
_PAGE_RE = re.compile(r"^\d{1,3}/\d{1,3}$")
_SEP_RE = re.compile(r"^(?:_{5,}|-{3,}|\*{3,})$")
_MD_FN_RE = re.compile(r"^\[\^(\d+)\]:\s*(.*)$")
_FNCAND_RE = re.compile(r"^(\d{1,3})(?:/)?(?:\s+(\S.*)|(?=[A-Z][a-z])(.*))$")
_ENACT_RE = re.compile(r"^The (General Assembly|Security Council)\b\s*(,?)\s*(.*)$")
_OPNUM_RE = re.compile(r"^(\d{1,3})\.(?:\s+|$)(.*)$", re.S)
_SUBLABEL_RE = re.compile(r"^\((?P<l>[a-z]{1,4})\)\s*(?P<t>.*)$", re.S)
_MEETING_RE = re.compile(
    r"^(\d{1,4})(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary\s+meeting\s*,?\s*(.*)$", re.S | re.I
)
_SC_ADOPTED_RE = re.compile(r"^Adopted\s+(?:unanimously\s+)?at\s+the\s+(\d{1,5})(?:st|nd|rd|th)\s+meeting", re.I)
_DATE_ONLY_RE = re.compile(r"^\d{1,2}\s*" + MONTH_RE + r"\s*\d{4}\.?$")
_ANNEX_RE = re.compile(r"^Annex(?:es)?(?:\s+[IVX]+)?\b\.?", re.I)
_SECTION_RE = re.compile(r"^(?:[A-H]|[IVX]{1,5})\.?$")
_TITLE_NUM_RE = re.compile(
    r"^(?P<num>(?:(?:ES|S)-\d{1,2}/\d{1,4}|\d{1,3}/\d{1,4}|\d{1,4}\s*\((?:ES-|S-)?[IVXL]+\)|\d{3,4}))\.(?:\s+(?P<rest>.*)|$)"
)
_ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]
_NUMWORDS = {
    "none": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15,
}
_COMMITTEES = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth"]


@dataclass
class _Line:
    no: int
    text: str
    kind: str = "text"  # text | blank | break | sep | fn | fncand
    fn: int | None = None


@dataclass
class _Unit:
    """A logical paragraph of the body (possibly re-joined across a page break)."""

    lines: list[int]
    parts: list[str]

    @property
    def no(self) -> int:
        return self.lines[0]

    @property
    def text(self) -> str:
        return _join(self.parts)


@dataclass
class _Ctx:
    record: Record
    source: str
    footnotes: dict[int, list[str]] = field(default_factory=dict)
    fn_order: list[int] = field(default_factory=list)
    fn_lines: dict[int, int] = field(default_factory=dict)

    def warn(self, line: int, message: str, text: str = "") -> None:
        self.record.warnings.append(Warning_(line, message, text))


# --- small helpers -------------------------------------------------------------------------


def _join(parts: list[str]) -> str:
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if not out:
            out = p
        elif out.endswith("-") and p[:1].islower():
            out += p  # "seventy-\nthird"
        else:
            out += " " + p
    out = re.sub(r"(\w) -(?=[A-Z][a-z])", r"\1-", out)  # "Secretary -General"
    out = re.sub(r"\s+([,;])", r"\1", out)
    return re.sub(r"\s{2,}", " ", out).strip()


def _norm(s: str) -> str:
    s = _MARK_RE.sub("", s)
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def _iso_date(s: str) -> str | None:
    try:
        return parse_date(s)
    except ValueError:
        return None


def _prep_line(raw: str) -> str:
    """Markdown and superscript clean-up of one line."""
    s = raw.strip()
    if _BARCODE_RE.match(s):
        return s
    s = re.sub(r"\[\^(\d+)\](?!:)", lambda m: _M0 + m.group(1) + _M1, s)
    s = re.sub(r"\[(\d{1,3})\](?!\()", lambda m: _M0 + m.group(1) + _M1, s)  # "[1]" web-page markers
    s = re.sub("[" + _SUP + "]+", lambda m: _M0 + "".join(_SUP_MAP[c] for c in m.group(0)) + _M1, s)
    # kind E markers: "1/" after a space
    s = re.sub(r"(?<=\s)(\d{1,2})/(?=\s|$|[,.;])", lambda m: _M0 + m.group(1) + _M1, s)
    s = re.sub(r"^#{1,6}\s+", "", s)
    s = re.sub(r"^[-*•]\s+(?=\()", "", s)  # "- (a) ..." list bullets
    s = re.sub(r"(?<![\w*])\*{1,2}(?=\S)|(?<=\S)\*{1,2}(?![\w*])", "", s)  # *italics*
    s = s.replace("**", "")
    return s.strip()


# --- header -------------------------------------------------------------------------------


def _find_enacting(lines: list[_Line]) -> int | None:
    for i, ln in enumerate(lines):
        m = _ENACT_RE.match(ln.text)
        if not m:
            continue
        rest = m.group(3).strip()
        # "The General Assembly adopted ..." in prose is no enacting formula
        if not rest or (m.group(2) and match_verb(rest) is not None):
            return i
    return None


_FUNCTION_WORDS = {"of", "the", "and", "in", "to", "for", "on", "into", "at", "by", "with", "a", "an", "or", "from"}


def _extend_title(title: str, fuller: str, cut_only: bool) -> str:
    """Complete a title cut at a line end from a fuller version that starts with it."""
    t, f = title.strip(), fuller.strip()
    tf = t.replace("’", "'").casefold()
    ff = f.replace("’", "'").casefold()
    if len(ff) <= len(tf) or not ff.startswith(tf) or ff[len(tf)] != " ":
        return title
    if cut_only and t.split()[-1].lower() not in _FUNCTION_WORDS:
        return title
    return t + f[len(t):]


def _parse_header(ctx: _Ctx, lines: list[_Line], fm: dict[str, str]) -> tuple[str | None, str | None]:
    """Fill header fields. Returns (title number, running-head title) for later use."""
    rec = ctx.record
    texts = [ln.text for ln in lines]
    flat = _join(texts)
    flat = _MARK_RE.sub("", flat)
    # symbol
    m = re.search(r"\b(A/RES/[\w\-./]+(?:\s?\((?:ES-|S-)?[IVXL]+\))?|S/RES/\d+\s?\(\d{4}\))", flat)
    if m:
        try:
            rec.symbol = normalise_symbol(m.group(1))
        except ValueError:
            pass
    msc = re.search(r"Security Council\s+Resolution\s+(\d+)\s*\((\d{4})\)", flat, re.I) or re.search(
        r"(?:^|\s)Resolution\s+(\d+)\s*\((\d{4})\)\s+Adopted\s+by\s+the\s+Security\s+Council", flat
    )
    msm = re.search(
        r"Adopted\s+by\s+the\s+Security\s+Council\s+at\s+its\s+(\d+)(?:st|nd|rd|th)\s+meeting,?\s+on\s+(\d{1,2}\s+"
        + MONTH_RE + r"\s+\d{4})",
        flat,
    )
    if msm:
        rec.body = "Security Council"
        rec.adopted = _iso_date(msm.group(2))
        rec.meeting = Meeting(int(msm.group(1)), rec.adopted, "meeting")
    if msc:
        rec.body = "Security Council"
        if rec.symbol is None:
            rec.symbol = f"S/RES/{int(msc.group(1))}({msc.group(2)})"
    # title
    num: str | None = None
    title_parts: list[str] = []
    for i, ln in enumerate(lines):
        tm = _TITLE_NUM_RE.match(ln.text)
        if not tm:
            continue
        num = tm.group("num")
        rest = (tm.group("rest") or "").strip()
        if rest:
            title_parts.append(rest)
        j = i + 1
        # the number may stand alone, with blank lines before the title
        while not title_parts and j < len(lines) and lines[j].kind == "blank":
            j += 1
        while j < len(lines) and lines[j].kind != "blank":
            title_parts.append(lines[j].text)
            j += 1
        break
    if len(title_parts) == 1 and re.fullmatch(r"Resolutions?", title_parts[0].strip(), re.I):
        # yearbook style: "XI. RESOLUTIONS ADOPTED ... : Question considered ... (item 66)"
        title_parts = []
        for hl in texts:
            ym = re.search(r"RESOLUTIONS\s+ADOPTED[^:]*:\s*(.+?)\s*(?:\(items?\s+\d+[^)]*\))?\s*$", hl)
            if ym:
                title_parts = [ym.group(1)]
                break
    if title_parts:
        t = _MARK_RE.sub("", _join(title_parts))
        rec.title = re.sub(r"\s*:$", "", t).strip() or None
    # session
    ms = re.search(
        r"\b((?:[A-Za-z]+[\s\-]+){0,3}?[A-Za-z]+)\s+((?:emergency\s+)?special\s+)?session\b", flat, re.I
    )
    for ms in re.finditer(
        r"\b((?:[A-Za-z]+[\s\-]+){0,3}[A-Za-z]+)\s+((?:emergency\s+)?special\s+)?session\b", flat, re.I
    ):
        val = ordinal_session(ms.group(1))
        if val is not None:
            kind = (ms.group(2) or "").lower()
            rec.session = ("ES-" if "emergency" in kind else "S-" if "special" in kind else "") + str(val)
            break
    # agenda items
    ma = re.search(r"Agenda\s+items?\s+((?:\d+(?:\s*\([a-z]{1,3}\))?)(?:\s*(?:,|and)\s*\d+(?:\s*\([a-z]{1,3}\))?)*)", flat, re.I)
    if ma:
        rec.agenda_items = [
            re.sub(r"\s+", " ", re.sub(r"\s*\(", " (", x)).strip()
            for x in re.findall(r"\d+(?:\s*\([a-z]{1,3}\))?", ma.group(1))
        ]
    else:
        mi = re.search(r"\(items?\s+(\d+(?:\s*\([a-z]{1,3}\))?)\)", flat)
        if mi:
            rec.agenda_items = [mi.group(1)]
    # distributed
    md = re.search(r"Distr\.?\s*:?\s*(?:General|GENERAL|Limited|LIMITED|Restricted)?\s*(.{0,40})", flat)
    if md:
        dm = DATE_RE.match(md.group(1).strip())
        if dm:
            rec.distributed = _iso_date(dm.group(0))
    # adopted
    mad = re.search(r"adopted\s+by\s+the\s+(?:General Assembly|Security Council)\s*(?:on\s*)?(\d{1,2}\s*" + MONTH_RE + r"\s*\d{4})", flat, re.I)
    if mad:
        rec.adopted = _iso_date(mad.group(1))
    else:
        for h in re.finditer(r"Resolution\s+\d+\s*\(\d{4}\)\s*,?\s*of\s+(\d{1,2}\s+" + MONTH_RE + r"\s+\d{4})", flat, re.I):
            rec.adopted = _iso_date(h.group(1))
            break
    # committee line
    mb = re.search(r"\[\s*((?:on the report|without reference)[^\]]*)\]", flat, re.I)
    if mb:
        br = mb.group(1)
        syms = [s for s in expand_symbols(br)]
        if re.match(r"without reference", br, re.I):
            rec.committee = None
            rec.drafts = syms
        else:
            cm = re.search(r"\((" + "|".join(_COMMITTEES) + r") Committee\)", br) or re.search(
                r"\b(" + "|".join(_COMMITTEES) + r") Committee\b", br
            )
            if cm:
                rec.committee = cm.group(1) + " Committee"
            else:
                om = re.search(r"report of the ((?:[A-Z][\w\-]*\s+)*?(?:Committee|Council|Commission))", br)
                rec.committee = om.group(1) if om else None
            rec.reports = syms
    # body
    if rec.body is None:
        if re.search(r"General Assembly", flat, re.I):
            rec.body = "General Assembly"
        elif re.search(r"Security Council", flat):
            rec.body = "Security Council"
    # fallbacks from the title number and the front matter (its date is the issue date: not used)
    if rec.symbol is None and num is not None and rec.body != "Security Council":
        n = num.replace(" ", "")
        if "/" in n or "(" in n:
            rec.symbol = "A/RES/" + n
    if rec.symbol is None and fm.get("symbol"):
        try:
            rec.symbol = normalise_symbol(fm["symbol"])
        except ValueError:
            pass
    fm_title = re.sub(r"\s+:", ":", re.sub(r"\s*:\s*$", "", fm.get("title", ""))).strip()
    if rec.title is None and fm_title:
        rec.title = fm_title
    elif rec.title and fm_title:
        rec.title = _extend_title(rec.title, fm_title, cut_only=False)
    if rec.title:
        # an extraction that cut the title at a line end: the agenda line may hold the rest
        am = re.search(r"Agenda\s+items?\s+[\d\s(),a-z]+?\s+([A-Z].*?)(?=\s+(?:Resolution adopted|RESOLUTION ADOPTED)|$)", flat)
        if am:
            rec.title = _extend_title(rec.title, am.group(1), cut_only=True)
    return num, rec.title


# --- line classification -------------------------------------------------------------------


def _is_page(s: str) -> bool:
    """A page number like '2/5' (never a resolution number like '70/1')."""
    m = _PAGE_RE.match(s)
    return bool(m) and 0 < int(s.split("/")[0]) <= int(s.split("/")[1]) <= 300


def _is_title_fragment(s: str, title_n: str, min_len: int = 8) -> bool:
    n = _norm(s)
    if len(n) < min_len or not title_n or s.rstrip().endswith((",", ";")):
        return False
    if len(n) < 8:
        return f" {n} " in f" {title_n} "
    n = n.rstrip(". ")
    return n in title_n or (s.rstrip().endswith("…") and title_n.startswith(_norm(s.rstrip("… "))))


def _strip_furniture_tokens(s: str, own: set[str]) -> str:
    t = s
    for sym in own:
        t = t.replace(sym, " ")
    t = re.sub(r"\b\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?\b", " ", t)
    t = re.sub(r"(?<!\S)\d{1,3}/\d{1,3}(?!\S)", " ", t)
    t = re.sub(r"\*\d{6,9}\*", " ", t)
    return t.strip()


def _classify(lines: list[_Line], own: set[str], title: str | None) -> None:
    title_n = _norm(title or "")
    for ln in lines:
        s = ln.text
        if not s:
            ln.kind = "blank"
        elif _SEP_RE.match(s):
            ln.kind = "sep"
        elif _JOB_RE.match(s) or _BARCODE_RE.match(s) or _is_page(s) or s in own:
            ln.kind = "break"
        elif _MD_FN_RE.match(s):
            ln.kind = "fn"
            ln.fn = int(_MD_FN_RE.match(s).group(1))  # type: ignore[union-attr]
        elif s.startswith(_M0) and _MARK_RE.match(s):
            ln.kind = "fn"
            ln.fn = int(_MARK_RE.match(s).group(1))  # type: ignore[union-attr]
        elif re.fullmatch(r"\d{1,3}", s):
            ln.kind = "fncand"  # a footnote number alone, its text on the next line
            ln.fn = int(s)
        elif _FNCAND_RE.match(s) and not _OPNUM_RE.match(s):
            ln.kind = "fncand"
            ln.fn = int(_FNCAND_RE.match(s).group(1))  # type: ignore[union-attr]
        else:
            stripped = _strip_furniture_tokens(s, own)
            if stripped != s and (not stripped or _is_title_fragment(stripped, title_n)):
                ln.kind = "break"
    for i, ln in enumerate(lines):
        # the first-page "United Nations" logo line, never a wrapped line inside a paragraph
        if ln.kind == "text" and ln.text == "United Nations":
            prev = lines[i - 1].kind if i > 0 else "blank"
            nxt = lines[i + 1].kind if i + 1 < len(lines) else "blank"
            if prev in ("blank", "break") and nxt in ("blank", "break"):
                ln.kind = "break"
    # running-head title lines: title fragments next to other furniture, or standing alone
    for i, ln in enumerate(lines):
        if ln.kind != "text" or not _is_title_fragment(ln.text, title_n):
            continue
        near = [lines[k].kind for k in range(max(0, i - 3), min(len(lines), i + 4)) if k != i]
        prev = lines[i - 1].kind if i > 0 else "blank"
        nxt = lines[i + 1].kind if i + 1 < len(lines) else "blank"
        big = len(_norm(ln.text)) >= min(25, 0.5 * len(title_n))
        if ("break" in near and big) or prev == "break" or nxt == "break" or (prev in ("blank", "break") and nxt in ("blank", "break") and len(_norm(ln.text)) >= 0.6 * len(title_n)):
            ln.kind = "break"
    # a title line next to a line just marked (two-line running heads)
    for _ in range(2):
        for i, ln in enumerate(lines):
            if ln.kind == "text" and _is_title_fragment(ln.text, title_n, 3):
                if (i > 0 and lines[i - 1].kind == "break") or (i + 1 < len(lines) and lines[i + 1].kind == "break"):
                    ln.kind = "break"


_BODY_START_RE = re.compile(r"^(?:\d{1,3}\.(?:\s|$)|\(\w{1,4}\)|Annex\b|\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary)")


def _footnote_spill(text: str, title_n: str) -> tuple[str, list[str]]:
    """Split body text that an extraction glued onto a footnote ('1 Resolution S-10/2. Taking note of ...')."""
    for m in re.finditer(r"(?<=[.;])\s+(?=[A-Z0-9])", text):
        rest = text[m.end():]
        spill: str | None = None
        mv = match_verb(rest)
        if mv is not None and rest.split()[0][:1].isupper():
            spill = rest
        elif re.match(r"\d{1,3}\.\s+[A-Z]", rest) and match_verb(rest.split(None, 1)[1] if " " in rest else ""):
            spill = rest
        elif title_n:
            # a running head (the title) followed by the rest of a cut paragraph
            words = rest.split()
            for k in range(min(len(words), 40), 2, -1):
                if _norm(" ".join(words[:k])) and _norm(" ".join(words[:k])) in title_n and (
                    k == len(words) or words[k][:1].islower()
                ):
                    spill = " ".join(words[k:])
                    break
        if spill is not None:
            pieces = re.split(
                r"(?<=[.;:,])\s+(?=\d{1,3}\.\s+[A-Z])|(?<=[.;:])\s+(?=\d{1,4}(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary\s+meeting)",
                spill,
            )
            return text[: m.start()].strip(), [p for p in pieces if p.strip()]
    return text, []


def _split_body(ctx: _Ctx, lines: list[_Line], title_n: str = "") -> list[tuple[list[_Line], bool]]:
    """Separate footnotes from body text; return body segments and whether a break preceded each."""
    segs: list[tuple[list[_Line], bool]] = []
    cur: list[_Line] = []
    gap = False
    zone = False
    fn_open: int | None = None  # footnote that the next non-blank line may continue
    prev_kind = "blank"
    last_fn = 0
    body_so_far: list[str] = []

    def close() -> None:
        nonlocal cur, gap
        if cur:
            segs.append((cur, gap))
            gap = False
        cur = []

    def start_fn(n: int, text: str, no: int) -> None:
        nonlocal fn_open, last_fn
        text, spill = _footnote_spill(text, title_n)
        if spill:
            close()
            for piece in spill:
                segs.append(([_Line(no, piece)], True))
        if n in ctx.footnotes:
            ctx.footnotes[n].append(text)  # a repeated number: keep the text, do not lose it
        else:
            ctx.footnotes[n] = [text]
            ctx.fn_order.append(n)
            ctx.fn_lines[n] = no
        fn_open = None if spill else n
        last_fn = max(last_fn, n)

    for ln in lines:
        k = ln.kind
        if k == "blank":
            close()
            if not zone:
                fn_open = None
            prev_kind = "blank"
            continue
        if k == "sep":
            close()
            zone = True
            gap = True
            fn_open = None
            prev_kind = k
            continue
        if k == "break":
            close()
            zone = False
            gap = True
            fn_open = None
            prev_kind = k
            continue
        if k == "fn" and ln.fn is not None:
            m = _MD_FN_RE.match(ln.text)
            txt = m.group(2) if m else _MARK_RE.sub("", ln.text, count=1)
            if m and not (0 < ln.fn <= last_fn + 5) and fn_open is not None:
                # "[^1994]:" is a continuation line mis-read as a definition
                ctx.footnotes[fn_open].append(m.group(1) + " " + m.group(2))
                continue
            close()
            gap = True
            start_fn(ln.fn, txt.strip(), ln.no)
            prev_kind = k
            continue
        if k == "fncand" and ln.fn is not None:
            m2 = _FNCAND_RE.match(ln.text)
            if m2 is None:  # bare number: only inside a footnote block
                if zone and last_fn < ln.fn <= last_fn + 4:
                    close()
                    gap = True
                    start_fn(ln.fn, "", ln.no)
                    prev_kind = "fncand"
                    continue
                k = "text"
                cur.append(ln)
                body_so_far.append(ln.text)
                prev_kind = "text"
                continue
            rest = m2.group(2) if m2.group(2) is not None else m2.group(3)
            glued_line = m2.group(2) is None
            seen_marker = re.search(r"[.,;:a-z]" + str(ln.fn) + r"(?!\d)", " ".join(body_so_far[-40:])) is not None
            plausible = (
                ((last_fn < ln.fn <= last_fn + 4 and not glued_line) or seen_marker)
                and not re.match(MONTH_RE, rest)
                and (not rest[:1].islower() or rest.startswith(("http", "www.")))
            )
            if plausible and (zone or prev_kind in ("blank", "break", "sep", "fn", "fncand")):
                close()
                gap = True
                start_fn(ln.fn, rest.strip(), ln.no)
                prev_kind = "fncand"
                continue
            k = "text"
        # body or footnote continuation
        if fn_open is not None and (prev_kind in ("fn", "fncand", "fncont") or zone):
            if _verb_line(ln.text) or _OPNUM_RE.match(ln.text) or _MEETING_RE.match(ln.text) or (
                zone and prev_kind == "blank" and _BODY_START_RE.match(ln.text)
            ):
                zone = False
                fn_open = None
            else:
                ctx.footnotes[fn_open].append(ln.text)
                prev_kind = "fncont"
                continue
        elif zone and fn_open is None and prev_kind == "sep":
            # text right after a separator that is not a numbered footnote
            pass
        cur.append(ln)
        body_so_far.append(ln.text)
        prev_kind = "text"
    close()
    return segs


# --- units and their classification --------------------------------------------------------

_TERMINAL = (".", ";", ":", ",", "!", "?")


def _is_start(t: str) -> bool:
    if _OPNUM_RE.match(t) or _SUBLABEL_RE.match(t) or _SECTION_RE.match(t):
        return True
    if _MEETING_RE.match(t) or _SC_ADOPTED_RE.match(t) or _DATE_ONLY_RE.match(t) or _ANNEX_RE.match(t):
        return True
    mv = match_verb(t)
    return mv is not None and t[:1].isupper()


def _verb_line(t: str) -> bool:
    """A line that opens a clause (text without blank lines between paragraphs, e.g. from pypdf)."""
    if not t[:1].isupper():
        return False
    mv = match_verb(t)
    return mv is not None and mv.known


def _split_segments(segs: list[tuple[list[_Line], bool]]) -> list[tuple[list[_Line], bool]]:
    """Split a blank-free segment where a numbered or lettered paragraph starts on a new line."""
    out: list[tuple[list[_Line], bool]] = []
    for seg, gap in segs:
        cur: list[_Line] = []
        for ln in seg:
            if cur and (_OPNUM_RE.match(ln.text) or _SUBLABEL_RE.match(ln.text) or _MEETING_RE.match(ln.text)
                        or _ANNEX_RE.fullmatch(ln.text) or _verb_line(ln.text)):
                prev = _MARK_RE.sub("", cur[-1].text).rstrip()
                bare = re.fullmatch(r"\d{1,3}\.|\([a-z]{1,4}\)|[A-H]\.?", prev) is not None
                numbered = _OPNUM_RE.match(ln.text)
                strong = bool(numbered) and (
                    not numbered.group(2).strip() or _verb_line(numbered.group(2).strip())  # type: ignore[union-attr]
                )
                if not bare and (strong or prev.endswith((";", ":", ".", ",")) or re.search(r"[;:.,]\s?\d{1,3}$", prev)):
                    out.append((cur, gap))
                    cur, gap = [], False
            cur.append(ln)
        if cur:
            out.append((cur, gap))
    return out


def _units(segs: list[tuple[list[_Line], bool]]) -> list[_Unit]:
    units: list[_Unit] = []
    for seg, gap in _split_segments(segs):
        text = _join([ln.text for ln in seg])
        if units:
            prev = units[-1].text
            prev_clean = _MARK_RE.sub("", prev).rstrip()
            ends = prev_clean.endswith(_TERMINAL) or re.search(r"[,;.:]\d{1,3}$", prev_clean) is not None
            hard = bool(_OPNUM_RE.match(text) or _SUBLABEL_RE.match(text) or _MEETING_RE.match(text)
                        or _ANNEX_RE.match(text) or _SECTION_RE.match(text) or _DATE_ONLY_RE.match(text))
            cont = False
            closing = bool(_MEETING_RE.match(prev_clean) or _SC_ADOPTED_RE.match(prev_clean) or _DATE_ONLY_RE.match(prev_clean))
            if re.fullmatch(r"\d{1,3}\.|\([a-z]{1,4}\)", prev_clean) and not hard:
                cont = True  # "1." or "(a)" alone, the text after a blank line
            elif not hard and not closing:
                if text[:1].islower() or text[:1].isdigit() and not _DATE_ONLY_RE.match(text):
                    cont = not _is_heading_like(prev_clean) or gap
                elif not ends and gap and not _is_heading_like(prev_clean):
                    cont = True
                elif not ends and not _is_start(text) and not _is_heading_like(prev_clean):
                    cont = True
            if cont:
                units[-1].lines.extend(ln.no for ln in seg)
                units[-1].parts.extend(ln.text for ln in seg)
                continue
        units.append(_Unit([ln.no for ln in seg], [ln.text for ln in seg]))
    return units


def _is_heading_like(t: str) -> bool:
    return bool(_SECTION_RE.match(t) or re.fullmatch(r"\d{1,3}\.", t.strip()) or re.fullmatch(r"\(\w{1,4}\)", t.strip()))


def _clean_markers(ctx: _Ctx, text: str) -> tuple[str, list[str]]:
    """Remove footnote markers from text; return the text and the markers found."""
    known = set(ctx.footnotes)
    found: list[str] = []

    def keep(n: str) -> bool:
        return n.isdigit() and int(n) in known

    def sent(m: re.Match[str]) -> str:
        found.append(m.group(1))
        return ""

    text = _MARK_RE.sub(sent, text)
    if known:
        def glued(m: re.Match[str]) -> str:
            if keep(m.group(2)):
                found.append(m.group(2))
                return m.group(1)
            return m.group(0)

        # "2025–20286" / "26 June 20146": year followed by a marker
        text = re.sub(r"((?:" + MONTH_RE + r")\s+(?:19|20)\d\d|[–\-−](?:19|20)\d\d)(\d{1,2})(?!\d)", glued, text)
        # "Weapons1", "report4", "2010,1", "session,2"
        text = re.sub(r"([a-z]{3}[”’\)]?|[a-z\)”’\]][,;:.]|\d{4}[,;:.])(\d{1,3})(?=[\s,;.:)]|$)", glued, text)
        # spaced: "Peoples, 3 there", "Goals, 6 in", paragraph end ", 2"
        text = re.sub(r"([A-Za-z”’\)\]][,;:.]|(?:19|20)\d\d,)\s(\d{1,3})(?=\s+[a-z]|\s*$)", glued, text)
    text = re.sub(r"\s{2,}", " ", text).strip()
    text = re.sub(r"\s+([,;.])", r"\1", text)
    return text, found


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
        m = pat.search(t)
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
            if re.match(r"[AES]/(?:HRC/)?(?:RES|DEC)/", sym) or re.match(r"S/RES/", sym):
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
        sep = re.match(r"^(_{5,})\s+(\S.*)$", t)
        if sep:  # a re-flowed footnote block: separator and first footnote on one line
            lines.append(_Line(i + 1, sep.group(1)))
            t = sep.group(2)
        tail = re.match(r"^(.*\S)\s+(_{5,})$", t)
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
