"""Reading sources: txt, md, json wrapper, pdf, stdin guessing, encodings and bad input."""

from __future__ import annotations

import io
import json
import pathlib

import pytest

from unkg.errors import InputError, ParseError
from unkg.parser import parse_file
from unkg.readers import read_source

CORPUS = pathlib.Path(__file__).parent / "data" / "corpus"
SEED = CORPUS / "texts" / "A-RES-61-54.txt"


def test_txt_by_extension() -> None:
    src = read_source(SEED)
    assert src.input_format == "txt" and src.source == str(SEED)
    assert "The General Assembly," in src.text and src.front_matter == {}


def test_markdown_front_matter_stripped_line_numbers_kept() -> None:
    path = next(iter(sorted((CORPUS / "texts").glob("*.md"))))
    src = read_source(path)
    assert src.input_format == "md"
    assert "symbol" in src.front_matter and "record_id" in src.front_matter
    assert not src.text.lstrip().startswith("---")
    raw = path.read_text(encoding="utf-8").split("\n")
    lines = src.text.split("\n")
    assert len(lines) == len(raw)  # the YAML block became blank lines
    i = next(k for k, ln in enumerate(raw) if ln.startswith("United Nations"))
    assert lines[i].startswith("United Nations")


def test_json_wrapper_uses_text_field() -> None:
    path = CORPUS / "wrappers" / "A-RES-72-12.json"
    src = read_source(path)
    assert src.input_format == "json"
    assert src.text.startswith("United Nations")
    rec = parse_file(path)
    assert rec.symbol == "A/RES/72/12" and rec.source == str(path)


def test_stdin_guessing() -> None:
    wrapper = (CORPUS / "wrappers" / "A-RES-72-12.json").read_bytes()
    assert read_source(None, data=wrapper).input_format == "json"
    assert read_source("-", data=SEED.read_bytes()).input_format == "txt"
    md = next(iter(sorted((CORPUS / "texts").glob("*.md")))).read_bytes()
    assert read_source(None, data=md).input_format == "md"
    src = read_source(None, data=SEED.read_bytes())
    assert src.source == "<stdin>"
    assert read_source(None, data=SEED.read_bytes(), input_format="txt").input_format == "txt"


def test_utf8_bom_and_utf16() -> None:
    text = SEED.read_text(encoding="utf-8")
    a = read_source(None, data=b"\xef\xbb\xbf" + text.encode("utf-8"))
    b = read_source(None, data=text.encode("utf-16"))  # with BOM
    assert a.text == b.text == read_source(SEED).text
    assert parse_file(None, data=text.encode("utf-16")).symbol == "A/RES/61/54"
    wrapper = (CORPUS / "wrappers" / "A-RES-72-12.json").read_text(encoding="utf-8")
    assert read_source(None, data=wrapper.encode("utf-16")).input_format == "json"


def test_binary_and_undecodable_raise_input_error(tmp_path: pathlib.Path) -> None:
    f = tmp_path / "blob.txt"
    f.write_bytes(b"abc\x00\x01\x02def")
    with pytest.raises(InputError) as exc:
        read_source(f)
    assert exc.value.path == str(f)
    g = tmp_path / "latin.txt"
    g.write_bytes("caf\u00e9 r\u00e9solution".encode("latin-1"))
    with pytest.raises(InputError) as exc2:
        read_source(g)
    assert str(g) in str(exc2.value)
    with pytest.raises(InputError):
        read_source(tmp_path / "missing.txt")
    with pytest.raises(InputError):
        read_source(None, data=b"{not json", input_format="json")
    with pytest.raises(InputError):
        read_source(None, data=b"text", input_format="docx")


def test_empty_raises_parse_error(tmp_path: pathlib.Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    with pytest.raises(ParseError) as exc:
        read_source(f)
    assert exc.value.path == str(f)
    with pytest.raises(ParseError):
        read_source(None, data=b"  \n \n")


def _make_pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = 800
    for ln in lines:
        if y < 60:
            c.showPage()
            y = 800
        c.drawString(50, y, ln)
        y -= 14
    c.save()
    return buf.getvalue()


def test_pdf_generated_and_read_back(tmp_path: pathlib.Path) -> None:
    raw = SEED.read_text(encoding="utf-8")
    # reportlab's base fonts have no superscript digits: the PDF gets plain text
    import textwrap

    lines: list[str] = []
    for ln in raw.split("\n")[:40]:
        ln = ln.replace("¹", "1").replace("²", "2").replace("³", "3").replace("⁴", "4").replace("*", "")
        lines += textwrap.wrap(ln, 95) or [""]
    pdf = _make_pdf(["United Nations", "A/RES/61/54", ""] + lines + ["", "1. Decides to remain seized of the matter.", "", "67th plenary meeting", "6 December 2006"])
    f = tmp_path / "res.pdf"
    f.write_bytes(pdf)
    src = read_source(f)
    assert src.input_format == "pdf" and "General Assembly" in src.text
    assert read_source(None, data=pdf).input_format == "pdf"
    rec = parse_file(f)
    assert rec.symbol == "A/RES/61/54" and rec.session == "61"
    assert rec.title and rec.title.startswith("Developments in the field")
    assert rec.operative and rec.meeting is not None and rec.meeting.number == 67
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(InputError):
        read_source(bad)


def test_json_wrapper_without_text_field() -> None:
    with pytest.raises(InputError):
        read_source(None, data=json.dumps({"symbol": "A/RES/1/1"}).encode())
