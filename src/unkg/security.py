"""No network unless asked: find SPARQL `SERVICE` calls and remote JSON-LD contexts before anything runs.

Oxigraph (and rdflib) execute `SERVICE <url>` by sending the query to that URL, and rdflib's JSON-LD
parser downloads every `@context` given by reference. unkg refuses both unless the user passes
`--allow-service` or `--allow-remote-context`. The checks err on the side of refusing: a query
that merely looks like it calls SERVICE is refused too (the flag lets it through).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import InputError, QueryError

# SPARQL 1.1 §19.2: \u and \U escapes are replaced in the whole query text before parsing, so
# "\u0053ERVICE" is the keyword SERVICE; undo them first, as the engine does.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# What cannot hold a keyword: escaped characters (`ex:a\'b`), comments, strings, IRIs. Scanned left
# to right, so a '#' inside an IRI or string is not taken for a comment.
_OPAQUE = re.compile(r"""
    \\.
  | \#[^\n\r]*
  | '''(?:[^'\\]|\\.|'(?!''))*'''
  | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '(?:[^'\\\n\r]|\\.)*'
  | "(?:[^"\\\n\r]|\\.)*"
  | <[^<>"{}|^`\\\x00-\x20]*>
""", re.X | re.S)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:])", re.I)


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group(0)


def uses_service(sparql: str) -> bool:
    """True when the query contains the SERVICE keyword (federated query: the engine calls a URL)."""
    text = _CODEPOINT.sub(_unescape, sparql)
    return _SERVICE.search(_OPAQUE.sub(" ", text)) is not None


def refuse_service(sparql: str, where: str = "the query") -> None:
    """Raise QueryError when the query would make the engine call another server."""
    if uses_service(sparql):
        raise QueryError(f"{where} uses SERVICE, which makes the query engine send requests to another "
                         "server; unkg does not do that unless you pass --allow-service")


def external_contexts(data: bytes | str) -> list[str]:
    """JSON-LD contexts given by reference (`"@context": "http://…"`, `"@import"`), in document order.

    Not valid JSON: [] (the JSON-LD parser reports the syntax error).
    """
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return []
    found: list[str] = []

    def context(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            for item in value:
                context(item)
        elif isinstance(value, dict):
            if isinstance(value.get("@import"), str):
                found.append(value["@import"])
            walk(value)

    def walk(node: Any) -> None:
        stack = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                for key, value in item.items():
                    if key == "@context":
                        context(value)
                    else:
                        stack.append(value)
            elif isinstance(item, list):
                stack.extend(item)

    walk(doc)
    return list(dict.fromkeys(found))


def refuse_remote_contexts(data: bytes | str, source: str) -> None:
    """Raise InputError when a JSON-LD document would make its parser fetch a context."""
    refs = external_contexts(data)
    if refs:
        more = f" (and {len(refs) - 1} more)" if len(refs) > 1 else ""
        raise InputError(f"JSON-LD refers to the context {refs[0]}{more}, which unkg does not fetch unless "
                         "you pass --allow-remote-context (or inline the context)", path=source)
