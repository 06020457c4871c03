"""Layout pass of the parser: line clean-up, page furniture, footnote blocks, logical paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .record import Record, Warning_
from .symbols import MONTH_RE, parse_date
from .verbs import match_verb

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
    _joined: tuple[tuple[str, ...], str] | None = field(default=None, repr=False, compare=False)

    @property
    def no(self) -> int:
        return self.lines[0]

    @property
    def text(self) -> str:
        # asked for again and again by the passes over the units: join once per state of `parts`
        key = tuple(self.parts)
        if self._joined is None or self._joined[0] != key:
            self._joined = (key, _join(self.parts))
        return self._joined[1]


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
    if " -" in out:
        out = _SPACED_HYPHEN_RE.sub(r"\1-", out)  # "Secretary -General"
    if _space_before(out, ",;"):
        out = _SPACE_PUNCT_RE.sub(r"\1", out)
    return _MULTISPACE_RE.sub(" ", out).strip()


def _space_before(text: str, marks: str) -> bool:
    """Whether whitespace comes right before one of `marks` (what "\\s+[marks]" needs): a few
    finds, where the regex engine would try a match at every space of the text."""
    for mark in marks:
        i = text.find(mark, 1)
        while i != -1:
            if text[i - 1].isspace():  # str.isspace is what \s matches
                return True
            i = text.find(mark, i + 1)
    return False


# compiled once: these run on every line of every document. A pattern that starts with a
# character class (r"\s\s+", not r"\s{2,}") lets the engine skip to the places where that
# character occurs; one that starts with a repeat is tried at every position
_SPACED_HYPHEN_RE = re.compile(r"(\w) -(?=[A-Z][a-z])")
_SPACE_PUNCT_RE = re.compile(r"\s+([,;])")
_MULTISPACE_RE = re.compile(r"\s\s+")  # r"\s{2,}"
_ALNUM_RUN_RE = re.compile(r"[a-z0-9]+")
_FN_NUMBER_RE = re.compile(r"\d{1,3}")


@lru_cache(maxsize=16384)
def _norm(s: str) -> str:
    # cached: the running-head passes normalise the same lines again and again
    if _M0 in s:
        s = _MARK_RE.sub("", s)
    # the runs of letters and digits, one space apart: what replacing each other run by a space
    # and stripping gives, and faster
    return " ".join(_ALNUM_RUN_RE.findall(s.lower()))


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
    # each substitution only where its trigger character occurs (most lines have none)
    if "[" in s:
        s = _MD_NOTE_RE.sub(lambda m: _M0 + m.group(1) + _M1, s)
        s = _WEB_NOTE_RE.sub(lambda m: _M0 + m.group(1) + _M1, s)  # "[1]" web-page markers
    if _SUP_ANY_RE.search(s):
        s = _SUP_ANY_RE.sub(lambda m: _M0 + "".join(_SUP_MAP[c] for c in m.group(0)) + _M1, s)
    # kind E markers: "1/" after a space
    if "/" in s:
        s = _SLASH_NOTE_RE.sub(lambda m: _M0 + m.group(1) + _M1, s)
    if s[:1] in "#-*•":
        s = _HEADING_RE.sub("", s)
        s = _BULLET_RE.sub("", s)  # "- (a) ..." list bullets
    if "*" in s:
        s = _ITALIC_RE.sub("", s)  # *italics*
        s = s.replace("**", "")
    return s.strip()


_MD_NOTE_RE = re.compile(r"\[\^(\d+)\](?!:)")
_WEB_NOTE_RE = re.compile(r"\[(\d{1,3})\](?!\()")
_SUP_ANY_RE = re.compile("[" + _SUP + "][" + _SUP + "]*")  # class first: see _MULTISPACE_RE
_SLASH_NOTE_RE = re.compile(r"(?<=\s)(\d{1,2})/(?=\s|$|[,.;])")
_HEADING_RE = re.compile(r"^#{1,6}\s+")
_BULLET_RE = re.compile(r"^[-*•]\s+(?=\()")
_ITALIC_RE = re.compile(r"(?<![\w*])\*{1,2}(?=\S)|(?<=\S)\*{1,2}(?![\w*])")



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


_JOB_TOKEN_RE = re.compile(r"\b\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?\b")
_PAGE_TOKEN_RE = re.compile(r"(?<!\S)\d{1,3}/\d{1,3}(?!\S)")
_BARCODE_TOKEN_RE = re.compile(r"\*\d{6,9}\*")


def _strip_furniture_tokens(s: str, own: set[str]) -> str:
    t = s
    for sym in own:
        t = t.replace(sym, " ")
    # each pattern needs its character; most lines have none of them
    if "-" in t:
        t = _JOB_TOKEN_RE.sub(" ", t)
    if "/" in t:
        t = _PAGE_TOKEN_RE.sub(" ", t)
    if "*" in t:
        t = _BARCODE_TOKEN_RE.sub(" ", t)
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
        elif _FN_NUMBER_RE.fullmatch(s):
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
            # the neighbours first: few lines are next to furniture, and the test is the same
            if ln.kind == "text" and (
                    (i > 0 and lines[i - 1].kind == "break") or (i + 1 < len(lines) and lines[i + 1].kind == "break")):
                if _is_title_fragment(ln.text, title_n, 3):
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
