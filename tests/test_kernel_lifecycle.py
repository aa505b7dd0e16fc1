"""Widgets in a real kernel, driven as JupyterLab drives it (cell ids in the execute
requests' metadata, view messages as comm messages): the two outputs of a display, the
saved picture following releases, re-run cells replacing their widgets with bounded
memory, deleted cells letting theirs go, and huge graphs refused at once."""

import time

import pytest
from kernel import Kernel, displays

from autograd_widget.picture import field_text

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SEED = "from autograd_widget import Value\na = Value(2.0)\nb = Value(-3.0)\nc = Value(10.0)\nd = a*b + c\n"
RSS = "int(open('/proc/self/statm').read().split()[1]) * __import__('os').sysconf('SC_PAGE_SIZE')"


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    k = Kernel(tmp_path_factory.mktemp("kernels"))
    k.execute("%load_ext autograd_widget")
    yield k
    k.stop()


def live_widgets(kernel) -> int:
    """GraphWidgets alive in the kernel (open or not: a closed one that is still held leaks
    too), after a full garbage collection."""
    kernel.execute("import gc; gc.collect()")
    return kernel.value("sum(isinstance(o, __import__('autograd_widget').GraphWidget) "
                        "for o in __import__('gc').get_objects())")


def field(name, x):
    return field_text(name, x)


def test_a_value_shows_its_widget_and_a_hidden_picture_with_a_display_id(kernel):
    out = displays(kernel.execute(SEED + "L = d * 2\nL.label = 'L'\nL", cell_id="rich"))
    assert len(out) == 2
    widget, picture = out
    assert widget["data"][WIDGET_VIEW]["model_id"] and widget["data"]["text/plain"].startswith("Value(data=8.0")
    assert "image/svg+xml" not in widget["data"]
    assert picture["data"][WIDGET_VIEW]["model_id"] == ""  # Jupyter front ends hide a view without a model
    assert field("data", 8.0) in picture["data"]["image/svg+xml"]
    assert picture["transient"]["display_id"].startswith("autograd-widget-")


def test_a_release_updates_the_saved_picture_and_a_drag_step_does_not(kernel):
    out = displays(kernel.execute("%%autograd -o w\n" + SEED, cell_id="picture"))
    model_id = out[0]["data"][WIDGET_VIEW]["model_id"]
    display_id = out[1]["transient"]["display_id"]
    a = kernel.value("[s['id'] for s in w.sliders if s['label'] == 'a'][0]")
    step = kernel.comm(model_id, {"type": "leaves", "view": "v", "seq": 1, "final": False, "values": {str(a): 3.0}})
    assert [m for m in step if m["msg_type"] == "update_display_data"] == []  # a drag in progress: no picture yet
    release = kernel.comm(model_id, {"type": "leaves", "view": "v", "seq": 2, "final": True, "values": {str(a): 5.0}})
    (update,) = [m["content"] for m in release if m["msg_type"] == "update_display_data"]
    assert update["transient"]["display_id"] == display_id
    svg = update["data"]["image/svg+xml"]
    assert field("data", 5.0) in svg and field("data", -5.0) in svg  # a = 5 and d = 5 * -3 + 10
    assert field("grad", -3.0) in svg
    assert kernel.value("[a.data, d.data]") == [5.0, -5.0]


def test_rerunning_a_cell_replaces_its_widget_and_memory_stays_bounded(kernel):
    cell = ("%%autograd\nfrom autograd_widget import Value\nxs = [Value(0.1 * i) for i in range(50)]\n"
            "y = xs[0]\nfor x in xs[1:]:\n    y = (y * x + x).tanh()\n")  # ~250 nodes
    others = live_widgets(kernel)  # shown by the cells of the tests before
    for _ in range(10):
        kernel.execute(cell, cell_id="rerun")
    assert live_widgets(kernel) == others + 1
    rss = [kernel.value(RSS)]
    for _ in range(90):
        kernel.execute(cell, cell_id="rerun")
    rss.append(kernel.value(RSS))
    growth_mib = (rss[1] - rss[0]) / 2**20
    print(f"RSS growth over 90 re-runs of a 250-node %%autograd cell: {growth_mib:.1f} MiB")
    assert live_widgets(kernel) == others + 1
    assert growth_mib < 8, f"RSS grew {growth_mib:.1f} MiB over 90 re-runs"


