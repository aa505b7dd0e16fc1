"""Big graphs drawn small: boxes, each standing for one node and what only it uses.

Graphviz needs ~1 s for 1,000 drawn nodes and ~10 s for 4,000, and nobody reads 65,000
boxes anyway: above a threshold the drawing shows *boxes* and lays out only those.

The rule is structural, so it holds for any micrograd-style graph: a box is a node together
with every node that reaches the root only through it — its subtree in the graph's
*dominator tree* read from the root. A box so has exactly one output, and its numbers are
that node's data and grad; opening it shows its direct members, where bigger boxes nest.
Two refinements make the boxes the ones a person would draw:

- Scopes: the nodes one call of an ``nn`` module made (neuron L0.N2 on one input point:
  ``engine.Scope``) form one box named after it, drawn flat when opened; a box never
  reaches into another call's scope, so a neuron's box is that neuron, not the network
  feeding it.
- Chains: ``sum()`` of 100 per-point losses is a chain of 100 '+' nodes, each the partial
  sum before it. The first view opens the chain's last link only: the last term is drawn
  and the 99 before it are one box ("sum of 99 terms") — one example, not 100 copies.
- Layers: the neuron boxes of one layer call (scopes sharing an outer call, ``L1`` on one
  point) are held in one *layer box*, the only kind with several outputs (its neurons'),
  numbered after the tape's nodes. It opens by itself in the first view while its
  neurons fit (at most WIDE_LAYER of them, within the threshold); a wider layer, whose
  neurons would be a column too tall to read and a mesh of edges, stays one box until
  a person opens it.
"""

from __future__ import annotations

import heapq

from .ops import display

COLLAPSE_ABOVE = 150  # nodes: a bigger graph is drawn in boxes
MAX_NODES = 200_000  # the biggest graph a widget takes (README: time to read and send it)
FOLD_MIN = 8  # a chain of this many same-op nodes is folded: only its last link opens by itself
CHAIN_OPS = {"+": "sum of {} terms", "*": "product of {} factors"}
OPEN_BUDGET = 60  # nodes a click may add by opening the boxes inside the one clicked, too
WIDE_LAYER = 16  # a layer of more neurons opens only when asked: one column of them fills the view


