"""README's picture (docs/widget.png) is made here, by the browser tests, so it shows the
widget as it is: the lecture's neuron in a real JupyterLab, w1 clicked so its tangent shows.

Each run overwrites the file; commit it when the widget's look changes.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from .test_graph_widget import NEURON

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).parents[2]
PICTURE = ROOT / "docs" / "widget.png"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])  # IHDR: width, height


def test_the_readme_picture_is_the_widget_as_drawn_now(open_notebook, page):
    open_notebook([NEURON])
    widget = page.locator(".agw").first
    widget.locator("svg g.node").first.wait_for()
    page.locator('.agw svg g.node.agw-value[data-label="w1"]').click()
    tangent = widget.locator('[data-role="tangent"]')
    tangent.wait_for()
    assert tangent.get_attribute("data-leaf") == "w1"
    for label in ("x1", "x2", "w1", "w2", "b"):
        assert widget.locator(f'input[type="range"][aria-label="{label}"]').count() == 1, label
    page.mouse.move(0, 0)  # no hover highlight in the picture

    PICTURE.parent.mkdir(exist_ok=True)
    widget.screenshot(path=PICTURE)
    width, height = png_size(PICTURE.read_bytes())
    assert width >= 600 and height >= 400, f"{width}x{height}: the whole widget, drawing to lesson panel"
    assert "docs/widget.png" in (ROOT / "README.md").read_text(), "README shows this picture"
