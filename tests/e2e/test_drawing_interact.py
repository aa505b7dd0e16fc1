"""Zoom, pan and scrubbing on the drawing in a real JupyterLab, with the real mouse and keyboard.

The scale is read from the page (the canvas's width over the drawing's natural width), the
point under the pointer from the browser's own geometry, and the kernel's numbers from a
later cell, the way a person would check them.
"""

from __future__ import annotations

import pytest

from .kernel_agrees import run_until_kernel_agrees
from .test_drawing_browser import BIG
from .test_graph_widget import NEURON, START, VALUE_NODES

pytestmark = pytest.mark.e2e

# The n-th widget's scale, scroll offsets, scroll box and natural size, in CSS px.
STATE = """(k) => {
  const fig = document.querySelectorAll('.agw-drawing')[k];
  const canvas = fig.querySelector('.agw-canvas');
  const svg = canvas.querySelector('svg.agw-base');
  const natural = parseFloat(svg.getAttribute('width')) * 4 / 3;
  const r = fig.getBoundingClientRect();
  return {scale: canvas.getBoundingClientRect().width / natural, left: fig.scrollLeft, top: fig.scrollTop,
          box: {x: r.left, y: r.top, r: r.left + fig.clientWidth, b: r.top + fig.clientHeight},
          maxLeft: fig.scrollWidth - fig.clientWidth, level: fig.parentElement.querySelector('.agw-zoom').textContent};
}"""
# A value node's box in client px, by label.
NODE = f"""(label) => {{
  const g = {VALUE_NODES}.find(g => g.dataset.label === label);
  const r = g.getBoundingClientRect();
  return {{x: r.left, y: r.top, r: r.right, b: r.bottom, cx: (r.left + r.right) / 2, cy: (r.top + r.bottom) / 2}};
}}"""
# A point of the first drawing's visible part that is background, not a node: for a pan.
BACKGROUND = """() => {
  const fig = document.querySelector('.agw-drawing');
  const r = fig.getBoundingClientRect();
  for (let y = r.top + 6; y < r.top + fig.clientHeight - 6; y += 7)
    for (let x = r.left + fig.clientWidth / 2; x > r.left + 6; x -= 7) {
      const el = document.elementFromPoint(x, y);
      if (el && fig.contains(el) && !el.closest('g.node')) return {x, y};
    }
  return null;
}"""


def state(page, k: int = 0) -> dict:
    return page.evaluate(STATE, k)


def wait_idle_render(page) -> None:
    page.locator(".agw-drawing").first.wait_for(state="visible")
    page.locator("svg g.node.agw-value.output").first.wait_for(state="attached")
    page.locator(".agw-drawing").first.scroll_into_view_if_needed()


