"""Parameter pushdown: copy a parameter's VALUES block into the inner groups that bind it.

A query's parameters are bound by one VALUES block opening its outer WHERE group. Oxigraph joins
that block with a `GRAPH ?g { … }` group or a subquery only after evaluating the inner group in
full, so a query about one session first reads every session (1.8 s instead of 30 ms at 30,000
documents). Repeating the block at the start of an inner group lets the engine start from the
bound term there.

The copy is made only where it cannot change the answer: in a group joined with the outer one
(a plain group, `GRAPH`, a `UNION` branch, or a subquery in an `OPTIONAL`, whose left side has
the variable bound because the block opens it), and only when that group's own triple patterns bind the
variable, so no FILTER, EXISTS or BIND inside sees it bound where it was free before. Into a
subquery only when it projects the variable and has no LIMIT or OFFSET. Never into MINUS,
EXISTS, SERVICE or data blocks. The outer block stays, so every copy is a no-op on the
solutions: joining the same block twice gives the same rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .security import _OPAQUE

_TOKEN = re.compile(r"""[{}()*]|[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+|[A-Za-z_][\w\-.]*:?[\w\-.]*|:[\w\-.]*|\S""")
_JOINED = ("plain", "graph", "optional")


@dataclass
class _Group:
    start: int  # index just after the opening brace
    end: int = -1  # index of the closing brace
    kind: str = "plain"  # plain | graph | optional | where | other
    tokens: list[tuple[str, int]] = field(default_factory=list)  # top level, outside parentheses
    head: list[str] = field(default_factory=list)  # every top-level token, in parentheses too
    children: list[_Group] = field(default_factory=list)


def _mask(text: str) -> str:
    """The text with comments, strings and IRIs blanked (same length), so braces in them do not count."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), text)


def _parse(text: str) -> _Group | None:
    """The group tree of a query (a pseudo-group holds the top level), or None if it is unbalanced."""
    masked = _mask(text)
    root = _Group(start=0, kind="other")
    stack = [root]
    depth = [0]  # parenthesis depth per open group
    data_block = [False]  # a VALUES/CONSTRUCT/INSERT/DELETE block is pending at this level
    for m in _TOKEN.finditer(masked):
        tok, pos = m.group(0), m.start()
        group = stack[-1]
        upper = tok.upper()
        if tok == "{":
            kind = _kind(group.head, data_block[-1])
            data_block[-1] = False
            child = _Group(start=m.end(), kind=kind)
            group.children.append(child)
            group.head.append("{")
            stack.append(child)
            depth.append(0)
            data_block.append(False)
        elif tok == "}":
            if len(stack) == 1:
                return None
            group.end = pos
            stack.pop()
            depth.pop()
            data_block.pop()
            stack[-1].head.append("}")
        else:
            if tok == "(":
                depth[-1] += 1
            elif tok == ")":
                depth[-1] -= 1
            elif upper in ("VALUES", "CONSTRUCT", "INSERT", "DELETE", "DATA"):
                data_block[-1] = True
            elif upper == "WHERE":
                data_block[-1] = False
            group.head.append(upper if tok[0] not in "?$" else tok)
            if depth[-1] == 0 and tok not in "()":
                group.tokens.append((tok, pos))
    return root if len(stack) == 1 else None


def _kind(head: list[str], data_block: bool) -> str:
    last = head[-3:]
    if data_block:
        return "other"
    if not last:
        return "plain"
    if last[-1] in ("OPTIONAL",):
        return "optional"
    if last[-1] == "WHERE":
        return "where"
    if last[-1] in ("MINUS", "EXISTS", "SERVICE", "SILENT"):
        return "other"
    if last[-1] == "GRAPH":  # GRAPH <iri> (the IRI is blanked)
        return "graph"
    if "SERVICE" in last[-3:]:
        return "other"
    if len(last) >= 2 and last[-2] == "GRAPH":
        return "graph"
    return "plain"


def _binds(group: _Group, var: str) -> bool:
    """True when the group's own triple patterns (not its expressions or inner groups) use the variable."""
    previous = ""
    for tok, _ in group.tokens:
        if tok[0] in "?$" and tok[1:] == var and previous.upper() not in ("VALUES", "SERVICE", "SILENT", "AS"):
            return True
        previous = tok
    return False


def _subquery(group: _Group) -> _Group | None:
    """The WHERE group of the subquery the group holds, if it holds one."""
    if not group.tokens or group.tokens[0][0].upper() != "SELECT":
        return None
    return next((c for c in group.children if c.kind in ("where", "plain")), None)


def _projects(group: _Group, where: _Group, var: str) -> bool:
    """True when the subquery projects the variable as itself and keeps all its rows."""
    after = [t.upper() for t, p in group.tokens if p > where.end]
    if "LIMIT" in after or "OFFSET" in after:
        return False
    before = [t for t, p in group.tokens if p < where.start]
    return "*" in before or any(t[0] in "?$" and t[1:] == var for t in before)


def push_values(text: str, where_start: int, blocks: dict[str, str]) -> str:
    """Insert `blocks[var]` at the start of every inner group where it is safe (see module doc).

    `where_start` is the index just after the outer WHERE group's opening brace. Text that does
    not parse as balanced groups is returned unchanged: the outer block alone still binds.
    """
    if not blocks or "\\u" in text or "\\U" in text:
        return text
    root = _parse(text)
    if root is None:
        return text
    outer = _find(root, where_start)
    if outer is None:
        return text
    inserts: list[tuple[int, str]] = []

    def push(group: _Group, var: str) -> None:
        for child in group.children:
            if child.kind not in _JOINED:
                continue
            where = _subquery(child)
            if where is not None:
                if _projects(child, where, var) and _binds(where, var):
                    inserts.append((where.start, blocks[var]))
                    push(where, var)
            elif child.kind == "optional":
                # the engine already reads a plain OPTIONAL row by row; a copy there only adds work
                continue
            elif _binds(child, var):
                inserts.append((child.start, blocks[var]))
                push(child, var)

    for var in sorted(blocks):
        push(outer, var)
    for pos, block in sorted(inserts, reverse=True):
        text = text[:pos] + " " + block + " " + text[pos:]
    return text


def _find(group: _Group, start: int) -> _Group | None:
    for child in group.children:
        if child.start == start:
            return child
        found = _find(child, start)
        if found is not None:
            return found
    return None
