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

__all__ = ["Tape", "Value", "__version__", "central_slope", "draw_dot", "gradcheck", "replay", "slope", "trace"]
