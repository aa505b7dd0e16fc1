"""The drawing in a real JupyterLab: the Fit and 100% buttons (keyboard and mouse), and a
graph big enough to be split into tiles, whose nodes out of view are drawn when they
scroll in (wheel, pan, keys and scrubbing: test_drawing_interact.py). Expected numbers on
screen come from drawing.fmt of the node's data-* (the kernel's formatter), the layout
facts from the browser's own geometry.
"""

from __future__ import annotations

import pytest

from autograd_widget.drawing import fmt

from .test_graph_widget import NEURON

pytestmark = pytest.mark.e2e

# Boxes in CSS px, as the page lays them out.
GEOMETRY = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, r: r.right, b: r.bottom}; };
  const fig = document.querySelector('.agw-drawing');
  const svg = fig.querySelector('svg.agw-base');
  const view = box(fig);
  view.r = view.x + fig.clientWidth;  // the scroll box's visible part, without its scrollbars
  view.b = view.y + fig.clientHeight;
  return {view, room: fig.clientWidth, natural: parseFloat(svg.getAttribute('width')) * 4 / 3,
          root: box(document.querySelector('svg g.node.agw-value.output')),
          canvas: box(fig.querySelector('.agw-canvas'))};
}"""


def inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (inner["x"] >= outer["x"] - slack and inner["r"] <= outer["r"] + slack
            and inner["y"] >= outer["y"] - slack and inner["b"] <= outer["b"] + slack)


def test_fit_and_100_buttons_by_keyboard_and_mouse(open_notebook, page):
    open_notebook([NEURON])
    fit = page.get_by_role("button", name="Fit", exact=True)
    actual = page.get_by_role("button", name="100%", exact=True)
    fit.wait_for(state="visible")
    page.locator("svg g.node.agw-value.output").wait_for(state="attached")

    # Keyboard: Tab-less focus, then Enter and Space press them (JupyterLab must not take the keys).
    actual.focus()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none", "visible focus"
    page.keyboard.press("Space")
    g = page.evaluate(GEOMETRY)
    assert g["canvas"]["r"] - g["canvas"]["x"] == pytest.approx(g["natural"], abs=1), "100%: the natural size"
    assert page.locator(".agw-zoom").inner_text() == "100%"
    fit.focus()
    page.keyboard.press("Enter")
    g = page.evaluate(GEOMETRY)
    assert inside(g["root"], g["view"]), f"fit: the output node {g['root']} lies in the visible box {g['view']}"
    assert g["canvas"]["r"] - g["canvas"]["x"] <= g["room"] + 1, "no wider than the room there is"
    shown = 100 * (g["canvas"]["r"] - g["canvas"]["x"]) / g["natural"]
    assert abs(int(page.locator(".agw-zoom").inner_text().rstrip("%")) - shown) <= 1, f"the readout says {shown:.0f}%"

    actual.click()  # the mouse
    g = page.evaluate(GEOMETRY)
    assert g["canvas"]["r"] - g["canvas"]["x"] == pytest.approx(g["natural"], abs=1)
    fit.click()
    g = page.evaluate(GEOMETRY)
    assert inside(g["root"], g["view"])


BIG = '''from autograd_widget import Value
from autograd_widget.widget import GraphWidget

xs = [Value(0.1 * ((i % 5) - 2) + 0.01, label=f"a{i}") * Value(0.5, label=f"w{i}") for i in range(25)]
while len(xs) > 1:
    xs = [xs[i] + xs[i + 1] if i + 1 < len(xs) else xs[i] for i in range(0, len(xs), 2)]
o = xs[0].tanh(); o.label = "o"
o.backward()
GraphWidget(o, ranges={"w0": (-1.0, 1.0)}, step=0.01)'''
VALUE_NODES = "[...document.querySelectorAll('svg g.node')].filter(g => /^n[0-9]+$/.test(g.id))"
# For every value node: its data-* and the two number fields on screen, and where its tile
# lies: "near" the scroll box (within 20% of its size, inside the 25% margin that counts as
# seen) or "far" from it (not within 50%).
SHOWN = f"""() => {VALUE_NODES}.map(g => {{
  const texts = [...g.querySelectorAll('text')].map(t => t.textContent.replace(/\\u00a0/g, ' ').trim().split(/ +/));
  const fig = document.querySelector('.agw-drawing');
  const f = fig.getBoundingClientRect();
  const t = g.closest('svg').getBoundingClientRect();
  const meets = k => {{
    const dx = k * fig.clientWidth, dy = k * fig.clientHeight;
    return t.left < f.left + fig.clientWidth + dx && t.right > f.left - dx
      && t.top < f.top + fig.clientHeight + dy && t.bottom > f.top - dy;
  }};
  return {{id: g.id, label: g.dataset.label, data: g.dataset.value, grad: g.dataset.grad,
           shown: [texts.at(-2)[1], texts.at(-1)[1]], near: meets(0.2), far: !meets(0.5)}};
}})"""


def test_big_graph_in_tiles_draws_what_scrolls_into_view(open_notebook, page):
    open_notebook([BIG])
    w0 = page.locator('input[type="range"][aria-label="w0"]')
    w0.wait_for(state="visible")
    page.wait_for_function("() => document.querySelectorAll('svg.agw-tile:not(.agw-base)').length >= 2")
    nodes = page.evaluate(SHOWN)
    assert len(nodes) == 100 and len({n["id"] for n in nodes}) == 100, "every node drawn once, in some tile"
    assert any(n["far"] for n in nodes), "some tiles lie far outside the scroll box (at 100%)"

    before = {n["id"]: n["data"] for n in nodes}
    root = next(n for n in nodes if n["label"] == "o")
    w0.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => document.getElementById('{root['id']}').dataset.value !== '{root['data']}'")
    nodes = page.evaluate(SHOWN)
    changed = [n for n in nodes if n["data"] != before[n["id"]]]
    assert len(changed) >= 5, "w0 feeds a0*w0, the sums above it and o"
    for n in nodes:  # data-* are current everywhere; the text only where it can be seen
        if n["near"]:
            assert n["shown"] == [fmt(float(n["data"])), fmt(float(n["grad"]))], n
    waiting = [n for n in nodes if n["far"] and n["shown"] != [fmt(float(n["data"])), fmt(float(n["grad"]))]]
    assert waiting, "nodes far out of view wait to be drawn"

    for n in waiting:
        page.evaluate("(id) => document.getElementById(id).scrollIntoView({block: 'center'})", n["id"])
        page.wait_for_function(
            """([id, want]) => [...document.getElementById(id).querySelectorAll('text')].at(-1)
                .textContent.replace(/\\u00a0/g, ' ').trim().endsWith(want)""",
            arg=[n["id"], " " + fmt(float(n["grad"]))], timeout=5000)
    drawn = {n["id"]: n for n in page.evaluate(SHOWN)}
    for n in waiting:
        got = drawn[n["id"]]
        assert got["shown"] == [fmt(float(got["data"])), fmt(float(got["grad"]))], got
