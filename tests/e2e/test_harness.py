"""The harness checks itself with a plain ipywidgets IntSlider: if this fails, the browser
tests of our widget cannot be trusted either way."""

from __future__ import annotations

import pytest

from .kernel_agrees import run_until_kernel_agrees
from .lab import CellError

pytestmark = pytest.mark.e2e

SLIDER = """import ipywidgets as widgets
slider = widgets.IntSlider(value=10, min=0, max=100, step=1, description="s", layout={"width": "600px"})
slider"""


def readout(page) -> int:
    return int(page.locator(".widget-slider .widget-readout").inner_text())


def test_int_slider_mouse_and_keyboard_reach_kernel(open_notebook, page):
    nb = open_notebook([SLIDER])
    handle = page.locator(".widget-slider .noUi-handle")
    track = page.locator(".widget-slider .noUi-target")
    handle.wait_for(state="visible")
    assert readout(page) == 10

    # Real mouse: press on the handle, drag to 3/4 of the track, release.
    h, t = handle.bounding_box(), track.bounding_box()
    page.mouse.move(h["x"] + h["width"] / 2, h["y"] + h["height"] / 2)
    page.mouse.down()
    target_x = t["x"] + 0.75 * t["width"]
    page.mouse.move(target_x, h["y"] + h["height"] / 2, steps=12)
    page.mouse.up()
    page.wait_for_function("() => document.querySelector('.widget-slider .widget-readout').textContent.trim() !== '10'")
    dragged = readout(page)
    assert abs(dragged - 75) <= 3, f"dragged to 3/4 of a 0..100 slider, readout shows {dragged}"
    assert run_until_kernel_agrees(nb, "print(slider.value)", lambda v: v == dragged, parse=int) == dragged

    # Keyboard: focus the handle and press ArrowRight three times, one step each.
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"() => document.querySelector('.widget-slider .widget-readout').textContent.trim() === '{dragged + 3}'")
    assert run_until_kernel_agrees(nb, "print(slider.value)", lambda v: v == dragged + 3, parse=int) == dragged + 3


def test_cell_errors_surface_with_traceback(open_notebook):
    nb = open_notebook(["x = 1"])
    assert nb.run_cell("print(x + 1)").strip() == "2"
    with pytest.raises(CellError, match="ZeroDivisionError"):
        nb.run_cell("1 / 0")
