"""Extraction of events (conferences), reporting mandates and agenda inclusions from clean text."""

from __future__ import annotations

import re

from .record import AgendaInclusion, Conference, Mandate
from .symbols import MONTH_RE, MONTHS, ordinal_to_int
from .verbs import match_verb

__all__ = ["ordinal_session", "extract_conferences", "extract_mandate", "extract_agenda_inclusion"]

_ROMAN_SESSION = re.compile(r"^[IVXL]+$")


def ordinal_session(words: str) -> int | None:
    """The number in an ordinal phrase ending a session name ('Sixty-first' -> 61), else None."""
    toks = re.split(r"\s+", words.strip())
    # try the longest tail of the phrase that is an ordinal
    for i in range(len(toks)):
        try:
            return ordinal_to_int(" ".join(toks[i:]))
        except ValueError:
            continue
    return None


_D = r"(\d{1,2})"
_Y = r"((?:19|20)\d\d)"
_MON = "(" + MONTH_RE + ")"
_DASH = r"\s*(?:–|-|−|to|and)\s*"
# "13 to 15 May 1996", "9–20 July 2001", "24 and 25 February 2003", "30 July 1996",
# "28 November to 1 December 2018", "30 December 2019 to 2 January 2020"
# "(?=\d)": every match starts with a day number; the lookahead lets the engine skip all other
# positions at once (five times faster on paragraph text, same matches)
_RANGE_RE = re.compile(
    r"(?=\d)(?<![\d/])(?:" + _D + r"\s*" + _MON + r"\s*" + _Y + r"?" + _DASH + r")?"
    r"(?:" + _D + _DASH + r")?"
    + _D + r"\s*" + _MON + r",?\s*" + _Y + r"(?!\d)"
)
_EVENT_RE = re.compile(
    r"\b(?:Conferences?|Summits?|Congress(?:es)?|Forums?|Meetings?|Symposi(?:um|a)|Dialogues?|Olympiad|Games|Expo)\b"
)
_STANDING = re.compile(r"^Conference on Disarmament\b|^Meeting of States Parties to the Convention\b")
_SMALL = {
    "of", "on", "the", "and", "for", "in", "to", "de", "its", "a", "an", "at", "against", "with",
    "by", "between", "into", "from", "upon", "under", "within", "among", "la", "du", "et", "or",
}
_TOKEN_RE = re.compile(r"[A-Za-z0-9][\w’'\-.]*")
_PLACE_RE = re.compile(
    r"(?:held|hosted|convened|met|took place)?\s*,?\s*(?:in|at|on)\s+"
    r"([A-Z][\w’'\-.]*(?:\s+(?:de\s+|of\s+|la\s+|es\s+|del\s+|do\s+|da\s+)?[A-Z][\w’'\-.]*)*(?:,\s+[A-Z][\w’'\-.]*(?:\s+(?:of\s+)?[A-Z][\w’'\-.]*)*)?)"
    r"\s*,?\s*(?:on|from)?\s*$"
)
_PW = r"[A-Z][\w’'\-.]*(?:\s+(?:de\s+|la\s+|es\s+|del\s+|do\s+|da\s+|of\s+)?[A-Z][\w’'\-.]*)*"
_FOOT_PLACE_RE = re.compile(r",\s*(" + _PW + r"(?:,\s*" + _PW + r")?),\s*$")


def _iso(y: str, mon: str, d: str) -> str | None:
    di = int(d)
    if not 1 <= di <= 31:
        return None
    return f"{int(y):04d}-{MONTHS[mon.lower()]:02d}-{di:02d}"


def _range_dates(m: re.Match[str]) -> tuple[str | None, str | None]:
    d1, m1, y1, d2, d3, m3, y3 = m.groups()
    end = _iso(y3, m3, d3)
    if d1 is not None:
        start = _iso(y1 or y3, m1, d1)
    elif d2 is not None:
        start = _iso(y3, m3, d2)
    else:
        start = end
    return start, end


