"""Waiting for the kernel to agree with the drawing.

A drag reaches the kernel debounced and on release, and the saved picture a moment after the
answer, so a test reads the kernel's side again and again until it agrees, or gives up and
says what it saw last.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
SHOWN = 2000  # characters of the last value a failure shows (a saved SVG runs to kilobytes)


def floats(text: str) -> list[float]:
    """What ``print(repr(x), repr(y), ...)`` printed, read back as the same numbers."""
    return [float(s) for s in text.split()]


def poll_until(read: Callable[[], T], agrees: Callable[[T], object], *, timeout: float = 10, pause: float = 0,
               what: str = "the kernel") -> T:
    """``read()`` until ``agrees`` says yes, and return what it read; after ``timeout`` seconds
    fail with the last value seen, so a red run shows how far off the kernel was."""
    deadline = time.monotonic() + timeout
    while True:
        seen = read()
        if agrees(seen):
            return seen
        if time.monotonic() > deadline:
            shown = repr(seen)
            if len(shown) > SHOWN:
                shown = f"{shown[:SHOWN]}... ({len(shown)} characters)"
            raise AssertionError(f"{what} did not agree within {timeout:g} s; last seen: {shown}")
        time.sleep(pause)


def run_until_kernel_agrees(nb, code: str, agrees: Callable[[T], object], *, parse: Callable[[str], T] = floats,
                            timeout: float = 10) -> T:
    """Add a cell holding ``code`` and run it (Shift+Enter) until ``agrees(parse(its output))``;
    returns the parsed output. See poll_until."""
    cell = nb.add_cell(code)
    return poll_until(lambda: parse(nb.rerun(cell)), agrees, timeout=timeout, what=f"the kernel's {code!r}")