def test_a_widget_shown_by_another_cell_survives_a_rerun_and_deleted_cells_let_go(kernel):
    kernel.execute("from autograd_widget import GraphWidget\nkeep = GraphWidget(d)\nkeep", cell_id="one")
    kernel.execute("keep", cell_id="two")
    kernel.execute("1 + 1", cell_id="one")  # cell one no longer shows it, cell two still does
    assert kernel.value("keep.comm is not None") is True
    kernel.execute("1 + 1", cell_id="three", deleted=["two"])  # now nothing shows it, and its cell ran again
    assert kernel.value("keep.comm is not None") is False
    out = displays(kernel.execute("keep", cell_id="four"))  # shown again: a clear line, not a traceback
    assert out == [{"data": {"text/plain": kernel.value("__import__('autograd_widget.widget').widget.CLOSED")},
                    "metadata": {}, "transient": {}}]


def test_a_widget_made_in_one_cell_and_shown_in_another_is_the_learners_to_keep(kernel):
    kernel.execute("from autograd_widget import GraphWidget\nmine = GraphWidget(d)", cell_id="make")
    kernel.execute("mine", cell_id="show")
    kernel.execute("2 + 2", cell_id="show")  # the showing cell ran again; the making cell did not
    assert kernel.value("mine.comm is not None") is True
    out = displays(kernel.execute("mine", cell_id="show-again"))
    assert out[0]["data"][WIDGET_VIEW]["model_id"]


def test_a_huge_chain_is_refused_at_once_in_every_path(kernel):
    out = kernel.execute("import time\nfrom autograd_widget import Value\nt0 = time.perf_counter()\n"
                         "x = Value(1.0)\nfor _ in range(10**6):\n    x = x + 1.0\n"
                         "build = time.perf_counter() - t0\nprint(build)")
    build = float(out[-1]["content"]["text"])
    draw = "from autograd_widget import draw_dot\ntry:\n    draw_dot(x)\nexcept ValueError as e:\n    print(e)"
    # draw_dot lays out every node: 2,000 at most; a widget draws boxes: 200,000
    for code, limit in [("x", "200,000"), ("%autograd x", "200,000"), (draw, "2,000"),
                        ("%autograd --collapse-above none x", "2,000")]:
        t0 = time.perf_counter()
        msgs = kernel.execute(code, check=False)
        took = time.perf_counter() - t0
        text = "".join(m["content"].get("text", "") + m["content"].get("data", {}).get("text/plain", "")
                       + m["content"].get("evalue", "") for m in msgs)
        assert f"more than {limit} nodes" in text, (code, text)
        pictures = [m for m in msgs if "image/svg+xml" in m["content"].get("data", {})]
        assert len(pictures) == (limit == "200,000"), code  # the part nearest the output, where a widget would be
        # refusing walks at most the limit; the widget paths also lay out the 100-node picture
        assert took < build / 3, f"{code!r} took {took:.2f} s to refuse; building the chain took {build:.2f} s"
        assert took < 1.5, f"{code!r} took {took:.2f} s to refuse"
    cell = ("%%autograd\nfrom autograd_widget import Value\nz = Value(1.0)\nfor _ in range(10**6):\n"
            "    z = z + 1.0\n")
    t0 = time.perf_counter()
    msgs = kernel.execute(cell, check=False)
    took = time.perf_counter() - t0
    assert "more than 200,000 nodes" in "".join(m["content"].get("text", "") for m in msgs)
    assert took < 2 * build, f"the cell took {took:.2f} s; building one chain takes {build:.2f} s"
