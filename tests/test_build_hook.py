"""The build hook (hatch_build.py) installs node_modules/ with `npm ci` from package-lock.json, never `npm install`.

Each build runs in a copy of just what a build reads (pyproject.toml, hatch_build.py, README.md, LICENSE,
.gitignore, the top-level *.json, js/ and src/ without static/), with no node_modules/ and no bundle, as a
fresh clone has them, so the checkout is left alone. `python -m build --no-isolation` runs in one throwaway
venv holding the build requirements (made once for the module), and the first `npm` on PATH is a wrapper
that appends its arguments to a log and then execs the real npm, so the log shows every npm command run.

Needs Node.js (npm) here and the package indexes (PyPI for hatchling; npm, or npm's cache, for the
lockfile's packages). It takes about 30 s, most of it the venv and `npm ci`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ("widget.js", "widget.css")
STATIC = Path("src/autograd_widget/static")
BUILD_FILES = ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE", ".gitignore", ".npmrc", "*.json")
# no interpreter or venv settings of this session leak into the builds
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
# npm as usual, minus the network calls a build does not need
ENV |= {"npm_config_prefer_offline": "true", "npm_config_audit": "false", "npm_config_fund": "false",
        "npm_config_update_notifier": "false"}


def run(cmd, what: str, ok: bool = True, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                          stdin=subprocess.DEVNULL, timeout=600, **kwargs)
    assert (proc.returncode == 0) == ok, (
        f"{what} exited {proc.returncode}: {cmd}\n--- stdout ---\n{proc.stdout[-6000:]}\n"
        f"--- stderr ---\n{proc.stderr[-6000:]}"
    )
    return proc


@pytest.fixture(scope="module")
def python(tmp_path_factory) -> Path:
    """A venv's python with `build` and the build requirements of pyproject.toml (no hatch-jupyter-builder)."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    venv = tmp_path_factory.mktemp("build-venv")
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], "python -m venv", env=ENV)  # pip: ours
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--disable-pip-version-check",
         "--no-input", "build>=1", *requires], "pip install", env=ENV)
    return python


