"""Python and the browser replay the same graphs and must agree.

Random graphs (fixed seed) over every op in ``ops.OPS`` — reused nodes, ``a + a``, deep
chains, negative bases, values that give NaN and infinities — are serialised with
``Tape.to_json`` together with new leaf values, replayed by ``js/evaluator.js`` (through
``js/replay-cli.js``) and by ``Tape.replay``, and compared: data and grad to 1e-12
relative, NaN to NaN, infinities by sign, stale flags exactly.

One allowance: V8's exp, log and pow differ from the C library's in the last bit for
about one input in ten, and a graph that cancels (1 - tanh(x)**2 near x = 3, a grad
summing +1e8 and -1e8) turns that bit into any relative error at all. So Python also
replays each graph with every op result nudged by one ulp, at random, a few times; a
node whose value moves that much under such nudges may differ by as much in JS. Where
nothing cancels the nudged replays agree with the plain one and the 1e-12 bound rules.
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from autograd_widget import tape as tape_module
from autograd_widget.engine import Value
from autograd_widget.ops import OPS, display
from autograd_widget.tape import Tape, json_number

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / "js" / "replay-cli.js"
GRAPHS_PER_OP = 90  # x 12 ops, plus the unknown-op family: well over 1,000 graphs
UNKNOWN_GRAPHS = 120
REL = 1e-12
NUDGED_REPLAYS = 4
SPREAD_FACTOR = 8  # JS may differ by this many times what one-ulp nudges move a value
NAMES = list(OPS)
ARGS = [2.0, 3.0, -1.0, 0.5, -0.5, 0.0, 1.0, 1.5, -2.0, 4.0, 0.25, 7.0]


def leaf_value(rng: random.Random) -> float:
    r = rng.random()
    if r < 0.12:
        return rng.choice([0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5])
    if r < 0.15:
        return rng.choice([math.inf, -math.inf, math.nan])
    if r < 0.3:
        return rng.uniform(-40.0, 40.0)
    return rng.gauss(0.0, 2.0)


def make(name: str, parents: list, arg: float | None):
    """A node of op ``name``, built from the table alone so a new op is covered too."""
    op = OPS[name]
    xs = [p.data for p in parents] + ([arg] if op.param else [])
    return Value(op.forward(*xs), tuple(parents), _op=display(name, arg))


def pick_parents(rng: random.Random, nodes: list, arity: int, chain: bool) -> list:
    first = nodes[-1] if chain else rng.choice(nodes[-6:] if rng.random() < 0.6 else nodes)
    if arity == 1:
        return [first]
    if rng.random() < 0.15:
        return [first, first]  # a + a, a * a: one node used twice
    second = rng.choice(nodes)
    return [first, second] if rng.random() < 0.5 else [second, first]


def random_graph(rng: random.Random, target: str) -> Value:
    chain = rng.random() < 0.15
    leaves = [Value(leaf_value(rng), label=f"x{i}") for i in range(rng.randint(1, 5))]
    nodes = list(leaves)
    for k in range(rng.randint(300, 800) if chain else rng.randint(1, 30)):
        name = target if k == 0 or rng.random() < 0.4 else rng.choice(NAMES)
        op = OPS[name]
        arg = rng.choice(ARGS) if op.param else None
        nodes.append(make(name, pick_parents(rng, nodes, 1 if op.param else op.arity, chain), arg))
    used = {id(p) for v in nodes for p in v.parents}
    root, *rest = [v for v in reversed(nodes) if id(v) not in used]
    for v in rest:  # so the root depends on every node built
        root = make(rng.choice(["+", "*", "-"]), [root, v], None)
    return root


class Duck:
    """A micrograd-style node of someone else's class: ``_op`` strings, maybe unknown."""

    def __init__(self, data, prev=(), op="", label=""):
        self.data, self._prev, self._op, self.grad, self.label = data, prev, op, 0.0, label


def unknown_graph(rng: random.Random) -> Duck:
    """Known ops mixed with ops no side has a rule for, so stale semantics are compared."""
    nodes = [Duck(leaf_value(rng), label=f"x{i}") for i in range(rng.randint(1, 4))]
    for _ in range(rng.randint(2, 25)):
        r = rng.random()
        if r < 0.15:
            nodes.append(Duck(rng.gauss(0, 3), (rng.choice(nodes),), "mystery"))
        elif r < 0.2:
            nodes.append(Duck(rng.gauss(0, 3), tuple(rng.choice(nodes) for _ in range(3)), "+"))
        else:
            name = rng.choice(NAMES)
            op = OPS[name]
            arg = rng.choice(ARGS) if op.param else None
            ps = pick_parents(rng, nodes, 1 if op.param else op.arity, False)
            data = op.forward(*[p.data for p in ps], *([arg] if op.param else []))
            prev = set(ps) if rng.random() < 0.2 else tuple(ps)  # micrograd keeps a set
            nodes.append(Duck(data, prev, display(name, arg)))
    used = {id(p) for v in nodes for p in v._prev}
    root, *rest = [v for v in reversed(nodes) if id(v) not in used]
    for v in rest:
        root = Duck(root.data + v.data, (root, v), "+")
    return root


def new_values(rng: random.Random, tape: Tape) -> dict:
    values = {}
    for i in tape.leaves:
        r = rng.random()
        if r < 0.6:
            values[i] = leaf_value(rng)
        elif r < 0.7:
            values[i] = tape.data[i]  # set, but to the value it has: not a change
    return values


