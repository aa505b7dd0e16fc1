"""trace() / draw_dot() as in the seed, escaping, and rendering with no system dot."""

import os
import random
import re
import shutil
import struct

import graphviz
import pytest

from autograd_widget import Tape, Value, draw_dot, trace
from autograd_widget.drawing import MAX_DRAWN_NODES, NUMBER_WIDTH, escape_record, escape_text, fmt, pad, visible
from autograd_widget.layout import render_svg


def seed_graph():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    return d, (a, b, c, e)


def test_trace_returns_the_seeds_sets():
    d, (a, b, c, e) = seed_graph()
    nodes, edges = trace(d)
    assert nodes == {a, b, c, e, d}
    assert edges == {(a, e), (b, e), (e, d), (c, d)}


def test_draw_dot_is_a_digraph_in_the_seed_style():
    d, _ = seed_graph()
    d.backward()
    dot = draw_dot(d)
    assert isinstance(dot, graphviz.Digraph)
    src = dot.source
    assert "rankdir=LR" in src and "shape=record" in src
    # label on top, data and grad stacked under it (LR stacks a record's fields as written)
    assert 'label="a|data\\ \\ \\ \\ \\ 2.000|grad\\ \\ \\ \\ -3.000"' in src
    assert 'label="{a|data' in draw_dot(d, rankdir="TB").source  # TB needs braces for the same stack
    assert src.count("shape=circle") == 2  # one op node per operation: * and +
    assert "rankdir=TB" in draw_dot(d, rankdir="TB").source
    with pytest.raises(ValueError, match="rankdir"):
        draw_dot(d, rankdir="sideways")


@pytest.mark.parametrize("given, used", [("tb", "TB"), ("lr", "LR"), ("Rl", "RL"), ("bt", "BT")])
def test_rankdir_is_case_insensitive(given, used):
    d, _ = seed_graph()
    assert f"rankdir={used}" in draw_dot(d, rankdir=given).source  # Graphviz would read 'lr' as TB


@pytest.mark.parametrize("rankdir", ["XY", "", 3, None])
def test_any_other_rankdir_is_a_clear_value_error(rankdir):
    d, _ = seed_graph()
    with pytest.raises(ValueError, match="rankdir must be"):
        draw_dot(d, rankdir=rankdir)


