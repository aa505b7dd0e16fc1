"""find_values: which Values a cell built, their names, and which one to draw (no IPython)."""

import time
from unittest import mock

import pytest
from micrograd.engine import Value as MicrogradValue
from seed_notebook import CountingValue, counting_chain
from seed_notebook import SeedValue as Seed

from autograd_widget import Value
from autograd_widget.naming import bound_values, find_values, is_value_like, label_graph, roots_of, walk


class Slotted:
    __slots__ = ("_prev", "data")

    def __init__(self, data, prev=()):
        self.data, self._prev = data, tuple(prev)


def run(code, ns=None, **kwargs):
    """Run code as a cell would, returning (namespace, Found)."""
    ns = {"Seed": Seed, "Value": Value, "MicrogradValue": MicrogradValue} if ns is None else ns
    before = dict(ns)
    exec(code, ns)
    return ns, find_values(before, ns, **kwargs)


def test_variables_name_their_nodes():
    ns, found = run("a = Seed(2.0)\nb = Seed(-3.0)\nc = Seed(10.0)\nd = a*b + c")
    assert found.output is ns["d"]
    assert found.output_name == "d"
    assert {n: ns[n].label for n in "abcd"} == {"a": "a", "b": "b", "c": "c", "d": "d"}
    assert sorted(found.labelled) == ["a", "b", "c", "d"]
    assert found.message == ""
    product = next(p for p in ns["d"]._prev if p is not ns["c"])
    assert product.label == ""  # a temporary has no name to take


def test_explicit_label_wins_and_is_never_overwritten():
    ns, found = run("a = Seed(2.0, label='x')\nb = Seed(-3.0)\nd = a*b\nd.label = 'out'")
    assert ns["a"].label == "x"
    assert ns["d"].label == "out"
    assert ns["b"].label == "b"
    assert found.labelled == ["b"]


def test_none_label_counts_as_empty():
    ns, _ = run("a = Seed(1.0, label=None)\nb = a + a")
    assert ns["a"].label == "a"


def test_rebound_name_means_its_latest_binding():
    ns, found = run("a = Seed(1.0)\nfirst = a\na = Seed(5.0)\nd = a + first")
    assert found.values["a"] is ns["a"]
    assert ns["a"].data == 5.0 and ns["a"].label == "a"
    assert ns["first"].label == "first"  # the old object keeps only the name still bound to it


def test_rebinding_an_old_name_counts_as_built_by_the_cell():
    ns = {"Seed": Seed}
    exec("a = Seed(1.0)", ns)
    _, found = run("a = Seed(2.0)", ns)
    assert found.values == {"a": ns["a"]}
    assert found.output is ns["a"]


def test_names_bound_before_the_cell_still_label_the_drawn_graph():
    ns = {"Seed": Seed}
    exec("a = Seed(2.0)\nb = Seed(3.0)\nunused = Seed(0.0)", ns)
    _, found = run("d = a * b", ns)
    assert set(found.values) == {"d"}  # only d is new
    assert (ns["a"].label, ns["b"].label) == ("a", "b")  # but the graph's leaves get names
    assert ns["unused"].label == ""  # not in the drawn graph, not built by the cell


def test_private_and_ipython_names_are_ignored():
    ns = {"Seed": Seed}
    before = dict(ns)
    v = Seed(1.0)
    ns.update({"_": v, "__": v, "_i3": v, "_7": v, "Out": {7: v}, "In": [v], "_hidden": v})
    found = find_values(before, ns)
    assert found.output is None
    assert found.values == {}
    assert v.label == ""
    assert "no Value" in found.message


def test_ignore_argument_hides_names():
    ns = {"Seed": Seed}
    before = dict(ns)
    ns["shown"] = Seed(1.0)
    ns["secret"] = Seed(2.0)
    found = find_values(before, ns, ignore={"secret"})
    assert list(found.values) == ["shown"]


def test_cell_that_builds_no_value_says_so_in_one_line():
    _, found = run("x = 3\ny = [1, 2]")
    assert found.output is None
    assert found.message.startswith("the cell built no Value")
    assert "\n" not in found.message


def test_explicit_output_beats_last_expression_and_roots():
    ns, found = run("a = Seed(2.0)\nb = a + a\nc = Seed(7.0)", output="a", last=None)
    assert found.output is ns["a"]
    assert found.output_name == "a"
    assert found.message == ""


def test_explicit_output_may_be_an_expression():
    ns, found = run("xs = [Seed(1.0), Seed(2.0)]\ns = xs[0] + xs[1]", output="xs[1]")
    assert found.output is ns["xs"][1]
    assert found.output_name == "xs[1]"


def test_explicit_output_that_is_missing_or_not_a_value():
    with pytest.raises(LookupError, match="cannot find 'L'"):
        run("a = Seed(1.0)", output="L")
    with pytest.raises(TypeError, match=r"n is not a Value \(got int;"):
        run("n = 3", output="n")


def test_last_expression_beats_the_single_root():
    ns, _ = run("a = Seed(2.0)\nb = Seed(3.0)\nd = a * b")
    found = find_values({}, ns, last=ns["a"])
    assert found.output is ns["a"]
    assert found.output_name == "a"


def test_last_expression_without_a_name_is_drawn():
    ns = {"Seed": Seed}
    before = dict(ns)
    exec("a = Seed(2.0)\nb = Seed(3.0)", ns)
    tmp = ns["a"] * ns["b"]
    found = find_values(before, ns, last=tmp)
    assert found.output is tmp
    assert found.output_name == ""
    assert (ns["a"].label, ns["b"].label) == ("a", "b")


