"""%load_ext autograd_widget, %%autograd and %autograd through a real IPython shell."""

import pytest
from graphs import neuron_code
from IPython.core.error import UsageError
from ipywidgets.widgets.widget import _instances as live_widgets
from views import labels, move, numbers

from autograd_widget import layout

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

SEED_CELL = """
a = Value(2.0)
b = Value(-3.0)
c = Value(10.0)
d = a*b + c
"""




def widgets(outputs):
    """The GraphWidgets behind the published widget views, in display order (a view with
    no model is a widget's static picture, not a widget)."""
    return [live_widgets[o["data"][WIDGET_VIEW]["model_id"]] for o in outputs
            if o["data"].get(WIDGET_VIEW, {}).get("model_id")]


def autograd(ip, line, cell):
    """Run `%%autograd line` as a notebook cell would (history on) and return the result."""
    return ip.run_cell(f"%%autograd {line}\n{cell}", store_history=True)


def ids(w):
    return {s["label"]: s["id"] for s in w.sliders}


def test_load_registers_both_magics_and_warms_up_graphviz(ip, monkeypatch):
    ip.run_line_magic("unload_ext", "autograd_widget")
    monkeypatch.setattr(layout, "_warming", None)
    ip.run_line_magic("load_ext", "autograd_widget")
    assert ip.find_cell_magic("autograd") is not None
    assert ip.find_line_magic("autograd") is not None
    assert layout._warming is not None  # the WASM compile started in the background


def test_unload_removes_the_magics_and_reload_brings_them_back(ip, shown):
    ip.run_line_magic("unload_ext", "autograd_widget")
    assert ip.find_cell_magic("autograd") is None
    assert ip.find_line_magic("autograd") is None
    assert "AutogradMagics" not in ip.magics_manager.registry
    with pytest.raises(UsageError, match="not found"):
        ip.run_cell_magic("autograd", "", "x = 1")
    ip.run_line_magic("load_ext", "autograd_widget")
    ip.run_line_magic("reload_ext", "autograd_widget")
    assert autograd(ip, "", "from autograd_widget import Value\n" + SEED_CELL).success
    assert len(widgets(shown)) == 1


def test_loading_twice_is_harmless(ip, shown):
    import autograd_widget

    autograd_widget.load_ipython_extension(ip)
    autograd_widget.load_ipython_extension(ip)
    autograd(ip, "", "from autograd_widget import Value\n" + SEED_CELL)
    assert len(widgets(shown)) == 1
    autograd_widget.unload_ipython_extension(ip)
    autograd_widget.unload_ipython_extension(ip)  # a second unload finds nothing to remove
    assert ip.find_cell_magic("autograd") is None
    autograd_widget.load_ipython_extension(ip)


def test_question_mark_documents_every_option(ip, capsys):
    ip.run_cell("%%autograd?")
    doc = capsys.readouterr().out
    for option in ("--range", "LO", "HI", "--step", "--sliders", "--rankdir", "LR", "TB", "-o NAME"):
        assert option in doc
    assert "last expression" in doc and "explicit labels win" in doc


@pytest.mark.parametrize("line", ["--rankdir XX", "--step 0", "--step -1", "--step inf", "--step nan", "--range 1",
                                  "--range 2 1", "--range 0 inf", "--range -inf 0", "--bogus", "--sliders ,",
                                  "--collapse-above 0", "--collapse-above -5", "--collapse-above lots"])
def test_bad_options_give_a_usage_error_and_do_not_run_the_cell(ip, shown, line):
    ip.user_ns.pop("ran", None)
    with pytest.raises(UsageError):
        ip.run_cell_magic("autograd", line, "ran = True")
    assert "ran" not in ip.user_ns
    assert shown == []


def test_bad_option_message_is_argparses(ip, capsys):
    result = autograd(ip, "--rankdir XX", "ran_too = True")
    assert isinstance(result.error_in_exec, UsageError)
    assert capsys.readouterr().err == ("UsageError: argument --rankdir: invalid choice: 'XX' "
                                       "(choose from 'LR', 'TB', 'RL', 'BT')\n")
    assert "ran_too" not in ip.user_ns


