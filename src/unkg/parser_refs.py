"""Extraction of events (conferences), reporting mandates and agenda inclusions from clean text."""

from __future__ import annotations

import re

from .record import AgendaInclusion, Conference, Mandate
from .symbols import MONTH_RE, MONTHS, ordinal_to_int
from .verbs import verb_head

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
# "from 13 to 15 May 1996", "9–20 July 2001", "24 and 25 February 2003", "on 30 July 1996",
# "30 November to 2 December 2005", "from 28 November to 1 December 2018"
_RANGE_RE = re.compile(
    r"(?:from\s+|on\s+)?"
    r"(?:" + _D + r"\s*" + _MON + r"\s*" + _Y + r"?" + _DASH + r")?"
    r"(?:" + _D + _DASH + r")?"
    + _D + r"\s*" + _MON + r",?\s*" + _Y + r"(?!\d)"
)

_EVENT_WORDS = (
    r"Conference|Summit|Congress|Meeting|Forum|Symposium|Dialogue|Seminar|Convention|Assembly"
    r"|Session|Workshop|Colloquium|Consultation|Round Table|Roundtable"
)
_SMALL = r"(?:of|on|the|and|for|in|to|de|on|its|a|an|at|against|with|by|between|All|Its|-|–|’s|'s)"
_CAP = r"(?:[A-Z0-9][\w’'\-.]*|\(?[A-Z][\w\-]*\)?)"
_NAME_RE = re.compile(r"(" + _CAP + r"(?:\s+(?:" + _SMALL + r"|" + _CAP + r"))*)\s*$")
_PLACE = r"([A-Z][\w’'\-.]*(?:\s+(?:de\s+|of\s+|la\s+)?[A-Z][\w’'\-.]*)*(?:,\s+[A-Z][\w’'\-.]*(?:\s+[A-Z][\w’'\-.]*)*)?)"
_HELD_RE = re.compile(r",?\s+(?:which\s+was\s+)?(?:held|convened|hosted)\s+(?:in|at)\s+" + _PLACE + r"\s*,?\s*(?=from\b|on\b|\d)")
_HELD_DATE_FIRST_RE = re.compile(r",?\s+(?:held|convened)\s+(?=from\b|on\b)")
_PHASE_RE = re.compile(r"\s*(?:\([^)]{0,40}\))?\s*,?\s*and\s+(?:in|at)\s+" + _PLACE + r"\s+(?=from\b|on\b)")
_REPORT_RE = re.compile(
    r"(?:Report|Final Document|Declaration|Outcome|Proceedings|Programme of Action|Final Act)\s+of\s+the\s+"
    r"(?P<name>[^,;()]{5,200}?(?:" + _EVENT_WORDS + r")[^,;()]{0,120}?),\s*"
    r"(?P<place>[A-Z][^,;()\d]{1,40}(?:,\s*[A-Z][^,;()\d]{1,30})?),\s*(?=\d)"
)


def _iso(y: str, mon: str, d: str) -> str | None:
    di = int(d)
    if not 1 <= di <= 31:
        return None
    return f"{int(y):04d}-{MONTHS[mon.lower()]:02d}-{di:02d}"


def _range(text: str, pos: int) -> tuple[str | None, str | None, int] | None:
    m = _RANGE_RE.match(text, pos)
    if not m:
        return None
    d1, m1, y1, d2, d3, m3, y3 = m.groups()
    end = _iso(y3, m3, d3)
    if d1 is not None:
        start = _iso(y1 or y3, m1, d1)
    elif d2 is not None:
        start = _iso(y3, m3, d2)
    else:
        start = end
    return start, end, m.end()


def _name_before(text: str, end: int) -> str | None:
    head = text[max(0, end - 300):end]
    m = _NAME_RE.search(head)
    if not m:
        return None
    name = m.group(1).strip()
    # "Final Document of the Thirteenth Conference ..." -> the event itself
    sub = re.search(r"(?:^|\s)(?:the\s+)?((?:[A-Z][\w’'\-]*\s+)*(?:" + _EVENT_WORDS + r")\b.*)$", name)
    if not re.search(r"\b(?:" + _EVENT_WORDS + r")\b", name):
        return None
    inner = re.search(r"\bof\s+the\s+(.*\b(?:" + _EVENT_WORDS + r")\b.*)$", name)
    if inner and not re.search(r"\b(?:" + _EVENT_WORDS + r")\b", name[: inner.start()]):
        name = inner.group(1)
    elif sub and re.match(r"(?:Report|Final|Declaration|Outcome)", name):
        name = sub.group(1)
    name = re.sub(r"^(?:the|at|of)\s+", "", name)
    return name.strip() or None