def test_wheel_zooms_about_the_pointer_drag_pans_keys_zoom(open_notebook, page):
    open_notebook([NEURON])
    wait_idle_render(page)
    s0 = state(page)
    w1 = page.evaluate(NODE, "w1")
    px, py = w1["cx"], w1["cy"]
    page.mouse.move(px, py)

    page.mouse.wheel(0, 120)  # a plain wheel is the notebook's: no zoom
    page.wait_for_timeout(200)
    assert state(page)["scale"] == pytest.approx(s0["scale"], abs=1e-6), "plain wheel must not zoom"
    w1 = page.evaluate(NODE, "w1")
    px, py = w1["cx"], w1["cy"]  # the page may have scrolled: the point under the pointer again
    page.mouse.move(px, py)

    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    page.wait_for_function("(s) => Math.abs(document.querySelector('.agw-canvas').getBoundingClientRect().width"
                           " / (parseFloat(document.querySelector('svg.agw-base').getAttribute('width')) * 4 / 3)"
                           " - s) > 1e-3", arg=s0["scale"])
    s1 = state(page)
    assert s1["scale"] > s0["scale"] * 1.1, f"Ctrl+wheel up zooms in: {s0['scale']} -> {s1['scale']}"
    after = page.evaluate(NODE, "w1")
    assert abs(after["cx"] - px) <= 3 and abs(after["cy"] - py) <= 3, (
        f"the point under the pointer stays: ({px:.1f}, {py:.1f}) -> ({after['cx']:.1f}, {after['cy']:.1f})")

    # Pan: zoom in far enough to scroll, then drag the background to the left.
    plus = page.get_by_role("button", name="Zoom in", exact=True)
    for _ in range(3):
        plus.click()
    s2 = state(page)
    assert s2["maxLeft"] > 150, f"wide enough to pan at {s2['scale']:.2f}"
    page.evaluate("() => { const f = document.querySelector('.agw-drawing'); f.scrollLeft = 0; }")
    spot = page.evaluate(BACKGROUND)
    assert spot, "some background in view"
    page.mouse.move(spot["x"], spot["y"])
    page.mouse.down()
    page.mouse.move(spot["x"] - 120, spot["y"], steps=8)
    page.mouse.up()
    panned = state(page)
    assert panned["left"] == pytest.approx(120, abs=4), f"dragged 120 px left: scrollLeft {panned['left']}"
    assert panned["scale"] == pytest.approx(s2["scale"], abs=1e-6), "a pan does not zoom"

    # Keys on the focused drawing; JupyterLab's command mode must not take them ("0, 0" restarts the kernel).
    page.get_by_role("button", name="100%", exact=True).first.focus()
    page.keyboard.press("Tab")  # the drawing is the next stop after the toolbar
    assert page.evaluate("() => document.activeElement.classList.contains('agw-drawing')")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none", "visible focus"
    before = state(page)["scale"]
    page.keyboard.press("-")
    assert state(page)["scale"] < before - 1e-3, "- zooms out"
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert state(page)["scale"] > before + 1e-3, "+ zooms in"
    page.keyboard.press("0")
    page.keyboard.press("0")
    assert state(page)["scale"] == pytest.approx(1, abs=1e-3), "0 is 100%"
    assert state(page)["level"] == "100%"
    left = state(page)["left"]
    page.keyboard.press("ArrowRight")
    assert state(page)["left"] > left, "an arrow pans"
    page.wait_for_timeout(300)
    assert page.locator(".jp-Dialog").count() == 0, "no 'restart the kernel?' dialog: the keys were ours"


def test_zoom_and_scroll_survive_a_second_view(open_notebook, page):
    nb = open_notebook([NEURON.replace("GraphWidget(o,", "w = GraphWidget(o,") + "\nw"])
    wait_idle_render(page)
    for _ in range(4):
        page.get_by_role("button", name="Zoom in", exact=True).first.click()
    page.evaluate("() => { const f = document.querySelector('.agw-drawing'); f.scrollLeft = 90; f.scrollTop = 20; }")
    page.wait_for_timeout(100)  # the scroll event
    first = state(page)
    nb.run_cell("w")  # the same model, rendered again
    page.wait_for_function("() => document.querySelectorAll('.agw-drawing').length === 2")
    page.wait_for_function(
        "() => document.querySelectorAll('.agw-drawing')[1].scrollLeft > 0", timeout=5000)
    second = state(page, 1)
    assert second["scale"] == pytest.approx(first["scale"], abs=1e-3)
    assert (second["left"], second["top"]) == (pytest.approx(first["left"], abs=1), pytest.approx(first["top"], abs=1))
    assert second["level"] == first["level"]


