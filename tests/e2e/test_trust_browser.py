"""Trust, in a real JupyterLab: two widgets over a shared leaf follow each other; the
connection state is on the widget (data-sync) and a restarted kernel shows "lost"; the
saved notebook's picture shows the released numbers; the quickstart survives Run All,
a drag, then "run this".

Expected numbers come from the formulas here (P = 2s, Q = s + t, d = a·b + c), with the
dragged leaf read back from its slider, never from the package.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograd_widget.picture import field_text

from .kernel_agrees import poll_until
from .test_graph_widget import drag_slider, slider_value

pytestmark = pytest.mark.e2e

QUICKSTART = Path(__file__).parents[2] / "examples" / "quickstart.ipynb"
SHARED = """from autograd_widget import Value, GraphWidget
s = Value(1.0, label="s"); t = Value(10.0, label="t")
P = s * 2; P.label = "P"
Q = s + t; Q.label = "Q"
display(GraphWidget(P, ranges=(-5, 5)))
display(GraphWidget(Q, ranges=(-5, 5)))"""
NODE = """([widget, label]) => {
  const g = document.querySelectorAll('.agw')[widget]
    .querySelector(`svg g.node.agw-value[data-label="${label}"]`);
  return g && [Number(g.getAttribute('data-value')), Number(g.getAttribute('data-grad'))];
}"""
SYNC = "(i) => document.querySelectorAll('.agw')[i].getAttribute('data-sync')"


def node(page, widget: int, label: str) -> tuple[float, float]:
    got = page.evaluate(NODE, [widget, label])
    assert got is not None, f"widget {widget} draws no node {label!r}"
    return tuple(got)


def wait_node(page, widget: int, label: str, value: float, timeout: float = 10) -> None:
    page.wait_for_function(f"""([w, label, value]) => {{
      const got = ({NODE})([w, label]);
      return got && Math.abs(got[0] - value) < 1e-12;
    }}""", arg=[widget, label, value], timeout=timeout * 1000)


def wait_sync(page, widget: int, state: str, timeout: float = 10) -> None:
    page.wait_for_function(f"([i, s]) => ({SYNC})(i) === s", arg=[widget, state], timeout=timeout * 1000)


def field(name: str, x: float) -> str:
    """A record field as the saved SVG spells it."""
    return field_text(name, x)


def saved_pictures(nb) -> list:
    """Save the notebook and return its static pictures (the outputs whose widget view has no model)."""
    saved = nb.save()
    return [o["data"]["image/svg+xml"] for c in saved["cells"] for o in c.get("outputs", [])
            if o.get("data", {}).get("application/vnd.jupyter.widget-view+json", {}).get("model_id") == ""]


def first(pictures: list) -> str:
    """The first picture's SVG text ("" for none); a saved output may hold it as a list of lines."""
    return "".join(pictures[0]) if pictures else ""


def test_two_widgets_over_a_shared_leaf_follow_each_other(open_notebook, page):
    nb = open_notebook([SHARED])
    sliders = page.locator('input[type="range"][aria-label="s"]')
    sliders.first.wait_for(state="visible")
    assert sliders.count() == 2
    assert [page.evaluate(SYNC, i) for i in (0, 1)] == ["ok", "ok"]
    assert node(page, 1, "Q") == (11.0, 0.0)

    drag_slider(page, sliders.nth(0), 0.8)  # s, in P's widget
    s = slider_value(sliders.nth(0))
    assert s != 1.0
    wait_node(page, 0, "P", 2 * s)
    wait_node(page, 1, "s", s)  # the other widget follows within a round trip...
    wait_node(page, 1, "Q", s + 10.0)  # ...and recomputes what depends on s
    assert slider_value(sliders.nth(1)) == pytest.approx(s, abs=1e-9)
    wait_sync(page, 0, "ok")

    t_box = page.locator('input[aria-label="t exact value"]')
    t_box.fill("20")
    t_box.press("Enter")
    wait_node(page, 1, "Q", s + 20.0)
    assert node(page, 0, "s")[0] == pytest.approx(s, abs=1e-12), "moving t in Q's widget did not revert s"
    out = nb.run_cell("print(repr(s.data), repr(t.data), repr(P.data), repr(Q.data))")
    assert [float(x) for x in out.split()] == pytest.approx([s, 20.0, 2 * s, s + 20.0], abs=1e-12)


def test_a_restarted_kernel_shows_lost_and_never_accepts_drags_silently(open_notebook, page):
    nb = open_notebook([SHARED])
    slider = page.locator('input[type="range"][aria-label="s"]').first
    slider.wait_for(state="visible")
    assert page.evaluate(SYNC, 0) == "ok"
    nb.restart_kernel()
    wait_sync(page, 0, "lost", timeout=10)  # the comm went down: the widget asks, nobody answers
    drag_slider(page, slider, 0.9)
    page.wait_for_timeout(500)
    assert page.evaluate(SYNC, 0) == "lost", "a drag after the restart is not taken as synced"
    root = page.locator(".agw").first
    words = root.locator(".agw-status").inner_text()
    assert "not connected to the kernel — the drawing is no longer synced" in words
    assert "agw-lost" in root.get_attribute("class")
    marked = page.evaluate("""() => {
      const d = document.querySelector('.agw.agw-lost .agw-drawing');
      return [getComputedStyle(d).outlineStyle, getComputedStyle(d.querySelector('.agw-canvas')).filter];
    }""")
    assert marked[0] == "dashed" and marked[1] not in ("", "none"), f"the drawing is visibly marked: {marked}"


def test_the_saved_notebook_shows_the_released_numbers(open_notebook, page):
    nb = open_notebook(["%load_ext autograd_widget",
                        "%%autograd\nfrom autograd_widget import Value\na = Value(2.0)\nb = Value(-3.0)\n"
                        "c = Value(10.0)\nd = a*b + c"])
    slider = page.locator('input[type="range"][aria-label="a"]')
    slider.wait_for(state="visible")
    drag_slider(page, slider, 0.8)
    a = slider_value(slider)
    wait_sync(page, 0, "ok")
    # the picture's update reaches the output a moment after the answer
    pictures = poll_until(lambda: saved_pictures(nb), lambda got: field("data", a * -3.0 + 10.0) in first(got),
                          pause=0.3, what="the saved notebook's picture")
    svg = first(pictures)
    assert len(pictures) == 1, "one static picture, in its own output"
    assert field("data", a) in svg and field("data", a * -3.0 + 10.0) in svg, "the saved picture shows the drag"
    assert field("grad", a) in svg  # b's grad is a
    # the picture's output takes no room in JupyterLab: only the live widget shows
    heights = page.evaluate("""() => [...document.querySelectorAll('.jp-Cell')[1]
      .querySelectorAll('.jp-OutputArea-child')].map(e => e.getBoundingClientRect().height)""")
    assert len(heights) == 2 and heights[1] < 2, f"output heights {heights}"


def test_the_quickstart_runs_all_then_drag_then_run_this(lab, page):
    from .lab import Notebook

    nb = Notebook(page, lab, "quickstart.ipynb", source=QUICKSTART)
    slider = page.locator('input[type="range"][aria-label="a"]').first
    slider.wait_for(state="visible")
    drag_slider(page, slider, 0.75)
    a = slider_value(slider)
    wait_sync(page, 0, "ok")
    out = nb.rerun(nb.index_of("print("))
    assert out == f"a = {a!r}, d = {a * -3.0 + 10.0!r}, dd/da = -3.0\n"
