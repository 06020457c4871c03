"""The format registry serves --format names, MIME types and extensions alike."""

import pytest

from unkg import formats
from unkg.errors import FormatError


@pytest.mark.parametrize("value,name", [
    ("ttl", "ttl"), ("turtle", "ttl"), ("text/turtle", "ttl"), ("application/ld+json", "jsonld"),
    ("json-ld", "jsonld"), ("application/n-quads", "nq"), ("nt", "nt"),
    ("text/turtle; charset=utf-8", "ttl"),
])
def test_rdf_lookup(value: str, name: str) -> None:
    assert formats.lookup(value, ("rdf",)).name == name


def test_guess_by_extension() -> None:
    assert formats.guess("x/y.trig", ("rdf",)).name == "trig"  # type: ignore[union-attr]
    assert formats.guess("a.md", ("input",)).name == "md"  # type: ignore[union-attr]
    assert formats.guess("a.nq.gz", ("rdf",)).name == "nq"  # type: ignore[union-attr]
    assert formats.guess("a.unknown", ("rdf",)) is None


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(FormatError, match="ttl"):
        formats.lookup("yaml", ("rdf",))


def test_resolve_prefers_explicit_then_extension_then_default() -> None:
    assert formats.resolve("nt", "a.ttl", ("rdf",)).name == "nt"
    assert formats.resolve(None, "a.ttl", ("rdf",)).name == "ttl"
    assert formats.resolve(None, None, ("rdf",), default="nq").name == "nq"
    with pytest.raises(FormatError):
        formats.resolve(None, "-", ("rdf",))