def test_scrub_w1_on_the_drawing_reaches_the_kernel(open_notebook, page):
    nb = open_notebook([NEURON])
    wait_idle_render(page)
    w1 = page.locator('input[type="range"][aria-label="w1"]')
    group = page.locator("svg g.node.agw-value[data-label='w1']")
    assert "agw-scrub" in group.get_attribute("class")
    assert page.evaluate(f"() => getComputedStyle({VALUE_NODES}.find(g => g.dataset.label === 'w1')).cursor") == (
        "ew-resize")

    # A click without moving: selects the node and focuses its slider; nothing changes.
    box = page.evaluate(NODE, "w1")
    page.mouse.click(box["cx"], box["cy"])
    assert "selected" in group.get_attribute("class")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "w1"
    assert float(group.get_attribute("data-value")) == START["w1"]

    # Scrub: press on the box, drag right 60 px: up, by the slider's range over 300 px.
    box = page.evaluate(NODE, "w1")
    lo, hi = (float(w1.evaluate(f"el => el.{k}")) for k in ("min", "max"))
    page.mouse.move(box["cx"], box["cy"])
    page.mouse.down()
    page.mouse.move(box["cx"] + 60, box["cy"], steps=12)
    page.wait_for_function("() => Number([...document.querySelectorAll('svg g.node')]"
                           ".find(g => g.dataset.label === 'w1').dataset.value) > -3")
    mid = float(group.get_attribute("data-value"))
    page.mouse.up()
    drawn = float(group.get_attribute("data-value"))
    assert drawn == pytest.approx(START["w1"] + 60 * (hi - lo) / 300, abs=0.02), f"scrubbed to {drawn}"
    assert drawn == mid, "release adds no jump"
    assert float(w1.evaluate("el => el.value")) == pytest.approx(drawn, abs=1e-9), "the slider follows"
    o = page.evaluate(f"() => Number({VALUE_NODES}.find(g => g.dataset.label === 'o').dataset.value)")
    assert o != pytest.approx(0.7071, abs=1e-3), "the output moved with it"

    kernel = run_until_kernel_agrees(nb, "print(repr(w1.data), repr(o.data))", lambda kernel: kernel[0] == drawn)
    assert kernel == pytest.approx([drawn, o], abs=1e-12, rel=0), f"kernel {kernel}, drawing {[drawn, o]}"

    # Pointing links a node and its slider, both ways; a double-click opens the number box.
    group.scroll_into_view_if_needed()  # the cell added below may have scrolled it away
    box = page.evaluate(NODE, "w1")
    page.mouse.move(box["cx"], box["cy"])
    row = page.locator(".agw-slider", has=w1)
    assert "agw-linked" in row.get_attribute("class")
    page.locator('input[type="range"][aria-label="x2"]').hover()
    x2 = page.locator("svg g.node.agw-value[data-label='x2']")
    assert "linked" in x2.get_attribute("class").split()
    page.mouse.dblclick(box["cx"], box["cy"])
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "w1 exact value"


def test_big_graph_opens_with_its_output_in_view_and_readable(open_notebook, page):
    open_notebook([BIG])
    wait_idle_render(page)
    page.wait_for_function("() => document.querySelectorAll('svg.agw-tile:not(.agw-base)').length >= 2")
    g = page.evaluate(f"""() => {{
      const fig = document.querySelector('.agw-drawing');
      const f = fig.getBoundingClientRect();
      // Headless Chromium hides scrollbars, yet scrollbar-gutter: stable keeps room for one, and the
      // drawing paints into it (the last 15 px cannot be scrolled to, and need not be): then it is seen.
      const probe = document.createElement('div');
      probe.style.cssText = 'overflow: scroll; width: 50px; height: 50px; position: absolute';
      document.body.append(probe);
      const hidden = probe.offsetWidth === probe.clientWidth;
      probe.remove();
      const seenW = hidden ? fig.offsetWidth : fig.clientWidth;
      const out = document.querySelector('svg g.node.agw-value.output').getBoundingClientRect();
      const svg = fig.querySelector('svg.agw-base');
      const canvas = fig.querySelector('.agw-canvas').getBoundingClientRect();
      const units = parseFloat(svg.getAttribute('viewBox').split(/[ ,]+/)[2]);
      const text = fig.querySelector('svg g.node text');
      return {{view: {{x: f.left, y: f.top, r: f.left + seenW, b: f.top + fig.clientHeight}},
               out: {{x: out.left, y: out.top, r: out.right, b: out.bottom}},
               font: parseFloat(getComputedStyle(text).fontSize) * canvas.width / units,
               left: fig.scrollLeft, nodes: {VALUE_NODES}.length}};
    }}""")
    assert g["nodes"] == 100
    v, o = g["view"], g["out"]
    assert o["x"] >= v["x"] - 1 and o["r"] <= v["r"] + 1 and o["y"] >= v["y"] - 1 and o["b"] <= v["b"] + 1, (
        f"the output node {o} lies in the visible box {v}")
    assert g["font"] >= 9 - 0.05, f"text {g['font']:.2f} px tall"


def test_jupyterlab_keys_still_work_with_the_drawing_focused(open_notebook, page):
    nb = open_notebook([NEURON])
    box = page.locator(".agw-drawing")
    box.wait_for(state="visible")
    box.focus()
    assert page.evaluate("() => document.activeElement.classList.contains('agw-drawing')")
    before = nb.cell_state(0)["count"]
    page.keyboard.press("Shift+Enter")  # run the cell: a key the drawing does not use
    page.wait_for_function("([b]) => window.jupyterapp.shell.currentWidget.content.widgets[0].model"
                           ".executionCount > b", arg=[before], timeout=30_000)
