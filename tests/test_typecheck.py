"""The JavaScript type check: ``npm run typecheck`` (tsc over js/ with jsconfig.json) finds no errors.

Not skipped when Node or TypeScript is missing: the suite installs them (``npm ci``, or the
build that ``pip install -e .`` runs), so a missing one is a broken set-up, not a reason to pass.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_tsc_finds_no_type_errors():
    npm = shutil.which("npm")
    assert npm, "npm is not on PATH: install Node.js 20+ to type-check the JavaScript"
    assert (ROOT / "node_modules" / "typescript").is_dir(), (
        f"TypeScript is not installed in {ROOT / 'node_modules'}: run `npm ci` in {ROOT}"
    )
    proc = subprocess.run([npm, "run", "--silent", "typecheck"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (
        f"`npm run typecheck` exited {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )
