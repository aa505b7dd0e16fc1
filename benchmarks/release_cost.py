"""What a release costs the kernel now that the saved picture follows it.

    python benchmarks/release_cost.py [--rounds 40]

In a real kernel of this interpreter (driven like JupyterLab: a displayed widget, view
messages as comm messages), for graphs of ~100 and ~1,000 drawn nodes: the round trip of
a mid-drag message (``final: false``: replay, answer) and of a release (``final: true``:
the same plus the picture re-rendered and sent as ``update_display_data``), medians over
``--rounds`` messages each, and the size of the picture sent per release.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from kernel import Kernel, displays

GRAPH = """from autograd_widget import Value, GraphWidget
ws = [Value(0.01 * i, label=f"w{{i}}") for i in range({leaves})]
xs = [Value(1.0 + 0.1 * i) for i in range({leaves})]
terms = [w * x for w, x in zip(ws, xs)]
while len(terms) > 1:
    pairs = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
    terms = pairs + terms[2 * len(pairs):]
out = terms[0].tanh()
w = GraphWidget(out)
print(len(w.tape["label"]), w.sliders[0]["id"])
w"""


def round_trips(kernel: Kernel, model_id: str, leaf: int, final: bool, rounds: int, seq0: int):
    times, sizes = [], []
    for k in range(rounds):
        msg = {"type": "leaves", "view": "bench", "seq": seq0 + k, "final": final,
               "values": {str(leaf): 0.5 + k / rounds}}
        t0 = time.perf_counter()
        out = kernel.comm(model_id, msg)
        times.append(time.perf_counter() - t0)
        sizes += [len(m["content"]["data"]["image/svg+xml"]) for m in out if m["msg_type"] == "update_display_data"]
    return statistics.median(times) * 1000, (statistics.median(sizes) if sizes else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    kernel = Kernel(Path(tempfile.mkdtemp()))
    try:
        print("| drawn nodes | mid-drag message | release (+ picture) | picture sent per release |")
        print("|---|---|---|---|")
        for leaves in (25, 250):
            out = kernel.execute(GRAPH.format(leaves=leaves), cell_id=f"bench-{leaves}")
            nodes, leaf = (int(x) for x in next(m for m in out if m["msg_type"] == "stream")["content"]["text"].split())
            model_id = displays(out)[0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
            drag, _ = round_trips(kernel, model_id, leaf, False, args.rounds, 1)
            release, size = round_trips(kernel, model_id, leaf, True, args.rounds, 1 + args.rounds)
            print(f"| {nodes:,} | {drag:.1f} ms | {release:.1f} ms | {size / 1024:.0f} KiB |")
    finally:
        kernel.stop()


if __name__ == "__main__":
    main()
