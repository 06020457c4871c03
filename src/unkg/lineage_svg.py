"""Inline SVG pictures drawn by a small deterministic layout (no layout engine, no randomness).

- Citation lineage of a resolution: columns by generation, what it cites (and what those cite,
  back through the series) to the left, what later cites it to the right; one box per document,
  linked to its page, ordered by adoption date then symbol.
- Resolutions of a session by committee: one row per committee, one linked square per resolution.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Callable

from .site_model import SiteIndex

# escape() of the short texts that recur on page after page and picture after picture (labels,
# relative links): five str.replace calls each time otherwise. site_html uses it too.
escape_short = lru_cache(maxsize=1 << 17)(escape)

BOX_W, BOX_H, COL_GAP, ROW_GAP, PAD = 150, 34, 60, 12, 16
MAX_DEPTH_BACK, MAX_DEPTH_FORWARD, MAX_PER_COLUMN = 4, 2, 12


def _order(idx: SiteIndex, iris: set[str]) -> list[str]:
    return sorted(iris, key=lambda i: (idx.dates.get(i, "9999"), idx.label(i), i))


def lineage_layers(idx: SiteIndex, focus: str) -> dict[int, list[str]]:
    """Generation -> documents: negative = cited (back through the series), positive = citing.
    Only resolutions and decisions take part; each document appears once, at its nearest
    generation; a column holds at most MAX_PER_COLUMN documents (the most recent first kept)."""
    layers: dict[int, list[str]] = {0: [focus]}
    seen = {focus}
    for direction, edges, depth in ((-1, idx.cites, MAX_DEPTH_BACK), (1, idx.cited_by, MAX_DEPTH_FORWARD)):
        frontier = [focus]
        for gen in range(1, depth + 1):
            nxt: set[str] = set()
            for node in frontier:
                for other in edges.get(node, ()):
                    if other not in seen and idx.is_resolution(other):
                        nxt.add(other)
            if not nxt:
                break
            ordered = _order(idx, nxt)
            if len(ordered) > MAX_PER_COLUMN:
                ordered = ordered[-MAX_PER_COLUMN:] if direction < 0 else ordered[:MAX_PER_COLUMN]
            seen.update(ordered)
            layers[direction * gen] = ordered
            frontier = ordered
    return layers


def lineage_svg(idx: SiteIndex, focus: str, href: Callable[[str], str | None]) -> str:
    """The citation lineage of `focus` as an inline <svg> (empty string when it cites and is
    cited by no resolution)."""
    layers = lineage_layers(idx, focus)
    if len(layers) == 1:
        return ""
    gens = sorted(layers)
    rows = max(len(v) for v in layers.values())
    width = PAD * 2 + len(gens) * BOX_W + (len(gens) - 1) * COL_GAP
    height = PAD * 2 + 18 + rows * BOX_H + (rows - 1) * ROW_GAP
    pos: dict[str, tuple[int, int]] = {}
    for col, gen in enumerate(gens):
        column = layers[gen]
        offset = (rows - len(column)) * (BOX_H + ROW_GAP) // 2
        for row, iri in enumerate(column):
            pos[iri] = (PAD + col * (BOX_W + COL_GAP), PAD + 18 + offset + row * (BOX_H + ROW_GAP))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'aria-label="Citation lineage of {escape(idx.label(focus))}">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
           'fill="#667"/></marker></defs>']
    for col, gen in enumerate(gens):
        title = "cited by it" if gen < 0 else ("this resolution" if gen == 0 else "citing it")
        x = PAD + col * (BOX_W + COL_GAP) + BOX_W // 2
        out.append(f'<text x="{x}" y="{PAD + 4}" text-anchor="middle" class="col">{title}</text>')
    # edges: citing -> cited, between documents drawn in adjacent or any columns
    for src in sorted(pos):
        for dst in sorted(idx.cites.get(src, ())):
            if dst in pos and pos[dst][0] < pos[src][0]:
                x1, y1 = pos[src][0], pos[src][1] + BOX_H // 2
                x2, y2 = pos[dst][0] + BOX_W, pos[dst][1] + BOX_H // 2
                out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" class="edge" '
                           'marker-end="url(#arrow)"/>')
    for iri in sorted(pos, key=lambda i: (pos[i][0], pos[i][1])):
        x, y = pos[iri]
        label = escape_short(idx.label(iri))
        date = escape(idx.dates.get(iri, "")[:4])
        cls = "node focus" if iri == focus else "node"
        box = (f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="5" class="{cls}"/>'
               f'<text x="{x + BOX_W // 2}" y="{y + 15}" text-anchor="middle">{label}</text>'
               f'<text x="{x + BOX_W // 2}" y="{y + 28}" text-anchor="middle" class="year">{date}</text>')
        link = href(iri) if iri != focus else None
        if link:
            out.append(f'<a href="{escape_short(link)}"><title>{label}</title>{box}</a>')
        else:
            out.append(f'<g><title>{label}</title>{box}</g>')
    out.append("</svg>")
    return "".join(out)


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def committee_order(name: str) -> tuple[int, str]:
    """Main Committees in their numbered order, then the others by name."""
    first = name.split(" ", 1)[0].lower()
    return (_ORDINALS.index(first) if first in _ORDINALS else len(_ORDINALS), name)


def session_svg(idx: SiteIndex, by_committee: dict[str, list[str]],
                href: Callable[[str], str | None]) -> str:
    """Resolutions of a session by committee: one row per committee (label, count, squares)."""
    if not by_committee:
        return ""
    label_w, cell, per_row = 250, 18, 30
    rows = sorted(by_committee.items(), key=lambda kv: committee_order(kv[0]))
    y = PAD
    body: list[str] = []
    for name, resolutions in rows:
        lines = max(1, -(-len(resolutions) // per_row))
        body.append(f'<text x="{PAD}" y="{y + 13}" class="committee">{escape(name)} '
                    f'({len(resolutions)})</text>')
        for i, iri in enumerate(resolutions):
            cx = PAD + label_w + (i % per_row) * (cell + 3)
            cy = y + (i // per_row) * (cell + 3)
            label = escape_short(idx.label(iri))
            rect = f'<rect x="{cx}" y="{cy}" width="{cell}" height="{cell}" rx="3" class="res"/>'
            link = href(iri)
            if link:
                body.append(f'<a href="{escape_short(link)}"><title>{label}</title>{rect}</a>')
            else:
                body.append(f'<g><title>{label}</title>{rect}</g>')
        y += lines * (cell + 3) + ROW_GAP
    width = PAD * 2 + label_w + per_row * (cell + 3)
    height = y + PAD
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="session" role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" '
            f'aria-label="Resolutions by committee">' + "".join(body) + "</svg>")
