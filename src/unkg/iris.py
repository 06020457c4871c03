"""Every IRI unkg mints, from UN symbols, session numbers and names. Nothing else builds IRIs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote

from rdflib import URIRef

DEFAULT_BASE_IRI = "https://w3id.org/unkg/"

# Characters kept as they are in a path segment: RFC 3987 iunreserved + sub-delims that are
# harmless in a path. Everything else (spaces, '#', '?', '%', quotes, '<', '>') is percent-encoded.
_SAFE = "-._~!$&'()*+,;=:@"

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

BODY_CODES = {"General Assembly": "ga", "Security Council": "sc",
              "Economic and Social Council": "ecosoc", "Human Rights Council": "hrc"}


def roman_to_int(roman: str) -> int | None:
    """'XI' -> 11; None when the string is not a roman numeral."""
    roman = roman.strip().upper()
    if not roman or any(c not in _ROMAN for c in roman):
        return None
    total = 0
    for i, c in enumerate(roman):
        value = _ROMAN[c]
        if i + 1 < len(roman) and _ROMAN[roman[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def slug(text: str) -> str:
    """A readable, stable path segment: 'World Summit on the Information Society' -> 'world-summit-on-the-information-society'."""
    norm = unicodedata.normalize("NFKD", text)
    norm = "".join(c for c in norm if not unicodedata.combining(c))
    norm = re.sub(r"[^A-Za-z0-9]+", "-", norm).strip("-").lower()
    return norm or "unnamed"


@lru_cache(maxsize=8192)  # pure; the mapper asks for the same segments hundreds of times
def _segment(text: str) -> str:
    return quote(text, safe=_SAFE)


@lru_cache(maxsize=8192)  # pure; every paragraph, footnote and citation IRI starts from it
def symbol_path(symbol: str) -> str:
    """'A/RES/61/54' -> 'A/RES/61/54'; 'S/RES/1325 (2000)' -> 'S/RES/1325(2000)'.

    Spaces are dropped (the official symbol has none except before parentheses, which the
    canonical form removes); each '/'-separated part is percent-encoded where needed.
    """
    cleaned = re.sub(r"\s+", "", symbol.strip())
    parts = [p for p in cleaned.split("/")]
    if not cleaned or any(p == "" or p in {".", ".."} for p in parts):
        raise ValueError(f"not a document symbol: {symbol!r}")
    return "/".join(_segment(p) for p in parts)


def session_key(session: str) -> str:
    """'61' -> '61'; 'XI' -> '11'; 'ES-10' -> 'ES-10'; 'S-28' -> 'S-28'."""
    s = re.sub(r"\s+", "", session).upper()
    number = roman_to_int(s)
    if number is not None:
        return str(number)
    m = re.fullmatch(r"(ES|S)-?(\d+|[IVXLCDM]+)", s)
    if m:
        n = m.group(2)
        r = roman_to_int(n)
        return f"{m.group(1)}-{r if r is not None else int(n)}"
    if s.isdigit():
        return str(int(s))
    raise ValueError(f"not a session number: {session!r}")


def session_kind(session: str) -> str:
    """'regular', 'special' or 'emergency-special'."""
    key = session_key(session)
    if key.startswith("ES-"):
        return "emergency-special"
    if key.startswith("S-"):
        return "special"
    return "regular"


def agenda_item_key(item: str) -> tuple[str, str | None]:
    """'71 (c)' -> ('71', 'c'); '85' -> ('85', None); '99(ee)' -> ('99', 'ee')."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:\(\s*([a-z]{1,3})\s*\))?\s*", item)
    if not m:
        raise ValueError(f"not an agenda item number: {item!r}")
    return str(int(m.group(1))), m.group(2)


# Sessions from which General Assembly verbatim records carry the session in their symbol
# (A/31/PV.1, A/S-8/PV.1, A/ES-7/PV.1); earlier records are numbered A/PV.n across sessions.
_SESSION_IN_RECORD_SYMBOL = {"regular": 31, "special": 8, "emergency-special": 7}


def meeting_record_symbol(number: int, session: str | None, body: str = "General Assembly") -> str | None:
    """Symbol of the verbatim record of a GA plenary or Security Council meeting: A/61/PV.67,
    A/ES-10/PV.12, A/PV.600 (before the 31st session), S/PV.1747; None for other bodies."""
    code = BODY_CODES.get(body)
    if code == "sc":
        return f"S/PV.{int(number)}"
    if code != "ga" or session is None:
        return None
    key = session_key(session)
    if int(key.split("-")[-1]) >= _SESSION_IN_RECORD_SYMBOL[session_kind(session)]:
        return f"A/{key}/PV.{int(number)}"
    return f"A/PV.{int(number)}"


@lru_cache(maxsize=8192)  # every paragraph, footnote and citation IRI starts from it
def _document_iri(base: str, symbol: str) -> URIRef:
    return URIRef(base + "doc/" + symbol_path(symbol))