def nudged_table(rng: random.Random) -> dict:
    """OPS with every nonzero finite result moved one ulp up or down: another libm."""

    def nudge(x: float) -> float:
        return math.nextafter(x, rng.choice((-math.inf, math.inf))) if x and math.isfinite(x) else x

    return {
        name: dataclasses.replace(
            op,
            forward=lambda *xs, f=op.forward: nudge(f(*xs)),
            local=lambda *xs, f=op.local: tuple(nudge(d) for d in f(*xs)),
        )
        for name, op in OPS.items()
    }


def case(rng: random.Random, root) -> tuple[dict, Tape, list[Tape]]:
    """The JSON the browser gets, Python's replay, and the nudged replays."""
    shown, plain, *nudged = (Tape(root) for _ in range(2 + NUDGED_REPLAYS))  # before any replay writes back
    values = new_values(rng, plain)
    plain.replay(values)
    for t in nudged:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(tape_module, "OPS", nudged_table(rng))  # Tape.forward/backward read it per call
            t.replay(values)
    return {"tape": shown.to_json(), "values": {str(i): json_number(x) for i, x in values.items()}}, plain, nudged


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """Every case built in Python, replayed by both sides: {family: [(python Tape, js result)]}."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("`node` is not on PATH: the JS/Python parity test needs Node.js 20+ (https://nodejs.org)")
    rng = random.Random(20240607)
    families = {name: [case(rng, random_graph(rng, name)) for _ in range(GRAPHS_PER_OP)] for name in OPS}
    families["unknown"] = [case(rng, unknown_graph(rng)) for _ in range(UNKNOWN_GRAPHS)]
    path = tmp_path_factory.mktemp("parity") / "cases.json"
    cases = [c for fam in families.values() for c, _, _ in fam]
    path.write_text(json.dumps({"cases": cases}, allow_nan=False))
    proc = subprocess.run([node, str(CLI), str(path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"replay-cli.js failed:\n{proc.stderr}"
    out = json.loads(proc.stdout)
    results = iter(out["results"])
    return out["ops"], {k: [(py, nudged, next(results)) for _, py, nudged in fam] for k, fam in families.items()}


def agree(x: float, y, spread: float = 0.0) -> bool:
    y = float(y)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return x == y or abs(x - y) <= max(REL * max(abs(x), abs(y)), SPREAD_FACTOR * spread)


def close_to_python(x: float, nudged: list[float], js) -> bool:
    """js agrees with Python's x, or lies within what one-ulp nudges do to x (a nudged
    replay may also cross an overflow edge: then agreeing with it is enough)."""
    finite = [abs(v - x) for v in nudged if math.isfinite(v)] if math.isfinite(x) else []
    return agree(x, js, max(finite, default=0.0)) or any(agree(v, js) for v in nudged)


def check(py: Tape, nudged: list[Tape], js: dict, where: str) -> None:
    assert js["stale_data"] == py.stale_data, f"{where}: stale_data"
    assert js["stale_grad"] == py.stale_grad, f"{where}: stale_grad"
    for i in range(len(py)):
        x, got = py.data[i], js["data"][i]
        assert close_to_python(x, [t.data[i] for t in nudged], got), (
            f"{where}: data of node {i} ({py.ops[i]}): {x!r} vs {got!r}"
        )
        # a stale grad too: both sides keep its last known value
        x, got = py.grad[i], js["grad"][i]
        assert close_to_python(x, [t.grad[i] for t in nudged], got), (
            f"{where}: grad of node {i} ({py.ops[i]}): {x!r} vs {got!r}"
        )


def test_both_sides_have_the_same_op_table(replayed):
    js_ops, _ = replayed
    assert set(js_ops) == set(OPS), (
        f"only in ops.py: {set(OPS) - set(js_ops)}; only in ops.js: {set(js_ops) - set(OPS)}"
    )


@pytest.mark.parametrize("name", list(OPS))
def test_js_replays_like_python(replayed, name):
    _, families = replayed
    cases = families[name]
    assert len(cases) == GRAPHS_PER_OP
    assert all(name in py.ops for py, _, _ in cases), f"every graph of this family uses {name!r}"
    for k, (py, nudged, js) in enumerate(cases):
        check(py, nudged, js, f"{name!r} graph {k}")


def test_unknown_ops_are_stale_alike(replayed):
    _, families = replayed
    cases = families["unknown"]
    assert any(any(py.stale_data) for py, _, _ in cases), "some graphs must have stale data to compare"
    assert any(not all(py.known) for py, _, _ in cases)
    for k, (py, nudged, js) in enumerate(cases):
        check(py, nudged, js, f"unknown-op graph {k}")


def test_the_graphs_cover_what_they_claim(replayed):
    """The generator really makes NaN, infinities, reuse and deep chains (else the parity above is weak)."""
    _, families = replayed
    tapes = [py for fam in families.values() for py, _, _ in fam]
    assert len(tapes) >= 1000
    assert any(math.isnan(x) for t in tapes for x in t.data)
    assert any(math.isinf(x) for t in tapes for x in t.data)
    assert any(math.isinf(g) or math.isnan(g) for t in tapes for g in t.grad)
    assert any(len(ps) == 2 and ps[0] == ps[1] for t in tapes for ps in t.parents)
    assert any(len(t) > 300 for t in tapes)
    assert any(op == "**" and t.data[ps[0]] < 0 for t in tapes for op, ps in zip(t.ops, t.parents))
