"""``%%autograd`` and ``%autograd``: run a cell, name its Values, show a live GraphWidget.

Thin on purpose: parse the options, run the cell through the shell, hand the namespace
to ``naming.find_values`` and the chosen Value to ``GraphWidget``.
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from .boxes import COLLAPSE_ABOVE, MAX_NODES
from .drawing import MAX_DRAWN_NODES, RANKDIRS
from .engine import Value
from .glimpse import show_glimpse
from .naming import bound_values, find_values, is_value_like, label_graph
from .sliders import check_range, check_step, leaf_order
from .tape import Tape, TooLarge, checked_order


def _threshold(text: str) -> int | None:
    if text.lower() == "none":
        return None
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"give a whole number of nodes >= 1, or none; got {text!r}")
    return int(text)


def _labels(text: str) -> list[str]:
    labels = [s.strip() for s in text.split(",") if s.strip()]
    if not labels:
        raise argparse.ArgumentTypeError("give leaf labels separated by commas, e.g. a,b")
    return labels


@contextmanager
def _values_hidden(shell):
    """While the cell runs, a Value it displays (its last expression, say) shows nothing:
    its graph would be built before the names exist, its repr before the grads are filled,
    and the magic shows the named graph right after. ``_``, ``Out`` and history are unchanged."""
    formatter = shell.display_formatter.ipython_display_formatter
    previous = formatter.for_type(Value, lambda obj: None)
    try:
        yield
    finally:
        if previous is None:
            formatter.pop(Value, None)
        else:
            formatter.for_type(Value, previous)


def _in_name_order(tape: Tape, names: dict) -> list | None:
    """For a class that keeps no birth order (ours does: then None, the widget's own order
    stands), the labelled leaves with those ``names`` holds first, in its order: the order
    the cell bound them, even where a set-based ``_prev`` forgets the expression's."""
    leaves = [i for i in tape.leaves if tape.labels[i]]
    if all(hasattr(tape.nodes[i], "birth") for i in leaves):
        return None
    leaves = leaf_order(tape, leaves)
    position: dict[int, int] = {}
    for k, v in enumerate(names.values()):
        position.setdefault(id(v), k)
    return [tape.nodes[i] for i in sorted(leaves, key=lambda i: position.get(id(tape.nodes[i]), len(position)))]


