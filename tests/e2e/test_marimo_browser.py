"""The widget in marimo (``marimo run examples/marimo_neuron.py``): there is no magic to
name things, so ``mo.ui.anywidget(GraphWidget(o))`` over the lecture's neuron built with
no labels must name every node after its variable itself; a bare ``Value`` at a cell's end
shows its graph (marimo's ``_display_``); a real mouse drag reaches the Python objects; a
cell that runs again closes the widgets its last run made (marimo_rerun.py).

Same hand-computed numbers as test_graph_widget.py. marimo draws each anywidget in a
shadow root, so everything here is read through Playwright locators, which reach into it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import watched_page
from .kernel_agrees import poll_until
from .marimo_app import MarimoApp
from .test_graph_widget import START, drag_slider, expected, slider_value

pytestmark = pytest.mark.e2e

NOTEBOOK = Path(__file__).parents[2] / "examples" / "marimo_neuron.py"
RERUN = Path(__file__).parent / "marimo_rerun.py"
COUNT = re.compile(r"count (\d+): widgets open (\d+), closed (\d+), closed ones hold (\d+)")
LEAVES = ("x1", "x2", "w1", "w2", "b")
READ = re.compile(r"w1\.data = (\S+), x2\.data = (\S+), o\.data = (\S+), w1\.grad = (\S+)")


@pytest.fixture(scope="module")
def marimo_app(tmp_path_factory):
    with MarimoApp(NOTEBOOK, tmp_path_factory.mktemp("marimo")) as app:
        yield app


@pytest.fixture
def page(browser, marimo_app, request):
    with watched_page(browser, marimo_app, request) as pg:
        pg.goto(marimo_app.url)
        pg.locator("marimo-anywidget").nth(1).locator('g.node.agw-value[data-label="n"]').wait_for(state="attached")
        yield pg


def drawn(widget) -> dict[str, tuple[float, float]]:
    """label → (data, grad) of every value record one widget draws."""
    rows = widget.locator("svg g.node.agw-value").evaluate_all(
        "gs => gs.map(g => [g.getAttribute('data-label'), g.getAttribute('data-value'), g.getAttribute('data-grad')])")
    return {label: (float(data), float(grad)) for label, data, grad in rows}


def assert_numbers(got: dict, want: dict, leaves: dict) -> None:
    assert set(got) == set(want), f"drawn nodes {sorted(got)} != {sorted(want)}"
    for label, (data, grad) in want.items():
        assert got[label][0] == pytest.approx(data, abs=1e-9, rel=0), f"{label}.data with leaves {leaves}"
        assert got[label][1] == pytest.approx(grad, abs=1e-9, rel=0), f"{label}.grad with leaves {leaves}"


def test_graph_widget_names_unlabelled_nodes_after_their_variables(page):
    neuron = page.locator("marimo-anywidget").nth(0)
    for label in LEAVES:  # a slider per leaf, named by its variable: the objects carry no label
        assert neuron.locator(f'input[type="range"][aria-label="{label}"]').count() == 1, f"slider {label}"
    assert neuron.locator('input[type="range"]').count() == len(LEAVES), "a slider for each leaf, no more"
    assert_numbers(drawn(neuron), expected(START), START)  # every node named, with its data and grad


def test_a_bare_value_at_a_cells_end_shows_its_graph(page):
    n_graph = page.locator("marimo-anywidget").nth(1)
    want = {k: v for k, v in expected(START).items() if k != "o"}
    got = drawn(n_graph)
    assert set(got) == set(want), f"n's graph draws {sorted(got)}"
    for label in want:  # the data; grads are what o.backward() left in the objects, as drawn above
        assert got[label][0] == pytest.approx(want[label][0], abs=1e-9, rel=0), label
        assert got[label][1] == pytest.approx(want[label][1], abs=1e-9, rel=0), label
    assert n_graph.locator('input[type="range"]').count() == len(LEAVES)


def read_objects(page) -> list[float]:
    """Press "Read the objects" (its cell re-runs) and parse what Python's objects hold."""
    page.get_by_role("button", name="Read the objects").click()
    text = page.get_by_text(READ).inner_text()
    return [float(x) for x in READ.search(text.replace("`", "")).groups()]


def test_drag_changes_the_drawing_and_the_python_objects(page):
    neuron = page.locator("marimo-anywidget").nth(0)
    w1 = neuron.locator('input[type="range"][aria-label="w1"]')
    drag_slider(page, w1, 0.75)  # the real mouse: press on the thumb, move, release
    leaves = dict(START, w1=slider_value(w1))
    assert leaves["w1"] > 0, f"dragged w1 to 75% of its range, slider says {leaves['w1']}"
    want = expected(leaves)
    assert_numbers(drawn(neuron), want, leaves)  # patched in the input handler, before the release

    # On release the widget sends the leaf to Python, which replays the graph into the objects.
    goal = [want["w1"][0], want["x2"][0], want["o"][0], want["w1"][1]]
    poll_until(lambda: read_objects(page), lambda held: held == pytest.approx(goal, abs=1e-12, rel=0),
               pause=0.3, what='"Read the objects" (w1.data, x2.data, o.data, w1.grad)')

    # The bare Value's widget draws the same objects: it follows the moved leaf, never drifts.
    n_graph = page.locator("marimo-anywidget").nth(1)
    shown = poll_until(lambda: drawn(n_graph), lambda got: got["w1"][0] == leaves["w1"], pause=0.2,
                       what="n's graph")
    assert shown["n"][0] == pytest.approx(want["n"][0], abs=1e-12, rel=0), "n's graph after the drag"


@pytest.fixture(scope="module")
def rerun_app(tmp_path_factory):
    with MarimoApp(RERUN, tmp_path_factory.mktemp("marimo-rerun")) as app:
        yield app


def test_a_cell_that_runs_again_closes_the_widgets_its_last_run_made(browser, rerun_app, request):
    with watched_page(browser, rerun_app, request) as page:
        page.goto(rerun_app.url)
        a = page.locator('g.node.agw-value[data-label="a"]').first
        a.wait_for(state="attached")
        slider = page.get_by_role("slider").first
        slider.focus()
        for k in range(2, 12):  # ten re-runs of the two cells: two new widgets each time
            page.keyboard.press("ArrowRight")
            poll_until(lambda: a.get_attribute("data-value"), lambda v, k=k: v is not None and float(v) == k,
                       pause=0.1, what=f"the re-run with a = {k}")

        presses = iter(range(1, 100))

        def counts():  # press Count and read the answer to this press, not an earlier one
            n = next(presses)
            page.get_by_role("button", name="Count").click()
            answer = page.get_by_text(re.compile(f"count {n}: "))
            return [int(x) for x in COUNT.search(answer.inner_text()).groups()[1:]]

        _, closed, held = poll_until(counts, lambda c: c[0] == 2, pause=0.3, what="open GraphWidgets")
        assert closed <= 20, f"{closed} closed widgets alive"
        assert held == 0, f"closed widgets still hold {held} characters of svg, tape and numbers"
