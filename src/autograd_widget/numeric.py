"""Derivatives by finite differences, as in the seed's first cells, and gradcheck."""

from __future__ import annotations

from collections.abc import Callable

from .tape import Tape


def slope(f: Callable[[float], float], x: float, h: float = 1e-4) -> float:
    """The seed's estimate: (f(x + h) - f(x)) / h."""
    return (f(x + h) - f(x)) / h


def central_slope(f: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    """(f(x + h) - f(x - h)) / 2h: error shrinks with h² instead of h."""
    return (f(x + h) - f(x - h)) / (2 * h)


class GradcheckError(AssertionError):
    """Backprop and finite differences disagree for at least one leaf."""


def gradcheck(root, h: float = 1e-6, rtol: float = 1e-4, atol: float = 1e-6,
              raise_exception: bool = True, held: bool = False) -> bool:
    """Compare every leaf's grad with a central finite difference of root: the grads a
    backward pass from root computes, or with ``held=True`` the grads the leaves hold now
    (yours, set by hand in the lecture's manual backprop, say).

    Every node's data and grad is left as it was. Returns True when all agree; otherwise
    raises GradcheckError listing the leaves that disagree, or returns False with
    ``raise_exception=False``.
    """
    tape = Tape(root)
    saved = list(tape.data)
    grads = [(v, v.grad) for v in tape.nodes if hasattr(v, "grad")]
    try:
        expected = list(tape.grad) if held else list(tape.replay().grad)
        kind = "held" if held else "backprop"
        bad = []
        for i in tape.leaves:
            numeric = central_slope(lambda t, i=i: tape.replay({i: t}).data[tape.root], saved[i], h)
            if not abs(numeric - expected[i]) <= atol + rtol * abs(numeric):
                name = tape.labels[i] or f"node {i}"
                bad.append(f"  {name}: {kind} {expected[i]!r}, finite difference {numeric!r}")
    finally:
        tape.replay({i: saved[i] for i in tape.leaves})
        for v, g in grads:  # the replays wrote grads: put the objects' own back
            v.grad = g
    if bad and raise_exception:
        raise GradcheckError("gradients disagree with finite differences:\n" + "\n".join(bad))
    return not bad
