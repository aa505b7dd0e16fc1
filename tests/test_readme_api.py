"""README's "Python API" section says what the code does: every signature it gives is the
code's (names, order, defaults) and has a docstring, every public name is in it, and the
magic's options are the parser's. A renamed parameter or a new default fails here until the README follows."""

import ast
import inspect
import re
from pathlib import Path

import pytest

import autograd_widget
from autograd_widget import GraphWidget, Tape, Value, nn
from autograd_widget.magic import AutogradMagics

README = Path(__file__).parents[1] / "README.md"
ENTRY = re.compile(r"`((?:\w+\.)?\w+)\(([^`]*)\)`")  # `name(args)` or `Class.method(args)`
OWNERS = (autograd_widget, nn, Value, Tape, GraphWidget, nn.Module)  # where a bare name may live


def api_section() -> str:
    text = README.read_text()
    start = text.index("## Python API")
    return text[start:text.index("\n## ", start + 1)]


def resolve(name: str):
    owner_name, _, attr = name.rpartition(".")
    owners = [getattr(autograd_widget, owner_name, None) or getattr(nn, owner_name)] if owner_name else OWNERS
    for owner in owners:
        if hasattr(owner, attr):
            return getattr(owner, attr)
    raise AssertionError(f"README's API names `{name}`, which the package does not have")


def documented(args: str) -> tuple[list[str], list[tuple[str, object]]]:
    call = ast.parse(f"f({args})", mode="eval").body
    return [a.id for a in call.args], [(k.arg, ast.literal_eval(k.value)) for k in call.keywords]


def actual(obj) -> tuple[list[str], list[tuple[str, object]]]:
    params = [p for p in inspect.signature(obj).parameters.values()
              if p.name != "self" and not p.name.startswith("_") and p.kind is not p.VAR_KEYWORD]
    return ([p.name for p in params if p.default is p.empty],
            [(p.name, p.default) for p in params if p.default is not p.empty])


ENTRIES = ENTRY.findall(api_section())


@pytest.mark.parametrize(("name", "args"), ENTRIES, ids=[name for name, _ in ENTRIES])
def test_each_signature_in_the_readme_is_the_code_s(name, args):
    obj = resolve(name)
    assert documented(args) == actual(obj), f"README: {name}({args})"
    assert inspect.getdoc(obj), f"{name} has no docstring (help() and Shift+Tab show it)"


def test_every_public_name_is_in_the_readme():
    names = {name.rpartition(".")[2] for name, _ in ENTRIES}
    public = set(autograd_widget.__all__) - {"__version__"}
    public |= {"Neuron", "Layer", "MLP", "backward", "set_leaf", "add_slider", "expand", "collapse", "close"}
    assert public <= names, f"not in README's Python API: {sorted(public - names)}"


def test_the_magic_s_options_are_the_parser_s():
    line = re.search(r"`%%autograd ([^`]*)`", api_section()).group(1)
    shown = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", line))
    actions = [a for a in AutogradMagics.autograd.parser._actions if a.option_strings and a.dest != "help"]
    options = {opt for a in actions for opt in a.option_strings}
    assert shown <= options, f"README shows options the magic does not have: {sorted(shown - options)}"
    missing = [a.option_strings for a in actions if not shown & set(a.option_strings)]
    assert not missing, f"the magic's options missing from README: {missing}"
