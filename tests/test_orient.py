"""orient.py: LR unless it cannot be read in a notebook column, then whichever reads best."""

from graphs import NEURON_LEAVES, neuron
from seed_notebook import SeedValue

from autograd_widget import GraphWidget, Value
from autograd_widget.orient import COLUMN_PX, fit_scale, lay_out, readable
from autograd_widget.tape import Tape


def chain(n):
    x = Value(1.0, label="x")
    for k in range(n):
        x = x * 1.01
        x.label = f"x{k}"
    return x


def balanced_sum(n):
    """Wide and shallow: n leaves summed pairwise."""
    terms = [Value(float(i), label=f"a{i}") for i in range(n)]
    while len(terms) > 1:
        terms = [terms[k] + terms[k + 1] for k in range(0, len(terms), 2)]
    return terms[0]


def test_the_lectures_graphs_stay_left_to_right_and_readable():
    a, b, c = SeedValue(2.0, label="a"), SeedValue(-3.0, label="b"), SeedValue(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    rankdir, svg = lay_out(Tape(d))
    assert rankdir == "LR" and fit_scale(svg) == 1.0
    o = neuron(**dict.fromkeys(NEURON_LEAVES, 1.0))["o"]  # every leaf 1.0: the shape is what counts here
    rankdir, svg = lay_out(Tape(o))
    assert rankdir == "LR" and readable(fit_scale(svg))


def test_a_long_chain_turns_top_to_bottom_when_that_reads_better():
    rankdir, svg = lay_out(Tape(chain(12)))
    lr = lay_out(Tape(chain(12)), "LR")[1]
    wide = (COLUMN_PX[0], None)
    assert not readable(fit_scale(lr, wide))  # too wide to read left to right
    assert rankdir == "TB" and readable(fit_scale(svg, wide))  # readable at the column's width, scrolling down


def test_a_wide_shallow_graph_stays_left_to_right():
    rankdir, svg = lay_out(Tape(balanced_sum(16)))
    tb = lay_out(Tape(balanced_sum(16)), "TB")[1]
    assert rankdir == "LR" and fit_scale(svg) > fit_scale(tb)  # top to bottom it is 16 leaves wide


def test_asking_wins_in_any_case():
    assert lay_out(Tape(chain(12)), "lr")[0] == "LR"
    assert GraphWidget(chain(12), rankdir="LR").rankdir == "LR"
    assert GraphWidget(chain(12)).rankdir == "TB"


def test_fit_scale_reads_the_svg_size():
    w, h = COLUMN_PX
    assert fit_scale(f'<svg width="{w * 3 / 4 * 2}pt" height="10pt">') == 0.5
    assert fit_scale(f'<svg width="10pt" height="{h * 3 / 4 * 4}pt">') == 0.25
    assert fit_scale('<svg width="10pt" height="10pt">') == 1.0
    assert fit_scale(f'<svg width="10pt" height="{h * 3 / 4 * 4}pt">', (w, None)) == 1.0
