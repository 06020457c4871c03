"""Compare a parsed record (its JSON form) with a gold record, following GOLD.md's conventions.

Keys the gold record leaves out are not checked. Used by the tests and by bench/accuracy.py.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["compare", "differences", "GOLD_KEYS"]

GOLD_KEYS = [
    "symbol", "body", "session", "agenda_items", "title", "adopted", "distributed", "committee",
    "reports", "drafts", "meeting", "preambular_count", "preambular_verbs", "operative_count",
    "operative_verbs", "operative_subparagraphs", "cites", "documents", "footnote_count",
    "conferences", "mandates", "agenda_inclusions", "vote",
]


def _text(s: Any) -> Any:
    if not isinstance(s, str):
        return s
    s = s.replace("\u2011", "-").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip()


def _item(s: str) -> str:
    return re.sub(r"[\s()]", "", s)


def _first_word(v: Any) -> str:
    if not v:
        return ""
    return str(v).split()[0].lower().strip(",")


def _cite(sym: str) -> str:
    """Citations compare without part letters: 'A/RES/217 A (III)' = 'A/RES/217(III)'."""
    s = re.sub(r"\s+[A-Z](?:\s+(?:to|and)\s+[A-Z])?(?=\s*\(|$)", "", sym.strip())
    return re.sub(r"\s+", "", s)


def _subs(paras: list[dict[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in paras:
        labels = [s["label"] for s in p.get("subparagraphs", [])]
        if labels and str(p["number"]) not in out:
            out[str(p["number"])] = labels
    return out


def compare(record_json: dict[str, Any], gold: dict[str, Any]) -> dict[str, bool]:
    """For each key of the gold record that is checked: whether the record matches it."""
    r = record_json
    res: dict[str, bool] = {}
    for key in GOLD_KEYS:
        if key not in gold:
            continue
        g = gold[key]
        if key in ("symbol", "body", "session", "title", "adopted", "distributed", "committee"):
            ok = _text(r.get(key)) == _text(g)
        elif key == "agenda_items":
            ok = [_item(x) for x in r.get("agenda_items", [])] == [_item(x) for x in g]
        elif key in ("reports", "drafts", "documents"):
            ok = set(r.get(key, [])) == set(g)
        elif key == "meeting":
            m = r.get("meeting") or {}
            if g is None:
                ok = not m or m.get("number") is None and m.get("date") is None
            else:
                ok = all(m.get(k) == v for k, v in g.items())
        elif key == "preambular_count":
            ok = len(r.get("preambular", [])) == g
        elif key == "operative_count":
            ok = len(r.get("operative", [])) == g
        elif key in ("preambular_verbs", "operative_verbs"):
            paras = r.get(key.split("_")[0], [])
            mine = [_first_word(p.get("verb")) for p in paras if p.get("verb")]
            if not g:
                ok = not mine or all(not p.get("verb") for p in paras)
            else:
                ok = mine == [_first_word(v) for v in g]
        elif key == "operative_subparagraphs":
            ok = _subs(r.get("operative", [])) == {str(k): list(v) for k, v in g.items()}
        elif key == "cites":
            gs = {_cite(c if isinstance(c, str) else c["symbol"]) for c in g}
            ok = {_cite(c["symbol"]) for c in r.get("cites", [])} == gs
        elif key == "footnote_count":
            ok = len(r.get("footnotes", [])) == g
        elif key == "conferences":
            ok = {(c.get("start"), c.get("end")) for c in r.get("conferences", [])} == {
                (c.get("start"), c.get("end")) for c in g
            }
        elif key == "mandates":
            ok = {(m["paragraph"], m.get("due_session")) for m in r.get("mandates", [])} == {
                (m["paragraph"], m.get("due_session")) for m in g
            }
        elif key == "agenda_inclusions":
            ok = {(a["paragraph"], a.get("session")) for a in r.get("agenda_inclusions", [])} == {
                (a["paragraph"], a.get("session")) for a in g
            }
        elif key == "vote":
            v = r.get("vote")
            ok = (v is None and g is None) or (
                v is not None and g is not None and all(v.get(k) == val for k, val in g.items())
            )
        else:  # pragma: no cover
            continue
        res[key] = ok
    return res


def differences(record_json: dict[str, Any], gold: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields that differ, as (parsed, gold) pairs, for readable test failures."""
    out: dict[str, tuple[Any, Any]] = {}
    for key, ok in compare(record_json, gold).items():
        if ok:
            continue
        r = record_json
        if key == "preambular_count":
            mine: Any = len(r.get("preambular", []))
        elif key == "operative_count":
            mine = len(r.get("operative", []))
        elif key in ("preambular_verbs", "operative_verbs"):
            mine = [p.get("verb") for p in r.get(key.split("_")[0], [])]
        elif key == "operative_subparagraphs":
            mine = _subs(r.get("operative", []))
        elif key == "footnote_count":
            mine = len(r.get("footnotes", []))
        elif key == "cites":
            g = {_cite(c if isinstance(c, str) else c["symbol"]) for c in gold[key]}
            m = {_cite(c["symbol"]) for c in r.get("cites", [])}
            mine = {"extra": sorted(m - g), "missing": sorted(g - m)}
            out[key] = (mine, None)
            continue
        elif key == "documents":
            g2, m2 = set(gold[key]), set(r.get(key, []))
            out[key] = ({"extra": sorted(m2 - g2), "missing": sorted(g2 - m2)}, None)
            continue
        elif key == "conferences":
            mine = sorted(((c.get("start"), c.get("end")) for c in r.get("conferences", [])), key=str)
            out[key] = (mine, sorted(((c.get("start"), c.get("end")) for c in gold[key]), key=str))
            continue
        elif key == "mandates":
            mine = sorted(((m["paragraph"], m.get("due_session")) for m in r.get("mandates", [])), key=str)
            out[key] = (mine, sorted(((m["paragraph"], m.get("due_session")) for m in gold[key]), key=str))
            continue
        else:
            mine = r.get(key)
        out[key] = (mine, gold[key])
    return out
