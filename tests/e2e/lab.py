"""A real JupyterLab server and headless Chromium, driven the way a person would.

Shared by the e2e tests (through conftest.py) and by benchmarks/drag_latency.py, so it
imports nothing from pytest. What works here and why is in the team's e2e notes: wait
for the notebook's session to be really ready, then run cells through the app's
command registry (``window.jupyterapp``, exposed by ``expose_app_in_browser``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat

CHROMIUM_ENV = "AUTOGRAD_WIDGET_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class CellError(AssertionError):
    """A cell raised in the kernel; the message carries its traceback."""


def chromium_path() -> str:
    """The browser to drive: $AUTOGRAD_WIDGET_CHROMIUM, else Debian's chromium. Raises if missing."""
    path = os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise FileNotFoundError(
            f"no Chromium at {path!r}: install it (apt-get install chromium) or set {CHROMIUM_ENV} "
            "to a Chromium/Chrome executable"
        )
    return path


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """``jupyter lab`` on a free port with a private token, config and root dir under ``base``."""

    app = "lab"  # the jupyter subcommand
    # Flags of that front end's server extension (the ServerApp flags are common to both).
    app_flags: tuple[str, ...] = (
        "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    )

    def __init__(self, base: Path, python: str = sys.executable, timeout: float = 60):
        self.base = Path(base)
        self.root = self.base / "notebooks"
        self.token = secrets.token_hex(16)
        self.log_path = self.base / f"jupyter-{self.app}.log"
        self.proc: subprocess.Popen | None = None
        self._start(python, timeout)

    def _env(self) -> dict:
        jupyter = self.base / "jupyter"
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(jupyter / "config"),
            JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"),
            JUPYTERLAB_WORKSPACES_DIR=str(jupyter / "workspaces"),
            JUPYTERLAB_SETTINGS_DIR=str(jupyter / "settings"),
            # also private: no user kernelspec or IPython startup file can change the kernel
            JUPYTER_DATA_DIR=str(jupyter / "data"),
            IPYTHONDIR=str(self.base / "ipython"),
        )
        env.pop("JUPYTER_PATH", None)
        notification = jupyter / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        notification.parent.mkdir(parents=True, exist_ok=True)
        notification.write_text(json.dumps({"fetchNews": "false"}))
        return env

    def _start(self, python: str, timeout: float) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        env = self._env()
        for _attempt in range(3):  # a free port can be taken between probing and binding
            self.port = free_port()
            cmd = [
                python, "-m", "jupyter", self.app, "--no-browser", "--allow-root",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                *self.app_flags,
            ]
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(cmd, env=env, cwd=self.root, stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL, start_new_session=True)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    self.api("GET", "/api/status", timeout=2)
                    return
                except OSError:
                    time.sleep(0.2)
            if self.proc.poll() is None:
                self.stop()
                break
        raise RuntimeError(f"jupyter {self.app} did not start (exit code {self.proc.returncode}); log:\n{self.log()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def api(self, method: str, path: str, timeout: float = 10):
        req = urllib.request.Request(self.url + path, method=method, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
        return json.loads(body) if body else None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def shutdown_kernels(self) -> None:
        """End every session (and its kernel): a finished test should not keep a core busy."""
        for s in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{s['id']}")

    def stop(self) -> None:
        """Ask the server to shut down (it stops its kernels); kill our process group if it won't."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            self.api("POST", "/api/shutdown")
            self.proc.wait(15)
        except (OSError, subprocess.TimeoutExpired):
            pass
        with contextlib.suppress(ProcessLookupError):  # its session: kernels it started, if any survived
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


class NotebookServer(Lab):
    """``jupyter notebook`` (Notebook 7): the same jupyter_server, token, port and private
    settings as :class:`Lab`, its own front end at ``/tree`` and ``/notebooks/<path>``.
    Notebook 7 is built from JupyterLab's plugins, so ``window.jupyterapp`` (exposed by
    its own ``expose_app_in_browser``), its shell's ``currentWidget`` and the notebook
    commands are the ones the Lab driver uses."""

    app = "notebook"
    app_flags = ("--JupyterNotebookApp.expose_app_in_browser=True",)


def write_notebook(path: Path, cells: list[str]) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))


_CURRENT = "window.jupyterapp.shell.currentWidget"
_WAIT_SESSION = """async ([path, ms]) => {
  const nb = window.jupyterapp.shell.currentWidget;
  if (!nb || !nb.context || nb.context.path !== path) throw new Error('current widget is not ' + path);
  const ready = (async () => {
    await nb.context.ready; await nb.sessionContext.ready; await nb.sessionContext.session.kernel.info;
  })();
  const late = new Promise((_, no) => setTimeout(() => no(new Error('session not ready after ' + ms + ' ms')), ms));
  await Promise.race([ready, late]);
}"""
# The cell's outputs as the kernel sent them, or null while it has not finished.
_CELL_STATE = """(cell) => {
  const m = cell.model;
  return {count: m.executionCount, outputs: m.outputs.toJSON(), rendered: cell.outputArea.widgets.length};
}"""


def output_text(outputs: list[dict]) -> str:
    """The text a person reads under a cell; raises CellError for an error output."""
    parts = []
    for o in outputs:
        kind = o.get("output_type")
        if kind == "error":
            tb = ANSI.sub("", "\n".join(o.get("traceback", [])))
            raise CellError(f"{o.get('ename')}: {o.get('evalue')}\n{tb}")
        if kind == "stream":
            parts.append(o["text"] if isinstance(o["text"], str) else "".join(o["text"]))
        elif "text/plain" in o.get("data", {}):
            t = o["data"]["text/plain"]
            parts.append(t if isinstance(t, str) else "".join(t))
    return "".join(parts)


class Notebook:
    """A notebook written into the lab's root (``cells``, or a copy of the notebook file
    ``source``), opened in ``page``, every cell run once with Run All."""

    def url(self) -> str:
        """Where the browser opens the notebook (``reset``: a fresh workspace, no saved layout)."""
        return f"{self.lab.url}/lab/tree/{self.name}?token={self.lab.token}&reset"

    def __init__(self, page, lab: Lab, name: str, cells: list[str] | None = None, timeout: float = 90,
                 source: Path | None = None):
        self.page, self.lab, self.name = page, lab, name
        self.timeout_ms = timeout * 1000
        if source is not None:
            shutil.copy(source, lab.root / name)
        else:
            write_notebook(lab.root / name, cells or [])
        page.goto(self.url())
        page.wait_for_function(
            f"(path) => window.jupyterapp && {_CURRENT} && {_CURRENT}.context && {_CURRENT}.context.path === path",
            arg=name, timeout=self.timeout_ms)
        page.evaluate(_WAIT_SESSION, [name, self.timeout_ms])
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        self._wait_all_run()

    def _wait_all_run(self) -> None:
        done = self.page.wait_for_function(f"""() => {{
          const cells = {_CURRENT}.content.widgets.filter(c => c.model.type === 'code');
          const state = cells.map({_CELL_STATE});
          if (state.some(s => s.outputs.some(o => o.output_type === 'error'))) return state;
          return state.every(s => s.count !== null && s.rendered >= s.outputs.length) && state;
        }}""", timeout=self.timeout_ms, polling=100).json_value()
        for i, s in enumerate(done):
            try:
                output_text(s["outputs"])
            except CellError as e:
                raise CellError(f"cell {i} of {self.name} failed:\n{e}") from None

    def save(self) -> dict:
        """Save the notebook as a person does (Ctrl+S's command) and return the file as saved."""
        self.page.evaluate("""async () => {
          await window.jupyterapp.commands.execute('docmanager:save');
        }""")
        return json.loads((self.lab.root / self.name).read_text())

    def restart_kernel(self) -> None:
        """Restart the notebook's kernel, as Kernel > Restart does once confirmed."""
        self.page.evaluate(f"async () => {{ await {_CURRENT}.sessionContext.session.kernel.restart(); }}")

    def index_of(self, starts_with: str) -> int:
        """The index of the first cell whose source starts with ``starts_with``."""
        return self.page.evaluate(f"""(start) => {_CURRENT}.content.widgets
          .findIndex(c => c.model.sharedModel.getSource().startsWith(start))""", starts_with)

    def cell_state(self, index: int) -> dict:
        return self.page.evaluate(f"(i) => ({_CELL_STATE})({_CURRENT}.content.widgets[i])", index)

    def add_cell(self, source: str) -> int:
        """Append a code cell holding ``source`` (not run); returns its index."""
        return self.page.evaluate(f"""async (src) => {{
          const nb = {_CURRENT}.content;
          nb.activeCellIndex = nb.widgets.length - 1;
          await window.jupyterapp.commands.execute('notebook:insert-cell-below');
          nb.activeCell.model.sharedModel.setSource(src);
          return nb.activeCellIndex;
        }}""", source)

    def rerun(self, index: int, timeout: float = 30) -> str:
        """Click into cell ``index``'s editor, press Shift+Enter, wait for it, return its text output."""
        before = self.cell_state(index)["count"]
        editor = self.page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".cm-content")
        editor.click()
        self.page.keyboard.press("Shift+Enter")
        self.page.wait_for_function(
            f"""([i, before]) => {{
              const c = {_CURRENT}.content.widgets[i].model.executionCount;
              return c !== null && c !== before;
            }}""", arg=[index, before], timeout=timeout * 1000, polling=50)
        return output_text(self.cell_state(index)["outputs"])

    def run_cell(self, source: str, timeout: float = 30) -> str:
        """Run one more code cell the way a person does and return its text output."""
        return self.rerun(self.add_cell(source), timeout)