def test_svg_renders_without_a_system_dot(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on PATH, certainly no dot
    assert shutil.which("dot") is None
    d, _ = seed_graph()
    dot = draw_dot(d)
    svg = dot._repr_mimebundle_()["image/svg+xml"]
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for i in range(5):
        assert f'<g id="n{i}" class="node">' in svg
    with pytest.raises(graphviz.ExecutableNotFound):  # render() still means the system dot
        dot.pipe(format="svg")


@pytest.mark.skipif(shutil.which("dot") is None, reason="only where a system dot exists")
def test_system_dot_still_renders_as_usual(tmp_path):
    d, _ = seed_graph()
    out = draw_dot(d).render(os.fspath(tmp_path / "g"), format="svg")
    with open(out) as f:
        assert f.read().count('class="node"') == 7


NASTY = 'a<b>{c}|d"e\\f\ng'


def test_nasty_labels_are_escaped_and_drawn_literally():
    x = Value(1.0, label=NASTY)
    y = x * 2
    y.label = "}{"
    svg = draw_dot(y).svg()
    text = "\n".join(re.findall(r"<text[^>]*>(.*?)</text>", svg))
    assert "a&lt;b&gt;{c}|d&quot;e\\f" in text and "\ng\n" in "\n" + text + "\n"
    assert "}{" in text


def test_escape_record_leaves_nothing_that_splits_a_field():
    escaped = escape_record(NASTY)
    unescaped = re.sub(r"\\.", "", escaped)
    assert not set(unescaped) & set('{}|<>"\\\n')


@pytest.mark.parametrize(
    "x, text",
    [(2.0, "2.000"), (-3.0, "-3.000"), (6.8813735870195432, "6.881"), (10.0, "10.00"), (-123.456, "-123.5"),
     (1234.5678, "1235"), (123456.0, "1.235e5"), (1.234e-7, "1.234e-7"), (1e-5, "1.000e-5"), (-2.5e-7, "-2.500e-7"),
     (1e100, "1.000e100"), (float("nan"), "nan"), (float("inf"), "inf"), (float("-inf"), "-inf")],
)
def test_fmt_is_4_significant_digits_written_compactly(x, text):
    assert fmt(x) == text
    assert len(fmt(x)) <= NUMBER_WIDTH and len(pad(fmt(x))) == NUMBER_WIDTH + 1


@pytest.mark.parametrize(
    "x, text",
    [(0.0, "0.0000"), (-0.0, "0.0000"), (0.7071067811865476, "0.7071"), (-0.7071067811865476, "-0.7071"),
     (0.5, "0.5000"), (0.0123, "0.0123"), (0.001, "0.0010"), (-0.001, "-0.0010"), (0.03125, "0.0312")],
)
def test_fmt_keeps_the_lectures_4_decimals_when_no_wider(x, text):
    assert fmt(x) == text


@pytest.mark.parametrize(
    "x, text",
    [(0.00099995, "0.001000"),  # below 1e-3, 4 decimals would hide most of the value
     (0.0001235, "0.0001235"), (-0.0001235, "-1.235e-4"),  # "-0.0001235" is too wide
     (9.9995, "9.999"),  # the double is below the tie
     (9.99995, "10.00"), (999.95, "1000"), (0.99995, "1.000"),  # round up across a power of ten
     (9999.5, "1.000e4"), (1.0625, "1.062"), (1.1875, "1.188"), (12345.0, "1.234e4"),  # exact ties: to even
     (1.2345, "1.234"),  # not a tie: the double is below 1.2345
     (-1.234e-15, "-1.23e-15"), (-1e-100, "-1.0e-100"), (-1.2345e-100, "-1.2e-100"), (1.2345e-100, "1.23e-100"),
     (-1.2e-308, "-1.2e-308"), (5e-324, "4.94e-324"), (-5e-324, "-4.9e-324"),
     (1.7976931348623157e308, "1.798e308"), (-1.7976931348623157e308, "-1.80e308")],
)
def test_fmt_edges_fit_the_width(x, text):
    assert fmt(x) == text
    assert len(fmt(x)) <= NUMBER_WIDTH == 9


def test_fmt_never_exceeds_the_width():
    rng = random.Random(8)
    xs = [rng.choice([-1, 1]) * 10 ** rng.uniform(-324, 308.25) for _ in range(5000)]
    xs += [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(5000)]
    assert max(len(fmt(x)) for x in xs) == NUMBER_WIDTH


def test_too_large_a_graph_gets_a_clear_message():
    x = Value(1.0, label="x")
    y = x
    for _ in range(MAX_DRAWN_NODES):
        y = y + 1
    # tape.py refuses while walking ('more than 2,000'), to_dot on a built Tape ('2001')
    with pytest.raises(ValueError, match=r"has (more than )?[\d,]+ nodes[;,] (drawing )?more than"):
        draw_dot(y)


def test_every_number_field_is_laid_out_equally_wide():
    """The browser patches numbers in place: a field must be as wide for 2.0 as for
    -1.234e-5, or a patched number would spill out of its box."""
    xs = [Value(x, label="x") for x in (2.0, -12345.678, -1.234e-5, float("nan"), 0.0)]
    total = sum(xs[1:], xs[0])
    tape = Tape(total)
    svg = draw_dot(total).svg()
    widths = []
    for x in xs:
        group = re.search(rf'<g id="n{tape.id_of(x)}" class="node">(.*?)</g>', svg, re.S).group(1)
        corners = [float(p.split(",")[0]) for p in re.search(r'points="([^"]+)"', group).group(1).split()]
        widths.append(max(corners) - min(corners))
    assert max(widths) - min(widths) < 0.05, widths


class Foreign:
    """A learner's own Value: its op is whatever string it recorded (no rule of ours)."""

    def __init__(self, data, prev=(), op="", label=""):
        self.data, self._prev, self._op, self.label = data, set(prev), op, label


def texts(svg: str, node: str) -> list[str]:
    """The <text> lines of one node of the SVG, as written there (XML-escaped)."""
    group = re.search(rf'<g id="{node}" class="node">(.*?)</g>', svg, re.S).group(1)
    return re.findall(r"<text[^>]*>(.*?)</text>", group)


@pytest.mark.parametrize("op, drawn", [("<B>x</B>", "&lt;B&gt;x&lt;/B&gt;"), ("<lambda>", "&lt;lambda&gt;"),
                                       ('<a"\\b>', "&lt;a&quot;\\b&gt;")])
def test_op_names_are_drawn_as_text_never_as_html(op, drawn):
    """Graphviz reads a label in <...> as HTML-like: '<B>x</B>' failed, '<lambda>' lost its text."""
    y = Foreign(2.0, (Foreign(1.0, label="x"),), op, label="y")
    svg = render_svg(draw_dot(y).source)  # real Graphviz, so a syntax error would raise
    assert texts(svg, "n1op") == [drawn]


def test_a_label_that_looks_like_html_is_drawn_as_text():
    x = Value(1.0, label="<B>x</B>")
    svg = render_svg(draw_dot(x * 2).source)
    assert texts(svg, "n0")[0] == "&lt;B&gt;x&lt;/B&gt;"


def test_control_characters_are_drawn_as_control_pictures():
    """A NUL made Graphviz fail; ESC went into the SVG raw, which is not even legal XML."""
    y = Foreign(2.0, (Foreign(1.0, label="a\x00b\rc"),), "\x1b", label="t\tab\x7f")
    svg = render_svg(draw_dot(y).source)
    assert texts(svg, "n0")[:2] == ["a\u2400b", "c"]  # NUL as ␀; the lone CR breaks the line
    assert texts(svg, "n1op") == ["\u241b"]  # ESC as ␛
    assert texts(svg, "n1")[0] == "t\u2409ab\u2421"  # TAB as ␉, DEL as ␡


def test_visible_keeps_line_breaks_and_pictures_every_other_control():
    assert visible("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert visible("\x00\x01\t\x0b\x0c\x1b\x1f\x7f") == "\u2400\u2401\u2409\u240b\u240c\u241b\u241f\u2421"
    assert visible("x\x80é\u2028") == "x\x80é\u2028"  # beyond C0 and DEL: drawn as given
    assert escape_record("a\x00\r\n<b>") == "a\u2400\\n\\<b\\>"
    assert escape_text('\x1b"\\\r') == '\u241b\\"\\\\\\n'


def test_graphviz_effort_is_bounded_past_small_graphs():
    from autograd_widget.drawing import SMALL_GRAPH

    x = Value(1.0, label="x")
    small = x * 2.0
    fan = sum((x * float(i) for i in range(1, 40)), x)  # a leaf feeding many ops: minutes unbounded
    assert "nslimit" not in draw_dot(small).source  # the lecture's graphs keep Graphviz's full effort
    source = draw_dot(fan).source
    assert len(Tape(fan)) > SMALL_GRAPH and "nslimit=2" in source and "mclimit=0.3" in source
