"""Header pass of the parser: symbol, session, agenda items, dates, committee line, title."""

from __future__ import annotations

import re

from .parser_layout import (
    _COMMITTEES,
    _Ctx,
    _ENACT_RE,
    _Line,
    _MARK_RE,
    _TITLE_NUM_RE,
    _iso_date,
    _join,
)
from .parser_refs import ordinal_session
from .record import Meeting
from .symbols import DATE_RE, MONTH_RE, expand_symbols, normalise_symbol
from .verbs import match_verb

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
