"""A Tape as the browser gets it: binary columns.

ipywidgets sends ``bytes`` in a trait as binary buffers, so the tape and every kernel answer
travel as little-endian columns (what js/bytes.js reads): 8 bytes a number, 4 a parent link,
2 an op, 1 a flag; labels and constants sparse, as JSON. About 33 bytes a node on
micrograd's demo loss, where JSON took ~88; an answer, 18.
"""

from __future__ import annotations

import sys
from array import array

from .tape import Tape, json_number


def tape_state(tape: Tape) -> dict:
    """The whole tape, for the ``tape`` trait (js/types.js TapeState)."""
    names = sorted({op for op in tape.ops if op})
    index = {op: k for k, op in enumerate(["", *names])}
    offsets = [0]
    for ps in tape.parents:
        offsets.append(offsets[-1] + len(ps))
    return {
        "n": len(tape),
        "ops": ["", *names],
        "op": _bytes("H", [index[op] for op in tape.ops]),
        "offsets": _bytes("i", offsets),
        "parents": _bytes("i", [p for ps in tape.parents for p in ps]),
        "known": _bytes("B", tape.known),
        "args": {str(i): json_number(a) for i, a in enumerate(tape.args) if a is not None},
        "labels": {str(i): label for i, label in enumerate(tape.labels) if label},
        **numbers(tape),
    }


def numbers(tape: Tape) -> dict:
    """Every node's data, grad and stale flags (float64, uint8): a kernel answer's columns."""
    return {
        "data": _bytes("d", tape.data),
        "grad": _bytes("d", tape.grad),
        "stale_data": _bytes("B", tape.stale_data),
        "stale_grad": _bytes("B", tape.stale_grad),
    }


def decode(kind: str, raw: bytes) -> list:
    """A binary column back as a list (``kind``: an ``array`` type code, as above)."""
    column = array(kind)
    column.frombytes(raw)
    if sys.byteorder == "big":
        column.byteswap()
    return column.tolist()


def _bytes(kind: str, xs) -> bytes:
    column = array(kind, xs)
    if sys.byteorder == "big":
        column.byteswap()
    return column.tobytes()
