"""The seed's finite-difference cells, and gradcheck."""

import pytest

from autograd_widget import Value, central_slope, gradcheck, slope
from autograd_widget.numeric import GradcheckError


def f(x):
    return 3 * x**2 - 4 * x + 5


@pytest.mark.parametrize("x, expected", [(3.0, 14.0), (-3.0, -22.0), (2 / 3, 0.0)])
def test_seed_slopes_of_the_parabola(x, expected):
    assert slope(f, x, h=0.001) == pytest.approx(expected, abs=0.01)  # the seed's h
    assert central_slope(f, x) == pytest.approx(expected, abs=1e-6)


def test_forward_difference_error_shrinks_with_h_central_with_h_squared():
    forward_err = abs(slope(f, 3.0, h=1e-3) - 14.0)
    central_err = abs(central_slope(f, 3.0, h=1e-3) - 14.0)
    assert forward_err == pytest.approx(3e-3, rel=0.01)  # f'' h / 2 = 6 * 1e-3 / 2
    assert central_err < 1e-8


def test_seed_d_equals_ab_plus_c_slopes():
    def d(a=2.0, b=-3.0, c=10.0):
        return a * b + c

    h = 0.0001
    assert slope(lambda a: d(a=a), 2.0, h) == pytest.approx(-3.0, abs=1e-6)
    assert slope(lambda b: d(b=b), -3.0, h) == pytest.approx(2.0, abs=1e-6)
    assert slope(lambda c: d(c=c), 10.0, h) == pytest.approx(1.0, abs=1e-6)


def test_slopes_agree_with_backprop_on_the_seed_graph():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    d = a * b + c
    assert gradcheck(d)
    assert (a.grad, b.grad, c.grad) == (0.0, 0.0, 0.0)  # it checked backprop and wrote nothing
    d.backward()
    assert gradcheck(d, held=True)


def test_gradcheck_held_checks_the_grads_you_set_and_keeps_them():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    d = a * b
    d.grad, a.grad, b.grad = 1.0, 99.0, 2.0  # a manual backprop with a mistake in a
    with pytest.raises(GradcheckError, match=r"a: held 99.0, finite difference -2.99999"):
        gradcheck(d, held=True)
    assert (a.grad, b.grad, d.grad) == (99.0, 2.0, 1.0)


def test_gradcheck_leaves_data_as_it_was():
    a = Value(0.3, label="a")
    y = (a * 3).tanh() + a.exp()
    before = y.data
    assert gradcheck(y)
    assert a.data == 0.3 and y.data == before


def test_gradcheck_catches_a_wrong_rule(monkeypatch):
    from autograd_widget import ops

    wrong = ops.Op(1, ops.math.tanh, lambda o, a: (1.0 - o,), ("tanh",))  # forgot the square
    monkeypatch.setitem(ops.OPS, "tanh", wrong)
    a = Value(0.5, label="a")
    with pytest.raises(GradcheckError, match="a: backprop"):
        gradcheck(a.tanh())
    assert gradcheck(a.tanh(), raise_exception=False) is False


def test_the_widgets_numeric_check_judges_as_gradcheck_does():
    """js/probe.js's Numeric check and gradcheck() share h and the agreement rule."""
    import inspect
    import re
    from pathlib import Path

    js = (Path(__file__).parent.parent / "js" / "probe.js").read_text()
    shared = re.search(r"GRADCHECK = \{ h: ([\d.e-]+), rtol: ([\d.e-]+), atol: ([\d.e-]+) \}", js)
    assert shared, "probe.js names gradcheck()'s defaults"
    defaults = inspect.signature(gradcheck).parameters
    assert [float(x) for x in shared.groups()] == [defaults[k].default for k in ("h", "rtol", "atol")]
    assert "atol + rtol * Math.abs(numeric)" in js  # numeric.py: atol + rtol * abs(numeric)