def fresh_tree(dest: Path) -> Path:
    """What a build of a fresh clone reads: no node_modules/, no bundle."""
    dest.mkdir()
    for pattern in BUILD_FILES:
        for path in ROOT.glob(pattern):
            if path.is_file():
                shutil.copy2(path, dest / path.name)
    ignore = shutil.ignore_patterns("__pycache__", "static", "*.egg-info")
    for name in ("js", "src"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    return dest


class Npm:
    """A PATH whose `npm` logs its arguments, one line per call, then runs the real npm."""

    def __init__(self, where: Path):
        real = shutil.which("npm")
        assert real, "npm is not on PATH: building the bundle needs Node.js 20+"
        self.log = where / "npm.log"
        bin_dir = where / "bin"
        bin_dir.mkdir()
        wrapper = bin_dir / "npm"
        wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{self.log}"\nexec "{real}" "$@"\n', encoding="utf-8")
        wrapper.chmod(0o755)
        self.path = f"{bin_dir}{os.pathsep}{ENV.get('PATH', os.defpath)}"

    def calls(self) -> list[str]:
        """The npm commands run since the last call."""
        lines = self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []
        self.log.unlink(missing_ok=True)
        return lines


def build(python: Path, target: str, src: Path, out: Path, path: str, ok: bool = True) -> subprocess.CompletedProcess:
    return run([str(python), "-m", "build", "--no-isolation", f"--{target}", "--outdir", str(out), str(src)],
               f"python -m build --{target}", ok=ok, cwd=src.parent if src.is_file() else src,
               env={**ENV, "PATH": path})


def matches_lockfile(python: Path, tree: Path) -> bool:
    """hatch_build.installed_from_lockfile(tree), which decides whether a build skips `npm ci`."""
    code = "import hatch_build, pathlib; print(hatch_build.installed_from_lockfile(pathlib.Path.cwd()))"
    return run([str(python), "-c", code], "installed_from_lockfile", cwd=tree, env=ENV).stdout.strip() == "True"


def assert_bundle_in(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        for name in BUNDLE:
            assert zf.getinfo(f"autograd_widget/static/{name}").file_size > 0, f"empty {name} in {wheel.name}"


def test_builds_run_npm_ci_from_the_lockfile_never_npm_install(python, tmp_path):
    tree, npm = fresh_tree(tmp_path / "tree"), Npm(tmp_path)
    lock = (tree / "package-lock.json").read_bytes()

    # a fresh clone: `npm ci`, then `npm run build`
    build(python, "wheel", tree, tmp_path / "dist1", npm.path)
    assert npm.calls() == ["ci", "run build"]
    assert (tree / "package-lock.json").read_bytes() == lock, "the build changed package-lock.json"
    for name in BUNDLE:
        assert (tree / STATIC / name).stat().st_size > 0, f"no {name} in {tree / STATIC}"
    (wheel,) = (tmp_path / "dist1").glob("autograd_widget-*.whl")
    assert_bundle_in(wheel)

    # node_modules/ now holds exactly the lockfile: no `npm ci` (which would delete and reinstall it), and
    # the sdist carries a freshly built bundle (not node_modules/)
    (tree / STATIC / "widget.js").unlink()
    build(python, "sdist", tree, tmp_path / "sdist", npm.path)
    assert npm.calls() == ["run build"]
    (sdist,) = (tmp_path / "sdist").glob("autograd_widget-*.tar.gz")
    with tarfile.open(sdist) as tf:
        names = tf.getnames()
        top = names[0].split("/")[0]
        for name in BUNDLE:
            assert tf.getmember(f"{top}/{STATIC}/{name}").size > 0, f"no {name} in {sdist.name}"
        assert not [n for n in names if "/node_modules/" in n], "node_modules/ in the sdist"

    # so a wheel built from the sdist needs no Node.js
    no_node = str(python.parent)  # just the venv's bin/
    assert shutil.which("npm", path=no_node) is None and shutil.which("node", path=no_node) is None
    proc = build(python, "wheel", sdist, tmp_path / "dist2", no_node)
    assert "the sdist carries the JavaScript bundle; not running npm" in proc.stdout + proc.stderr
    assert npm.calls() == []
    (wheel,) = (tmp_path / "dist2").glob("autograd_widget-*.whl")
    assert_bundle_in(wheel)

    # what counts as node_modules/ holding exactly the lockfile, asked of hatch_build.py itself
    assert matches_lockfile(python, tree)
    happy = tree / "node_modules" / "happy-dom"
    happy.rename(happy.with_name("moved"))  # a package gone, though npm's record of it remains
    assert not matches_lockfile(python, tree)
    happy.with_name("moved").rename(happy)
    hidden = tree / "node_modules" / ".package-lock.json"
    record = hidden.read_text(encoding="utf-8")
    other = json.loads(record)
    other["packages"]["node_modules/happy-dom"]["version"] += "-other"
    hidden.write_text(json.dumps(other), encoding="utf-8")
    assert not matches_lockfile(python, tree)  # another version installed
    hidden.write_text(record, encoding="utf-8")
    assert matches_lockfile(python, tree)
    mine = [p for p, e in other["packages"].items() if p.startswith("node_modules/@esbuild/") and p in json.loads(
        record)["packages"]]
    assert len(mine) == 1, f"one esbuild binary installed for this machine, got {mine}"
    elsewhere = json.loads(record)
    del elsewhere["packages"][mine[0]]  # installed elsewhere: this machine's optional binary missing
    hidden.write_text(json.dumps(elsewhere), encoding="utf-8")
    assert not matches_lockfile(python, tree)
    hidden.write_text(record, encoding="utf-8")

    # package.json no longer what the lockfile was made from: `npm ci` runs, and fails, as it must
    package = tree / "package.json"
    text = package.read_text(encoding="utf-8")
    package.write_text(text.replace('"devDependencies": {', '"devDependencies": {\n    "left-pad": "1.3.0",'),
                       encoding="utf-8")
    assert not matches_lockfile(python, tree)
    proc = build(python, "wheel", tree, tmp_path / "dist3", npm.path, ok=False)
    assert npm.calls() == ["ci"]
    assert "`npm ci` exited with code" in proc.stdout + proc.stderr


def test_without_npm_the_build_fails_saying_node_20_is_needed(python, tmp_path):
    tree, no_node = fresh_tree(tmp_path / "tree"), str(python.parent)
    assert shutil.which("npm", path=no_node) is None
    proc = build(python, "wheel", tree, tmp_path / "dist", no_node, ok=False)
    out = proc.stdout + proc.stderr
    assert "needs Node.js 20+ with npm" in out and "`npm` is not on PATH" in out
    assert f"missing: {STATIC / 'widget.js'}" in out

    # a bundle left in a checkout may be stale: it is not packaged without a rebuild
    (tree / STATIC).mkdir()
    for name in BUNDLE:
        (tree / STATIC / name).write_text("/* old */\n", encoding="utf-8")
    proc = build(python, "wheel", tree, tmp_path / "dist", no_node, ok=False)
    assert "needs Node.js 20+ with npm" in proc.stdout + proc.stderr and "may be stale" in proc.stdout + proc.stderr
    assert not list((tmp_path / "dist").glob("*.whl"))
