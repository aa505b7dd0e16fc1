"""The lecture's neuron, o = tanh(x1*w1 + x2*w2 + b), built in one place: as Values for the
tests that hold it in this process, and as source text for the tests that send it to a kernel.

b is chosen so that n = 0.8814 and o = tanh(n) = 0.7071; one backward pass gives
x1.grad = -1.5, w1.grad = 1.0, x2.grad = 0.5, w2.grad = 0.0, b.grad = 0.5.
"""

from __future__ import annotations

from autograd_widget import Value

# The leaves, in the order the lecture makes them (and %%autograd orders their sliders).
NEURON_LEAVES = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}
# The inner nodes, one variable each, as the source text spells them.
NEURON_INNER = {"x1w1": "x1 * w1", "x2w2": "x2 * w2", "x1w1x2w2": "x1w1 + x2w2", "n": "x1w1x2w2 + b",
                "o": "n.tanh()"}


def _leaf_values(leaves: dict[str, float]) -> dict[str, float]:
    unknown = set(leaves) - set(NEURON_LEAVES)
    if unknown:
        raise TypeError(f"the neuron has no leaf {sorted(unknown)}; its leaves are {list(NEURON_LEAVES)}")
    return {**NEURON_LEAVES, **leaves}


def neuron(*, backward: bool = False, **leaves: float) -> dict[str, Value]:
    """Every node by name (x1 ... b, x1w1, x2w2, x1w1x2w2, n, o), leaves as NEURON_LEAVES unless
    given. Only the five leaves and o are labelled, as the lecture first draws it; ``backward``
    runs o.backward() so every grad is filled in."""
    v = {k: Value(x, label=k) for k, x in _leaf_values(leaves).items()}
    v["x1w1"] = v["x1"] * v["w1"]
    v["x2w2"] = v["x2"] * v["w2"]
    v["x1w1x2w2"] = v["x1w1"] + v["x2w2"]
    v["n"] = v["x1w1x2w2"] + v["b"]
    v["o"] = v["n"].tanh()
    v["o"].label = "o"
    if backward:
        v["o"].backward()
    return v


def neuron_and_leaves(**leaves: float) -> tuple[Value, dict[str, Value]]:
    """o and the five leaves by label: what a test that moves leaves holds. backward() not run."""
    v = neuron(**leaves)
    return v["o"], {k: v[k] for k in NEURON_LEAVES}


def neuron_code(labelled: bool = False, **leaves: float) -> str:
    """Source text that builds the neuron in a kernel, one variable per node, with the numbers of
    NEURON_LEAVES unless given. Unlabelled, %%autograd names the nodes from their variables;
    ``labelled`` gives each node its variable's name as label itself (for a plain GraphWidget)."""
    def label(k: str) -> str:
        return f', label="{k}"' if labelled else ""

    lines = ["from autograd_widget import Value", ""]
    lines += [f"{k} = Value({x!r}{label(k)})" for k, x in _leaf_values(leaves).items()]
    lines += [f"{k} = {formula}" + (f'; {k}.label = "{k}"' if labelled else "") for k, formula in NEURON_INNER.items()]
    return "\n".join(lines) + "\n"


# The neuron as a %%autograd cell body names it, and with every node labelled in the code.
NEURON_CODE = neuron_code()
LABELLED_NEURON_CODE = neuron_code(labelled=True)