@dataclass(frozen=True)
class IRIs:
    """Mints IRIs under one base (configuration: --base-iri, UNKG_BASE_IRI)."""

    base: str = DEFAULT_BASE_IRI

    def __post_init__(self) -> None:
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"{}|\\^`]+$", self.base):
            raise ValueError(f"not an absolute IRI: {self.base!r}")
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    # documents and their parts
    def document(self, symbol: str) -> URIRef:
        return _document_iri(self.base, symbol)

    def expression(self, symbol: str, language: str = "en") -> URIRef:
        return URIRef(f"{self.document(symbol)}/{_segment(language)}")

    def file(self, symbol: str, language: str, fmt: str) -> URIRef:
        """A file (ELI Format) of a language version: {doc}/{lang}/{fmt} (txt, pdf, md, json)."""
        return URIRef(f"{self.expression(symbol, language)}/{_segment(fmt)}")

    def graph(self, symbol: str) -> URIRef:
        """The named graph holding one source document's triples."""
        return self._iri("graph/" + symbol_path(symbol))

    def preambular(self, symbol: str, number: int) -> URIRef:
        return URIRef(f"{self.document(symbol)}/pp/{number}")

    def preambular_sub(self, symbol: str, number: int, *labels: str) -> URIRef:
        """A lettered sub-item of a preambular paragraph (rare): {doc}/pp/{n}/{label}."""
        tail = "".join("/" + _segment(label) for label in labels)
        return URIRef(f"{self.preambular(symbol, number)}{tail}")

    def operative(self, symbol: str, number: int, *labels: str) -> URIRef:
        tail = "".join("/" + _segment(label) for label in labels)
        return URIRef(f"{self.document(symbol)}/op/{number}{tail}")

    def operative_in_part(self, symbol: str, part: int, number: int, *labels: str) -> URIRef:
        """An operative paragraph of part 2, 3 ... of a resolution whose numbering restarts per
        section (A/RES/75/245 A, B, C): {doc}/part/{part}/op/{n}. Part 1 uses operative()."""
        tail = "".join("/" + _segment(label) for label in labels)
        return URIRef(f"{self.document(symbol)}/part/{int(part)}/op/{number}{tail}")

    def footnote(self, symbol: str, marker: str) -> URIRef:
        return URIRef(f"{self.document(symbol)}/fn/{_segment(marker)}")

    def annex(self, symbol: str, number: int) -> URIRef:
        return URIRef(f"{self.document(symbol)}/annex/{number}")

    def citation(self, symbol: str, index: int) -> URIRef:
        return URIRef(f"{self.document(symbol)}/citation/{index}")

    def mandate(self, symbol: str, index: int) -> URIRef:
        return URIRef(f"{self.document(symbol)}/mandate/{index}")

    def agenda_inclusion(self, symbol: str, index: int) -> URIRef:
        return URIRef(f"{self.document(symbol)}/inclusion/{index}")

    def vote(self, symbol: str) -> URIRef:
        return URIRef(f"{self.document(symbol)}/vote")

    # procedure
    def body(self, body: str) -> URIRef:
        return self._iri("body/" + BODY_CODES.get(body, slug(body)))

    def committee(self, name: str, body: str = "General Assembly") -> URIRef:
        return self._iri(f"body/{BODY_CODES.get(body, slug(body))}/{slug(name)}")

    def session(self, session: str, body: str = "General Assembly") -> URIRef:
        return self._iri(f"session/{BODY_CODES.get(body, slug(body))}/{session_key(session)}")

    def agenda_item(self, session: str, item: str, body: str = "General Assembly") -> URIRef:
        number, letter = agenda_item_key(item)
        tail = f"/{letter}" if letter else ""
        return URIRef(f"{self.session(session, body)}/item/{number}{tail}")

    def agenda_topic(self, title: str) -> URIRef:
        return self._iri("topic/" + slug(title))

    def meeting(self, number: int, session: str | None, body: str = "General Assembly") -> URIRef:
        code = BODY_CODES.get(body, slug(body))
        if code == "ga" and session is not None:
            return self._iri(f"meeting/ga/{session_key(session)}/plenary/{int(number)}")
        return self._iri(f"meeting/{code}/{int(number)}")

    def meeting_record(self, number: int, session: str | None, body: str = "General Assembly") -> URIRef | None:
        """The verbatim record of a plenary meeting, {base}doc/{record symbol}, or None."""
        symbol = meeting_record_symbol(number, session, body)
        return self.document(symbol) if symbol else None

    def conference_series(self, name: str) -> URIRef:
        return self._iri("conference/" + slug(name))

    def conference(self, name: str, start: str | None, place: str | None = None) -> URIRef:
        tail = start or (slug(place) if place else "undated")
        return URIRef(f"{self.conference_series(name)}/{_segment(tail)}")

    # reverse: IRI -> symbol
    def symbol_of(self, iri: str) -> str | None:
        """The symbol a document IRI was minted from, or None."""
        prefix = self.base + "doc/"
        if not iri.startswith(prefix):
            return None
        return unquote(iri[len(prefix):])
