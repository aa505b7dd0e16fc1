"""A real marimo app server (``marimo run``) for the browser tests: one notebook file, a
free port, private config; every browser session gets its own kernel, run top to bottom.

It has what ``conftest.watched_page`` asks of a server: ``url``, ``log()`` and
``shutdown_kernels()``. marimo draws each anywidget in a shadow root: Playwright's CSS
locators reach into it, ``document.querySelector`` does not.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .lab import free_port


class MarimoApp:
    def __init__(self, notebook: Path, base: Path, python: str = sys.executable, timeout: float = 60):
        self.notebook = Path(notebook)
        self.log_path = Path(base) / "marimo.log"
        env = dict(os.environ, HOME=str(base), XDG_CONFIG_HOME=str(Path(base) / "config"),
                   XDG_STATE_HOME=str(Path(base) / "state"), XDG_CACHE_HOME=str(Path(base) / "cache"),
                   MARIMO_SKIP_UPDATE_CHECK="1")  # no network here: never ask PyPI for a newer marimo
        self.port = free_port()
        cmd = [python, "-m", "marimo", "run", "--headless", "--no-token", "--host", "127.0.0.1",
               "--port", str(self.port), "--no-sandbox", "--no-check", str(self.notebook)]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=env, cwd=base, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"marimo run did not start (exit code {self.proc.returncode}); log:\n{self.log()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def shutdown_kernels(self) -> None:
        """Nothing to do: each page's kernel ends with the page, and the app with the test."""

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
