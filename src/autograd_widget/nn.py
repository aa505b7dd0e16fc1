"""Neuron, Layer and MLP with micrograd's API.

Parameters are labelled by where they live (``L0.N2.w1``, ``L0.N2.b``) and every node a
module builds is tagged with its scope, so a big graph can be drawn collapsed by layer
and neuron.
"""

from __future__ import annotations

import random

from .engine import Value, scope

NONLINEARITIES = ("tanh", "relu", None)


class Module:
    """What Neuron, Layer and MLP share: their parameters, and zeroing their grads."""

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0 (backward() without accumulate does this itself)."""
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        """Every weight and bias, in order: layer by layer, neuron by neuron, weights then bias."""
        return []


class Neuron(Module):
    """act(w · x + b); ``nonlin`` is 'tanh', 'relu' or None (linear)."""

    def __init__(self, nin: int, nonlin: str | None = "tanh", name: str = "N"):
        if nonlin not in NONLINEARITIES:
            raise ValueError(f"nonlin must be one of {NONLINEARITIES}, got {nonlin!r}")
        self.name = name
        self.nonlin = nonlin
        self.w = [Value(random.uniform(-1, 1), label=f"{name}.w{i}") for i in range(nin)]
        self.b = Value(0.0, label=f"{name}.b")

    def __call__(self, x):
        with scope(self.name.rsplit(".", 1)[-1]):
            act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
            return getattr(act, self.nonlin)() if self.nonlin else act

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        kind = self.nonlin or "linear"
        return f"{kind.capitalize()}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons on the same ``nin`` inputs; called on one input, their outputs (one
    Value when ``nout`` is 1)."""

    def __init__(self, nin: int, nout: int, nonlin: str | None = "tanh", name: str = "L"):
        self.name = name
        self.neurons = [Neuron(nin, nonlin, name=f"{name}.N{j}") for j in range(nout)]

    def __call__(self, x):
        with scope(self.name.rsplit(".", 1)[-1]):
            out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """``MLP(3, [4, 4, 1])``: hidden layers use ``nonlin``; the last is linear unless
    ``last_nonlin`` says otherwise (the lecture's net uses tanh throughout:
    ``MLP(3, [4, 4, 1], last_nonlin="tanh")``)."""

    def __init__(self, nin: int, nouts: list[int], nonlin: str | None = "tanh",
                 last_nonlin: str | None = None):
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin if i < len(nouts) - 1 else last_nonlin, name=f"L{i}")
            for i in range(len(nouts))
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
