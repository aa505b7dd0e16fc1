"""Fixtures for the browser tests: one JupyterLab and one Chromium per session, a fresh
browser context per test, and a screenshot + page HTML in test-artifacts/ when a test fails.

A missing Chromium or JupyterLab is an error, never a skip: CI installs both.
Browser: $AUTOGRAD_WIDGET_CHROMIUM (default /usr/bin/chromium).
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import sync_playwright

from .lab import Lab, Notebook, Notebook7, NotebookServer, launch_chromium, save_artifacts


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    with Lab(tmp_path_factory.mktemp("jupyterlab")) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        chromium = launch_chromium(p)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def watched_page(browser, server, request):
    """A new page in a fresh context; when the test fails, its screenshot, HTML, console and the
    server log go to test-artifacts/. The server's kernels are shut down afterwards."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    console = []
    pg.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    pg.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    try:
        yield pg
    finally:
        failed = any(getattr(request.node, f"rep_{w}", None) is not None and getattr(request.node, f"rep_{w}").failed
                     for w in ("setup", "call"))
        if failed:
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            saved = save_artifacts(pg, request.config.rootpath / "test-artifacts", stem, console, server)
            print("artifacts:", *(str(p) for p in saved), sep="\n  ")
        context.close()
        server.shutdown_kernels()


def notebook_name(request) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", request.node.name) + ".ipynb"


@pytest.fixture
def page(browser, lab, request):
    """A new JupyterLab page (see watched_page)."""
    with watched_page(browser, lab, request) as pg:
        yield pg


@pytest.fixture
def open_notebook(page, lab, request):
    """``open_notebook(cells) -> Notebook``: write, open and run a notebook named after the test."""
    def open_(cells: list[str], timeout: float = 90) -> Notebook:
        return Notebook(page, lab, notebook_name(request), cells, timeout=timeout)
    return open_


@pytest.fixture(scope="session")
def notebook_server(tmp_path_factory):
    """``jupyter notebook`` (Notebook 7), started on first use, like ``lab``."""
    with NotebookServer(tmp_path_factory.mktemp("notebook7")) as server:
        yield server


@pytest.fixture
def open_notebook7(browser, notebook_server, request):
    """``open_notebook7(cells) -> Notebook7``: like ``open_notebook``, in Notebook 7's page
    /notebooks/<name>, in a page of its own (``nb.page``)."""
    with watched_page(browser, notebook_server, request) as pg:
        yield lambda cells, timeout=90: Notebook7(pg, notebook_server, notebook_name(request), cells, timeout=timeout)
