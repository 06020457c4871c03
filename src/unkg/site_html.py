"""HTML pages of the published site: plain string templates; every text from the data goes
through html.escape (attributes too), and embedded JSON-LD cannot close its <script>."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any, Callable
from urllib.parse import quote

import pyoxigraph as ox

from .jsonld import dumps_indented, graph_text, published_context
from .lineage_svg import committee_order, escape_short, lineage_svg, session_svg
from .site_model import ELI, RDF_TYPE, UNKG, SiteIndex, anchor_of

CSS = """body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1f}
header nav a{margin-right:1rem}h1{font-size:1.6rem;margin-bottom:.2rem}.title{font-size:1.15rem;margin-top:0}
table.facts{border-collapse:collapse}table.facts th{text-align:left;padding-right:1rem;vertical-align:top;font-weight:600}
.para{margin:.5rem 0}.para .num{font-weight:600;margin-right:.4rem}.sub{margin-left:2rem}.cites{font-size:.85rem;color:#555}
a.cite{background:#eef3ff}:target{background:#fff6cc}svg{max-width:100%;height:auto;font:11px sans-serif}
svg rect.node{fill:#f4f6fb;stroke:#4a5a8a}svg rect.focus{fill:#dfe8ff;stroke:#1d3a8a;stroke-width:2}
svg .edge{stroke:#667;stroke-width:1}svg .col,svg .year{fill:#666}svg rect.res{fill:#4a6fd0}
svg a:hover rect{fill:#f0b429}footer{margin-top:2rem;font-size:.85rem;color:#555}"""

PREDICATE_LABELS = {
    UNKG + "session": "session", UNKG + "agendaItem": "agenda item", UNKG + "committee": "committee",
    UNKG + "adoptedAt": "adopted at", UNKG + "adoptedOnReport": "adopted on report",
    UNKG + "adoptedOnDraft": "adopted on draft", UNKG + "dateAdopted": "adopted",
    UNKG + "dateDistributed": "distributed", UNKG + "body": "body", ELI + "cites": "cites",
    UNKG + "dueSession": "report due at", UNKG + "mentionsConference": "mentions conference",
    UNKG + "inclusionSession": "to be included at", UNKG + "citedDocument": "cited in",
    UNKG + "inSeries": "in series", UNKG + "parentBody": "part of",
}


@dataclass
class Page:
    """What one page shows, prepared by the publisher."""

    iri: str
    relpath: str
    idx: SiteIndex
    triples: set[tuple[Any, Any, Any]]
    incoming: list[tuple[str, str]]
    jsonld: str  # the page's compacted JSON-LD (same bytes as its .jsonld file)
    site_title: str = "unkg: United Nations resolutions"
    props: dict[str, dict[str, list[Any]]] = field(default_factory=dict)


def _props(triples: set[tuple[Any, Any, Any]]) -> dict[str, dict[str, list[Any]]]:
    out: dict[str, dict[str, list[Any]]] = {}
    for s, p, o in triples:
        out.setdefault(s.value, {}).setdefault(p.value, []).append(o)
    for preds in out.values():
        for values in preds.values():
            if len(values) > 1:  # sort() computes the key of a single value too: str() of a long text
                values.sort(key=str)
    return out


def url_path(relpath: str) -> str:
    """A relative path as a URL path, percent-encoded (':' too, so that 'a:b' is never read as a
    scheme; a server decodes it back to the same file name)."""
    encoded = quote(relpath, safe="/-._~!$&'()*+,;=@")
    return encoded or "./"


def relative(target: str, from_dir: str) -> str:
    """posixpath.relpath(target, from_dir or ".") for the clean relative paths of a site (no '.',
    '..' or empty segments, which sitepaths refuses), without its two abspath() calls."""
    if not from_dir:
        return target
    here, there = from_dir.split("/"), target.split("/")
    common = 0
    for a, b in zip(here, there):
        if a != b:
            break
        common += 1
    rest = [".."] * (len(here) - common) + there[common:]
    return "/".join(rest) if rest else "."


@lru_cache(maxsize=65536)
def _relative_url(target: str, from_dir: str) -> str:
    return url_path(relative(target + ".html", from_dir))


def _is_word(c: str) -> bool:
    """What the regular expression (?<![\w/]) looks at: a word character (str.isalnum is the
    test `re` itself applies for \w on str patterns, plus '_') or a slash."""
    return c.isalnum() or c in "_/"


def _symbol_spans(pattern: str, text: str) -> list[tuple[int, int]]:
    """Where `pattern` stands alone in `text` (not inside a longer word or symbol): the matches
    of re.finditer(r"(?<![\w/])" + re.escape(pattern) + r"(?![\w/])", text), found with str.find
    (no regular expression compiled per symbol: a site of 30,000 resolutions has more symbols
    than a cache of compiled patterns holds)."""
    out: list[tuple[int, int]] = []
    size = len(pattern)
    if not size:
        return out
    at = text.find(pattern)
    while at >= 0:
        end = at + size
        if (at == 0 or not _is_word(text[at - 1])) and (end == len(text) or not _is_word(text[end])):
            out.append((at, end))
            at = text.find(pattern, end)
        else:
            at = text.find(pattern, at + 1)
    return out


class Linker:
    """Links from one page to other pages (relative .html URLs) or to external IRIs."""

    def __init__(self, idx: SiteIndex, relpath: str):
        self.idx = idx
        self.dir = posixpath.dirname(relpath)

    def href(self, iri: str) -> str | None:
        where = self.idx.page_of(iri)
        if where is None:
            return iri if iri.startswith(("http://", "https://")) else None
        page, anchor = where
        return _relative_url(self.idx.pages[page], self.dir) + (f"#{quote(anchor, safe='/-._~')}" if anchor else "")

    def a(self, iri: str, text: str | None = None, cls: str = "") -> str:
        label = escape(text) if text is not None else escape_short(self.idx.label(iri))
        link = self.href(iri)
        if link is None:
            return label
        c = f' class="{cls}"' if cls else ""
        return f'<a href="{escape_short(link)}"{c}>{label}</a>'


def _value(term: Any, link: Linker) -> str:
    if isinstance(term, ox.NamedNode):
        return link.a(term.value)
    if isinstance(term, ox.Literal):
        lang = f' lang="{escape(term.language)}"' if term.language else ""
        return f"<span{lang}>{escape(term.value)}</span>"
    return escape(str(term))


@lru_cache(maxsize=4096)  # pure, and a site has a few hundred predicates and classes
def _pred_label(iri: str) -> str:
    if iri in PREDICATE_LABELS:
        return PREDICATE_LABELS[iri]
    local = re.split(r"[#/]", iri)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).replace("_", " ").lower()


def script_json(text: str) -> str:
    """JSON for a <script> element: '<', '>' and '&' escaped so no text can end the element."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@lru_cache(maxsize=65536)
def _symbol_patterns(symbol: str) -> tuple[str, ...]:
    """How a document symbol is written in running text: 'A/RES/53/70' also as '53/70'."""
    out = [symbol]
    m = re.fullmatch(r"A/(?:RES|DEC)/(.+)", symbol)
    if m:
        out.append(m.group(1))
    m = re.fullmatch(r"S/RES/(\d+)\s*\((\d{4})\)", symbol)
    if m:
        out += [f"{m.group(1)} ({m.group(2)})", f"{m.group(1)}({m.group(2)})"]
    return tuple(out)


def linked_text(text: str, targets: list[str], link: Linker) -> tuple[str, list[str]]:
    """Escaped text with each cited document's symbol made a link; and the targets not found."""
    spans: list[tuple[int, int, str]] = []
    unmatched: list[str] = []
    for iri in targets:
        found = False
        for pattern in _symbol_patterns(link.idx.label(iri)):
            for start, end in _symbol_spans(pattern, text):
                if not any(s < end and start < e for s, e, _ in spans):
                    spans.append((start, end, iri))
                    found = True
        if not found:
            unmatched.append(iri)
    spans.sort()
    out, at = [], 0
    for s, e, iri in spans:
        out.append(escape(text[at:s]))
        out.append(link.a(iri, text[s:e], cls="cite"))
        at = e
    out.append(escape(text[at:]))
    return "".join(out), unmatched


def _layout(page: Page, link: Linker, title: str, subtitle: str, body: str) -> str:
    idx = link.idx
    home = url_path(relative("index.html", link.dir))
    name = posixpath.basename(page.relpath)
    alternates = (f'<link rel="alternate" type="text/turtle" href="{escape(url_path(name))}.ttl">'
                  f'<link rel="alternate" type="application/ld+json" href="{escape(url_path(name))}.jsonld">')
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} — {escape(page.site_title)}</title>"
        f'<link rel="canonical" href="{escape(page.iri)}">{alternates}'
        f"<style>{CSS}</style>"
        f'<script type="application/ld+json">{script_json(page.jsonld)}</script>'
        "</head><body>"
        f'<header><nav><a href="{escape(home)}">{escape(page.site_title)}</a></nav></header>'
        f"<main><h1>{escape(title)}</h1>"
        + (f'<p class="title">{escape(subtitle)}</p>' if subtitle else "")
        + f'<p class="iri">IRI: <code>{escape(page.iri)}</code> · data: '
        f'<a href="{escape(url_path(name))}.ttl">Turtle</a> · '
        f'<a href="{escape(url_path(name))}.jsonld">JSON-LD</a></p>'
        + body + "</main>"
        f"<footer>{escape(idx.base)} · generated by unkg</footer></body></html>\n")


def _facts(rows: list[tuple[str, str]]) -> str:
    if not rows:
        return ""
    return ('<table class="facts">' + "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>"
                                             for k, v in rows) + "</table>")


def _para_key(anchor: str) -> tuple[Any, ...]:
    parts = anchor.split("/")
    kind = 0 if parts[0] == "pp" else 1
    section = int(parts[1]) if parts[0] == "part" and parts[1].isdigit() else 0
    nums = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)
    return (kind, section, nums)


