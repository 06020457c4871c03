"""Read a resolution from a file or bytes (txt, md, json wrapper, pdf) into normalised text."""

from __future__ import annotations

import io
import json
import pathlib
import re
from dataclasses import dataclass, field

from .errors import InputError, ParseError

__all__ = ["SourceText", "read_source", "normalise_text", "split_front_matter", "FORMATS"]

FORMATS = ("txt", "md", "json", "pdf")
_EXT = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".json": "json", ".pdf": "pdf"}


@dataclass
class SourceText:
    """Normalised text of one resolution plus where it came from."""

    text: str
    source: str
    front_matter: dict[str, str] = field(default_factory=dict)
    input_format: str = "txt"


_ODD_SPACES = "\u00a0\u2007\u202f\u2009\u200a\t"
_ODD_SPACES_RE = re.compile(f"[{_ODD_SPACES}]")


def normalise_text(text: str) -> str:
    """Unify line ends and odd characters; strip trailing spaces. Line count is preserved."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "")
    # non-breaking and odd spaces; U+2011 non-breaking hyphen; soft hyphen
    if any(c in text for c in _ODD_SPACES):  # a scan per character, where most texts have none
        text = _ODD_SPACES_RE.sub(" ", text)
    text = text.replace("\u2011", "-").replace("\u00ad", "").replace("\u200b", "")
    text = text.replace("\f", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def split_front_matter(text: str) -> tuple[str, dict[str, str]]:
    """Strip a leading YAML block; blank lines keep later line numbers unchanged."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or lines[i].strip() != "---":
        return text, {}
    for j in range(i + 1, min(len(lines), i + 60)):
        if lines[j].strip() == "---":
            meta: dict[str, str] = {}
            for ln in lines[i + 1:j]:
                m = re.match(r"^([A-Za-z_][\w\-]*)\s*:\s*(.*)$", ln)
                if m:
                    v = m.group(2).strip()
                    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
                        v = v[1:-1]
                    meta[m.group(1)] = v
            if not meta:
                return text, {}
            return "\n" * j + "\n" + "\n".join(lines[j + 1:]), meta
    return text, {}


#: Largest resolution text unkg reads (bytes of text). The longest resolutions (budgets, the 2030
#: Agenda) are a few hundred kilobytes; a file 50 times that is not one resolution, and parsing it
#: would take minutes (the parser is linear, about 2 s per MB).
MAX_TEXT_BYTES = 8 * 1024 * 1024


def _too_large(size: int, source: str) -> InputError:
    return InputError(f"too large for a resolution text ({size / 2**20:.1f} MB; the limit is "
                      f"{MAX_TEXT_BYTES // 2**20} MB): not a resolution", path=source)


def _looks_utf16_without_bom(data: bytes) -> bool:
    """Mostly-ASCII UTF-16 text: NUL in every other byte of the first kilobyte."""
    head = data[:1024]
    if len(head) < 8:
        return False
    odd, even = head[1::2], head[0::2]

    def mostly_nul(b: bytes) -> bool:
        return b.count(0) > 0.9 * len(b)

    def few_nul(b: bytes) -> bool:
        return b.count(0) < 0.1 * len(b)

    return (mostly_nul(odd) and few_nul(even)) or (mostly_nul(even) and few_nul(odd))


def _decode(data: bytes, source: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        enc = "utf-8"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    else:
        enc = "utf-8"
        if _looks_utf16_without_bom(data):
            raise InputError("UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with "
                             "a BOM)", path=source, line=1)
        if b"\x00" in data:
            line = data[:data.index(b"\x00")].count(b"\n") + 1
            raise InputError("binary data (NUL bytes), not a text", path=source, line=line)
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        hint = "; convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8)" if enc == "utf-8" else ""
        raise InputError(f"not valid {enc.upper()} text ({exc.reason} at byte {exc.start}){hint}",
                         path=source, line=line) from exc
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise InputError("binary data (NUL bytes), not a text", path=source, line=line)
    return text


def _pdf_text(data: bytes, source: str) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        pages = [(p.extract_text() or "") for p in reader.pages]
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise InputError(f"cannot read PDF: {exc}", path=source) from exc
    return "\n".join(pages)


def _guess(data: bytes) -> str:
    head = data.lstrip()[:8]
    if data.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{"):
        return "json"
    if head.startswith(b"---"):
        return "md"
    return "txt"


def read_source(
    path: str | pathlib.Path | None,
    data: bytes | None = None,
    input_format: str | None = None,
) -> SourceText:
    """Read a file (or bytes, for stdin) and return its normalised resolution text."""
    stdin = path is None or str(path) == "-"
    source = "<stdin>" if stdin else str(path)
    if data is None:
        if stdin:
            raise InputError("no data given for standard input", path=source)
        try:
            data = pathlib.Path(str(path)).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}", path=source) from exc
    fmt = (input_format or "").lower().lstrip(".") or None
    if fmt == "markdown":
        fmt = "md"
    if fmt is None and not stdin:
        fmt = _EXT.get(pathlib.Path(str(path)).suffix.lower())
    if fmt is None:
        fmt = _guess(data)
        if fmt == "txt" and data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
            fmt = _guess(_decode(data, source).encode("utf-8"))  # a BOM hides the first character
    if fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r} (expected one of {', '.join(FORMATS)})", path=source)
    if not data.strip():
        raise ParseError("empty input", path=source, line=1)
    if fmt == "pdf":
        if not data.startswith(b"%PDF"):
            raise InputError("not a PDF file", path=source)
        text = _pdf_text(data, source)
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            raise _too_large(len(text.encode("utf-8")), source)
    else:
        if len(data) > MAX_TEXT_BYTES * (2 if fmt == "json" else 1):
            raise _too_large(len(data), source)
        text = _decode(data, source)
        if fmt == "json":
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON: {exc.msg}", path=source, line=exc.lineno) from exc
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise InputError("JSON input must be an object with a string 'text' field", path=source)
            text = obj["text"]
    text = normalise_text(text)
    text, meta = split_front_matter(text)
    if not text.strip():
        raise ParseError("empty input (no text)", path=source, line=1)
    return SourceText(text=text, source=source, front_matter=meta, input_format=fmt)
