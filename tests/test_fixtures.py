"""The committed JS test fixtures (js/fixtures/*.json) are exactly what their generators make.

Each generator is loaded by path and its ``fixtures()`` ({file name: text}) called in-process,
twice, so a generator whose output is not reproducible fails here too, not only a stale file.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "js" / "fixtures"
GENERATORS = ["make_widget_fixtures.py", "make_fmt_cases.py"]


def load(generator: str):
    """The generator module, imported from its file (js/fixtures is not a package)."""
    path = FIXTURES / generator
    spec = importlib.util.spec_from_file_location(f"_agw_fixture_{path.stem}", path)
    assert spec is not None and spec.loader is not None, f"cannot load {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def command(generator: str) -> str:
    return f"PYTHONPATH=src python js/fixtures/{generator}  (from the repo root)"


def first_difference(a: str, b: str, names=("committed", "generated")) -> str:
    """Where two texts first differ: the line, and a little of each side around it."""
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    line = a.count("\n", 0, at) + 1
    around = slice(max(0, at - 40), at + 60)
    return f"line {line}:\n  {names[0]}: {a[around]!r}\n  {names[1]}: {b[around]!r}"


@pytest.fixture(scope="module", params=GENERATORS)
def generated(request):
    """(generator, {file name: text}), after checking two runs agree."""
    module = load(request.param)
    first, second = module.fixtures(), module.fixtures()
    assert first, f"js/fixtures/{request.param} generated no files"
    for name in first:
        assert first[name] == second.get(name), (
            f"js/fixtures/{request.param} is not deterministic: two runs give different js/fixtures/{name}\n"
            + first_difference(first[name], second.get(name, ""), ("run 1", "run 2"))
        )
    assert first.keys() == second.keys()
    return request.param, first


def test_committed_fixtures_are_what_the_generator_makes(generated):
    generator, files = generated
    for name, text in files.items():
        path = FIXTURES / name
        assert path.is_file(), f"js/fixtures/{name} is missing; generate it with: {command(generator)}"
        committed = path.read_bytes()
        if committed != text.encode("utf-8"):
            pytest.fail(
                f"js/fixtures/{name} differs from what js/fixtures/{generator} generates "
                f"(edited by hand, or the code it comes from changed). Regenerate it with:\n"
                f"    {command(generator)}\n" + first_difference(committed.decode("utf-8", errors="replace"), text),
                pytrace=False,
            )


def test_every_json_fixture_has_a_generator():
    made = {name for generator in GENERATORS for name in load(generator).fixtures()}
    committed = {p.name for p in FIXTURES.glob("*.json")}
    assert committed <= made, f"js/fixtures has JSON no generator here makes: {sorted(committed - made)}"


def test_widget_graphs_have_ordered_parents():
    """Node order follows each node's parents in order; a set of parents would make it follow id()."""
    graphs = load("make_widget_fixtures.py").GRAPHS
    for name, make in graphs.items():
        seen, todo = set(), [make()]
        while todo:
            v = todo.pop()
            if id(v) in seen:
                continue
            seen.add(id(v))
            parents = getattr(v, "parents", None)
            if parents is None:
                parents = v._prev
            assert isinstance(parents, (tuple, list)), (
                f"{name}: node {getattr(v, 'label', v)!r} keeps its parents in a {type(parents).__name__}, "
                "so the fixture's node order would depend on id()"
            )
            todo.extend(parents)
