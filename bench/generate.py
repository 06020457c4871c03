"""Generate a synthetic corpus of resolution *texts* (not RDF) for benchmarks and scale tests.

The texts imitate the layouts of the real corpus in `tests/data/corpus/texts/`:

* ``raw``: one line per PDF line as extracted from the official PDF (trailing spaces, page
  headers and footers, footnotes at the foot of the page after a rule), ``A-RES-<s>-<n>.txt``;
* ``reflowed``: YAML front matter, one line per paragraph, header lines merged, footnotes left in
  the middle of the body where the page broke, ``A-RES-<s>-<n>.txt``;
* ``md``: the same with Markdown footnotes (``[^1]`` and ``[^1]: text`` at the end), ``.md``;
* ``sc``: a few Security Council resolutions in the printed-volume style with a recorded vote,
  ``S-RES-<n>-<year>.txt``.

Resolutions follow recurring agenda items ("series") across sessions: each resolution of a
series recalls its predecessors (so citation chains are as deep as the number of sessions), some
reaffirm resolutions of other series, cite landmark declarations in footnotes, take note of
reports of the Secretary-General, recall conferences, request reports "at its Nth session" and
put the item on the agenda of a later session. Everything is drawn from one ``random.Random``
seeded with ``--seed``: the same seed and count give byte-identical files.

    python bench/generate.py OUTDIR --count 1000 --seed 1

A manifest of what was generated (symbol, file, layout, cites, reports, conferences, mandates)
is written to ``OUTDIR/.manifest.json`` (a dot file, so ``unkg load OUTDIR`` skips it).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

__all__ = ["Generated", "generate_corpus", "ordinal_words", "main"]

LAST_SESSION = 80
MAX_SESSIONS = 75  # sessions 6..80: no ordinal above "eightieth" is needed

_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_UNIT_ORD = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEEN_ORD = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
             "seventeenth", "eighteenth", "nineteenth"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_TENS_ORD = ["", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth",
             "eightieth", "ninetieth"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]


def ordinal_words(n: int) -> str:
    """'seventy-second' for 72 (1..99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"no ordinal words for {n}")
    if n < 10:
        return _UNIT_ORD[n]
    if n < 20:
        return _TEEN_ORD[n - 10]
    tens, units = divmod(n, 10)
    return _TENS_ORD[tens] if units == 0 else f"{_TENS[tens]}-{_UNIT_ORD[units]}"


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _day(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


# ---- vocabulary ----------------------------------------------------------------------------------

_TOPICS = [
    "the rights of the child", "international cooperation on humanitarian assistance",
    "oceans and the law of the sea", "sustainable fisheries", "the peaceful uses of outer space",
    "the elimination of racism and racial discrimination", "the advancement of women",
    "the prevention of armed conflict", "disaster risk reduction", "international drug control",
    "the protection of migrants", "the rule of law at the national and international levels",
    "global health and foreign policy", "information and communications technologies for development",
    "the safety and security of humanitarian personnel", "agricultural technology for development",
    "the eradication of poverty", "culture and sustainable development", "the question of Western Sahara",
    "assistance to Palestine refugees", "nuclear disarmament", "the prevention of an arms race in outer space",
    "the illicit trade in small arms and light weapons", "international migration and development",
    "human rights and extreme poverty", "the right to food", "the right to development",
    "combating terrorism", "the protection of the global climate", "desertification and drought",
    "biological diversity", "the world tourism organization", "South-South cooperation",
    "the least developed countries", "landlocked developing countries", "small island developing States",
    "the financing of development", "external debt sustainability", "international trade and development",
    "commodities", "science and technology for development", "entrepreneurship for development",
    "women in development", "the girl child", "violence against women migrant workers",
    "the elimination of violence against women", "persons with disabilities", "the rights of older persons",
    "the policies and programmes involving youth", "cooperatives in social development", "literacy for life",
    "the prevention of crime and criminal justice", "the trafficking in persons", "corruption",
    "the law of transboundary aquifers", "the responsibility of international organizations",
    "diplomatic protection", "the protection of persons in the event of disasters",
    "the scope of universal jurisdiction", "the criminal accountability of officials on mission",
    "the administration of justice at the United Nations", "the pattern of conferences",
    "multilingualism", "questions relating to information", "the effects of atomic radiation",
    "the situation in Central Africa", "the situation in Afghanistan", "the consolidation of peace",
    "the zone of peace and cooperation of the South Atlantic", "the Indian Ocean as a zone of peace",
    "the maintenance of international security", "the strengthening of the United Nations system",
    "the revitalization of the work of the General Assembly", "the Peacebuilding Commission",
    "the International Residual Mechanism for Criminal Tribunals", "the International Court of Justice",
    "the International Criminal Court", "the Human Rights Council", "the United Nations University",
]
_PREFIXES = ["Cooperation on", "Promotion of", "Strengthening of", "International action on",
             "Follow-up to the work on", "Implementation of the measures on", "Report on",
             "Progress on", "Global efforts on", "Towards"]
_CITIES = [("Geneva", ""), ("Vienna", ""), ("Nairobi", ""), ("Bangkok", ""), ("Santiago", ""),
           ("Addis Ababa", ""), ("Doha", ""), ("Istanbul", ""), ("Monterrey", "Mexico"),
           ("Johannesburg", "South Africa"), ("Rio de Janeiro", "Brazil"), ("Sendai", "Japan"),
           ("Beijing", ""), ("Cairo", ""), ("Copenhagen", ""), ("Durban", "South Africa"),
           ("Marrakech", "Morocco"), ("Almaty", "Kazakhstan"), ("Bridgetown", ""), ("Quito", "")]
_CONF_KINDS = ["World Conference on", "International Conference on", "United Nations Conference on",
               "World Summit on", "High-level Meeting on", "Global Forum on"]
_NOUNS = ["Member States", "the international community", "the relevant organizations",
          "the specialized agencies", "regional organizations", "civil society", "the funds and programmes",
          "the regional commissions", "donor countries", "national institutions", "the private sector",
          "the United Nations system", "all States", "the entities concerned", "the competent bodies"]
_VERBS_INF = ["strengthen", "promote", "support", "enhance", "continue", "develop", "ensure",
              "coordinate", "improve", "consider", "facilitate", "implement", "review", "address",
              "integrate", "monitor", "intensify", "expand", "sustain", "advance"]
_OBJECTS = ["their efforts", "cooperation at all levels", "the exchange of information and best practices",
            "capacity-building and technical assistance", "national policies and strategies",
            "the mobilization of resources", "the participation of all stakeholders",
            "the collection of disaggregated data", "coherent and coordinated responses",
            "awareness of the issues involved", "partnerships with relevant actors",
            "the implementation of the commitments made", "the effectiveness of existing mechanisms",
            "institutional arrangements", "preventive measures", "follow-up activities"]
_QUALIFIERS = ["in accordance with their national legislation", "within existing resources",
               "on a voluntary basis", "in a comprehensive and integrated manner", "as appropriate",
               "in close cooperation with the relevant partners", "at the national, regional and international levels",
               "with full respect for the principles of the Charter", "in a timely and transparent manner",
               "taking into account the needs of developing countries", "through an inclusive process",
               "consistent with international law", "in particular in developing countries"]
_PRE_VERBS = ["Reaffirming", "Recognizing", "Noting with concern", "Emphasizing", "Stressing",
              "Bearing in mind", "Acknowledging", "Mindful of", "Convinced", "Welcoming",
              "Expressing concern", "Underlining", "Aware", "Deeply concerned", "Considering",
              "Reiterating", "Noting", "Conscious of", "Recognizing also", "Stressing also"]
_OP_VERBS = ["Calls upon", "Encourages", "Urges", "Invites", "Stresses", "Emphasizes", "Recognizes",
             "Welcomes", "Reaffirms", "Notes", "Underlines", "Requests", "Calls upon", "Encourages",
             "Reiterates", "Acknowledges", "Expresses its appreciation to", "Affirms", "Recommends"]
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi"]
_COMMITTEES = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth"]


# ---- model ---------------------------------------------------------------------------------------

@dataclass
class Conf:
    name: str
    city: str
    country: str
    start: date
    end: date

    def phrase(self) -> str:
        place = f"{self.city}, {self.country}" if self.country else self.city
        if self.start.month == self.end.month:
            span = f"from {self.start.day} to {self.end.day} {_MONTHS[self.end.month - 1]} {self.end.year}"
        else:
            span = (f"from {self.start.day} {_MONTHS[self.start.month - 1]} to {self.end.day} "
                    f"{_MONTHS[self.end.month - 1]} {self.end.year}")
        return f"the {self.name}, held in {place} {span}"


@dataclass
class Series:
    title: str
    item: int
    sub: str
    committee: str | None  # None: plenary
    conference: Conf | None
    biennial: bool


@dataclass
class Generated:
    """What one generated text states (the manifest row): the answers a test can check."""

    symbol: str
    file: str
    layout: str
    session: str | None
    title: str
    adopted: str
    agenda_item: str | None
    cites: list[str] = field(default_factory=list)
    footnote_cites: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    conferences: list[str] = field(default_factory=list)
    mandates: list[int] = field(default_factory=list)
    agenda_inclusions: list[int] = field(default_factory=list)
    vote: list[int] | None = None
    preambular: int = 0
    operative: int = 0


@dataclass
class _Para:
    verb: str
    text: str  # after the verb; footnote markers as "\x00n\x00"
    subs: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)


