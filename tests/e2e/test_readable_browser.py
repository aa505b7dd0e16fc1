"""Readable in a notebook column, in a real JupyterLab at 1280×900 with the file browser
open (the output area is then ~830 px wide): the seed's d = a·b + c and the lecture's
neuron show every node fully in view with text at least 9 CSS px tall at first paint,
without scrolling or pressing anything; the seed's sliders come in the order a, b, c.

Sizes are read from the page's own geometry: a text's height on screen is its font size
times the scale its SVG is drawn at (getScreenCTM). "In view" means inside the widget's
drawing box with nothing scrolled inside it, and inside the window once the notebook shows
the output (as running the cell does); the page above may hold a long cell.
"""

from __future__ import annotations

import pytest
from seed_notebook import SEED_CLASS

from .test_graph_widget import NEURON

pytestmark = pytest.mark.e2e

# As in the seed notebook: the class in one cell, the expression in the next.
SEED = [SEED_CLASS, "%%autograd\na = Value(2.0)\nb = Value(-3.0)\nc = Value(10.0)\nd = a*b + c\n"]
GEOMETRY = """() => {
  const fig = document.querySelector('.agw-drawing');
  fig.scrollIntoView({block: 'nearest'});  // where running the cell leaves the notebook: its output in view
  const f = fig.getBoundingClientRect();
  const view = {x: f.left, y: f.top, r: f.left + fig.clientWidth, b: f.top + fig.clientHeight};
  const page = {x: 0, y: 0, r: window.innerWidth, b: window.innerHeight};
  const nodes = [...fig.querySelectorAll('g.node')].map(g => {
    const r = g.getBoundingClientRect();
    return {id: g.id, x: r.left, y: r.top, r: r.right, b: r.bottom};
  });
  const text = [...fig.querySelectorAll('g.node text')].map(t =>
    t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize));
  const panel = document.querySelector('.jp-OutputArea-output').getBoundingClientRect();
  return {view, page, nodes, minText: Math.min(...text), output: panel.width,
          leftOpen: !window.jupyterapp.shell.leftCollapsed};
}"""


def inside(box: dict, outer: dict, slack: float = 1.0) -> bool:
    return (box["x"] >= outer["x"] - slack and box["r"] <= outer["r"] + slack
            and box["y"] >= outer["y"] - slack and box["b"] <= outer["b"] + slack)


def first_paint(page, open_notebook, cells: list[str]) -> dict:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_notebook(cells)
    page.locator("svg g.node.output").wait_for(state="attached")
    page.wait_for_timeout(300)  # a frame or two for the first layout
    return page.evaluate(GEOMETRY)


@pytest.mark.parametrize("which", ["seed", "neuron"])
def test_the_lectures_graphs_fit_at_a_readable_size_at_first_paint(open_notebook, page, which):
    cells = ["%load_ext autograd_widget", *SEED] if which == "seed" else [NEURON]
    g = first_paint(page, open_notebook, cells)
    assert g["leftOpen"], "the file browser is open, as in the issue's setting"
    assert 780 <= g["output"] <= 900, f"output area {g['output']} px wide"
    assert g["minText"] >= 9, f"smallest text {g['minText']:.1f} px"
    outside = [n["id"] for n in g["nodes"] if not (inside(n, g["view"]) and inside(n, g["page"]))]
    assert outside == [], f"nodes not fully in view: {outside}"


def test_the_seed_classs_sliders_come_in_the_order_it_wrote_them(open_notebook, page):
    open_notebook(["%load_ext autograd_widget", *SEED])
    page.locator('input[type="range"]').first.wait_for(state="visible")
    labels = page.evaluate("() => [...document.querySelectorAll('input[type=range]')].map(e => e.ariaLabel)")
    assert labels == ["a", "b", "c"]


FILLS = """() => {
  const fill = (cls) => {
    const g = document.querySelector(`svg g.node.agw-value.${cls}`);
    return g && getComputedStyle(g.querySelector('path')).fill;
  };
  return {pos: fill('grad-pos'), neg: fill('grad-neg'),
          error: getComputedStyle(document.body).getPropertyValue('--jp-error-color1').trim()};
}"""


def test_grad_colours_are_a_colour_blind_safe_pair_in_both_themes(open_notebook, page):
    open_notebook([NEURON])  # x1's grad is negative, w1's positive
    page.locator("svg g.node.grad-pos").first.wait_for(state="attached")
    light = page.evaluate(FILLS)
    assert (light["pos"], light["neg"]) == ("rgb(230, 97, 1)", "rgb(94, 60, 153)")  # PuOr's orange, purple
    theme = "(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})"
    page.evaluate(theme, "JupyterLab Dark")  # a setting: put it back for the tests after this one
    try:
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
        dark = page.evaluate(FILLS)
    finally:
        page.evaluate(theme, "JupyterLab Light")
    assert (dark["pos"], dark["neg"]) == ("rgb(253, 184, 99)", "rgb(178, 171, 210)")  # lighter, same hues
    legend = page.locator(".agw-legend").inner_text()
    assert "grad > 0" in legend and "grad < 0" in legend and "output" in legend
