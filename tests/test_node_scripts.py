"""Node treats a .js file by the nearest package.json: one that says "type": "module" at the
repo's root made JupyterLab's own CommonJS scripts fail (`require is not defined in ES module
scope`) when the venv sits inside the checkout, as the README's set-up makes it. Only js/ is ESM."""

import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).parents[1]


def node_says(script: str, where: Path) -> str:
    """What ``script`` prints when node runs it as a .js file in ``where`` (the file is removed)."""
    fd, name = tempfile.mkstemp(prefix=".node-probe-", suffix=".js", dir=where)
    probe = Path(name)
    try:
        with open(fd, "w") as f:
            f.write(script)
        done = subprocess.run([shutil.which("node") or "node", str(probe)], capture_output=True, text=True,
                              timeout=60)
    finally:
        probe.unlink()
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_commonjs_script_elsewhere_in_the_checkout_runs():
    where = Path(tempfile.mkdtemp(prefix=".cjs-probe-", dir=ROOT))  # like .venv/.../jupyterlab/*.js
    try:
        assert node_says("console.log(typeof require)", where) == "function"
    finally:
        shutil.rmtree(where)


def test_js_holds_es_modules():
    assert node_says("console.log(typeof require)", ROOT / "js") == "undefined"
