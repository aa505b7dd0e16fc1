"""What the first GraphWidget costs in a fresh kernel, with and without the compiled-module cache.

    python benchmarks/cold_start.py [--runs 3]

Each run is a new Python process (as a fresh kernel is) that imports autograd_widget and builds
one GraphWidget over a ~100-node graph; construction includes the Graphviz layout, so the first
one also loads the WASM module. Three cache states, set with AUTOGRAD_WIDGET_CACHE_DIR:
warm (a cache file from an earlier process), empty (compile, then write the file), and
unwritable (compile in memory only: what every kernel paid before the cache).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import time
t0 = time.perf_counter()
from autograd_widget import GraphWidget, Value
from autograd_widget import layout
t1 = time.perf_counter()
ws = [Value(0.01 * i, label=f"w{i}") for i in range(25)]
xs = [Value(1.0 + 0.1 * i) for i in range(25)]
terms = [w * x for w, x in zip(ws, xs)]
while len(terms) > 1:
    pairs = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
    terms = pairs + terms[2 * len(pairs):]
w = GraphWidget(terms[0].tanh())
t2 = time.perf_counter()
print(__import__("json").dumps({"import": t1 - t0, "widget": t2 - t1, "nodes": len(w.tape["label"]),
                                "load": layout.last_load}))
"""


def fresh(cache_dir: Path) -> dict:
    """One new process: its own timings plus the wall time of the whole process."""
    env = {**os.environ, "AUTOGRAD_WIDGET_CACHE_DIR": str(cache_dir)}
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True)
    out = json.loads(done.stdout.splitlines()[-1])
    out["process"] = time.perf_counter() - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="cold-start-"))
    blocker = root / "a-file"
    blocker.write_text("")  # a cache dir under a file can never be created: the no-cache case
    warm_dir = root / "warm"
    fresh(warm_dir)  # fill it once

    cases = [
        ("warm cache", lambda k: warm_dir),
        ("empty cache (compile + write)", lambda k: root / f"empty-{k}"),
        ("no cache (unwritable, as before)", lambda k: blocker / "sub"),
    ]
    rows = [(name, []) for name, _ in cases]
    for k in range(args.runs):  # round robin, so a burst of load elsewhere hits every case alike
        for (_, where), (_, runs) in zip(cases, rows):
            runs.append(fresh(where(k)))

    nodes = rows[0][1][0]["nodes"]
    print(f"First GraphWidget in a fresh process, {nodes} drawn nodes, {args.runs} runs each, seconds (median):\n")
    print("| cache | module | first GraphWidget | import + first GraphWidget | whole process | runs (whole process) |")
    print("|---|---|---|---|---|---|")
    for name, runs in rows:
        med = {k: statistics.median(r[k] for r in runs) for k in ("widget", "import", "process")}
        loads = "/".join(sorted({r["load"] for r in runs}))
        each = ", ".join(f"{r['process']:.2f}" for r in runs)
        print(f"| {name} | {loads} | {med['widget']:.3f} | {med['import'] + med['widget']:.3f} "
              f"| {med['process']:.2f} | {each} |")


if __name__ == "__main__":
    main()