class Boxes:
    """The box tree of a Tape: ``owner[v]`` is the box v is drawn in when that box is open
    (-1 for the root), ``size[b]`` the nodes box b stands for, ``name(b)`` what it says.
    Ids from ``len(tape)`` on are layer boxes: ``outputs[b]`` lists their neurons' outputs."""

    def __init__(self, tape):
        self.tape = tape
        n = len(tape)
        self.root = n - 1
        idom = _dominators(tape.parents, n)
        self.scope = _scope_members(tape, idom)
        # the first dominator of each node that lies in no call's scope (the root always counts)
        free = [0] * n
        for v in range(n - 1, -1, -1):
            free[v] = v if v == self.root or self.scope[v] < 0 else free[idom[v]]
        owner = [-1] * n
        for v in range(n - 1):
            s = self.scope[v]
            owner[v] = s if 0 <= s != v else free[idom[v]]
        self.owner = owner
        self.size = [1] * n
        self.members: list[list[int]] = [[] for _ in range(n)]
        for v in range(n - 1):
            self.size[owner[v]] += self.size[v]
            self.members[owner[v]].append(v)
        self.chain = _chain_lengths(tape, owner)
        self.outputs: dict[int, list[int]] = {}
        self._layer_scope: dict[int, object] = {}
        self._group_layers()
        self.order = self._top_down()

    def _group_layers(self) -> None:
        """Put the neuron boxes of each layer call that share a box (one point's) in a layer box."""
        n, t = len(self.tape), self.tape
        calls: dict[tuple[int, int], list[int]] = {}
        for b in range(n):
            outer = getattr(t.scopes[b], "outer", None) if self.scope[b] == b else None
            if outer is not None:
                calls.setdefault((id(outer), self.owner[b]), []).append(b)
        for (_, o), neurons in calls.items():
            if len(neurons) < 2:
                continue
            g = len(self.owner)
            self.outputs[g] = neurons
            self._layer_scope[g] = t.scopes[neurons[0]].outer
            self.owner.append(o)
            self.size.append(sum(self.size[b] for b in neurons))
            self.members.append(neurons)
            grouped = set(neurons)
            self.members[o] = [m for m in self.members[o] if m not in grouped] + [g]
            self.chain.append(1)
            for b in neurons:
                self.owner[b] = g

    def _top_down(self) -> list[int]:
        """Every id but the root's, each after the box it is drawn in."""
        order, placed = [], set()
        for v in range(len(self.tape) - 2, -1, -1):
            o = self.owner[v]
            if o in self.outputs and o not in placed:
                placed.add(o)
                order.append(o)
            order.append(v)
        return order

    def is_layer(self, b: int) -> bool:
        return b in self.outputs

    def is_box(self, b: int) -> bool:
        return self.size[b] > 1

    def is_scope(self, b: int) -> bool:
        return b < len(self.scope) and self.scope[b] == b

    def name(self, b: int) -> str:
        t = self.tape
        if self.is_layer(b):
            return str(self._layer_scope[b])
        if self.is_scope(b):
            return str(t.scopes[b])
        if t.labels[b]:
            return t.labels[b]
        if t.ops[b] in CHAIN_OPS and self.chain[b] >= 2:
            return CHAIN_OPS[t.ops[b]].format(self._terms(b))
        return display(t.ops[b], t.args[b]) if t.parents[b] else f"node {b}"

    def _terms(self, b: int) -> int:
        """The terms of the chain ending at b, not counting the 0 that ``sum()`` starts from
        (or the 1 of a product): the learner summed their values, not it."""
        t, op = self.tape, self.tape.ops[b]
        first = b
        while True:  # down the chain to its first node
            below = next((p for p in t.parents[first] if self.owner[p] == first and t.ops[p] == op
                          and t.parents[p]), None)
            if below is None:
                break
            first = below
        start = 0.0 if op == "+" else 1.0
        implicit = any(not t.parents[p] and not t.labels[p] and t.data[p] == start for p in t.parents[first])
        return self.chain[b] + 1 - implicit

    def is_link(self, b: int) -> bool:
        """b is a partial result inside a long chain (not its last node): opened only on request."""
        o = self.owner[b]
        return (o >= 0 and self.chain[b] >= FOLD_MIN - 1 and self.tape.ops[o] == self.tape.ops[b]
                and b in self.tape.parents[o])

    def first_view(self, threshold: int) -> set[int]:
        """Which boxes are open at first: the biggest plain boxes first, as long as the drawing
        stays within ``threshold`` nodes; scopes and chain links stay closed."""
        return self.open_inside(self.root, {self.root}, threshold)

    def open_inside(self, b: int, expanded: set[int], budget: int) -> set[int]:
        """Open box b, then the biggest plain boxes inside it while that adds at most
        ``budget`` drawn nodes. Returns the new set of open boxes."""
        expanded = {*expanded, b}
        drawn = self._opened_cost(b)
        heap = [(-self.size[k], k) for k in self.members[b] if self._opens_itself(k)]
        heapq.heapify(heap)
        while heap:
            _, k = heapq.heappop(heap)
            added = self._opened_cost(k)
            if drawn + added > budget:
                continue
            expanded.add(k)
            drawn += added
            for m in self.members[k]:
                if self._opens_itself(m):
                    heapq.heappush(heap, (-self.size[m], m))
        return expanded

    def _opened_cost(self, b: int) -> int:
        """Nodes opening b draws, leaves aside: most are inputs of closed boxes, not drawn."""
        n, parents = len(self.tape), self.tape.parents
        return sum(1 for m in self.members[b] if m >= n or parents[m])

    def _opens_itself(self, b: int) -> bool:
        if self.is_layer(b):
            return len(self.outputs[b]) <= WIDE_LAYER
        return self.is_box(b) and not self.is_scope(b) and not self.is_link(b)

    def close(self, b: int, expanded: set[int]) -> set[int]:
        """Close box b and every box open inside it."""
        return {e for e in expanded if e == self.root or not self._inside(e, b)}

    def _inside(self, e: int, b: int) -> bool:
        while e >= 0:
            if e == b:
                return True
            e = self.owner[e]
        return False