def test_cell_runs_like_a_normal_cell(ip, shown, capsys):
    start = ip.execution_count
    result = autograd(ip, "", "from autograd_widget import Value\nx = Value(3.0)\nprint('hello')\ny = x * x\ny")
    assert result.success
    assert ip.execution_count == start + 1  # one cell, one number, like any cell
    assert ip.user_ns["_"] is ip.user_ns["y"]  # the display hook ran
    assert ip.user_ns["Out"][start] is ip.user_ns["y"]
    assert "%%autograd" in ip.history_manager.input_hist_raw[-1]
    out = capsys.readouterr().out
    assert "hello" in out and "Out[" in out
    (w,) = widgets(shown)
    assert w.root is ip.user_ns["y"]


def test_the_widget_is_displayed_once_and_kept_with_o(ip, shown):
    autograd(ip, "-o graph", "from autograd_widget import Value\n" + SEED_CELL)
    (w,) = widgets(shown)
    assert ip.user_ns["graph"] is w
    picture = shown[1]["data"]  # static fallback for GitHub/nbviewer, in an output front ends hide
    assert picture[WIDGET_VIEW]["model_id"] == "" and "<svg" in picture["image/svg+xml"]


SUM_CELL = "from autograd_widget import Value\nxs = [Value(float(i)) for i in range(40)]\ntotal = sum(xs)"


@pytest.mark.parametrize("line, boxed", [("", False), ("--collapse-above 20", True),
                                         ("--collapse-above 200", False), ("--collapse-above none", False),
                                         ("--collapse-above NONE", False)])
def test_collapse_above_sets_when_a_graph_is_drawn_in_boxes(ip, shown, line, boxed):
    autograd(ip, line, SUM_CELL)  # 80 nodes
    (w,) = widgets(shown)
    assert bool(w.boxes) is boxed
    if boxed:
        assert [b["name"] for b in w.boxes] == ["sum of 39 terms"] and "drawn as" in w.notice  # and xs[39]


def test_variables_name_the_nodes_and_get_sliders(ip, shown):
    autograd(ip, "", "from autograd_widget import Value\n" + SEED_CELL)
    (w,) = widgets(shown)
    assert w.root is ip.user_ns["d"]
    assert [s["label"] for s in w.sliders] == ["a", "b", "c"]
    assert {"a", "b", "c", "d"} <= set(labels(w))


def test_explicit_label_wins(ip, shown):
    autograd(ip, "", "from autograd_widget import Value\na = Value(2.0, label='x')\nb = Value(3.0)\nd = a * b")
    (w,) = widgets(shown)
    assert [s["label"] for s in w.sliders] == ["x", "b"]
    assert "a" not in labels(w)
    assert ip.user_ns["a"].label == "x"


def test_rebound_name_uses_its_latest_binding(ip, shown):
    autograd(ip, "", "from autograd_widget import Value\na = Value(1.0)\na = Value(5.0)\nd = a + a")
    (w,) = widgets(shown)
    assert [s["label"] for s in w.sliders] == ["a"]
    w.set_leaf("a", 2.0)
    assert ip.user_ns["a"].data == 2.0
    assert ip.user_ns["d"].data == 4.0


def test_output_explicit_name(ip, shown):
    autograd(ip, "e", "from autograd_widget import Value\na = Value(2.0)\ne = a * a\nf = e + a")
    (w,) = widgets(shown)
    assert w.root is ip.user_ns["e"]


def test_output_last_expression_beats_the_root(ip, shown):
    autograd(ip, "", "from autograd_widget import Value\na = Value(2.0)\ne = a * a\nf = e + a\ne")
    (w,) = widgets(shown)
    assert w.root is ip.user_ns["e"]


def test_output_several_roots_names_them_and_draws_the_largest(ip, shown, capsys):
    autograd(ip, "", "from autograd_widget import Value\na = Value(2.0)\nsmall = a * a\nbig = (a + a) * a")
    out = capsys.readouterr().out
    assert "autograd: the cell built 2 separate graphs (small, big); drawing big" in out
    (w,) = widgets(shown)
    assert w.root is ip.user_ns["big"]


