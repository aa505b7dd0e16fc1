"""See backpropagation: a tiny autograd engine and a live graph widget for Jupyter."""

from importlib.metadata import PackageNotFoundError, version

from .drawing import draw_dot, trace
from .engine import Value
from .numeric import central_slope, gradcheck, slope
from .tape import Tape, replay

try:
    __version__ = version("autograd-widget")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"


def __getattr__(name):
    # The widget pulls in anywidget and ipywidgets: load it on first use, keeping
    # `import autograd_widget` fast for engine-only work.
    if name == "GraphWidget":
        from .widget import GraphWidget

        return GraphWidget
    raise AttributeError(f"module 'autograd_widget' has no attribute {name!r}")


__all__ = [
    "GraphWidget", "Tape", "Value", "__version__", "central_slope", "draw_dot", "gradcheck", "replay", "slope", "trace",
]


def load_ipython_extension(ipython) -> None:
    """``%load_ext autograd_widget``: register ``%%autograd``/``%autograd``, follow cell runs
    (a re-run cell replaces its widgets; widgets redraw what cells changed), warm Graphviz up."""
    from . import cells
    from .layout import warm_up
    from .magic import AutogradMagics  # imported here: `import autograd_widget` stays fast

    ipython.register_magics(AutogradMagics)
    cells.install(ipython)
    warm_up()


def unload_ipython_extension(ipython) -> None:
    """``%unload_ext autograd_widget``: remove the magics and the cell hooks this extension added."""
    from . import cells

    cells.uninstall(ipython)
    manager = ipython.magics_manager
    mine = manager.registry.pop("AutogradMagics", None)
    if mine is None:
        return  # never loaded, or already unloaded
    for kind in ("line", "cell"):
        if getattr(manager.magics[kind].get("autograd"), "__self__", None) is mine:
            del manager.magics[kind]["autograd"]