def _event_name(text: str, pos: int, end: int) -> str:
    """Expand the event word at text[pos:end] to the capitalised name around it."""
    toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text, max(0, pos - 200), min(len(text), end + 200))]
    idx = next((i for i, t in enumerate(toks) if t[1] == pos), None)
    if idx is None:
        return text[pos:end]
    i = idx
    while i > 0:
        w, s0, e0 = toks[i - 1]
        gap = text[e0:toks[i][1]]
        if gap.strip() or not (w[:1].isupper() or w in _SMALL):
            break
        i -= 1
    while i < idx and toks[i][0] in _SMALL:
        i += 1
    j = idx
    while j + 1 < len(toks):
        w, s0, e0 = toks[j + 1]
        gap = text[toks[j][2]:s0]
        if gap.strip() not in ("",) or not (w[:1].isupper() or w in _SMALL):
            break
        j += 1
    while j > idx and toks[j][0] in _SMALL:
        j -= 1
    name = text[toks[i][1]:toks[j][2]]
    name = re.sub(r"^(?:See\s+|see\s+)?", "", name)
    name = re.sub(
        r"^(?:(?:Official\s+)?Records|Report|Final Document|Final Declaration|Declaration|Outcome|Proceedings"
        r"|Programme of Action|Final Act)\s+of\s+the\s+",
        "",
        name,
    )
    first = name.split()[0] if name.split() else ""
    if first and match_verb(first) is not None and len(name.split()) > 1:
        name = name.split(None, 1)[1]  # "Notes the International Conference ..."
        name = re.sub(r"^(?:the|The)\s+", "", name)
    return re.sub(r"\s+", " ", name).strip(" .,")


_DOC_AFTER_EVENT = re.compile(
    r"^\s*(?:Outcome|Declaration|Document|Report|Programme|Plan|Agenda|Framework|Platform|Communiqué|Statement"
    r"|Resolution|Decision|Commitments?)\b"
)


def extract_conferences(text: str) -> list[Conference]:
    """Conferences, summits and similar events named with a day date (held in X from D to D Month Y)."""
    out: list[Conference] = []
    prev_end = 0
    prev_event: tuple[str, int] | None = None
    for m in _RANGE_RE.finditer(text):
        s = m.start()
        before = text[max(0, s - 250):s]
        intro_on = re.search(r"\b(?:on|from|between)\s*$", before) is not None
        foot = _FOOT_PLACE_RE.search(before)
        if not intro_on and not foot:
            prev_end = m.end()
            continue
        if re.search(r"\b(?:of|dated|since|until|by|before|after|resolution|as)\s+(?:on\s+|from\s+)?$", before):
            prev_end = m.end()
            continue
        start_d, end_d = _range_dates(m)
        name: str | None = None
        between = text[prev_end:s]
        # an event word before the date, in the same clause
        window_start = max(prev_end, s - 250, text.rfind(";", 0, s) + 1)
        cands = [e for e in _EVENT_RE.finditer(text, window_start, s) if e.group(0)[:1].isupper()]
        cands = [e for e in cands if not _STANDING.match(text[e.start():])]
        if cands:
            ev = cands[-1]
            if _DOC_AFTER_EVENT.match(text[ev.end():]):
                prev_end = m.end()
                continue  # "the 2005 World Summit Outcome, adopted on ...": a document, not the event
            name = _event_name(text, ev.start(), ev.end())
        elif prev_event is not None and prev_end and re.fullmatch(
            r"\s*(?:\([^)]{0,40}\))?\s*,?\s*(?:and\s+)?(?:in|at)\s+[A-Z][^;]{0,60}?,?\s*(?:on|from)\s*", between
        ):
            name = prev_event[0]  # "... in Geneva from ... (first phase) and in Tunis from ..."
        else:
            after = text[m.end():m.end() + 200]
            fm = re.match(r"\s*,?\s*(?:at|during|by)\s+the\s+", after)
            if fm:
                e2 = _EVENT_RE.search(after, fm.end())
                if e2 and e2.group(0)[:1].isupper() and not re.search(r"[,;]", after[fm.end():e2.start()]):
                    name = _event_name(text, m.end() + e2.start(), m.end() + e2.end())
        if not name:
            prev_end = m.end()
            continue
        place: str | None = None
        pm = _PLACE_RE.search(before)
        if pm:
            place = pm.group(1).strip()
        elif foot:
            place = foot.group(1).strip()
        if place and "," in place and name.endswith(place.split(",")[0].strip()):
            place = place.split(",", 1)[1].strip()  # "... Conference on Women, Beijing, 4–15 September"
        if place and (place in name or name.endswith(place)):
            place = None
        out.append(Conference(name, place, start_d, end_d))
        prev_event = (name, m.end())
        prev_end = m.end()
    # a single day inside the range of the same event ("on 29 January ... during the Summit, held ... on 28 and 29 January")
    keep = []
    for c in out:
        if c.start == c.end and any(
            o is not c and o.name == c.name and o.start and o.end and c.start and o.start <= c.start <= o.end and o.start != o.end
            for o in out
        ):
            continue
        keep.append(c)
    return keep