def resolution_page(page: Page) -> str:
    link = Linker(_idx(page), page.relpath)
    idx = link.idx
    props = page.props
    me = props.get(page.iri, {})

    def first(p: str, node: str | None = None) -> str:
        values = props.get(node or page.iri, {}).get(p, [])
        return values[0].value if values else ""

    def links(p: str) -> str:
        return ", ".join(link.a(v.value) for v in me.get(p, []) if isinstance(v, ox.NamedNode))

    symbol = first(UNKG + "symbol") or idx.label(page.iri)
    title = first("http://purl.org/dc/terms/title")
    facts = [(k, v) for k, v in (
        ("adopted", escape(first(UNKG + "dateAdopted"))),
        ("distributed", escape(first(UNKG + "dateDistributed"))),
        ("body", links(UNKG + "body")),
        ("session", links(UNKG + "session")),
        ("agenda item", links(UNKG + "agendaItem")),
        ("committee", links(UNKG + "committee")),
        ("adopted at", links(UNKG + "adoptedAt")),
        ("on report", links(UNKG + "adoptedOnReport")),
        ("on draft", links(UNKG + "adoptedOnDraft")),
        ("source record", link.a(idx.doc_graph[page.iri], "provenance") if page.iri in idx.doc_graph else ""),
    ) if v]

    # citations by the paragraph, subparagraph or footnote they are made in
    cited_in: dict[str, list[str]] = {}
    kinds: dict[str, set[str]] = {}
    for node, preds in props.items():
        if RDF_TYPE in preds and any(t.value == UNKG + "Citation" for t in preds[RDF_TYPE]):
            for where in preds.get(UNKG + "citedIn", []):
                for doc in preds.get(UNKG + "citedDocument", []):
                    if doc.value not in cited_in.setdefault(where.value, []):
                        cited_in[where.value].append(doc.value)
            for doc in preds.get(UNKG + "citedDocument", []):
                for t in preds.get(UNKG + "citationType", []):
                    kinds.setdefault(doc.value, set()).add(t.value.rsplit("/", 1)[-1].replace("-", " "))

    def para_html(node: str, depth: int = 0) -> str:
        p = props.get(node, {})
        anchor = anchor_of(node, page.iri)
        text = p[UNKG + "text"][0].value if UNKG + "text" in p else ""
        html_text, missing = linked_text(text, sorted(cited_in.get(node, [])), link)
        number = p.get(UNKG + "number") or p.get(UNKG + "label")
        num = f'<span class="num">{escape(number[0].value)}.</span>' if number and depth == 0 else ""
        extra = (f'<div class="cites">cites: {", ".join(link.a(i) for i in missing)}</div>'
                 if missing else "")
        subs = sorted((s.value for s in p.get(UNKG + "hasSubParagraph", [])),
                      key=lambda i: _para_key(anchor_of(i, page.iri)))
        sub_html = "".join(para_html(s, depth + 1) for s in subs)
        cls = "para" if depth == 0 else "para sub"
        return f'<div class="{cls}" id="{escape(anchor)}">{num}{html_text}{extra}{sub_html}</div>'

    paragraphs = sorted((v.value for v in me.get(UNKG + "hasParagraph", [])),
                        key=lambda i: _para_key(anchor_of(i, page.iri)))
    pre = [p for p in paragraphs if anchor_of(p, page.iri).startswith("pp/")]
    ops = [p for p in paragraphs if not anchor_of(p, page.iri).startswith("pp/")]
    body = [_facts(facts)]
    svg = lineage_svg(idx, page.iri, link.href)
    if svg:
        body.append(f'<h2>Citation lineage</h2><figure class="lineage">{svg}<figcaption>What '
                    f'{escape(symbol)} cites, back through the series (left), and what later cites it '
                    '(right).</figcaption></figure>')
    if pre:
        body.append('<h2>Preamble</h2>' + "".join(para_html(p) for p in pre))
    if ops:
        body.append('<h2>Operative part</h2>' + "".join(para_html(p) for p in ops))
    notes = sorted((v.value for v in me.get(UNKG + "hasFootnote", [])),
                   key=lambda i: _para_key(anchor_of(i, page.iri)))
    if notes:
        items = []
        for fn in notes:
            fp = props.get(fn, {})
            marker = fp[UNKG + "marker"][0].value if UNKG + "marker" in fp else ""
            text = fp[UNKG + "text"][0].value if UNKG + "text" in fp else ""
            html_text, missing = linked_text(text, sorted(cited_in.get(fn, [])), link)
            extra = f' <span class="cites">cites: {", ".join(link.a(i) for i in missing)}</span>' if missing else ""
            items.append(f'<li id="{escape(anchor_of(fn, page.iri))}"><sup>{escape(marker)}</sup> '
                         f"{html_text}{extra}</li>")
        body.append("<h2>Footnotes</h2><ol class=\"footnotes\">" + "".join(items) + "</ol>")
    mandates = []
    for m in sorted(v.value for v in me.get(UNKG + "hasMandate", [])):
        mp = props.get(m, {})
        who = mp[UNKG + "addresseeName"][0].value if UNKG + "addresseeName" in mp else "?"
        due = ", ".join(link.a(v.value) for v in mp.get(UNKG + "dueSession", []))
        where = ", ".join(link.a(v.value, "paragraph " + anchor_of(v.value, page.iri))
                          for v in mp.get(UNKG + "inParagraph", []))
        mandates.append(f'<li id="{escape(anchor_of(m, page.iri))}">{escape(who)}'
                        + (f", to report at {due}" if due else "") + (f" ({where})" if where else "") + "</li>")
    if mandates:
        body.append("<h2>Mandates</h2><ul>" + "".join(mandates) + "</ul>")
    inclusions = []
    for m in sorted(v.value for v in me.get(UNKG + "hasAgendaInclusion", [])):
        mp = props.get(m, {})
        item = mp[UNKG + "itemTitle"][0].value if UNKG + "itemTitle" in mp else ""
        at = ", ".join(link.a(v.value) for v in mp.get(UNKG + "inclusionSession", []))
        inclusions.append(f'<li id="{escape(anchor_of(m, page.iri))}">“{escape(item)}”'
                          + (f" on the agenda of {at}" if at else "") + "</li>")
    if inclusions:
        body.append("<h2>Agenda inclusions</h2><ul>" + "".join(inclusions) + "</ul>")
    confs = me.get(UNKG + "mentionsConference", [])
    if confs:
        body.append("<h2>Conferences referred to</h2><ul>"
                    + "".join(f"<li>{link.a(c.value)}</li>" for c in confs) + "</ul>")
    cites = sorted((v.value for v in me.get(ELI + "cites", [])), key=lambda i: (idx.label(i), i))
    if cites:
        body.append(f"<h2>Documents it cites ({len(cites)})</h2><ul class=\"cited\">" + "".join(
            f"<li>{link.a(c)}" + (f' <span class="cites">({escape(", ".join(sorted(kinds[c])))})</span>'
                                   if c in kinds else "") + "</li>" for c in cites) + "</ul>")
    citing = sorted({s for p, s in page.incoming if p == ELI + "cites"}, key=lambda i: (idx.label(i), i))
    if citing:
        body.append(f"<h2>Cited by ({len(citing)})</h2><ul class=\"citing\">"
                    + "".join(f"<li>{link.a(c)}</li>" for c in citing) + "</ul>")
    return _layout(page, link, symbol, title, "".join(body))


