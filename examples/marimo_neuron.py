# The lecture's neuron in marimo: `marimo edit examples/marimo_neuron.py` (or `marimo run`).
# marimo has no %%autograd: GraphWidget names unlabelled leaves after your variables itself.
import marimo

__generated_with = "0.25.2"
app = marimo.App()


@app.cell
def _():
    import marimo as mo

    from autograd_widget import GraphWidget, Value

    return GraphWidget, Value, mo


@app.cell
def _(mo):
    mo.md("""
    # A neuron, live

    `o = tanh(x1*w1 + x2*w2 + b)`, built with no labels: the widget names every node after
    the variable that holds it. Drag a slider (or a leaf's number on the drawing): the
    drawing recomputes forward and backward as you drag, and on release the leaf's new
    value is written to your object.
    """)
    return


@app.cell
def _(Value):
    x1 = Value(2.0)
    x2 = Value(0.0)
    w1 = Value(-3.0)
    w2 = Value(1.0)
    b = Value(6.8813735870195432)
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = n.tanh()
    o.backward()
    return b, n, o, w1, w2, x1, x2


@app.cell
def _(GraphWidget, mo, o):
    neuron = mo.ui.anywidget(GraphWidget(o))
    neuron
    return


@app.cell
def _(mo):
    mo.md("""
    A `Value` at the end of a cell shows its graph too (marimo's `_display_`):
    """)
    return


@app.cell
def _(n):
    n
    return


@app.cell
def _(mo):
    read = mo.ui.button(label="Read the objects")
    read
    return (read,)


@app.cell
def _(mo, o, read, w1, x2):
    read  # re-runs when the button is pressed: what the Python objects hold now
    mo.md(f"`w1.data` = {w1.data!r}, `x2.data` = {x2.data!r}, `o.data` = {o.data!r}, `w1.grad` = {w1.grad!r}")
    return


if __name__ == "__main__":
    app.run()