@dataclass
class _Res:
    gen: Generated
    series: Series | None
    adopted: date
    distributed: date
    meeting: int
    route: str
    pre: list[_Para]
    op: list[_Para]
    footnotes: list[str]
    job: str


class _Gen:
    def __init__(self, count: int, seed: int, layouts: tuple[float, float, float, float]):
        self.rnd = random.Random(seed)
        self.count = count
        self.layouts = layouts
        n_sessions = max(2, min(MAX_SESSIONS, count // 12))
        self.sessions = list(range(LAST_SESSION - n_sessions + 1, LAST_SESSION + 1))
        self.by_symbol: dict[str, _Res] = {}
        self.made: list[_Res] = []  # General Assembly resolutions so far, in adoption order
        self.series_last: dict[int, list[_Res]] = {}
        self.landmarks: list[_Res] = []
        self.sc_number = 1000

    # -- pieces of text --
    def words(self, lo: int, hi: int) -> str:
        r = self.rnd
        parts = [f"{r.choice(_NOUNS)} to {r.choice(_VERBS_INF)} {r.choice(_OBJECTS)}"]
        while len(" ".join(parts).split()) < r.randint(lo, hi):
            parts.append(r.choice([
                f"{r.choice(_QUALIFIERS)}",
                f"and to {r.choice(_VERBS_INF)} {r.choice(_OBJECTS)}",
                f"including {r.choice(_OBJECTS)}",
                f"with a view to {r.choice(['strengthening', 'promoting', 'enhancing', 'supporting'])} "
                f"{r.choice(_OBJECTS)}",
            ]))
        return ", ".join(parts)

    def topic_title(self, used: set[str]) -> str:
        r = self.rnd
        while True:
            t = f"{r.choice(_PREFIXES)} {r.choice(_TOPICS)}"
            if r.random() < 0.3:
                t += f" in {r.choice(['Africa', 'the Pacific', 'the Caribbean', 'Asia', 'Latin America', 'Europe', 'the Middle East'])}"
            if t not in used:
                used.add(t)
                return t

    def conference(self, year: int, topic: str) -> Conf:
        r = self.rnd
        city, country = r.choice(_CITIES)
        start = date(year, r.randint(1, 11), r.randint(1, 20))
        end = start + timedelta(days=r.randint(1, 5))
        small = {"of", "the", "and", "in", "on", "for", "to", "at", "an", "a"}
        name = " ".join(w if w in small else w[0].upper() + w[1:] for w in topic.split())
        name = name[4:] if name.startswith("the ") else name
        return Conf(f"{r.choice(_CONF_KINDS)} {name}", city, country, start, end)

    def make_series(self, n: int) -> list[Series]:
        r = self.rnd
        used: set[str] = set()
        out = []
        first_year = 1945 + self.sessions[0]
        for i in range(n):
            title = self.topic_title(used)
            item = 10 + i % 140
            sub = "" if r.random() < 0.7 else f" ({'abcdefghij'[r.randrange(10)]})"
            committee = None if r.random() < 0.25 else r.choice(_COMMITTEES)
            conf = (self.conference(r.randint(first_year - 20, first_year + 5), r.choice(_TOPICS))
                    if r.random() < 0.4 else None)
            out.append(Series(title, item, sub, committee, conf, r.random() < 0.15))
        return out

    # -- one resolution --
    def resolution(self, session: int, number: int, series: Series, adopted: date, meeting: int,
                   layout: str) -> _Res:
        r = self.rnd
        sym = f"A/RES/{session}/{number}"
        gen = Generated(sym, f"A-RES-{session}-{number}{'.md' if layout == 'md' else '.txt'}", layout,
                        str(session), series.title, adopted.isoformat(), f"{series.item}{series.sub}")
        footnotes: list[str] = []

        def fn(text: str) -> str:
            footnotes.append(text)
            return f"\x00{len(footnotes)}\x00"

        def cite(prev: _Res) -> str:
            gen.cites.append(prev.gen.symbol)
            return f"{prev.gen.symbol[6:]} of {_day(prev.adopted)}"

        pre: list[_Para] = []
        key = id(series)
        history = self.series_last.get(key, [])
        if history:
            chosen = history[-r.randint(1, min(4, len(history))):]
            if len(chosen) == 1:
                pre.append(_Para("Recalling", f"its resolution {cite(chosen[0])},"))
            else:
                listed = [cite(p) for p in chosen]
                pre.append(_Para("Recalling", f"its resolutions {', '.join(listed[:-1])} and {listed[-1]},"))
        if series.conference and series.conference.start < adopted:
            gen.conferences.append(series.conference.name)
            pre.append(_Para("Recalling", f"the outcome of {series.conference.phrase()},"))
        other = None
        if r.random() < 0.5 and self.made:
            # a resolution of another series, mostly a recent one
            pool = self.made[-2000:]
            for _ in range(4):
                pick = pool[r.randrange(len(pool))]
                if pick.series is not series:
                    other = pick
                    break
        if other is not None:
            pre.append(_Para(r.choice(["Reaffirming", "Recalling also", "Bearing in mind"]),
                             f"its resolution {cite(other)} on {other.gen.title[0].lower() + other.gen.title[1:]},"))
        if self.landmarks and r.random() < 0.6:
            lm = r.choice(self.landmarks)
            gen.footnote_cites.append(lm.gen.symbol)
            pre.append(_Para(r.choice(["Reaffirming", "Guided by", "Bearing in mind"]),
                             f"the Declaration on {lm.gen.title[0].lower() + lm.gen.title[1:]},"
                             f"{fn(f'Resolution {lm.gen.symbol[6:]}.')}"))
        for _ in range(r.randint(2, 9)):
            pre.append(_Para(r.choice(_PRE_VERBS), f"{self.words(12, 55)},"))
        report = None
        if r.random() < 0.7:
            report = f"A/{session}/{r.randint(100, 399)}"
            gen.reports.append(report)
            pre.insert(min(len(pre), r.randint(1, 4)), _Para(
                "Having considered", f"the report of the Secretary-General on {series.title[0].lower() + series.title[1:]},"
                f"{fn(f'{report}.')}"))
        if r.random() < 0.2:
            # the annual report of a body, cited through the Official Records
            sup = f"A/{session}/{r.randint(10, 49)}"
            gen.reports.append(sup)
            pre.append(_Para("Taking note of", f"the report of the Committee on its {ordinal_words(r.randint(20, 60))} "
                             f"session,{fn(f'Official Records of the General Assembly, {ordinal_words(session).capitalize()} Session, Supplement No. {r.randint(10, 49)} ({sup}).')}"))
        ops: list[_Para] = []
        if report:
            ops.append(_Para("Takes note", "of the report of the Secretary-General;"))
        for _ in range(r.randint(3, 16)):
            p = _Para(r.choice(_OP_VERBS), f"{self.words(10, 60)};")
            if r.random() < 0.18:
                p.text = f"{self.words(8, 20)}, inter alia:"
                labels = "abcdefghijklmnop"[:r.randint(2, 6)]
                for i, lab in enumerate(labels):
                    nested: list[tuple[str, str]] = []
                    if r.random() < 0.15:
                        nested = [(_ROMAN[k], f"{self.words(6, 18)};") for k in range(r.randint(2, 4))]
                        p.subs.append((lab, f"{self.words(6, 14)}:", nested))
                    else:
                        p.subs.append((lab, f"{self.words(6, 25)};", []))
            ops.append(p)
        nxt = session + (2 if series.biennial else 1)
        if nxt <= 99 and r.random() < 0.6:
            ops.append(_Para("Requests", f"the Secretary-General to submit to the General Assembly at its "
                             f"{ordinal_words(nxt)} session a report on the implementation of the present resolution;"))
            gen.mandates.append(nxt)
        if nxt <= 99 and r.random() < 0.7:
            ops.append(_Para("Decides", f"to include in the provisional agenda of its {ordinal_words(nxt)} session "
                             f"the item entitled “{series.title}”;"))
            gen.agenda_inclusions.append(nxt)
        self._close(ops)
        if series.committee:
            route = f"[on the report of the {series.committee} Committee (A/{session}/{r.randint(400, 700)})]"
        else:
            route = f"[without reference to a Main Committee (A/{session}/L.{r.randint(1, 90)})]"
        gen.preambular, gen.operative = len(pre), len(ops)
        distributed = adopted + timedelta(days=r.randint(3, 20))
        job = f"{adopted.year % 100:02d}-{r.randint(10000, 99999)}"
        return _Res(gen, series, adopted, distributed, meeting, route, pre, ops, footnotes, job)

    @staticmethod
    def _close(ops: list[_Para]) -> None:
        last = ops[-1]
        if last.subs:
            lab, text, nested = last.subs[-1]
            if nested:
                nested[-1] = (nested[-1][0], nested[-1][1][:-1] + ".")
            else:
                last.subs[-1] = (lab, text[:-1] + ".", nested)
        else:
            last.text = last.text[:-1] + "."

    def sc_resolution(self, year: int, adopted: date) -> _Res:
        r = self.rnd
        self.sc_number += 1
        n = self.sc_number
        gen = Generated(f"S/RES/{n}({year})", f"S-RES-{n}-{year}.txt", "sc", None,
                        f"Security Council resolution {n}", adopted.isoformat(), None)
        ops = []
        for _ in range(r.randint(2, 6)):
            ops.append(_Para(r.choice(["Calls upon", "Urges", "Demands", "Requests", "Decides"]),
                             f"{self.words(10, 40)};"))
        self._close(ops)
        yes = r.randint(9, 15)
        no = r.randint(0, 15 - yes)
        gen.vote = [yes, no, 15 - yes - no]
        gen.operative = len(ops)
        return _Res(gen, None, adopted, adopted, r.randint(1500, 9000), "", [], ops, [], "")

    def plan(self) -> list[_Res]:
        r = self.rnd
        per = -(-self.count // len(self.sessions))
        pool = self.make_series(max(4, int(per * 1.25)))
        out: list[_Res] = []
        layouts = ["raw", "reflowed", "md", "sc"]
        for session in self.sessions:
            if len(out) >= self.count:
                break
            year = 1945 + session
            take = min(per, self.count - len(out))
            chosen = sorted(r.sample(range(len(pool)), min(take, len(pool))))
            meeting = r.randint(30, 50)
            for k, idx in enumerate(chosen):
                adopted = date(year, 10, 1) + timedelta(days=(k * 80) // max(1, len(chosen)))
                if k and out[-1].adopted != adopted:
                    meeting += 1
                layout = r.choices(layouts, weights=self.layouts)[0]
                if layout == "sc":
                    res = self.sc_resolution(year, adopted)
                else:
                    res = self.resolution(session, k + 1, pool[idx], adopted, meeting, layout)
                    self.series_last.setdefault(id(pool[idx]), []).append(res)
                    self.made.append(res)
                    if k < 2 and len(self.landmarks) < 40:
                        self.landmarks.append(res)
                self.by_symbol[res.gen.symbol] = res
                out.append(res)
        return out


# ---- rendering -----------------------------------------------------------------------------------

def _markers(text: str, style: str) -> str:
    """Replace footnote placeholders: raw '…,1 ', reflowed '…, 1', md '…,[^1]'."""
    parts = text.split("\x00")
    out = [parts[0]]
    for i in range(1, len(parts), 2):
        n = parts[i]
        out.append({"raw": n, "reflowed": n, "md": f"[^{n}]"}[style])
        out.append(parts[i + 1])
    return "".join(out)


def _fn_numbers(text: str) -> list[int]:
    parts = text.split("\x00")
    return [int(parts[i]) for i in range(1, len(parts), 2)]


def _para_units(res: _Res) -> list[tuple[str, str, list[int]]]:
    """(kind, text, footnotes) per printed paragraph; kind 'pre', 'op', 'sub'."""
    units: list[tuple[str, str, list[int]]] = []
    for p in res.pre:
        units.append(("pre", f"{p.verb} {p.text}", _fn_numbers(p.text)))
    for i, p in enumerate(res.op, 1):
        units.append(("op", f"{i}.\x01{p.verb} {p.text}", _fn_numbers(p.text)))
        for lab, text, nested in p.subs:
            units.append(("sub", f"({lab}) {text}", []))
            for nl, nt in nested:
                units.append(("sub", f"({nl}) {nt}", []))
    return units


def _session_words(session: str | None) -> str:
    return f"{ordinal_words(int(session)).capitalize()} session" if session else ""


def render_raw(res: _Res, rnd: random.Random) -> str:
    g = res.gen
    lines: list[str] = ["United Nations ", g.symbol, " ", " ", "General Assembly ", "Distr.: General ",
                        f"{_day(res.distributed)} ", " ",
                        f"{res.job} (E)    {res.distributed:%d%m%y} ", f"*{res.job.replace('-', '')}* ",
                        " ", " ", f"{_session_words(g.session)} ", f"Agenda item {g.agenda_item} ",
                        " ", " ", " ", " ", " Resolution adopted by the General Assembly ",
                        f"on {_day(res.adopted)} ", " ", " ", " ", " ", f"{res.route} ", " ", " ", " ",
                        f"{g.symbol[6:]}. {g.title} ", " ", " ", " ", "The General Assembly,  ", " "]
    body: list[tuple[str, list[int]]] = []  # (line, footnotes referenced on it)
    for kind, text, fns in _para_units(res):
        text = _markers(text, "raw")
        if kind == "op":
            num, rest = text.split("\x01")
            body.append((f"{num} ", []))
            wrapped = textwrap.wrap(rest, 84) or [""]
            first_indent = ""
        else:
            wrapped = textwrap.wrap(text, 84) or [""]
            first_indent = ""
        for j, w in enumerate(wrapped):
            body.append(((first_indent if j == 0 else "") + w + " ", []))
        if fns:
            body[-1] = (body[-1][0], fns)
        body.append((" ", []))
    body.append((f"{_nth(res.meeting)} plenary meeting  ", []))
    body.append((f"{_day(res.adopted)} ", []))
    # paginate: ~44 lines a page, footnotes of a page at its foot
    pages: list[list[str]] = []
    page: list[str] = []
    pending: list[int] = []
    def flush() -> None:
        if pending:
            page.append("__________________ ")
            page.append(" ")
            for n in pending:
                wrapped = textwrap.wrap(res.footnotes[n - 1], 84)
                page.append(f"{n}  {wrapped[0]} ")
                page.extend(f"{w} " for w in wrapped[1:])
                page.append(" ")
            pending.clear()
        pages.append(page.copy())
        page.clear()

    budget = 32  # the first page carries the header
    for line, fns in body:
        page.append(line)
        pending.extend(fns)
        if len(page) >= budget and line.strip() and "plenary meeting" not in line:
            flush()
            budget = 46
    flush()
    total = len(pages)
    out = lines + pages[0]
    for i, pg in enumerate(pages[1:], 2):
        head = [f"{g.symbol} ", f"{g.title}", " ", f"{res.job} ", f"{i}/{total} ", " ", " "]
        if i % 2:
            head = [f"{g.symbol} ", " ", f"{res.job} ", f"{i}/{total} ", " ", " "]
        out.extend([""] + head + pg)
    return "\n".join(out) + "\n"


def _front_matter(res: _Res, rnd: random.Random) -> list[str]:
    g = res.gen
    return ["---", f"symbol: {g.symbol}", f'record_id: "{rnd.randint(1000000, 4999999)}"',
            f'title: "{g.title} :"', f'date: "{res.distributed.isoformat()}"', "language: EN",
            f"source_pdf: https://digitallibrary.un.org/record/0/files/{g.symbol.replace('/', '_')}-EN.pdf",
            'extract_version: "1.1.0"', f'extracted_at: "2026-02-28T15:56:28Z"', "---", ""]


def render_flowed(res: _Res, rnd: random.Random, md: bool) -> str:
    g = res.gen
    out = _front_matter(res, rnd) + [
        "United Nations", "", f"General Assembly Distr.: General {_day(res.distributed)}", "",
        f"{_session_words(g.session)} Agenda item {g.agenda_item} {g.title}", "",
        f"Resolution adopted by the General Assembly on {_day(res.adopted)}", "", res.route, "",
        f"{g.symbol[6:]}. {g.title}", "", "The General Assembly,", ""]
    pending: list[int] = []
    style = "md" if md else "reflowed"
    for i, (kind, text, fns) in enumerate(_para_units(res)):
        text = _markers(text, style).replace("\x01", " ")
        out += [text, ""]
        pending.extend(fns)
        if not md and pending and i % 7 == 6:
            for n in pending:
                out += [f"{n} {res.footnotes[n - 1]}", ""]
            out += [g.title, ""]
            pending.clear()
    out += [f"{_nth(res.meeting)} plenary meeting" + ("" if md else f" {_day(res.adopted)}"), ""]
    if md and res.footnotes:
        out += ["---", ""]
        out += [f"[^{n}]: {t}" for n, t in enumerate(res.footnotes, 1)]
        out.append("")
    elif pending:
        for n in pending:
            out += [f"{n} {res.footnotes[n - 1]}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_sc(res: _Res) -> str:
    g = res.gen
    yes, no, abst = g.vote or [15, 0, 0]
    year = res.adopted.year
    num = g.symbol.split("/")[2].split("(")[0]
    out = [f"United Nations Security Council Resolution {num} ({year})", f"of {_day(res.adopted)}", "",
           "The Security Council,", ""]
    for i, p in enumerate(res.op, 1):
        out += [f"  {i}. {p.verb} {p.text}"]
    vote = f"by {yes} votes to {no}" if no else f"by {yes} votes to none"
    if abst:
        vote += f", with {abst} abstention{'s' if abst > 1 else ''}"
    out += ["", f"Adopted at the {_nth(res.meeting)} meeting {vote}.", ""]
    return "\n".join(out)


def generate_corpus(outdir: str | Path, count: int, seed: int = 1,
                    layouts: tuple[float, float, float, float] = (0.6, 0.17, 0.2, 0.03)) -> list[Generated]:
    """Write `count` resolution texts into `outdir`; returns what each one states.

    `layouts` weighs raw, reflowed, Markdown and Security Council texts.
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    gen = _Gen(count, seed, layouts)
    plan = gen.plan()
    render_rnd = random.Random(seed * 7919 + 1)
    manifest: list[Generated] = []
    for res in plan:
        if res.gen.layout == "raw":
            text = render_raw(res, render_rnd)
        elif res.gen.layout == "sc":
            text = render_sc(res)
        else:
            text = render_flowed(res, render_rnd, res.gen.layout == "md")
        (out / res.gen.file).write_text(text, encoding="utf-8")
        manifest.append(res.gen)
    (out / ".manifest.json").write_text(
        json.dumps({"count": count, "seed": seed, "resolutions": [asdict(m) for m in manifest]},
                   indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    made = generate_corpus(args.outdir, args.count, args.seed)
    print(f"{len(made)} resolution texts in {args.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
