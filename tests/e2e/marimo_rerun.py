# A marimo notebook for tests/e2e/test_marimo_browser.py: a slider re-runs a cell that ends with a
# Value and a cell that shows mo.ui.anywidget(GraphWidget(c)); "Count" says how many GraphWidgets
# are alive, how many open, and what the closed ones hold (its n-th press answers "count n: ...").
import marimo

app = marimo.App()


@app.cell
def _():
    import gc

    import marimo as mo

    from autograd_widget import GraphWidget, Value

    return GraphWidget, Value, gc, mo


@app.cell
def _(mo):
    k = mo.ui.slider(1, 50, value=1, label="k")
    k
    return (k,)


@app.cell
def _(Value, k):
    a = Value(float(k.value))
    b = Value(2.0)
    c = a * b
    c
    return (c,)


@app.cell
def _(GraphWidget, c, mo):
    mo.ui.anywidget(GraphWidget(c))
    return


@app.cell
def _(mo):
    count = mo.ui.button(value=0, on_click=lambda n: n + 1, label="Count")
    count
    return (count,)


@app.cell
def _(GraphWidget, count, gc, mo):
    count
    gc.collect()
    widgets = [o for o in gc.get_objects() if isinstance(o, GraphWidget)]
    closed = [w for w in widgets if w.comm is None]
    held = sum(len(w.svg) + len(w.tape) + len(w.kernel_state) for w in closed)
    mo.md(f"count {count.value}: widgets open {len(widgets) - len(closed)}, closed {len(closed)}, "
          f"closed ones hold {held}")
    return


if __name__ == "__main__":
    app.run()