def extract_conferences(text: str) -> list[Conference]:
    """Conferences, summits and similar events named with a date ('held in X from D to D Month Y')."""
    out: list[Conference] = []
    for m in _HELD_RE.finditer(text):
        name = _name_before(text, m.start())
        if name is None:
            continue
        place: str | None = m.group(1).strip()
        pos = m.end()
        while True:
            r = _range(text, pos)
            if r is None:
                break
            start, end, pos = r
            out.append(Conference(name, place, start, end))
            ph = _PHASE_RE.match(text, pos)
            if not ph:
                break
            place = ph.group(1).strip()
            pos = ph.end()
    for m in _HELD_DATE_FIRST_RE.finditer(text):
        name = _name_before(text, m.start())
        if name is None:
            continue
        r = _range(text, m.end())
        if r is None:
            continue
        start, end, pos = r
        pm = re.match(r"\s*,?\s*(?:in|at)\s+" + _PLACE, text[pos:])
        out.append(Conference(name, pm.group(1).strip() if pm else None, start, end))
    for m in _REPORT_RE.finditer(text):
        r = _range(text, m.end())
        if r is None:
            continue
        start, end, _ = r
        name = re.sub(r"\s+", " ", m.group("name")).strip()
        out.append(Conference(name, m.group("place").strip(), start, end))
    return out


_REQUEST_HEADS = {
    "requests", "invites", "calls-upon", "calls-on", "encourages", "urges", "asks", "decides",
    "recommends", "directs", "instructs", "authorizes", "mandates", "entrusts", "calls",
}
_REPORT_RE2 = re.compile(
    r"\bto\s+(?:submit|report|present|transmit|prepare|provide)\b"
    r"|\b(?:next|annual|a|his|her|its|their|biennial|comprehensive|final|progress)\s+(?:[\w\-]+\s+){0,3}?reports?\b"
    r"|\breport(?:s|ing)?\s+(?:to|on|back)\b"
)
_NOT_MANDATE = re.compile(r"(?:contained|set out|outlined|referred to|presented|described|recommended)\s+in\s+(?:his|her|its|their|the)\s+(?:[\w\-]+\s+){0,3}reports?")
_SESSION_RE = re.compile(r"\b(?:at|during|to|before|for)\s+its\s+((?:[A-Za-z]+[\s\-]){0,3}?[A-Za-z]+)\s+session\b")


def extract_mandate(number: int, verb: str | None, text: str) -> Mandate | None:
    """A reporting mandate in an operative paragraph ('Requests the Secretary-General ... to submit a report')."""
    if not verb:
        return None
    try:
        head = verb_head(verb)
    except ValueError:
        return None
    if head not in _REQUEST_HEADS:
        return None
    body = text[len(verb):] if text.startswith(verb) else text
    m = None
    for cand in _REPORT_RE2.finditer(body):
        window = body[max(0, cand.start() - 40):cand.end() + 5]
        if _NOT_MANDATE.search(window):
            continue
        m = cand
        break
    if m is None:
        return None
    am = re.match(r"\s*(?:also\s+|further\s+)?(?:the\s+)?([A-Z][^,;]*?)(?=,|\s+to\s|\s+and\s+to\s|\s+that\s|$)", body)
    addressee = am.group(1).strip() if am else ""
    addressee = re.sub(r"^(?:all|the)\s+", "", addressee)
    due: str | None = None
    for sm in _SESSION_RE.finditer(body, m.start()):
        v = ordinal_session(sm.group(1))
        if v is not None:
            due = str(v)
            break
    return Mandate(number, addressee or "unspecified", due)


_INCLUDE_RE = re.compile(
    r"\binclude\s+(?:the\s+item\s+|the\s+question\s+|an\s+item\s+|this\s+item\s+)?in\s+the\s+(?:provisional\s+)?agenda\s+of\s+its\s+"
    r"((?:[A-Za-z]+[\s\-]){0,3}?[A-Za-z]+)\s+session"
)


def extract_agenda_inclusion(number: int, text: str) -> AgendaInclusion | None:
    """'Decides to include in the provisional agenda of its sixty-second session the item entitled “...”'."""
    m = _INCLUDE_RE.search(text)
    if not m:
        return None
    v = ordinal_session(m.group(1))
    if v is None:
        return None
    rest = text[m.end():]
    sub = re.search(r"sub-?item\s+entitled\s+[“\"]([^”\"]+)[”\"]", rest)
    item = re.search(r"[“\"]([^”\"]+)[”\"]", rest)
    title = sub.group(1) if sub else item.group(1) if item else None
    if title:
        title = title.strip().rstrip(",.;")
    return AgendaInclusion(number, str(v), title)


def is_roman_session(s: str) -> bool:
    """Whether s is a roman session number ('XI')."""
    return bool(_ROMAN_SESSION.match(s))