@magics_class
class AutogradMagics(Magics):
    @magic_arguments()
    @argument("expr", nargs="*", help="cell: the variable (or expression) to draw; default: the last expression "
              "if it is a Value, else the graph's root. Line: the Value-like expression to draw, e.g. %%autograd L")
    @argument("--range", nargs=2, type=float, metavar=("LO", "HI"),
              help="slider range for every leaf (default: [-5, 5] around small values)")
    @argument("--step", type=float, default=None, help="slider step (default 0.01)")
    @argument("--sliders", type=_labels, metavar="a,b", help="only these leaves get sliders (by label)")
    @argument("--rankdir", type=str.upper, choices=RANKDIRS, default=None,
              help="draw left to right (LR) or top to bottom (TB), any case; default: whichever fits the "
              "notebook column at a readable size")
    @argument("--collapse-above", type=_threshold, default=COLLAPSE_ABOVE, metavar="N",
              help=f"draw a graph of more than N nodes in boxes that open on a click (default {COLLAPSE_ABOVE}); "
              "'none': never (then graphs over 2,000 nodes are refused)")
    @argument("--no-backward", action="store_true",
              help="keep the grads the cell left (by default %%%%autograd runs one backward pass from the drawn root)")
    @argument("-o", "--output", metavar="NAME", help="also store the GraphWidget in variable NAME")
    @line_cell_magic
    def autograd(self, line: str, cell: str | None = None):
        """Draw a micrograd-style graph as a live widget with a slider on every leaf.

        %%autograd [options] [NAME] runs the cell like any other cell, names the Values
        it built after their variables (explicit labels win), fills every grad by one
        backward pass from the drawn root (unless --no-backward) and shows the graph of
        NAME, else of the cell's last expression if it is a Value, else of its root.
        %autograd [options] EXPR shows the graph of an existing Value as it is: its data
        and grads are drawn, never rewritten.
        Any object with .data and ._prev works (._op, .grad, .label when present).
        Graphs of more than --collapse-above nodes (150) are drawn in boxes that open on a
        click; graphs of more than 200,000 nodes (boxes.MAX_NODES) are refused at once, with a one-line
        reason and a picture of the 100 nodes nearest the output.
        """
        args = parse_argstring(self.autograd, line)  # bad options: UsageError, the cell never runs
        try:
            if args.range:
                check_range("--range", args.range)
            if args.step is not None:
                check_step(args.step)
        except ValueError as exc:
            raise UsageError(f"autograd: {exc}") from None
        expr = " ".join(args.expr)
        limit = MAX_DRAWN_NODES if args.collapse_above is None else MAX_NODES
        if cell is None:
            root, names = self._existing(expr, limit)
        else:
            root, names = self._run(cell, expr, limit)
        if root is None:
            return
        # %%autograd is the explicit "explore this" command: it shows every slope
        self._show(root, names, args, backward=cell is not None and not args.no_backward)

    def _run(self, cell: str, expr: str, limit: int):
        ns = self.shell.user_ns
        before = dict(ns)
        with _values_hidden(self.shell):
            result = self.shell.run_cell(cell)
        if result.error_before_exec is not None or result.error_in_exec is not None:
            return None, {}  # the shell has shown the traceback; nothing more to say
        try:
            found = find_values(before, ns, last=result.result, output=expr or None,
                                ignore=self.shell.user_ns_hidden, limit=limit)
        except TooLarge as exc:
            output = ns.get(expr) if expr else result.result
            if limit == MAX_NODES and is_value_like(output):
                show_glimpse(output, exc)
                return None, {}
            raise UsageError(f"autograd: {exc}") from None
        except (LookupError, TypeError, ValueError) as exc:
            raise UsageError(f"autograd: {exc}") from None
        if found.message:
            print(f"autograd: {found.message}")
        return found.output, found.values  # the names this cell bound, in the order it bound them

    def _existing(self, expr: str, limit: int):
        if not expr:
            raise UsageError("autograd: give the Value to draw, e.g. %autograd L (or use %%autograd on a cell)")
        try:
            root = self.shell.ev(expr)
        except Exception as exc:
            raise UsageError(f"autograd: cannot evaluate {expr!r} ({type(exc).__name__}: {exc})") from None
        if not is_value_like(root):
            raise UsageError(f"autograd: {expr} is not a Value (got {type(root).__name__}; "
                             "a Value has .data and ._prev)")
        try:
            checked_order(root, limit=limit)  # refuses a huge graph before anything walks it
        except TooLarge as exc:
            if limit != MAX_NODES:
                raise UsageError(f"autograd: {exc}") from None
            show_glimpse(root, exc)
            return None, {}
        except (TypeError, ValueError) as exc:
            raise UsageError(f"autograd: {exc}") from None
        names = bound_values(self.shell.user_ns, self.shell.user_ns_hidden)
        label_graph(root, names)
        return root, names

    def _show(self, root, names: dict, args, backward: bool) -> None:
        from IPython.display import display

        from .layout import LayoutError
        from .widget import DEFAULT_STEP, GraphWidget

        try:
            tape = Tape(root, limit=MAX_DRAWN_NODES if args.collapse_above is None else MAX_NODES)
            if backward:
                tape.write_grads()
            widget = GraphWidget(tape, ranges=tuple(args.range) if args.range else None,
                                 step=args.step or DEFAULT_STEP, rankdir=args.rankdir, sliders=args.sliders,
                                 collapse_above=args.collapse_above, order=_in_name_order(tape, names))
        except (KeyError, TypeError, ValueError, LayoutError) as exc:
            raise UsageError(f"autograd: {exc.args[0] if isinstance(exc, KeyError) else exc}") from None
        if args.output:
            self.shell.user_ns[args.output] = widget
        display(widget)