class Notebook7(Notebook):
    """The same driver in Notebook 7's page for one notebook, ``/notebooks/<name>``: one
    notebook per tab, the same cells (``.jp-Cell``), commands and kernel session."""

    def url(self) -> str:
        return f"{self.lab.url}/notebooks/{self.name}?token={self.lab.token}"


def save_artifacts(page, directory: Path, stem: str, console: list[str] = (), lab: Lab | None = None) -> list[Path]:
    """Screenshot, page HTML, browser console and server log, for a red CI run."""
    directory.mkdir(parents=True, exist_ok=True)
    saved = []
    try:
        page.screenshot(path=str(directory / f"{stem}.png"), full_page=True)
        saved.append(directory / f"{stem}.png")
        (directory / f"{stem}.html").write_text(page.content())
        saved.append(directory / f"{stem}.html")
    except Exception as exc:  # the page may have crashed: keep what we can
        (directory / f"{stem}.error.txt").write_text(f"could not capture the page: {exc!r}\n")
    if console:
        (directory / f"{stem}.console.txt").write_text("\n".join(console) + "\n")
        saved.append(directory / f"{stem}.console.txt")
    if lab is not None and lab.log_path.exists():
        shutil.copy(lab.log_path, directory / f"{stem}.{lab.log_path.name}")
        saved.append(directory / f"{stem}.{lab.log_path.name}")
    return saved
