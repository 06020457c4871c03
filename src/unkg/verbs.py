"""Preambular and operative clause verbs, their modifiers, and stable keys (heads) for them."""

from __future__ import annotations

import re

__all__ = [
    "PREAMBULAR_PHRASES",
    "OPERATIVE_PHRASES",
    "MODIFIERS",
    "ALL_VERB_HEADS",
    "VerbMatch",
    "match_verb",
    "verb_head",
    "slug",
]

# Base phrases. A trailing "[of]" marks an optional preposition that belongs to the phrase
# ("Taking note of", "Takes note with appreciation of").
PREAMBULAR_PHRASES: list[str] = [
    "acknowledging", "acting", "adhering", "affirming", "agreeing", "alarmed", "anxious",
    "appealing", "appreciating", "asserting", "attaching", "aware [of]", "bearing in mind",
    "being", "believing", "cognizant [of]", "commemorating", "commending", "concerned",
    "concluding", "concurring", "condemning", "confident", "confirming", "conscious [of]",
    "considering", "continuing", "convinced", "deeming", "deploring", "desiring",
    "desirous", "determined", "determining", "disturbed", "distressed", "emphasizing",
    "encouraged", "encouraging", "endorsing", "expressing", "expressing its appreciation",
    "expressing concern", "expressing its concern", "expressing its deep concern",
    "expressing its gratitude", "expressing its support", "faithful", "fearing",
    "fully aware", "gratified", "grieved", "guided", "having adopted", "having considered",
    "having examined", "having heard", "having received", "having reviewed", "having studied",
    "having regard", "having", "holding", "hopeful", "in this regard", "indignant",
    "inspired", "invoking", "keeping in mind", "looking forward", "mindful [of]",
    "noting", "observing", "outraged", "paying tribute", "persuaded", "perturbed",
    "pursuant", "realizing", "reaffirming", "recalling", "recognizing", "recollecting",
    "referring", "regretting", "reiterating", "rejecting", "reminding", "renewing",
    "acknowledging", "resolved", "respecting", "restating", "reviewing", "seeking",
    "sharing", "shocked", "stressing", "striving", "supporting", "taking into account",
    "taking into consideration", "taking note [of]", "trusting", "underlining",
    "underscoring", "upholding", "urging", "viewing", "warning", "welcoming", "wishing",
    "highlighting", "deeply concerned", "gravely concerned", "seriously concerned",
    "deeply alarmed", "gravely alarmed", "deeply disturbed", "determined", "committed",
    "convinced", "appreciative", "grateful", "saddened", "dismayed", "troubled",
    "conscious", "preventing", "promoting", "pointing out", "considering also",
    "willing", "honouring", "honoring", "re-emphasizing", "recommitting", "disappointed",
    "understanding", "seized [of]", "calling upon", "calling for", "calling", "recognising",
    "emphasising", "realising", "appreciative", "building on", "building upon", "drawing attention",
    "endeavouring", "mourning", "saluting", "celebrating", "remembering", "acknowledging also",
    "regretting", "lamenting", "condemning", "demanding", "requesting", "inviting", "deciding",
    "reconfirming", "reasserting", "renewing", "reflecting", "anticipating", "looking ahead",
    "heartened", "pleased", "satisfied", "bearing in mind", "having regard to", "proclaiming",
]