def test_explicit_output_that_does_not_exist(ip, shown):
    with pytest.raises(UsageError, match="autograd: cannot find 'nothing_here'"):
        ip.run_cell_magic("autograd", "nothing_here", "zz = 1")
    assert shown == []


def test_cell_that_raises_shows_its_traceback_and_no_widget(ip, shown, capsys):
    autograd(ip, "", "from autograd_widget import Value\na = Value(1.0)\n1/0")
    out = capsys.readouterr().out
    assert "ZeroDivisionError" in out and "Traceback" in out
    assert shown == []


def test_syntax_error_shows_and_no_widget(ip, shown, capsys):
    autograd(ip, "", "a = = 1")
    assert "SyntaxError" in capsys.readouterr().out
    assert shown == []


def test_cell_without_values_says_so_in_one_line(ip, shown, capsys):
    autograd(ip, "", "x = 3\ny = [1, 2]")
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert lines == ["autograd: the cell built no Value (no variable holds an object with .data and ._prev); "
                     "to draw an existing one use %autograd NAME"]
    assert shown == []


def test_cycle_is_a_one_line_error_not_a_hang(ip, shown, capsys):
    result = autograd(ip, "", "from autograd_widget import Value\na = Value(1.0)\nb = Value(2.0)\n"
                      "class Loop:\n    data = 1.0\n    _prev = ()\nx = Loop()\ny = Loop()\n"
                      "x._prev = (y,)\ny._prev = (x,)\nz = Loop()\nz._prev = (x,)")
    assert isinstance(result.error_in_exec, UsageError)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("UsageError: autograd: the graph has a cycle")
    assert shown == []


def test_line_magic_draws_an_existing_value_and_names_it(ip, shown):
    ip.run_cell("from autograd_widget import Value\nu = Value(1.5)\nv = Value(2.0)\nL = u * v + u", store_history=True)
    ip.run_line_magic("autograd", "-o lw L")
    (w,) = widgets(shown)
    assert w is ip.user_ns["lw"] and w.root is ip.user_ns["L"]
    assert [s["label"] for s in w.sliders] == ["u", "v"]
    assert ip.user_ns["L"].label == "L"


@pytest.mark.parametrize(("line", "message"), [("", "give the Value to draw"),
                                               ("no_such_name", "cannot evaluate 'no_such_name'"),
                                               ("3 + 4", r"3 \+ 4 is not a Value \(got int;")])
def test_line_magic_bad_input(ip, shown, line, message):
    with pytest.raises(UsageError, match=message):
        ip.run_line_magic("autograd", line)
    assert shown == []


def test_options_reach_the_widget(ip, shown):
    autograd(ip, "--range -2 2 --step 0.5 --sliders a,c --rankdir TB -o w",
             "from autograd_widget import Value\n" + SEED_CELL)
    (w,) = widgets(shown)
    assert [(s["label"], s["min"], s["max"], s["step"]) for s in w.sliders] == [("a", -2, 2, 0.5), ("c", -2, 2, 0.5)]
    assert w.rankdir == "TB"


def test_unknown_slider_label_is_a_usage_error(ip, shown):
    with pytest.raises(UsageError, match="no node labelled 'zz'"):
        ip.run_cell_magic("autograd", "--sliders zz", "from autograd_widget import Value\n" + SEED_CELL)
    assert shown == []


def test_a_message_from_the_frontend_updates_kernel_objects(ip, shown):
    autograd(ip, "", "from autograd_widget import Value\n" + SEED_CELL)
    (w,) = widgets(shown)
    move(w, {ids(w)["b"]: 4.0})  # what the browser sends on release after dragging b
    ns = ip.user_ns
    assert ns["b"].data == 4.0
    assert ns["d"].data == 2.0 * 4.0 + 10.0
    assert (ns["a"].grad, ns["b"].grad, ns["c"].grad) == (4.0, 2.0, 1.0)


