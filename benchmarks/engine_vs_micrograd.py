"""This engine against karpathy's micrograd (PyPI), same workloads, one process.

    python benchmarks/engine_vs_micrograd.py

(a) MLP(2, [16, 16, 1]): loss over 100 points, build + backward, repeated 5 times.
(b) a chain 10^5 deep: build + backward (micrograd's recursive topo sort fails).
Prints a Markdown table; best of 3 rounds per engine, garbage collected in between so
one engine's leftovers do not slow the other.
"""

from __future__ import annotations

import gc
import platform
import random
import time

from micrograd.engine import Value as MicroValue
from micrograd.nn import MLP as MicroMLP

from autograd_widget import Value
from autograd_widget.nn import MLP

ROUNDS = 3


def mlp_workload(mlp_class) -> float:
    random.seed(0)
    model = mlp_class(2, [16, 16, 1])
    points = [(random.uniform(-1, 1), random.uniform(-1, 1)) for _ in range(100)]
    start = time.perf_counter()
    for _ in range(5):
        loss = sum(((model(p) - 1.0) ** 2 for p in points), 0)
        model.zero_grad()
        loss.backward()
    return time.perf_counter() - start


def chain_workload(value_class, depth: int = 100_000) -> float:
    start = time.perf_counter()
    x = value_class(1.0)
    y = x
    for _ in range(depth):
        y = y + 1.0
    y.backward()
    return time.perf_counter() - start


def best(fn, *args) -> float | str:
    times = []
    for _ in range(ROUNDS):
        gc.collect()
        try:
            times.append(fn(*args))
        except RecursionError:
            return "RecursionError"
    return min(times)


def main() -> None:
    rows = [
        ("(a) MLP(2, [16, 16, 1]), 100 points, build + backward ×5", best(mlp_workload, MLP),
         best(mlp_workload, MicroMLP)),
        ("(b) chain 10^5 deep, build + backward", best(chain_workload, Value), best(chain_workload, MicroValue)),
    ]
    print(f"Python {platform.python_version()}, {platform.machine()}, best of {ROUNDS}\n")
    print("| workload | autograd-widget | micrograd | speed-up |")
    print("|---|---|---|---|")
    for name, ours, theirs in rows:
        ratio = f"{theirs / ours:.1f}×" if isinstance(theirs, float) else "—"
        theirs_text = f"{theirs:.3f} s" if isinstance(theirs, float) else theirs
        print(f"| {name} | {ours:.3f} s | {theirs_text} | {ratio} |")


if __name__ == "__main__":
    main()