class View:
    """What is drawn for a set of open boxes: ``drawn`` (node ids, in tape order), of which
    ``closed`` are closed boxes; ``edges`` (from, to) between drawn ids. ``framed``: the open
    boxes drawn inside a frame (a Graphviz cluster) — the ones a person opened, which they
    can close again; boxes opened along with them are drawn flat, without a frame."""

    def __init__(self, boxes: Boxes, expanded: set[int], framed: set[int] = frozenset()):
        tape, owner, n, every = boxes.tape, boxes.owner, len(boxes.tape), len(boxes.owner)
        root = boxes.root
        expanded = {root, *expanded}
        rep = list(range(every))  # the drawn element that shows node v: itself or a closed box
        shown = [True] * every  # v is drawn as itself (open, or as a closed box)
        for v in boxes.order:
            o = owner[v]
            shown[v] = shown[o] and o in expanded
            if not shown[v]:
                rep[v] = o if shown[o] else rep[o]
        closed = {v for v in range(every) if shown[v] and boxes.is_box(v) and v not in expanded}
        # a leaf whose every consumer is inside a closed box is one of those boxes' inputs: not drawn
        used = [False] * n
        edges = set()
        for v in range(n):
            e = rep[v]
            for p in tape.parents[v]:
                r = rep[p]
                if r != e:
                    edges.add((r, e))
                    if e == v and v not in closed:
                        used[r] = True
        hidden = {v for v in range(n) if shown[v] and not tape.parents[v] and not used[v] and v != root}
        self.boxes = boxes
        self.expanded = expanded
        # an open layer box is only its frame: its neurons are drawn, it has no node of its own
        self.drawn = [v for v in range(every) if shown[v] and v not in hidden and not (v >= n and v in expanded)]
        self.closed = closed
        self.edges = sorted((a, b) for a, b in edges if a not in hidden)
        self.framed = sorted(b for b in framed if b in expanded and b != root and shown[b])
        self._frames = set(self.framed)

    def __len__(self) -> int:
        return len(self.drawn)

    def frame_of(self, v: int) -> int:
        """The innermost frame v is drawn in (its own, for an open framed box); -1: none."""
        o = v
        while o >= 0:
            if o in self._frames:
                return o
            o = self.boxes.owner[o]
        return -1

    def box_specs(self) -> list[dict]:
        """The boxes drawn, for the browser: id (the output node), name, size, expanded (framed),
        and a layer box's outputs."""
        bx = self.boxes
        specs = [{"id": b, "name": bx.name(b), "size": bx.size[b], "expanded": b not in self.closed}
                 for b in sorted(self.closed | set(self.framed))]
        for s in specs:
            if bx.is_layer(s["id"]):
                s["outputs"] = bx.outputs[s["id"]]
        return specs

    def layers(self) -> dict[int, list[int]]:
        """The layer boxes drawn (closed, or open in a frame) and their outputs."""
        bx = self.boxes
        return {b: bx.outputs[b] for b in sorted(self.closed | set(self.framed)) if bx.is_layer(b)}


def _dominators(parents, n: int) -> list[int]:
    """Immediate dominator of every node towards the root (the last node): the nearest node
    every path from it to the root passes through. Nodes come in topological order, so a
    dominator always has a larger id (Cooper, Harvey and Kennedy's intersection)."""
    idom = [-1] * n
    first = [-1] * n  # one consumer of each node, then the running intersection
    root = n - 1
    idom[root] = root
    consumers: list[list[int] | None] = [None] * n
    for i, ps in enumerate(parents):
        for p in ps:
            if first[p] < 0:
                first[p] = i
            elif first[p] != i:
                more = consumers[p]
                if more is None:
                    consumers[p] = [i]
                elif more[-1] != i:
                    more.append(i)
    for v in range(n - 2, -1, -1):
        d = first[v]
        for c in consumers[v] or ():
            a = c
            while a != d:
                while a < d:
                    a = idom[a]
                while d < a:
                    d = idom[d]
        idom[v] = d
    idom[root] = -1
    return idom


def _scope_members(tape, idom) -> list[int]:
    """For each node, the output of the scope call it belongs to (-1: none). A call's output
    is its last node; its members are its nodes that reach the root only through it."""
    key = [None if s is None else id(s) for s in tape.scopes]
    last: dict[int, int] = {}
    for v, k in enumerate(key):
        if k is not None:
            last[k] = v
    member = [-1] * len(key)
    for v in range(len(key) - 1, -1, -1):
        k = key[v]
        if k is None:
            continue
        out = last[k]
        if v == out or member[idom[v]] == out:
            member[v] = out
    return member


def _chain_lengths(tape, owner) -> list[int]:
    """How many same-op nodes end at each node along its own members ('+' of '+' of ...)."""
    chain = [1] * len(owner)
    for v, ps in enumerate(tape.parents):
        op = tape.ops[v]
        for p in ps:
            if owner[p] == v and tape.ops[p] == op and tape.parents[p]:
                chain[v] = max(chain[v], chain[p] + 1)
    return chain
