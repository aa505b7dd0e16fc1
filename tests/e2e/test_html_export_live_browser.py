"""The HTML export WITH widget state, opened in Chromium with no kernel, as if the CDN were reachable.

nbconvert's page loads require.js from cdnjs and @jupyter-widgets/html-manager from unpkg; the
html-manager renders every view from the saved widget state and asks require.js for each
model's module: first ``anywidget`` next to the page (a miss), then its own CDN fallback,
jsdelivr's ``anywidget@<range>/dist/index.js`` (anywidget ships an AMD build there). There is
no internet here, so ``page.route`` serves those URLs from the same packages installed from
the npm registry (a session fixture, into a temporary directory): the versions the page asks
for, read from the exported HTML and the state.

What the page then does (and what is asserted): each GraphWidget renders from the state alone —
its drawing with the saved numbers, a slider per leaf — next to its static picture, so each graph
shows twice. A drag recomputes the drawing in the browser (the JS evaluator needs no kernel), the
message to the kernel goes nowhere (the html-manager's models have no comm), and after
LOST_AFTER_MS unanswered the widget says it is not connected. The picture never changes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter
from notebooks import WIDGET_STATE
from test_html_export_state import GRAPHS, run_with_state

from .lab import save_artifacts
from .test_graph_widget import drag_slider, slider_value
from .test_trust_browser import SYNC, node, wait_node, wait_sync

pytestmark = pytest.mark.e2e

NOT_CONNECTED = "not connected to the kernel — the drawing is no longer synced"  # js/widget.js
PAGE = "http://export.test/graphs.html"  # no server: page.route serves the HTML too
MATHJAX = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"  # nbconvert's; nothing here needs it
JSDELIVR = "https://cdn.jsdelivr.net/npm/"  # the html-manager's fallback for a widget's module


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    """The HTML export of the notebook run with widget state, and the CDN URLs it needs."""
    nb = nbformat.read(run_with_state(tmp_path_factory.mktemp("nb"), tmp_path_factory.mktemp("kernels")),
                       as_version=4)
    html, _ = HTMLExporter().from_notebook_node(nb)
    require = re.search(r'<script src="(https://cdnjs[^"]*/require\.js/([^/"]+)/require\.min\.js)"', html)
    manager = re.search(r"var widgetRendererSrc = '((https://[^']*/)@jupyter-widgets/html-manager@([^/']+)/dist/)"
                        r"embed-amd\.js';", html)
    assert require and manager, "nbconvert's page loads require.js and the html-manager from a CDN"
    ranges = {(m["model_module"], m["model_module_version"])
              for m in nb.metadata.widgets[WIDGET_STATE]["state"].values()}
    [anywidget] = [v for k, v in ranges if k == "anywidget"]
    path = tmp_path_factory.mktemp("export") / "graphs.html"
    path.write_text(html)
    return {"path": path, "require_url": require[1], "require": require[2], "manager_url": manager[1],
            "manager": manager[3], "anywidget": anywidget}


@pytest.fixture(scope="module")
def cdn(exported, tmp_path_factory) -> Path:
    """node_modules with what the page asks the CDNs for, from the npm registry."""
    npm = shutil.which("npm")
    assert npm, "npm is needed to install the html-manager, require.js and anywidget the export loads"
    where = tmp_path_factory.mktemp("cdn")
    done = subprocess.run([npm, "install", "--prefix", str(where), "--no-audit", "--no-fund", "--ignore-scripts",
                           f"@jupyter-widgets/html-manager@{exported['manager']}", f"requirejs@{exported['require']}",
                           f"anywidget@{exported['anywidget']}"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"npm install failed:\n{done.stdout}\n{done.stderr}"
    return where / "node_modules"


@pytest.fixture
def opened(browser, exported, cdn, request):
    """The exported page, its CDN URLs served from ``cdn``; yields (page, served, refused, console)."""
    files = {
        PAGE: exported["path"],
        exported["require_url"]: cdn / "requirejs" / "require.js",
    }
    prefixes = {
        exported["manager_url"]: cdn / "@jupyter-widgets" / "html-manager" / "dist",
        f"{JSDELIVR}anywidget@{exported['anywidget']}/dist/": cdn / "anywidget" / "dist",
    }
    served, refused, console = [], [], []

    def local(url: str) -> Path | None:
        if url in files:
            return files[url]
        for prefix, folder in prefixes.items():
            if url.startswith(prefix):
                return folder / url[len(prefix):]
        return None

    def handle(route):
        url, f = route.request.url, local(route.request.url)
        if f is not None and f.is_file():
            served.append(url)
            route.fulfill(status=200, body=f.read_bytes(),
                          content_type="text/html" if f.suffix == ".html" else "application/javascript")
        else:
            refused.append(url)
            route.abort()

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.on("console", lambda m: console.append((m.type, m.text)))
    pg.on("pageerror", lambda e: console.append(("pageerror", str(e))))
    pg.route("**/*", handle)
    try:
        pg.goto(PAGE)
        yield pg, served, refused, console
    finally:
        if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            lines = [f"[{t}] {x}" for t, x in console] + [f"served {u}" for u in served] + \
                    [f"refused {u}" for u in refused]
            save_artifacts(pg, request.config.rootpath / "test-artifacts", stem, lines)
        context.close()


def labels_of_sliders(pg, widget: int) -> list[str]:
    return pg.evaluate("""(i) => [...document.querySelectorAll('.agw')[i]
      .querySelectorAll('.agw-sliders input[type=range]')].map(r => r.getAttribute('aria-label'))""", widget)


def wait_rendered(pg) -> None:
    pg.wait_for_function("() => document.querySelectorAll('.agw .agw-sliders input[type=range]').length === 9")


def test_the_live_widget_renders_from_the_saved_state(opened, exported):
    pg, served, refused, console = opened
    wait_rendered(pg)
    # every GraphWidget, in its view's output, in cell order: sliders and the saved numbers
    assert pg.locator(".agw").count() == 3
    assert pg.evaluate("""() => [...document.querySelectorAll('.agw')].map(a => {
      const out = a.closest('.jupyter-widgets');
      return !!out && !!out.querySelector('script[type="application/vnd.jupyter.widget-view+json"]');
    })""") == [True] * 3
    for i, (sliders, values) in enumerate(GRAPHS):
        assert labels_of_sliders(pg, i) == sliders
        for label, (data, grad) in values.items():
            assert node(pg, i, label) == pytest.approx((data, grad), abs=1e-9), (i, label)
        assert pg.evaluate(SYNC, i) == "ok"
        assert pg.locator(".agw").nth(i).locator(".agw-status").inner_text() == ""
    # ...and next to each, its static picture: every graph shows twice on this page
    pictures = pg.locator('.jp-RenderedSVG[data-mime-type="image/svg+xml"] img')
    assert pictures.count() == 3
    for i in range(3):
        assert pictures.nth(i).evaluate("img => img.complete && img.naturalWidth > 0 && img.height > 0")

    # what the page fetched: the four served, and two misses that change nothing
    assert sorted(set(served)) == sorted({PAGE, exported["require_url"], exported["manager_url"] + "embed-amd.js",
                                          f"{JSDELIVR}anywidget@{exported['anywidget']}/dist/index.js"})
    misses = {u for u in refused if not u.startswith(MATHJAX)}
    assert misses == {"http://export.test/anywidget.js"}, refused  # require.js looks next to the page first
    errors = [x for t, x in console if t in ("error", "pageerror")]
    assert errors == ["Failed to load resource: net::ERR_FAILED"] * len(refused), console
    fallbacks = [x for t, x in console if x.startswith("Falling back to ")]
    assert fallbacks == [f"Falling back to {JSDELIVR} for anywidget@{exported['anywidget']}"] * 3, console


def test_a_drag_recomputes_in_the_browser_then_says_not_connected(opened):
    pg, _served, _refused, console = opened
    wait_rendered(pg)
    picture = pg.locator('.jp-RenderedSVG[data-mime-type="image/svg+xml"] img').nth(1).get_attribute("src")
    # d = a*b + c (the %%autograd cell, backward run): drag a
    slider = pg.locator('.agw').nth(1).locator('input[type="range"][aria-label="a"]')
    drag_slider(pg, slider, 0.8)
    a = slider_value(slider)
    assert a != 2.0
    wait_node(pg, 1, "d", a * -3.0 + 10.0, timeout=5)  # the evaluator, in the browser
    assert node(pg, 1, "a") == pytest.approx((a, -3.0), abs=1e-9)
    assert node(pg, 1, "b") == pytest.approx((-3.0, a), abs=1e-9)  # b.grad = a, recomputed here
    assert pg.evaluate(SYNC, 1) in ("pending", "lost")  # sent; nobody answers (lost 3 s later: a slow run)
    wait_sync(pg, 1, "lost", timeout=10)
    root = pg.locator(".agw").nth(1)
    assert root.locator(".agw-status").inner_text() == NOT_CONNECTED
    assert "agw-lost" in root.get_attribute("class")
    assert node(pg, 1, "d")[0] == pytest.approx(a * -3.0 + 10.0, abs=1e-9), "the drawing keeps the drag"
    assert [pg.evaluate(SYNC, i) for i in (0, 2)] == ["ok", "ok"], "only the widget that sent is lost"

    # an exact value does the same: q = p*p follows at once
    box = pg.locator('.agw').nth(2).locator('input[aria-label="p exact value"]')
    box.fill("4")
    box.press("Enter")
    wait_node(pg, 2, "q", 16.0, timeout=5)
    wait_sync(pg, 2, "lost", timeout=10)
    assert pg.locator(".agw").nth(2).locator(".agw-status").inner_text() == NOT_CONNECTED
    # the static picture is the saved one; sending threw nothing
    assert pg.locator('.jp-RenderedSVG[data-mime-type="image/svg+xml"] img').nth(1).get_attribute("src") == picture
    assert not [x for t, x in console if t == "pageerror" or "autograd-widget" in x], console