OPERATIVE_PHRASES: list[str] = [
    "accepts", "acknowledges", "adopts", "addresses", "affirms", "agrees", "appeals",
    "applauds", "appoints", "appreciates", "approves", "asks", "asserts", "assures",
    "authorizes", "awaits", "believes", "calls upon", "calls on", "calls for", "calls",
    "censures", "commends", "commissions", "compliments", "concurs", "condemns",
    "confirms", "congratulates", "considers", "continues", "conveys", "declares", "deems",
    "defers", "demands", "denounces", "deplores", "deprecates", "designates", "desires",
    "determines", "directs", "dissolves", "draws the attention", "draws attention", "draws",
    "emphasizes", "empowers", "encourages", "endorses", "entrusts", "envisages",
    "establishes", "exhorts", "expects", "expresses its appreciation",
    "expresses its gratitude", "expresses its deep concern", "expresses its concern",
    "expresses concern", "expresses appreciation", "expresses its support",
    "expresses its hope", "expresses the hope", "expresses its regret", "expresses",
    "extends", "formulates", "highlights", "insists", "instructs", "invites", "looks forward",
    "maintains", "makes", "mandates", "notes", "offers", "pays tribute", "pays", "pledges",
    "proclaims", "proposes", "reaffirms", "realizes", "reasserts", "reassures", "recalls",
    "recognizes", "recommends", "re-emphasizes", "refers", "regards", "registers",
    "regrets", "reiterates", "rejects", "remains", "reminds", "renews", "requests",
    "resolves", "seizes", "sets", "shares", "stresses", "suggests", "supports",
    "takes note [of]", "takes into account", "takes", "transmits", "trusts",
    "underlines", "underscores", "urges", "warns", "welcomes", "amends", "elects",
    "acknowledge", "emphasises", "recognises", "authorises", "calls again upon",
    "encourages", "decides", "invites", "demands", "condemns", "strongly condemns",
    "encourages", "acknowledges", "reminds", "welcomes", "approves", "takes",
    "respects", "understands", "anticipates", "honours", "honors", "recommits", "commits",
    "reconfirms", "recalls also", "salutes", "mourns", "celebrates", "invites also",
    "emphasises", "recognises", "organises", "authorises", "requests also", "launches",
    "convenes", "opens", "closes", "concludes", "chooses", "selects", "nominates",
    "stands ready", "remains seized", "is convinced", "is aware", "is concerned",
]

# Modifiers that never change what a clause does; removed for the head.
MODIFIERS: list[str] = [
    "once again", "once more", "with appreciation", "with deep appreciation",
    "with great appreciation", "with satisfaction", "with deep satisfaction",
    "with concern", "with deep concern", "with great concern", "with grave concern",
    "with serious concern", "with alarm", "with deep regret", "with regret",
    "with interest", "with great interest", "with gratitude", "with approval",
    "with thanks", "in particular", "inter alia", "in this regard", "in this connection",
    "in that regard", "also", "further", "furthermore", "again", "moreover", "therefore",
    "strongly", "firmly", "deeply", "gravely", "seriously", "fully", "duly", "hereby",
    "urgently", "warmly", "sincerely", "profoundly", "most", "resolutely", "emphatically",
    "unequivocally", "equally", "similarly", "likewise", "nevertheless", "however",
    "additionally", "finally", "particularly", "especially", "greatly", "highly",
]

_OPTIONAL_TAIL = "[of]"


def slug(word: str) -> str:
    """Lowercase ASCII-ish key of a word or phrase ('Bearing in mind' -> 'bearing-in-mind')."""
    s = re.sub(r"[^a-z0-9]+", "-", word.lower().replace("‑", "-")).strip("-")
    return s or "unknown"


def _phrase_words(p: str) -> tuple[tuple[str, ...], bool]:
    tail = p.endswith(_OPTIONAL_TAIL)
    base = p.replace(_OPTIONAL_TAIL, "").strip()
    return tuple(base.split()), tail


def _build() -> tuple[dict[tuple[str, ...], tuple[str, bool, str]], dict[str, str]]:
    table: dict[tuple[str, ...], tuple[str, bool, str]] = {}
    heads: dict[str, str] = {}
    for kind, phrases in (("preambular", PREAMBULAR_PHRASES), ("operative", OPERATIVE_PHRASES)):
        for p in phrases:
            words, tail = _phrase_words(p)
            # strip modifiers that were written into a base phrase ("deeply concerned")
            core = [w for w in words if w not in _SINGLE_MODS] or list(words)
            label = " ".join(core) + (" of" if tail else "")
            key = slug(label)
            table.setdefault(words, (key, tail, kind))
            heads.setdefault(key, label)
            # the first word alone is the fallback head of an unknown continuation
            heads.setdefault(slug(words[0]), words[0])
    return table, heads


_SINGLE_MODS = {m for m in MODIFIERS if " " not in m}
_MULTI_MODS = sorted((tuple(m.split()) for m in MODIFIERS if " " in m), key=len, reverse=True)
_TABLE, ALL_VERB_HEADS = _build()
_MAX_LEN = max(len(k) for k in _TABLE)


class VerbMatch:
    """A clause verb found at the start of a paragraph."""

    __slots__ = ("phrase", "head", "kind", "known", "length")

    def __init__(self, phrase: str, head: str, kind: str | None, known: bool, length: int):
        self.phrase = phrase  # as printed, modifiers included ("Once again urges")
        self.head = head  # stable key ("urges")
        self.kind = kind  # "preambular" | "operative" | None
        self.known = known
        self.length = length  # number of characters of text covered by the phrase

    def __repr__(self) -> str:
        return f"VerbMatch({self.phrase!r}, {self.head!r}, {self.kind!r})"


