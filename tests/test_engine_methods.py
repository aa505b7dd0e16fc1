"""Value's op methods are generated from ops.OPS and documented from it (issue 11).

help(), IDEs and Jupyter's Shift+Tab read __name__, __qualname__, the signature and the
docstring: each must be the method's own, not ``_method.<locals>.unary``. Parametrised
over the table, so an op added there is checked here automatically.
"""

import inspect
import pydoc

import pytest

from autograd_widget import Value, engine
from autograd_widget.ops import OPS

# (op name, method name, reflected) for every method the table asks for
TABLE_METHODS = [(name, m, False) for name, op in OPS.items() for m in op.methods] + [
    (name, m, True) for name, op in OPS.items() for m in op.reflected
]


def generated_methods() -> set[str]:
    """Names of Value's attributes that are closures made by engine._method."""
    codes = {c for c in engine._method.__code__.co_consts if inspect.iscode(c)}
    assert len(codes) == 2, "expected the unary and the binary closure"
    return {n for n, f in vars(Value).items() if inspect.isfunction(f) and f.__code__ in codes}


@pytest.mark.parametrize("name", list(OPS))
def test_every_op_has_a_one_line_doc(name):
    doc = OPS[name].doc
    assert doc.strip() and "\n" not in doc, f"op {name!r} needs a one-line doc in ops.py"


def test_methods_are_exactly_the_tables():
    table = {m for _, m, _ in TABLE_METHODS}
    assert len(table) == len(TABLE_METHODS), "two ops claim the same method"
    assert generated_methods() == table


@pytest.mark.parametrize(("name", "method", "reflected"), TABLE_METHODS, ids=[m for _, m, _ in TABLE_METHODS])
def test_method_is_named_signed_and_documented(name, method, reflected):
    op = OPS[name]
    fn = getattr(Value, method)
    assert fn.__name__ == method
    assert fn.__qualname__ == f"Value.{method}"
    assert fn.__module__ == "autograd_widget.engine"
    signature = "(self)" if op.arity == 1 else "(self, other)"
    assert str(inspect.signature(fn)) == signature
    assert str(inspect.signature(getattr(Value(1.0), method))) == ("()" if op.arity == 1 else "(other)")
    doc = inspect.getdoc(fn)
    assert doc.startswith(f"{method}{signature}: {op.doc}")
    assert "\n" not in doc
    if method != name:
        assert repr(name) in doc
    if op.arity == 2:
        assert ("a = other, b = self" if reflected else "a = self, b = other") in doc
    rendered = pydoc.render_doc(fn, renderer=pydoc.plaintext)
    assert doc in rendered and "<locals>" not in rendered


def test_tanh_as_the_issue_asks():
    assert Value.tanh.__qualname__ == "Value.tanh"
    assert str(inspect.signature(Value.tanh)) == "(self)"
    assert "other" in inspect.signature(Value.__add__).parameters
    assert inspect.getdoc(Value.tanh) == "tanh(self): hyperbolic tangent; d/dx = 1 − out²"
    assert "hyperbolic tangent; d/dx = 1 − out²" in pydoc.render_doc(Value.tanh, renderer=pydoc.plaintext)


@pytest.mark.parametrize("name", list(OPS))
def test_every_ops_doc_shows_in_the_help_of_a_method_that_builds_it(name):
    """'**k' has no method of its own: a ** 3 builds it, so __pow__'s docstring carries its doc."""
    builders = [m for op_name, m, _ in TABLE_METHODS if op_name == name] + [
        m for op in OPS.values() if op.scalar_variant == name for m in op.methods
    ]
    assert builders, f"no Value method builds {name}"
    for method in builders:
        assert OPS[name].doc in inspect.getdoc(getattr(Value, method))


def test_help_of_value_names_no_local_closures():
    text = pydoc.render_doc(Value, renderer=pydoc.plaintext)
    assert "<locals>" not in text and "unary" not in text and "binary" not in text
    for _, method, _ in TABLE_METHODS:
        assert inspect.getdoc(getattr(Value, method)) in text


@pytest.mark.parametrize(("name", "method", "reflected"), TABLE_METHODS, ids=[m for _, m, _ in TABLE_METHODS])
def test_method_still_builds_its_op(name, method, reflected):
    x, y = Value(0.7), Value(1.3)
    out = getattr(x, method)(y) if OPS[name].arity == 2 else getattr(x, method)()
    assert out.op == name
    assert out.parents == ((y, x) if reflected else (x, y))[: OPS[name].arity]
    args = [p.data for p in out.parents]
    assert out.data == OPS[name].forward(*args)
