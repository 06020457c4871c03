"""The Record: what the parser extracts from one resolution. Its JSON form is a public contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Meeting:
    number: int | None = None
    date: str | None = None  # ISO date
    kind: str = "plenary"  # "plenary" (GA) or "meeting" (Security Council)


@dataclass
class SubParagraph:
    label: str  # "a", "b", ... or "i", "ii" for nested items
    text: str
    subparagraphs: list[SubParagraph] = field(default_factory=list)


@dataclass
class Paragraph:
    number: int
    verb: str | None
    text: str  # full text of the paragraph, verb included, footnote markers removed
    subparagraphs: list[SubParagraph] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)  # markers referenced in this paragraph
    line: int | None = None  # 1-based line of the source where the paragraph starts


@dataclass
class Citation:
    symbol: str  # full symbol, e.g. "A/RES/53/70", "S/RES/1325(2000)"
    date: str | None = None  # ISO date when the text gives "of 4 December 1998"
    # where the citation was found: "preambular:3", "operative:4", "footnote:2", "annex"
    where: list[str] = field(default_factory=list)


@dataclass
class Conference:
    name: str
    place: str | None
    start: str | None
    end: str | None


@dataclass
class Footnote:
    marker: str
    text: str


@dataclass
class Mandate:
    paragraph: int
    addressee: str
    due_session: str | None


@dataclass
class AgendaInclusion:
    paragraph: int
    session: str
    title: str | None


@dataclass
class Vote:
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    non_voting: int | None = None
    without_vote: bool = False
    unanimous: bool = False


@dataclass
class Warning_:
    """Text the parser could not place (reported, never silently dropped)."""

    line: int
    message: str
    text: str = ""


@dataclass
class Record:
    symbol: str | None = None
    body: str | None = None  # "General Assembly" | "Security Council"
    session: str | None = None  # "61", "ES-10", "S-28", "XI"; None for the Security Council
    agenda_items: list[str] = field(default_factory=list)  # "85", "71 (c)"
    title: str | None = None
    adopted: str | None = None
    distributed: str | None = None
    committee: str | None = None
    reports: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    meeting: Meeting | None = None
    preambular: list[Paragraph] = field(default_factory=list)
    operative: list[Paragraph] = field(default_factory=list)
    cites: list[Citation] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    conferences: list[Conference] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    mandates: list[Mandate] = field(default_factory=list)
    agenda_inclusions: list[AgendaInclusion] = field(default_factory=list)
    vote: Vote | None = None
    annexes: list[str] = field(default_factory=list)  # annex texts, kept apart from the operative part
    warnings: list[Warning_] = field(default_factory=list)
    source: str | None = None  # the path or name the text was read from

    def to_json(self) -> dict[str, Any]:
        """The JSON contract (see README, "The JSON record")."""
        data = asdict(self)
        data["warnings"] = [asdict(w) for w in self.warnings]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        def subs(items: list[dict[str, Any]]) -> list[SubParagraph]:
            return [
                SubParagraph(s["label"], s["text"], subs(s.get("subparagraphs", [])))
                for s in items
            ]

        def paras(items: list[dict[str, Any]]) -> list[Paragraph]:
            return [
                Paragraph(
                    p["number"],
                    p.get("verb"),
                    p["text"],
                    subs(p.get("subparagraphs", [])),
                    list(p.get("footnotes", [])),
                    p.get("line"),
                )
                for p in items
            ]

        meeting = data.get("meeting")
        vote = data.get("vote")
        return cls(
            symbol=data.get("symbol"),
            body=data.get("body"),
            session=data.get("session"),
            agenda_items=list(data.get("agenda_items", [])),
            title=data.get("title"),
            adopted=data.get("adopted"),
            distributed=data.get("distributed"),
            committee=data.get("committee"),
            reports=list(data.get("reports", [])),
            drafts=list(data.get("drafts", [])),
            meeting=Meeting(**meeting) if meeting else None,
            preambular=paras(data.get("preambular", [])),
            operative=paras(data.get("operative", [])),
            cites=[Citation(**c) for c in data.get("cites", [])],
            documents=list(data.get("documents", [])),
            conferences=[Conference(**c) for c in data.get("conferences", [])],
            footnotes=[Footnote(**f) for f in data.get("footnotes", [])],
            mandates=[Mandate(**m) for m in data.get("mandates", [])],
            agenda_inclusions=[AgendaInclusion(**a) for a in data.get("agenda_inclusions", [])],
            vote=Vote(**vote) if vote else None,
            annexes=list(data.get("annexes", [])),
            warnings=[Warning_(**w) for w in data.get("warnings", [])],
            source=data.get("source"),
        )