_WORD_RE = re.compile(r"[A-Za-z][A-Za-z\-‑’']*")
# up to 12 words, each after spaces only: where the word-by-word scan below stops (a word ends at
# its first non-word character; if that is not a space, or no word follows the spaces, the phrase
# ends), so one match finds the span the tokens come from
_PHRASE_RE = re.compile(r"(?: *[A-Za-z][A-Za-z\-‑’']*){1,12}")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Words with their spans, stopping at the first punctuation other than a hyphen."""
    # runs for every paragraph, several times: one regex match and a split instead of a loop of
    # matches (the span holds only words and spaces, so splitting at spaces gives the words)
    m = _PHRASE_RE.match(text)
    if m is None:
        return []
    out: list[tuple[str, int, int]] = []
    pos = 0
    for piece in m.group(0).split(" "):
        if piece:
            end = pos + len(piece)
            out.append((piece.lower().replace("‑", "-"), pos, end))
            pos = end + 1
        else:
            pos += 1
    return out


# the multi-word modifiers by first word, longest first as in _MULTI_MODS: a modifier can only
# match where its first word is, so trying these alone finds the same one
_MULTI_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _mm in _MULTI_MODS:
    _MULTI_BY_FIRST.setdefault(_mm[0], []).append(_mm)


def _skip_mods(words: list[str], i: int) -> int:
    while i < len(words):
        for mm in _MULTI_BY_FIRST.get(words[i], ()):
            if tuple(words[i:i + len(mm)]) == mm:
                i += len(mm)
                break
        else:
            if words[i] in _SINGLE_MODS:
                i += 1
                continue
            return i
    return i


def match_verb(text: str, kind: str | None = None) -> VerbMatch | None:
    """Find the clause verb at the start of text; kind limits to "preambular"/"operative"."""
    if not isinstance(text, str):
        raise ValueError("text must be a string")
    toks = _tokens(text.lstrip())
    offset = len(text) - len(text.lstrip())
    if not toks or not toks[0][0][:1].isalpha():
        return None
    words = [t[0] for t in toks]
    i = _skip_mods(words, 0)
    best: tuple[int, tuple[str, bool, str]] | None = None
    for L in range(min(_MAX_LEN, len(words) - i), 0, -1):
        entry = _TABLE.get(tuple(words[i:i + L]))
        if entry and (kind is None or entry[2] == kind):
            best = (L, entry)
            break
    if best is None:
        return None
    L, (head, tail, k) = best
    j = _skip_mods(words, i + L)
    if tail and j < len(words) and words[j] == "of":
        j += 1
    elif j > i + L and not tail:
        # trailing modifiers only belong to the phrase when followed by nothing odd
        pass
    end = toks[j - 1][2]
    phrase = text.lstrip()[:end]
    return VerbMatch(phrase, head, k, True, offset + end)


def guess_verb(text: str, kind: str) -> VerbMatch | None:
    """An unknown clause verb: a capitalised first word that looks like a verb form."""
    toks = _tokens(text.lstrip())
    if not toks:
        return None
    w, _, e = toks[0]
    orig = text.lstrip()[:e]
    if not orig[:1].isupper():
        return None
    if kind == "operative" and not (w.endswith("s") and len(w) > 3 and w not in _NOT_VERBS):
        return None
    if kind == "preambular" and not (w.endswith(("ing", "ed")) and w not in _NOT_VERBS):
        return None
    return VerbMatch(orig, slug(w), kind, False, len(text) - len(text.lstrip()) + e)


_NOT_VERBS = {
    "this", "its", "thus", "was", "has", "is", "as", "unless", "various", "united",
    "nations", "states", "members", "parties", "countries", "less", "perhaps", "whereas",
    "always", "towards", "besides", "afterwards", "regardless", "during", "following",
    "according", "including", "notwithstanding", "concerning", "regarding", "pending",
}


def verb_head(verb: str) -> str:
    """Stable lowercase key of a verb phrase without modifiers: 'Once again urges' -> 'urges'."""
    if not isinstance(verb, str):
        raise ValueError("verb must be a string")
    m = match_verb(verb)
    if m is not None:
        return m.head
    words = [t[0] for t in _tokens(verb)]
    i = _skip_mods(words, 0)
    if i < len(words):
        return slug(words[i])
    if words:
        return slug(words[0])
    return slug(verb)
