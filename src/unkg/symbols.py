"""UN document symbols and resolution citations: recognise, normalise, expand.

Every public function only ever raises ValueError on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ORDINALS",
    "MONTHS",
    "Citation",
    "is_symbol",
    "normalise_symbol",
    "expand_symbols",
    "find_symbols",
    "find_citations",
    "ordinal_to_int",
    "parse_date",
    "strip_part_letter",
    "is_resolution_symbol",
    "DATE_RE",
]

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december",
        ]
    )
}
MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
# "4 December2024" (a text glitch) is tolerated by the optional space.
DATE_RE = re.compile(r"\b(\d{1,2})\s*(" + MONTH_RE + r")\s*,?\s*((?:19|20)\d\d)(?!\d)")

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_UNIT_ORD = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]
_TEEN_ORD = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
             "sixteenth", "seventeenth", "eighteenth", "nineteenth"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_TENS_ORD = ["", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth",
             "seventieth", "eightieth", "ninetieth"]


def _word_values() -> dict[str, int]:
    vals: dict[str, int] = {}
    for i in range(1, 10):
        vals[_UNITS[i]] = i
        vals[_UNIT_ORD[i]] = i
    for i in range(10):
        vals[_TEENS[i]] = 10 + i
        vals[_TEEN_ORD[i]] = 10 + i
    for i in range(2, 10):
        vals[_TENS[i]] = 10 * i
        vals[_TENS_ORD[i]] = 10 * i
    vals["hundred"] = 100
    vals["hundredth"] = 100
    return vals


_WORD_VALUES = _word_values()


def ordinal_to_int(words: str) -> int:
    """'Sixty-first' -> 61, 'One hundredth' -> 100, 'one hundred and first' -> 101."""
    if not isinstance(words, str):
        raise ValueError("not a string")
    toks = [t for t in re.split(r"[\s\-‑–]+", words.strip().lower()) if t and t != "and"]
    if not toks:
        raise ValueError(f"not an ordinal: {words!r}")
    total = 0
    current = 0
    for t in toks:
        if t not in _WORD_VALUES:
            raise ValueError(f"not an ordinal: {words!r}")
        v = _WORD_VALUES[t]
        if v == 100:
            current = max(current, 1) * 100
        else:
            current += v
    total += current
    if total <= 0:
        raise ValueError(f"not an ordinal: {words!r}")
    return total


ORDINAL_WORD_RE = (
    r"(?:(?:one|two|three)[\s\-]+hundred(?:th)?(?:[\s\-]+(?:and[\s\-]+)?)?)?"
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s\-‑]+"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
    r"|eighteenth|nineteenth|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)?"
)
ORDINALS = ORDINAL_WORD_RE


def parse_date(text: str) -> str | None:
    """First 'D Month YYYY' date in text as ISO, or None."""
    if not isinstance(text, str):
        raise ValueError("not a string")
    m = DATE_RE.search(text)
    if not m:
        return None
    return _iso(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))


def _iso(y: int, mo: int, d: int) -> str | None:
    if not (1 <= d <= 31 and 1 <= mo <= 12):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


# --- document symbols -----------------------------------------------------------------

# First component: an organ or series prefix in capitals ("A", "CD", "FCCC", "GC(69)").
_FIRST = r"[A-Z]{1,10}(?:\(\d{1,4}\))?"
# Later components: "RES", "C.2", "CONF.192", "L.52", "2015", "Add.1", "CRP.2", "DEC(2025)",
# "ES-10", "CP.21".
_COMP = (
    r"(?:(?:Add|Corr|Rev|Amend|Suppl|Sub|Part|Res|Dec|[A-Z][a-z]{1,5})\.\d{1,3}"
    r"|[A-Z]{1,12}(?:\.[A-Z0-9]{1,6})*(?:\(\d{1,4}\))?(?:-[A-Z0-9]{1,5})?"
    r"|\d{1,5}(?:\.[A-Z0-9]{1,4})*(?:\([A-Z0-9]{1,6}\))?"
    r"|(?:ES|S)-\d{1,2})"
)
_SYMBOL = _FIRST + r"(?:/" + _COMP + r")+"
# "(?=[A-Z])": a symbol starts with a capital; the engine then skips every other position at once
SYMBOL_RE = re.compile(r"(?=[A-Z])(?<![\w/.\-])(" + _SYMBOL + r"(?:-" + _SYMBOL + r")*)(?![\w/])")
_SYMBOL_FULL = re.compile(_SYMBOL)
# Suffixes written as "and Corr.1 and Add.1" or ", Add.1".
_TAIL_RE = re.compile(r"^(?:\s*(?:,|and|,\s*and)\s*((?:Add|Corr|Rev|Amend)\.\d{1,3}(?:/(?:Add|Corr|Rev)\.\d{1,3})?))")
_VOL_RE = re.compile(
    r"^\s\((Vol\.\s*[IVX]+|Parts?\s+[IVX]+(?:\s+(?:and|to)\s+[IVX]+)?)\)((?:/(?:Add|Corr|Rev)\.\d{1,3})*)"
)


def _clean(s: str) -> str:
    s = s.replace("‑", "-").replace("\u00a0", " ").strip()
    # "A/RES/1514 (XV)" -> "A/RES/1514(XV)"; "S/RES/1325 (2000)" -> "S/RES/1325(2000)"
    s = re.sub(r"\s+\(", "(", s)
    s = re.sub(r"\s*/\s*", "/", s)
    return s


def is_symbol(s: str) -> bool:
    """Whether s is a UN-style document symbol (needs a slash and a digit)."""
    if not isinstance(s, str):
        return False
    c = _clean(s)
    if not c or len(c) > 120:
        return False
    if not _SYMBOL_FULL.fullmatch(c):
        return False
    return any(ch.isdigit() for ch in c) and "/" in c


def normalise_symbol(s: str) -> str:
    """Canonical official form: 'a/res/1514 (xv)' -> 'A/RES/1514(XV)'."""
    if not isinstance(s, str):
        raise ValueError("symbol must be a string")
    c = _clean(s)
    c = re.sub(r"\s+", "", c)
    parts = c.split("/")
    out = []
    for i, p in enumerate(parts):
        m = re.fullmatch(r"(add|corr|rev|amend|suppl|sub|part)\.(\d+)", p, re.I)
        if m and i > 0:
            out.append(m.group(1).capitalize() + "." + m.group(2))
        elif i > 0 and re.fullmatch(r"[A-Z][a-z]{1,5}\.\d{1,3}", p):
            out.append(p)  # "Res.1" in other organisations' symbols
        else:
            out.append(p.upper())
    c = "/".join(out)
    if not is_symbol(c):
        raise ValueError(f"not a document symbol: {s!r}")
    return c


def _split_joint(sym: str) -> list[str]:
    """'A/57/759-S/2003/332' -> both symbols."""
    pieces = re.split(r"-(?=[A-Z]{1,10}(?:\(\d+\))?/)", sym)
    return [p for p in pieces if p]


def find_symbols(text: str) -> list[tuple[str, int, int]]:
    """(symbol, start, end) for each symbol in text, tails and joint symbols expanded."""
    if not isinstance(text, str):
        raise ValueError("text must be a string")
    text = text.replace("‑", "-")
    out: list[tuple[str, int, int]] = []
    for m in SYMBOL_RE.finditer(text):
        raw = m.group(1)
        end = m.end()
        vol = _VOL_RE.match(text[end:])
        bases = _split_joint(raw)
        syms: list[str] = []
        for b in bases:
            if is_symbol(b):
                syms.append(normalise_symbol(b))
        if not syms:
            continue
        if vol:
            syms[-1] = syms[-1] + " (" + vol.group(1) + ")" + vol.group(2)
            end += vol.end()
        base = syms[-1]
        while True:
            t = _TAIL_RE.match(text[end:])
            if not t:
                break
            syms.append(base + "/" + t.group(1))
            end += t.end()
        for s in syms:
            out.append((s, m.start(), end))
    return out


def expand_symbols(text: str) -> list[str]:
    """All symbols in text, 'and Corr.1 and Add.1' expanded, joint symbols split; in order, unique."""
    seen: list[str] = []
    for s, _, _ in find_symbols(text):
        if s not in seen:
            seen.append(s)
    return seen


def strip_part_letter(symbol: str) -> str:
    """'A/RES/66/235 A' -> 'A/RES/66/235'; 'A/RES/217 A(III)' -> 'A/RES/217(III)'."""
    if not isinstance(symbol, str):
        raise ValueError("symbol must be a string")
    s = re.sub(r"\s+[A-Z](?:\s+(?:to|and)\s+[A-Z])?(?=\(|$)", "", symbol.strip())
    return s.replace(" (", "(")


# --- resolution citations -------------------------------------------------------------

@dataclass
class Citation:
    """One resolution or decision citation found in a text."""

    symbol: str
    date: str | None
    start: int
    end: int


_ROMAN = r"(?:ES-|S-)?[IVXL]{1,6}"
# One cited item: "70/1", "41/60 J", "76/247 A to C", "74/255 A and B", "S-10/2", "ES-10/19",
# "1514 (XV)", "217 A (III)", "1325 (2000)", "2019/11".
_ITEM = (
    r"(?:(?P<sess>(?:ES|S)-\d{1,2}|\d{1,4})/(?P<num>\d{1,4})"
    r"|(?P<old>\d{1,4})(?:\s?[A-Z](?=\s*\())?\s*\((?P<par>" + _ROMAN + r"|(?:19|20)\d\d)\))"
    r"(?P<letter>(?:\s+[A-Z](?:(?:\s+to|\s*-|\s+and)\s+[A-Z])?)(?![\w/]))?"
)
_ITEM_RE = re.compile(_ITEM)
_OF_DATE = re.compile(r"^\s*,?\s*(?:of|dated|adopted on)\s+(\d{1,2})\s*(" + MONTH_RE + r")\s*,?\s*((?:19|20)\d\d)(?!\d)")
_SEP = re.compile(
    r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|;\s*|,)(?P<its>(?:its|the|General Assembly|Assembly)\s+)?"
    r"(?:(?P<kind>resolutions?|decisions?)\s+)?"
)

_KEYWORD = re.compile(  # "(?=...)": the letters a match starts with, see _LITERAL_SYMBOL_RE
    r"(?=[SHECGARrDd])(?P<who>(?:Security Council|Human Rights Council|Economic and Social Council|"
    r"Commission on Human Rights|General Assembly|Assembly|Council|Commission)\s+)?"
    r"(?P<kind>[Rr]esolutions?|[Dd]ecisions?)\s+(?=[0-9ES])"
)


_AFTER_DOC = re.compile(r"[A-Z]{1,10}(?:\(\d+\))?/[\w./\-()]+(?:,\s*annex(?:\s+[IVX]+)?)?,\s*$")
# "the Human Rights Council in its resolution 26/2", "... of the Human Rights Council, the most
# recent of which was resolution 36/17"
_BODY_BEFORE = re.compile(
    r"(Human Rights Council|Security Council|Economic and Social Council)\b[^;.]{0,50}?\b(?:in\s+its|was|by\s+its|through\s+its)\s+$"
)


# Symbols of resolutions and decisions of the Assembly, Council, ECOSOC, HRC and the former CHR.
RESOLUTION_SYMBOL = r"(?:A|S|E)(?:/HRC|/CN\.4)?/(?:RES|DEC)/"
_RESOLUTION_SYMBOL_RE = re.compile(RESOLUTION_SYMBOL)
# a resolution symbol printed in full; "(?=[ASE])" (the letters it starts with) lets the engine
# reject every other position at once: the same matches, found about twice as fast
_LITERAL_SYMBOL_RE = re.compile(r"(?=[ASE])(?<![\w/])(" + RESOLUTION_SYMBOL
                                + r"[\w\-/.]*(?:\s?\((?:\d{4}|(?:ES-|S-)?[IVXL]+)\))?)(?![\w/])(?<!\.)")


def is_resolution_symbol(symbol: str) -> bool:
    """Whether a symbol is that of a resolution or decision (a citation, not a document)."""
    return isinstance(symbol, str) and _RESOLUTION_SYMBOL_RE.match(symbol) is not None


def _make_symbol(who: str, kind: str, m: re.Match[str]) -> str | None:
    decision = kind.lower().startswith("decision")
    who = who.strip()
    if m.group("old") is not None:
        num, par = m.group("old"), m.group("par")
        if re.fullmatch(r"(?:19|20)\d\d", par):
            return f"S/RES/{int(num)}({par})" if not decision else None
        if who in ("Security Council",):
            return None
        return f"A/RES/{int(num)}({par})"
    sess, num = m.group("sess"), m.group("num")
    year_like = sess.isdigit() and int(sess) >= 1946
    if who == "Human Rights Council" or (who == "Council" and not year_like and not decision):
        if who == "Council":
            return None
        return f"A/HRC/{'DEC' if decision else 'RES'}/{sess}/{num}"
    if who == "Economic and Social Council" or (year_like and who in ("", "Council")):
        if who == "" and not year_like:
            return None
        return f"E/{'DEC' if decision else 'RES'}/{sess}/{num}"
    if who == "Commission on Human Rights" or (who == "Commission" and year_like):
        return f"E/CN.4/{'DEC' if decision else 'RES'}/{sess}/{num}"
    if who == "Security Council":
        return None
    if who == "Commission":
        return None
    if year_like:
        return None
    return f"A/{'DEC' if decision else 'RES'}/{sess}/{num}"


def find_citations(text: str) -> list[Citation]:
    """Resolutions and decisions cited in text ('resolutions 47/19 of 24 November 1992, 48/16 ...')."""
    if not isinstance(text, str):
        raise ValueError("text must be a string")
    text = text.replace("‑", "-").replace("\u2212", "-")
    out: list[Citation] = []
    # every keyword match has "[Rr]esolution" or "[Dd]ecision" in it
    keywords = _KEYWORD.finditer(text) if "esolution" in text or "ecision" in text else ()
    for k in keywords:
        who = k.group("who") or ""
        kind = k.group("kind")
        before = text[max(0, k.start() - 80):k.start()]
        if _AFTER_DOC.search(before):
            continue  # "CBD/COP/15/17, decision 15/4": another organisation's decision
        if not who:
            bm = _BODY_BEFORE.search(before)
            if bm and "Assembly" not in before[bm.end():]:
                who = bm.group(1) + " "
        pos = k.end()
        first = True
        while True:
            m = _ITEM_RE.match(text, pos)
            if not m:
                break
            # "A/RES/..." literal symbols are handled by find_symbols; "70/1" must not be a date
            sym = _make_symbol(who, kind, m)
            end = m.end()
            date = None
            d = _OF_DATE.match(text[end:])
            if d:
                date = _iso(int(d.group(3)), MONTHS[d.group(2).lower()], int(d.group(1)))
                end += d.end()
            if sym:
                out.append(Citation(sym, date, m.start(), end))
            first = False
            sep = _SEP.match(text[end:])
            if not sep:
                break
            # a new body named after the separator starts its own run
            rest = text[end + sep.end():]
            if re.match(r"(?:Security Council|Human Rights Council|Economic and Social Council)", rest):
                break
            if sep.group("its"):
                who = ""
            if sep.group("kind"):
                kind = sep.group("kind")
            pos = end + sep.end()
        del first
    # literal resolution symbols ("A/RES/70/1", "S/RES/2231 (2015)")
    for m2 in _LITERAL_SYMBOL_RE.finditer(text):
        try:
            sym = normalise_symbol(m2.group(1))
        except ValueError:
            continue
        out.append(Citation(sym, None, m2.start(), m2.end()))
    out.sort(key=lambda c: c.start)
    uniq: list[Citation] = []
    seen: set[tuple[str, int]] = set()
    for c in out:
        if (c.symbol, c.start) not in seen:
            seen.add((c.symbol, c.start))
            uniq.append(c)
    return uniq