def generic_page(page: Page, by_committee: dict[str, list[str]] | None = None) -> str:
    """Any other resource: its statements, what points at it, and (a session) its resolutions."""
    link = Linker(_idx(page), page.relpath)
    idx = link.idx
    me = page.props.get(page.iri, {})
    types = sorted(_pred_label(t.value) for t in me.get(RDF_TYPE, []))
    rows = []
    for p in sorted(me, key=lambda x: (_pred_label(x), x)):
        if p == RDF_TYPE:
            continue
        rows.append((_pred_label(p), ", ".join(_value(v, link) for v in me[p])))
    body = [f'<p class="types">{escape(", ".join(types))}</p>' if types else "", _facts(rows)]
    if by_committee:
        svg = session_svg(idx, by_committee, link.href)
        body.append(f'<h2>Resolutions by committee</h2><figure class="session">{svg}</figure>')
        for name, resolutions in sorted(by_committee.items(), key=lambda kv: committee_order(kv[0])):
            body.append(f"<h3>{escape(name)} ({len(resolutions)})</h3><ul>" + "".join(
                f"<li>{link.a(r)} {escape(idx.titles.get(r, ''))}</li>" for r in resolutions)
                + "</ul>")
    groups: dict[str, list[str]] = {}
    for p, s in page.incoming:
        groups.setdefault(p, []).append(s)
    for p in sorted(groups, key=lambda x: (_pred_label(x), x)):
        pages = sorted(set(groups[p]), key=lambda i: (idx.label(i), i))
        heading = "cited by" if p == ELI + "cites" else f"{_pred_label(p)} of"
        body.append(f"<h2>{escape(heading.capitalize())} ({len(pages)})</h2><ul>"
                    + "".join(f"<li>{link.a(s)}</li>" for s in pages) + "</ul>")
    return _layout(page, link, idx.label(page.iri), "", "".join(body))


