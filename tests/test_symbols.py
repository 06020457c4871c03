"""Document symbols, citations, ordinals and verbs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unkg.symbols import (
    expand_symbols,
    find_citations,
    is_symbol,
    normalise_symbol,
    ordinal_to_int,
    parse_date,
    strip_part_letter,
)
from unkg.verbs import ALL_VERB_HEADS, match_verb, verb_head


@pytest.mark.parametrize(
    "raw, canon",
    [
        ("A/RES/1514 (XV)", "A/RES/1514(XV)"),
        ("a/res/1514(xv)", "A/RES/1514(XV)"),
        ("S/RES/1325 (2000)", "S/RES/1325(2000)"),
        ("A/C.2/59/3", "A/C.2/59/3"),
        ("A / 55 / 140", "A/55/140"),
        ("a/55/140/add.1", "A/55/140/Add.1"),
        ("A/RES/ES-10/19", "A/RES/ES-10/19"),
        ("GC(69)/RES/7", "GC(69)/RES/7"),
        ("A/AC.297/2025/CRP.2/Rev.5", "A/AC.297/2025/CRP.2/Rev.5"),
    ],
)
def test_normalise_symbol(raw: str, canon: str) -> None:
    assert normalise_symbol(raw) == canon
    assert is_symbol(canon)


@pytest.mark.parametrize("bad", ["", "HIV/AIDS", "2018/19", "hello", "Treaty Series, vol. 610", "A/"])
def test_not_symbols(bad: str) -> None:
    assert not is_symbol(bad)
    with pytest.raises(ValueError):
        normalise_symbol(bad)


def test_expand_symbols() -> None:
    assert expand_symbols("A/55/140 and Corr.1 and Add.1") == ["A/55/140", "A/55/140/Corr.1", "A/55/140/Add.1"]
    assert expand_symbols("A/57/759-S/2003/332, annex I.") == ["A/57/759", "S/2003/332"]
    assert expand_symbols("See A/ES-10/273 and A/ES-10/273/Corr.1.") == ["A/ES-10/273", "A/ES-10/273/Corr.1"]
    assert expand_symbols("FCCC/CP/2015/10/Add.1, decision 1/CP.21, annex.") == ["FCCC/CP/2015/10/Add.1"]
    assert expand_symbols("BWC/CONF.IX/9, sect. II.E.") == ["BWC/CONF.IX/9"]
    assert expand_symbols("(A/73/12 (Part I) and A/73/12 (Part II))") == ["A/73/12 (Part I)", "A/73/12 (Part II)"]
    assert expand_symbols("United Nations, Treaty Series, vol. 610, No. 8843.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("resolution 70/1", [("A/RES/70/1", None)]),
        ("decision 76/563 of 11 May 2022", [("A/DEC/76/563", "2022-05-11")]),
        ("resolution 1514 (XV) of 14 December 1960", [("A/RES/1514(XV)", "1960-12-14")]),
        ("Resolution 217 A (III).", [("A/RES/217(III)", None)]),
        ("resolutions 41/60 J and 76/247 A to C", [("A/RES/41/60", None), ("A/RES/76/247", None)]),
        ("See resolution S-10/2.", [("A/RES/S-10/2", None)]),
        ("resolution ES-10/19", [("A/RES/ES-10/19", None)]),
        ("Security Council resolution 1325 (2000)", [("S/RES/1325(2000)", None)]),
        ("Human Rights Council resolution 31/1", [("A/HRC/RES/31/1", None)]),
        ("Economic and Social Council resolution 2019/11", [("E/RES/2019/11", None)]),
        (
            "its resolutions 47/19 of 24 November 1992, 48/16 of 3 November 1993 and 49/9 of\n26 October 1994",
            [("A/RES/47/19", "1992-11-24"), ("A/RES/48/16", "1993-11-03"), ("A/RES/49/9", "1994-10-26")],
        ),
        ("resolutions 73/1 of 2 December 2019,75/276", [("A/RES/73/1", "2019-12-02"), ("A/RES/75/276", None)]),
        ("the Human Rights Council in its resolution 26/2 of 26 June 2014", [("A/HRC/RES/26/2", "2014-06-26")]),
        ("A/56/1026-S/2002/932, annex II, resolution 14/221", []),
    ],
)
def test_find_citations(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(c.symbol, c.date) for c in find_citations(text)] == expected


def test_ordinals_and_dates() -> None:
    assert ordinal_to_int("Sixty-first") == 61
    assert ordinal_to_int("Eightieth") == 80
    assert ordinal_to_int("Tenth") == 10
    assert ordinal_to_int("One hundredth") == 100
    assert ordinal_to_int("one hundred and first") == 101
    assert ordinal_to_int("one hundred twenty-third") == 123
    with pytest.raises(ValueError):
        ordinal_to_int("Special")
    assert parse_date("on 4 December2024") == "2024-12-04"
    assert parse_date("14 December \n1946") == "1946-12-14"
    assert parse_date("no date") is None
    assert strip_part_letter("A/RES/66/235 A") == "A/RES/66/235"


@pytest.mark.parametrize(
    "verb, head",
    [
        ("Recalling also", "recalling"),
        ("Takes note with appreciation of", "takes-note-of"),
        ("Takes note of", "takes-note-of"),
        ("Once again urges", "urges"),
        ("Also decides", "decides"),
        ("Further decides", "decides"),
        ("Expresses its appreciation", "expresses-its-appreciation"),
        ("Bearing in mind", "bearing-in-mind"),
        ("Calls upon", "calls-upon"),
        ("Noting with deep concern", "noting"),
        ("Frobnicates", "frobnicates"),
    ],
)
def test_verb_head(verb: str, head: str) -> None:
    assert verb_head(verb) == head


def test_heads_are_covered() -> None:
    for phrase in ["Recalling", "Takes note with appreciation of", "Bearing in mind also", "Deeply concerned", "Calls upon"]:
        m = match_verb(phrase)
        assert m is not None and m.head in ALL_VERB_HEADS
    assert match_verb("Taking note, in particular, of the report").phrase == "Taking note"  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_functions_only_raise_value_error(s: str) -> None:
    for fn in (normalise_symbol, ordinal_to_int, strip_part_letter):
        try:
            fn(s)
        except ValueError:
            pass
    assert isinstance(is_symbol(s), bool)
    expand_symbols(s)
    find_citations(s)
    parse_date(s)
    verb_head(s)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[A-Z]{1,4}(/[A-Z0-9.]{1,6}){1,3}/\d{1,4}", fullmatch=True))
def test_normalise_is_idempotent(s: str) -> None:
    try:
        c = normalise_symbol(s)
    except ValueError:
        return
    assert normalise_symbol(c) == c


def test_literal_resolution_symbols_are_citations() -> None:
    found = [c.symbol for c in find_citations("see A/HRC/RES/31/1, A/RES/ES-10/19 and S/RES/2231 (2015).")]
    assert found == ["A/HRC/RES/31/1", "A/RES/ES-10/19", "S/RES/2231(2015)"]
