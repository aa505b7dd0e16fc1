"""README's picture (docs/widget.png) is made here, by the browser tests, so it shows the
widget as it is: the lecture's neuron in a real JupyterLab, w1 clicked so its tangent shows.

Each run takes the picture into test-artifacts/ and fails when the committed one's size is
more than 15% off it (a panel added or gone: README's picture is stale). With
AUTOGRAD_WIDGET_UPDATE_PICTURE=1 it is copied to docs/ (then commit it); otherwise the tracked
file is left alone, so a test run never dirties the tree with a font's pixel differences.
"""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest

from .test_graph_widget import NEURON

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).parents[2]
PICTURE = ROOT / "docs" / "widget.png"
UPDATE = "AUTOGRAD_WIDGET_UPDATE_PICTURE"


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

    fresh = ROOT / "test-artifacts" / "widget.png"
    fresh.parent.mkdir(exist_ok=True)
    widget.screenshot(path=fresh)
    width, height = png_size(fresh.read_bytes())
    assert width >= 600 and height >= 400, f"{width}x{height}: the whole widget, drawing to lesson panel"
    if os.environ.get(UPDATE) == "1":
        shutil.copyfile(fresh, PICTURE)
    committed = png_size(PICTURE.read_bytes())
    assert all(abs(c - f) <= 0.15 * f for c, f in zip(committed, (width, height))), (
        f"docs/widget.png is {committed[0]}x{committed[1]}, the widget now {width}x{height}: "
        f"run this test with {UPDATE}=1 and commit docs/widget.png")
    assert "docs/widget.png" in (ROOT / "README.md").read_text(), "README shows this picture"