def _idx(page: Page) -> SiteIndex:
    return page.idx


def index_page(idx: SiteIndex, sessions: list[str], resolutions: list[str], files: list[tuple[str, str]],
               site_title: str) -> str:
    """The site's home page: sessions, resolutions, dataset files."""
    link = Linker(idx, "index")
    sess = "".join(f"<li>{link.a(s)}</li>" for s in sessions)
    res = "".join(f"<li>{link.a(r)} {escape(idx.titles.get(r, ''))}</li>" for r in resolutions)
    data = "".join(f'<li><a href="{escape(url_path(path))}">{escape(label)}</a></li>' for path, label in files)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(site_title)}</title><style>{CSS}</style>"
            '<link rel="alternate" type="text/turtle" href="void.ttl" title="VoID description">'
            f"</head><body><main><h1>{escape(site_title)}</h1>"
            f"<h2>Dataset</h2><ul>{data}</ul><h2>Sessions</h2><ul>{sess}</ul>"
            f"<h2>Resolutions ({len(resolutions)})</h2><ul>{res}</ul></main>"
            f"<footer>{escape(idx.base)} · generated by unkg</footer></body></html>\n")


def prepare(page: Page) -> Page:
    page.props = _props(page.triples)
    return page


@lru_cache(maxsize=4)
def _dumped(key: str, value_json: str) -> str:
    return _indent(json.dumps(json.loads(value_json), indent=2, sort_keys=True, ensure_ascii=False))


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")


@lru_cache(maxsize=1)
def _published_context_text() -> str:
    return _dumped("@context", json.dumps(published_context(), sort_keys=True))


def jsonld_text(data: dict[str, Any]) -> str:
    """json.dumps(data, indent=2, sort_keys=True) with the (large, constant) @context encoded once:
    the pure-Python indenting encoder spent most of a page's time re-encoding it. The graph goes
    through `jsonld.dumps_indented`, the same text for a fraction of the time."""
    if set(data) != {"@context", "@graph"}:
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    ctx = data["@context"]
    if ctx is published_context():  # every page's: encoded once per process, not even as a cache key
        context = _published_context_text()
    else:
        context = _dumped("@context", json.dumps(ctx, sort_keys=True))
    graph = dumps_indented(data["@graph"], "  ")
    return f'{{\n  "@context": {context},\n  "@graph": {graph}\n}}\n'


def page_jsonld(triples: set[tuple[Any, Any, Any]]) -> str:
    """`jsonld_text(compact(triples))`: a page's JSON-LD, its graph written straight from the triples
    (`jsonld.graph_text`) after the context encoded once per process."""
    return f'{{\n  "@context": {_published_context_text()},\n  "@graph": {graph_text(triples, "  ")}\n}}\n'
