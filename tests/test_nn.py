"""Neuron, Layer, MLP: micrograd's API, labelled parameters, scopes."""

import random

import pytest

from autograd_widget import Tape, Value, gradcheck
from autograd_widget.nn import MLP, Layer, Neuron


def test_mlp_shape_and_parameter_count():
    model = MLP(3, [4, 4, 1])
    assert len(model.parameters()) == (3 * 4 + 4) + (4 * 4 + 4) + (4 + 1)
    out = model([2.0, 3.0, -1.0])
    assert isinstance(out, Value)
    assert len(Layer(3, 2)([1.0, 2.0, 3.0])) == 2


def test_parameters_are_labelled_by_place():
    model = MLP(3, [4, 4, 1])
    labels = [p.label for p in model.parameters()]
    assert labels[:4] == ["L0.N0.w0", "L0.N0.w1", "L0.N0.w2", "L0.N0.b"]
    assert "L0.N2.w1" in labels and labels[-1] == "L2.N0.b"
    assert len(set(labels)) == len(labels)


def test_nodes_built_inside_carry_their_scope():
    model = MLP(2, [3, 1])
    out = model([Value(1.0, label="x0"), Value(-1.0, label="x1")])
    tape = Tape(out)
    scopes = {s for s in tape.scopes if s}
    assert scopes == {"L0.N0", "L0.N1", "L0.N2", "L1.N0"}
    assert tape.scopes[tape.id_of("x0")] is None  # built outside any module


@pytest.mark.parametrize("nonlin, op", [("tanh", "tanh"), ("relu", "relu")])
def test_nonlinearity_choice(nonlin, op):
    n = Neuron(2, nonlin=nonlin)
    assert n([1.0, 2.0]).op == op
    assert Neuron(2, nonlin=None)([1.0, 2.0]).op == "+"
    with pytest.raises(ValueError, match="nonlin"):
        Neuron(2, nonlin="swish")


def test_zero_grad_and_training_reduces_the_lecture_loss():
    random.seed(1)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    model = MLP(3, [4, 4, 1], last_nonlin="tanh")

    def loss():
        return sum((model(x) - y) ** 2 for x, y in zip(xs, ys))

    first = loss().data
    for _ in range(30):
        L = loss()
        model.zero_grad()
        L.backward()
        for p in model.parameters():
            p.data -= 0.05 * p.grad
    assert loss().data < first / 5
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_mlp_loss_passes_gradcheck():
    random.seed(2)
    model = MLP(2, [3, 1])
    assert gradcheck(model([Value(0.5, label="x0"), Value(-0.2, label="x1")]))
