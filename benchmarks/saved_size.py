"""What one widget adds to a saved notebook.

    python benchmarks/saved_size.py

Runs a notebook per graph in a real kernel (nbclient, which saves the widgets' state in
the notebook's metadata as JupyterLab does with "save widget state" on) and reports the
.ipynb's size against the same notebook without the widget, split into the output (the
static picture and the repr) and the saved widget state; also the picture alone per
drawn node. Graphs: the lecture's neuron and its MLP(3, [4, 4, 1]) loss on four examples.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

NEURON = """from autograd_widget import Value
x1 = Value(2.0, label='x1'); x2 = Value(0.0, label='x2'); w1 = Value(-3.0, label='w1'); w2 = Value(1.0, label='w2')
b = Value(6.8813735870195432, label='b')
o = (x1*w1 + x2*w2 + b).tanh(); o.label = 'o'; o.backward()
"""
MLP = """from autograd_widget import Value
from autograd_widget.nn import MLP
model = MLP(3, [4, 4, 1], last_nonlin="tanh")
xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
ys = [1.0, -1.0, -1.0, 1.0]
o = sum((model(x) - y) ** 2 for x, y in zip(xs, ys)); o.backward()
"""


def run(cells: list[str], kernels: Path) -> bytes:
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    specs = KernelSpecManager(kernel_dirs=[str(kernels)])
    km = KernelManager(kernel_name="autograd-widget-bench", kernel_spec_manager=specs)
    NotebookClient(nb, km=km, timeout=120).execute()
    return nbformat.writes(nb).encode()


def main() -> None:
    kernels = Path(tempfile.mkdtemp())
    spec = kernels / "autograd-widget-bench"
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "bench", "language": "python"}))
    print("| graph | drawn nodes | .ipynb grows by | of which outputs | of which widget state | picture per node |")
    print("|---|---|---|---|---|---|")
    for name, setup in (("lecture neuron", NEURON), ("lecture MLP loss", MLP)):
        without = run([setup, "len(o._prev)"], kernels)
        with_widget = run([setup, "o"], kernels)
        nb = nbformat.reads(with_widget.decode(), as_version=4)
        outputs = len(json.dumps(nb.cells[1].outputs).encode())
        state = len(json.dumps(nb.metadata.get("widgets", {})).encode())
        picture = next(o for o in nb.cells[1].outputs if "image/svg+xml" in o.get("data", {}))["data"]["image/svg+xml"]
        nodes = picture.count('<g id="n') - picture.count('op">')
        grew = len(with_widget) - len(without)
        print(f"| {name} | {nodes} | {grew / 1024:.0f} KiB | {outputs / 1024:.0f} KiB | {state / 1024:.0f} KiB "
              f"| {len(picture.encode()) / nodes:.0f} B |")


if __name__ == "__main__":
    main()