def test_last_expression_that_is_not_a_value_is_ignored():
    ns, _ = run("a = Seed(2.0)\nd = a + a")
    found = find_values({}, ns, last=42)
    assert found.output is ns["d"]


def test_several_roots_draw_the_largest_and_name_them_all():
    ns, found = run("x = Seed(1.0)\na = Seed(2.0)\nb = Seed(3.0)\nL = a * b + x\nM = a + b")
    assert found.roots == ["L", "M"]
    assert found.output is ns["L"]
    assert found.message == ("the cell built 2 separate graphs (L, M); drawing L (the largest graph, 5 nodes). "
                             "Pick another with %%autograd NAME")
    assert ns["M"].label == "M"  # found Values are named even when not drawn


def test_tied_roots_draw_the_later_name():
    ns, found = run("p = Seed(1.0)\nq = Seed(2.0)")
    assert found.roots == ["p", "q"]
    assert found.output is ns["q"]
    assert "drawing q" in found.message


def test_values_inside_containers_are_found_and_named():
    ns, found = run("ws = [Seed(0.5), Seed(-1.0)]\nd = {'bias': Seed(0.1)}\nout = ws[0] * ws[1] + d['bias']")
    assert found.output is ns["out"]
    assert [w.label for w in ns["ws"]] == ["ws[0]", "ws[1]"]
    assert ns["d"]["bias"].label == "d['bias']"


def test_a_variable_name_beats_a_container_path():
    ns, _ = run("w = Seed(0.5)\nws = [w]\nout = w * w")
    assert ns["w"].label == "w"


def test_one_object_under_two_names_takes_the_first():
    ns, _ = run("x = y = Seed(1.0)\nz = x + y")
    assert ns["x"].label == "x"


def test_cycle_raises_instead_of_hanging():
    ns = {"Seed": Seed}
    before = dict(ns)
    exec("a = Seed(1.0)\nb = Seed(2.0)\nc = a + b\na._prev = {c}", ns)
    start = time.perf_counter()
    with pytest.raises(ValueError, match="cycle"):
        find_values(before, ns)
    assert time.perf_counter() - start < 1.0
    assert ns["c"].label == ""  # nothing is labelled when the graph is rejected


def test_cycle_below_a_root_raises():
    ns = {"Seed": Seed}
    before = dict(ns)
    exec("a = Seed(1.0)\nb = a + a\na._prev = {b}\nroot = b * b", ns)
    with pytest.raises(ValueError, match="cycle"):
        find_values(before, ns)


def test_micrograd_value_gets_labels():
    ns, found = run("a = MicrogradValue(2.0)\nb = MicrogradValue(-3.0)\nL = (a * b).relu()")
    assert found.output is ns["L"]
    assert (ns["a"].label, ns["b"].label, ns["L"].label) == ("a", "b", "L")


def test_our_engine_value_with_constants():
    ns, found = run("x = Value(3.0)\ny = 2 * x ** 2")
    assert found.output is ns["y"]
    assert ns["x"].label == "x" and ns["y"].label == "y"
    assert len(walk([ns["y"]])) == 4  # x, 2, x**2, y


def test_object_without_a_label_slot_is_drawn_unnamed():
    ns, found = run("s = Slotted(1.0)\nt = Slotted(2.0, [s])", ns={"Slotted": Slotted})
    assert found.output is ns["t"]
    assert found.labelled == []
    assert found.output_name == "t"


def test_value_likeness_is_duck_typed_but_strict():
    assert is_value_like(Seed(1.0))
    assert is_value_like(MicrogradValue(1))
    assert is_value_like(Value(1.0))
    assert not is_value_like(Value)  # the class has both attributes as descriptors
    assert not is_value_like(mock.MagicMock())
    assert not is_value_like(3.0)
    assert not is_value_like(type("Half", (), {"data": 1.0})())


def test_bound_values_and_roots_helpers():
    a, b = Seed(1.0), Seed(2.0)
    c = a + b
    ns = {"a": a, "b": b, "c": c, "pair": (a, 5), "_c": c}
    assert bound_values(ns) == {"a": a, "b": b, "c": c, "pair[0]": a}
    assert roots_of({"a": a, "b": b, "c": c}) == ["c"]
    assert label_graph(c, {"c": c, "a": a}) == ["c", "a"]
    assert (a.label, b.label, c.label) == ("a", "", "c")


def test_a_huge_graph_is_refused_before_anything_walks_it_all():
    from autograd_widget.tape import TooLarge

    x = counting_chain(50_000)
    small = CountingValue(1.0, label="s")
    for output, last in ((None, None), ("x", None), (None, x)):
        CountingValue.looks.clear()
        with pytest.raises(TooLarge, match="more than 100 nodes"):
            find_values({}, {"x": x, "small": small}, last=last, output=output, limit=100)
        looks = len(CountingValue.looks)
        assert looks < 2_000, f"{looks} parent look-ups to refuse (output={output}, last={last})"
    assert x.label == ""  # refused before labelling: the chain's root got no name


def test_many_values_beside_a_huge_graph_do_not_buy_a_longer_walk():
    from autograd_widget.tape import TooLarge

    x = counting_chain(50_000)
    xs = [CountingValue(float(i)) for i in range(1_000)]
    for after in ({"xs": xs, "x": x}, {"x": x, "xs": xs}):
        CountingValue.looks.clear()
        with pytest.raises(TooLarge):
            find_values({}, after, limit=100)
        assert len(CountingValue.looks) < 5_000, f"{len(CountingValue.looks)} parent look-ups to refuse"
