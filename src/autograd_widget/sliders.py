"""Which leaves get a slider, under which name, over which range — checked before use.

Every option a person passes to ``GraphWidget`` is validated here, so a bad one raises a
clear error before the widget or the objects are touched.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence

from .protocol import is_number
from .tape import Tape

DEFAULT_STEP = 0.01
_BIGGEST = sys.float_info.max


def default_range(x: float) -> tuple[float, float]:
    """A finite slider range holding x with room on both sides: [-5, 5] around small
    values, else twice the magnitude either way (clamped to the largest float)."""
    if not math.isfinite(x):
        return (-5.0, 5.0)
    span = min(max(5.0, 2 * abs(x)), _BIGGEST)
    if abs(x) < 5:
        return (-span, span)
    return (max(x - span, -_BIGGEST), min(x + span, _BIGGEST))


def check_step(step) -> float:
    if not is_number(step) or not (math.isfinite(step) and step > 0):
        raise ValueError(f"step must be a finite number > 0, got {step!r}")
    return float(step)


def check_range(name: str, pair) -> tuple[float, float]:
    """``(lo, hi)``: two finite numbers with lo < hi."""
    if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
        raise ValueError(f"range for {name} must be a pair (lo, hi), got {pair!r}")
    lo, hi = pair
    if not (is_number(lo) and is_number(hi)):
        raise ValueError(f"range for {name} must be two numbers (lo, hi), got {pair!r}")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"range for {name} must be finite, got {pair!r}")
    if not lo < hi:
        raise ValueError(f"range for {name} must have lo < hi, got ({lo}, {hi})")
    return (float(lo), float(hi))


def slider_names(tape: Tape, leaves: list[int]) -> list[str]:
    """Each slider's name: the leaf's label (``node 3`` without one), made unique in slider
    order by a count — ``a``, ``a (2)`` — so every slider can be told apart and addressed."""
    names, seen = [], set()
    for i in leaves:
        base = tape.labels[i] or f"node {i}"
        name, k = base, 1
        while name in seen:
            k += 1
            name = f"{base} ({k})"
        seen.add(name)
        names.append(name)
    return names


def slider_specs(tape: Tape, sliders=None, ranges=None, step=DEFAULT_STEP) -> list[dict]:
    """One spec per slider: ``{"id", "label", "min", "max", "step"}``.

    ``sliders``: labels or leaf objects (default: every labelled leaf, in tape order).
    ``ranges``: one ``(lo, hi)`` for every slider, or a dict label/leaf -> ``(lo, hi)``.
    """
    step = check_step(step)
    if sliders is None:
        leaves = [i for i in tape.leaves if tape.labels[i]]
    elif isinstance(sliders, (str, bytes)) or not isinstance(sliders, Sequence):
        raise TypeError(f"sliders must be a list of leaf labels or leaves, got {sliders!r}")
    else:
        leaves = list(dict.fromkeys(tape.leaf_id(s) for s in sliders))
    names = slider_names(tape, leaves)
    by_leaf = _ranges(tape, ranges, names, leaves)
    specs = []
    for i, name in zip(leaves, names):
        lo, hi = by_leaf.get(i) or default_range(tape.data[i])
        specs.append({"id": i, "label": name, "min": lo, "max": hi, "step": step})
    return specs


def find_leaf(tape: Tape, specs: list[dict], key) -> int:
    """The leaf that ``key`` means: a leaf object or id, a label that names one leaf, or a
    slider's name (``a (2)``). A label shared by several leaves raises KeyError naming them."""
    if isinstance(key, str):
        named = [s for s in specs if tape.labels[s["id"]] == key]
        if len(named) > 1:
            which = ", ".join(repr(s["label"]) for s in named)
            raise KeyError(f"{key!r} labels {len(named)} leaves (sliders {which}): pass the Value itself, "
                           f"or a slider name such as {named[-1]['label']!r}")
        if not named:
            named = [s for s in specs if s["label"] == key]
        if named:
            return named[0]["id"]
    return tape.leaf_id(key)


def _ranges(tape: Tape, ranges, names: list[str], leaves: list[int]) -> dict[int, tuple[float, float]]:
    if ranges is None:
        return {}
    if isinstance(ranges, Mapping):
        specs = [{"id": i, "label": name} for i, name in zip(leaves, names)]
        out = {}
        for key, pair in ranges.items():
            i = find_leaf(tape, specs, key)
            out[i] = check_range(repr(key) if isinstance(key, str) else tape.labels[i] or f"node {i}", pair)
        return out
    return dict.fromkeys(leaves, check_range("every slider", ranges))