def test_the_cell_magic_fills_grads_by_one_backward_pass(ip, shown):
    autograd(ip, "", "from autograd_widget import Value\n" + SEED_CELL)
    ns = ip.user_ns
    assert (ns["a"].grad, ns["b"].grad, ns["c"].grad, ns["d"].grad) == (-3.0, 2.0, 1.0, 1.0)


def test_no_backward_keeps_the_cells_own_grads(ip, shown):
    autograd(ip, "--no-backward", "from autograd_widget import Value\n" + SEED_CELL + "d.grad = 1.0\nc.grad = 0.5")
    ns = ip.user_ns
    assert (ns["a"].grad, ns["b"].grad, ns["c"].grad, ns["d"].grad) == (0.0, 0.0, 0.5, 1.0)
    (w,) = widgets(shown)
    assert numbers(w)["grad"][labels(w).index("c")] == 0.5


def test_the_line_magic_draws_a_value_as_it_is(ip, shown):
    ip.run_cell("from autograd_widget import Value\nm = Value(2.0, label='m')\nn = m * m\nn.backward()\nm.grad = 99.0")
    ip.run_line_magic("autograd", "n")
    (w,) = widgets(shown)
    assert ip.user_ns["m"].grad == 99.0 and ip.user_ns["n"].grad == 1.0
    assert numbers(w)["grad"][labels(w).index("m")] == 99.0


def test_rankdir_is_case_insensitive(ip, shown):
    autograd(ip, "--rankdir tb", "from autograd_widget import Value\n" + SEED_CELL)
    (w,) = widgets(shown)
    assert w.rankdir == "TB"


def test_a_cell_that_changes_the_objects_redraws_the_widget_without_recomputing(ip, shown):
    autograd(ip, "--no-backward -o mb", "from autograd_widget import Value\n" + SEED_CELL)
    w = ip.user_ns["mb"]
    d_id = labels(w).index("d")
    ip.run_cell("d.grad = 1.0\nc.grad = 1.0  # the lecture's manual backprop, one step", store_history=True)
    assert numbers(w)["grad"][d_id] == 1.0 and numbers(w)["grad"][labels(w).index("c")] == 1.0
    ip.run_cell("a.data = 5.0", store_history=True)
    assert numbers(w)["data"][labels(w).index("a")] == 5.0
    assert numbers(w)["data"][d_id] == 4.0  # drawn as the object holds it: nothing recomputed


def test_sliders_follow_the_order_the_cell_named_them(ip, shown):
    cell = ("class V:\n    def __init__(self, data, prev=(), op=''):\n"
            "        self.data, self._prev, self._op = data, tuple(prev), op\n"
            "a = V(1.0)\nb = V(2.0)\nc = V(3.0)\nd = V(6.0, (c, V(2.0, (b, a), '*')), '*')")
    autograd(ip, "", cell)
    (w,) = widgets(shown)
    assert [s["label"] for s in w.sliders] == ["a", "b", "c"]  # a left-to-right walk would say c, b, a


def test_slider_order_is_not_taken_from_names_bound_in_earlier_cells(ip, shown):
    ip.run_cell("a = 2.0\nb = -3.0\nc = 10.0", store_history=True)  # the lecture binds these names early on
    autograd(ip, "", neuron_code(b=6.88))  # this copy has always said b = 6.88; the order is what counts
    (w,) = widgets(shown)
    assert [s["label"] for s in w.sliders] == ["x1", "x2", "w1", "w2", "b"]
    ip.run_cell("class V:\n    def __init__(self, data, prev=(), op=''):\n"
                "        self.data, self._prev, self._op = data, tuple(prev), op", store_history=True)
    ip.run_cell("c = 1", store_history=True)
    shown.clear()
    autograd(ip, "", "a = V(1.0)\nb = V(2.0)\nc = V(3.0)\nd = V(6.0, (c, V(2.0, (b, a), '*')), '*')")
    (w,) = widgets(shown)
    assert [s["label"] for s in w.sliders] == ["a", "b", "c"]  # c was bound before a, in an earlier cell