_ASK_RE = re.compile(
    r"(?=[RrDdIiCcEeUuAaMm])\b(?:[Rr]equest\s+to|[Rr]esolves\s+that|[Dd]ecides\s+that|[Rr]equests|[Ii]nvites|[Cc]alls\s+upon|[Cc]alls\s+on|[Ee]ncourages|[Uu]rges|[Aa]sks|[Dd]irects|[Ii]nstructs|[Mm]andates|[Ee]ntrusts)\b"
)
_REPORT_RE2 = re.compile(
    r"\bto\s+report\b"
    r"|\bto\s+(?:submit|present|transmit|prepare|provide|include)\b(?:(?!\bwhich\b|\bpreparation\b)[^;]){0,160}?\b(?:reports?|recommendations?)\b"
    r"|\bin\s+(?:the\s+context\s+of\s+)?(?:his|her|its|their)\s+(?:[\w\-]+\s+){0,2}?reports?\b"
    r"|\breports?\s+(?:to\s+be\s+)?submitted\b"
    r"|\b(?:shall|should|will)\s+(?:submit\s+(?:a\s+|an\s+|its\s+|his\s+|her\s+)?(?:\w+\s+)?report|report)\b"
)
_NOT_MANDATE = re.compile(
    r"(?:(?:contained|set out|outlined|referred to|presented|described|recommended|mentioned|identified|made|included"
    r"|reflected|proposed|highlighted|noted)\s+in|in\s+accordance\s+with|pursuant\s+to|in\s+line\s+with|consistent\s+with)"
    r"\s+(?:his|her|its|their|the)\s+(?:[\w\-]+\s+){0,3}reports?"
)
_SESSION_RE = re.compile(r"\b(?:at|during|to|before|for)\s+its\s+((?:[A-Za-z]+[\s\-]){0,5}?[A-Za-z]+)\s+sessions?\b")


def extract_mandate(number: int, verb: str | None, text: str) -> Mandate | None:
    """A reporting mandate in an operative paragraph ('Requests the Secretary-General ... to submit a report')."""
    if "report" not in text and "recommendation" not in text:
        return None  # every branch of _REPORT_RE2 needs one of these words
    for ask in _ASK_RE.finditer(text):
        body = text[ask.end():]
        nxt = _ASK_RE.search(body)
        scope = body[: nxt.start()] if nxt else body
        m = None
        for cand in _REPORT_RE2.finditer(scope):
            window = scope[max(0, cand.start() - 40):cand.end() + 5]
            if _NOT_MANDATE.search(window):
                continue
            m = cand
            break
        if m is None:
            continue
        am = re.match(
            r"\s*(?:also\s+|further\s+|again\s+)?(?:in\s+this\s+regard\s+|,\s*)?(?:the\s+|all\s+)?"
            r"([A-Z][^,;:]*?)(?=,|\s+to\s|\s+and\s+to\s|\s+that\s|\s+shall\s|\s+should\s|\s+will\s|$)",
            body,
        )
        addressee = am.group(1).strip() if am else ""
        due: str | None = None
        for sm in _SESSION_RE.finditer(scope, m.start() - 120 if m.start() > 120 else 0):
            # "at its seventy-fourth and seventy-fifth sessions": the first is due first
            phrase = sm.group(1)
            first = re.split(r"\s+and\s+|,\s*", phrase)[0]
            v = ordinal_session(first if re.search(r"(?:st|nd|rd|th)$", first) else phrase)
            if v is not None:
                due = str(v)
                break
        return Mandate(number, addressee or "unspecified", due)
    return None


_INCLUDE_RE = re.compile(r"\binclude\b")
_AGENDA_OF_RE = re.compile(
    r"\b(?:provisional\s+)?agenda\s+of\s+its\s+((?:[A-Za-z]+[\s\-]){0,3}?[A-Za-z]+)\s+(?:regular\s+)?session"
)


def extract_agenda_inclusion(number: int, text: str) -> AgendaInclusion | None:
    """'Decides to include in the provisional agenda of its sixty-second session the item entitled “...”'."""
    for inc in _INCLUDE_RE.finditer(text):
        end = text.find(";", inc.end())
        scope = text[inc.end(): end if end != -1 else len(text)][:600]
        m = _AGENDA_OF_RE.search(scope)
        if not m:
            continue
        v = ordinal_session(m.group(1))
        if v is None:
            continue
        sub = re.search(r"sub-?item\s+entitled\s+[“\"]([^”\"]+)[”\"]", scope)
        item = re.search(r"[“\"]([^”\"]+)[”\"]", scope)
        title = sub.group(1) if sub else item.group(1) if item else None
        if title:
            title = title.strip().rstrip(",.;")
        return AgendaInclusion(number, str(v), title)
    return None


def is_roman_session(s: str) -> bool:
    """Whether s is a roman session number ('XI')."""
    return bool(_ROMAN_SESSION.match(s))
