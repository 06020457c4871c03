"""Progress of long operations (load, push, validate, publish): a small protocol with no terminal code.

A library function that makes people wait takes `meter: Progress | None`; it calls `start` once
with the number of items it will handle (or None when it cannot know), `advance` after each item,
and `close` when it is done, whatever happened. The command line passes a bar drawn on stderr when
stderr is a terminal; other callers pass nothing, a `Meter` to read the counts and rate, or their
own object.
"""

from __future__ import annotations

import time
from typing import Iterable, Iterator, Protocol, TypeVar

__all__ = ["Progress", "Meter", "tracked"]

T = TypeVar("T")


class Progress(Protocol):
    def start(self, total: int | None, unit: str) -> None:
        """The work begins: `total` items (None if unknown), counted in `unit` ('documents')."""

    def advance(self, n: int = 1) -> None:
        """`n` more items are done."""

    def close(self) -> None:
        """The work has ended (success or not)."""


class Meter:
    """Counts and rate, drawn nowhere: for callers that want the figures."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.unit = ""
        self.done = 0
        self.closed = False
        self._t0 = time.perf_counter()
        self._t1: float | None = None

    def start(self, total: int | None, unit: str) -> None:
        self.total, self.unit, self.done = total, unit, 0
        self._t0 = time.perf_counter()

    def advance(self, n: int = 1) -> None:
        self.done += n

    def close(self) -> None:
        self.closed = True
        self._t1 = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return (self._t1 or time.perf_counter()) - self._t0

    @property
    def rate(self) -> float:
        """Items per second so far."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


def tracked(items: Iterable[T], meter: Progress | None, total: int | None, unit: str) -> Iterator[T]:
    """Yield the items, advancing `meter` after each one and closing it at the end."""
    if meter is None:
        yield from items
        return
    meter.start(total, unit)
    try:
        for item in items:
            yield item
            meter.advance()
    finally:
        meter.close()
