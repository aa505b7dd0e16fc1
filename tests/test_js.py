"""The JavaScript unit tests (js/*.test.js), run by ``npm test`` so that ``pytest`` runs everything."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_npm_test_passes():
    npm = shutil.which("npm")
    assert npm, "npm is not on PATH: install Node.js 20+ to run the JS unit tests"
    assert (ROOT / "package.json").is_file(), f"no package.json in {ROOT}"
    proc = subprocess.run([npm, "test"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (
        f"`npm test` exited {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )
