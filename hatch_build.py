"""Hatchling build hook: builds the widget's JavaScript bundle from exactly package-lock.json.

Runs for the wheel (standard and editable, so also `pip install -e .`) and for the sdist:
  1. `npm ci`: installs node_modules/ as package-lock.json pins it, never re-resolving (and fails
     if package.json and the lockfile disagree). Skipped when node_modules/ already holds exactly
     the lockfile (see `installed_from_lockfile`): `npm ci` always deletes node_modules/ first, which
     would only cost a reinstall and break anything using node_modules/ meanwhile.
  2. `npm run build`: esbuild, js/ -> src/autograd_widget/static/widget.js and widget.css.
  3. checks that the `ensured-targets` exist.
The sdist carries the bundle (an artifact in pyproject.toml), so a build from an unpacked sdist (it
has PKG-INFO) that holds every ensured target uses it and needs no Node.js. Anywhere else npm is
required: a bundle left in a checkout may be stale, and it is never shipped unrebuilt.
"""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

NEEDS_NODE = "Building autograd-widget's JavaScript bundle needs Node.js 20+ with npm (https://nodejs.org/)"


# npm's names (process.platform, process.arch) for this machine, to tell which optional packages
# (esbuild's binaries, one per platform) npm would have installed here.
NODE_OS = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform, sys.platform)
NODE_CPU = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64", "i386": "ia32", "i686": "ia32",
            "armv7l": "arm", "ppc64le": "ppc64", "s390x": "s390x"}.get(platform.machine().lower(), platform.machine())


def allowed(value: str, rules: list) -> bool:
    """npm's rule for a package's ``os``/``cpu`` list: named (or, with only ``!x`` entries, not excluded)."""
    excluded = [r[1:] for r in rules if r.startswith("!")]
    named = [r for r in rules if not r.startswith("!")]
    return value not in excluded and (value in named or len(excluded) == len(rules))


def for_this_machine(entry: dict) -> bool:
    """Whether npm installs this lockfile entry here (no ``os``/``cpu`` list: everywhere)."""
    return allowed(NODE_OS, entry.get("os") or []) and allowed(NODE_CPU, entry.get("cpu") or [])


def installed_from_lockfile(root: Path) -> bool:
    """Whether root/node_modules/ already holds exactly what root/package-lock.json pins.

    After every install npm writes node_modules/.package-lock.json (its "hidden lockfile"): the
    lockfile's entries for what it installed, optional packages for other platforms left out. So
    node_modules/ matches when every installed entry equals the lockfile's, is on disk, and every
    lockfile entry left out is optional and for another platform (a node_modules/ installed on a Mac
    and mounted here holds the Mac's esbuild); and the lockfile's root must name package.json's
    dependencies, else `npm ci` has to run (and fail, saying they are out of sync). Anything
    unreadable or unexpected counts as no match: `npm ci` then decides. Delete node_modules/ to
    force a reinstall.
    """
    try:
        lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
        hidden = json.loads((root / "node_modules" / ".package-lock.json").read_text(encoding="utf-8"))
        manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    wanted, installed = lock.get("packages"), hidden.get("packages")
    if not (isinstance(wanted, dict) and isinstance(installed, dict) and isinstance(wanted.get(""), dict)):
        return False
    for field in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
        if wanted[""].get(field, {}) != manifest.get(field, {}):
            return False
    if not set(installed) <= set(wanted) - {""}:
        return False
    for path, entry in wanted.items():
        if not path:
            continue
        if path in installed:
            if installed[path] != entry or not (root / path).is_dir():
                return False
        elif not (isinstance(entry, dict) and entry.get("optional") and not for_this_machine(entry)):
            return False  # missing, and npm would install it here (node_modules/ made elsewhere, or --omit)
    return True


class NpmCiBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name not in ("wheel", "sdist"):
            return
        root = Path(self.root)
        targets = self.config.get("ensured-targets", [])
        if not (isinstance(targets, list) and targets and all(isinstance(t, str) and t for t in targets)):
            raise TypeError("[tool.hatch.build.hooks.custom] ensured-targets must be a non-empty list of paths")
        bundle = [root / t for t in targets]

        def missing() -> list[str]:
            return [t for t, p in zip(targets, bundle) if not (p.is_file() and p.stat().st_size > 0)]

        if (root / "PKG-INFO").is_file() and not missing():
            self.app.display_info("autograd-widget: the sdist carries the JavaScript bundle; not running npm")
            return

        npm = shutil.which("npm")
        if npm is None:
            absent = missing()
            why = (f"missing: {', '.join(absent)}" if absent
                   else "the bundle already here may be stale, so it is rebuilt, never packaged as it is")
            raise RuntimeError(
                f"{NEEDS_NODE}, and `npm` is not on PATH ({why}). Install Node.js 20 or newer (npm comes with "
                "it) and build again: the build runs `npm ci`, then `npm run build`. A wheel from PyPI, or one "
                "built from the sdist (which carries the bundle), needs no Node.js."
            )

        if installed_from_lockfile(root):
            self.app.display_info("autograd-widget: node_modules/ matches package-lock.json; skipping `npm ci`")
        else:
            self._run([npm, "ci"], root)
        self._run([npm, "run", "build"], root)
        if absent := missing():
            raise RuntimeError(f"`npm run build` did not produce {', '.join(absent)}")

    def _run(self, cmd: list[str], cwd: Path) -> None:
        shown = " ".join(["npm", *cmd[1:]])
        self.app.display_info(f"autograd-widget: {shown}")
        try:
            subprocess.run(cmd, cwd=cwd, check=True, stdin=subprocess.DEVNULL)
        except subprocess.CalledProcessError as e:
            raise RuntimeError(f"`{shown}` exited with code {e.returncode}: see its output above") from None
