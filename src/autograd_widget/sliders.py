"""Which leaves get a slider, under which name, over which range — checked before use.

Every option a person passes to ``GraphWidget`` is validated here, so a bad one raises a
clear error before the widget or the objects are touched.
"""

from __future__ import annotations

import math
import re
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
    order by a count — ``a``, ``a (2)`` — that never repeats another leaf's label, so every
    slider can be told apart and addressed by its name."""
    labels = {tape.labels[i] for i in leaves}
    names, seen = [], set()
    for i in leaves:
        base = tape.labels[i] or f"node {i}"
        name, k = base, 1
        while name in seen or (k > 1 and name in labels):
            k += 1
            name = f"{base} ({k})"
        seen.add(name)
        names.append(name)
    return names


def find_leaf(tape: Tape, specs: list[dict], key) -> int:
    """The leaf that ``key`` means: a leaf object or id, a label that names one leaf, or a
    slider's name (``a (2)``). A label shared by several leaves raises KeyError naming them."""
    if isinstance(key, str):
        labelled = [s for s in specs if tape.labels[s["id"]] == key]
        if len(labelled) > 1:
            which = ", ".join(repr(s["label"]) for s in labelled)
            raise KeyError(f"{key!r} labels {len(labelled)} leaves (sliders {which}): pass the Value itself, "
                           f"or a slider name such as {labelled[-1]['label']!r}")
        named = [s for s in specs if s["label"] == key] or labelled
        if named:
            return named[0]["id"]
    return tape.leaf_id(key)


_PARAMETER = re.compile(r"^L(\d+)\.N(\d+)\.(?:w(\d+)|(b))$")  # nn.py's labels: L0.N2.w1, L0.N2.b


def leaf_order(tape: Tape, leaves: list[int]) -> list[int]:
    """Leaves in the order a person expects their sliders: the order they were made (our
    ``Value`` counts its births; for other classes, first appearance in a left-to-right walk
    of the expression — a set-based ``_prev`` keeps no left and right, so there it is
    Python's set order), then the parameters of an ``nn`` model by layer, neuron, weight."""
    births = [getattr(tape.nodes[i], "birth", None) for i in leaves]
    if None in births:
        seen = {i: k for k, i in enumerate(left_to_right(tape))}
        made = sorted(leaves, key=seen.__getitem__)
    else:
        made = [i for _, i in sorted(zip(births, leaves))]
    return sorted(made, key=lambda i: _parameter_key(tape.labels[i]))  # stable: others keep their order


def _parameter_key(label: str) -> tuple:
    m = _PARAMETER.match(label)
    if not m:
        return (0,)
    layer, neuron, weight, bias = m.groups()
    return (1, int(layer), int(neuron), 1 if bias else 0, int(weight or 0))


def left_to_right(tape: Tape) -> list[int]:
    """Leaf ids in the order a depth-first walk from the root, parents left first, meets them."""
    order, seen, stack = [], set(), [tape.root]
    while stack:
        i = stack.pop()
        if i in seen:
            continue
        seen.add(i)
        if not tape.parents[i]:
            order.append(i)
        stack.extend(reversed(tape.parents[i]))
    return order


def slider_specs(tape: Tape, sliders=None, ranges=None, step=DEFAULT_STEP, order=None) -> list[dict]:
    """One spec per slider: ``{"id", "label", "min", "max", "step"}``.

    ``sliders``: labels or leaf objects, in the order wanted (default: every labelled leaf —
    every leaf, named ``node 3``, when none is labelled, so a graph is never without one —
    in ``order`` — leaves or labels, the unlisted after them — else in ``leaf_order``).
    ``ranges``: one ``(lo, hi)`` for every slider, or a dict label/leaf -> ``(lo, hi)``.
    """
    step = check_step(step)
    if sliders is None:
        leaves = leaf_order(tape, [i for i in tape.leaves if tape.labels[i]] or tape.leaves)
        if order is not None:
            rank = {tape.leaf_id(key): k for k, key in enumerate(order)}
            leaves.sort(key=lambda i: rank.get(i, len(rank)))  # stable: the unlisted keep their order
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
