"""The compiled Graphviz WASM module is cached on disk: each case in a fresh process, as a new kernel is."""

import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest

from autograd_widget import layout

SCRIPT = """
import json
from autograd_widget import layout
svg = layout.render_svg("digraph { a -> b; b -> c; a -> c }")
print(json.dumps({"load": layout.last_load, "svg": svg}))
"""


def fresh_render(cache_dir):
    """Render in a new Python process with this cache dir: ("cache" | "compiled", svg, stderr)."""
    env = {**os.environ, "AUTOGRAD_WIDGET_CACHE_DIR": str(cache_dir)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.splitlines()[-1])
    return out["load"], out["svg"], done.stderr


def cached_files(cache_dir):
    return sorted(p.name for p in cache_dir.iterdir()) if cache_dir.is_dir() else []


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """One compile shared by the tests that start from a good cache: (cache dir, its file, the SVG)."""
    cache = tmp_path_factory.mktemp("warm")
    load, svg, _ = fresh_render(cache)
    assert load == "compiled"
    (name,) = cached_files(cache)
    return cache, cache / name, svg


def copy_of(warm, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(warm[0], cache)
    return cache, cache / warm[1].name


def test_a_fresh_process_compiles_and_writes_one_cache_file(tmp_path):
    cache = tmp_path / "new" / "cache"  # missing parents are made
    load, svg, stderr = fresh_render(cache)
    assert load == "compiled" and svg.lstrip().startswith("<?xml") and "<svg" in svg
    (name,) = cached_files(cache)  # one file, no temp file left behind
    assert name.startswith("graphviz-") and name.endswith(".cwasm")
    assert oct(cache.stat().st_mode & 0o777) == oct(0o700)  # per-user: it holds code we will run
    assert stderr == ""


def test_the_next_fresh_process_loads_the_cache_and_draws_the_same(warm, tmp_path):
    cache, path = copy_of(warm, tmp_path)
    before = path.read_bytes()
    load, svg, _ = fresh_render(cache)
    assert load == "cache"  # deserialised, not compiled
    assert svg == warm[2]
    assert path.read_bytes() == before and cached_files(cache) == [path.name]  # a hit rewrites nothing


def test_an_unwritable_cache_dir_still_renders_silently(tmp_path, warm):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    cache = blocker / "sub"  # cannot be created, even by root (chmod would not stop root)
    for _ in range(2):
        load, svg, stderr = fresh_render(cache)
        assert (load, svg, stderr) == ("compiled", warm[2], "")
    assert blocker.read_text() == "not a directory"


def flip_byte(data, i):
    return data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        # the middle of the file is machine code, which wasmtime would load unchecked: our checksum catches it
        pytest.param(lambda data: flip_byte(data, len(data) // 2), id="one-byte-flipped"),
        pytest.param(lambda data: b"\0" * len(data), id="zeros"),
        pytest.param(lambda data: b"", id="empty"),
        # our header and checksum are right, but wasmtime refuses the module, as it would a stale one
        pytest.param(lambda data: layout._FORMAT + hashlib.sha256(b"x").digest() + b"x", id="stale"),
    ],
)
def test_a_corrupt_cache_file_is_ignored_and_replaced(warm, tmp_path, damage):
    cache, path = copy_of(warm, tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    load, svg, stderr = fresh_render(cache)
    assert (load, svg, stderr) == ("compiled", warm[2], "")
    assert fresh_render(cache)[:2] == ("cache", warm[2])  # the bad file was replaced by a good one
    assert cached_files(cache) == [path.name]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown to another user needs root")
def test_a_cache_file_owned_by_someone_else_is_not_run(warm, tmp_path):
    cache, path = copy_of(warm, tmp_path)
    os.chown(path, 65534, 65534)  # nobody: a file we did not write could hold any machine code
    assert fresh_render(cache)[0] == "compiled"
    assert path.stat().st_uid == os.getuid()  # replaced by our own


def test_the_key_changes_with_the_wasm_file_and_the_wasmtime_version():
    wasm = b"\0asm\1\0\0\0"
    key = layout.cache_key(wasm, "50.0.1")
    assert key == layout.cache_key(wasm, "50.0.1")
    assert key != layout.cache_key(wasm, "50.0.2")
    assert key != layout.cache_key(wasm + b"\0", "50.0.1")
    assert len({key, layout.cache_key(wasm, "51.0.0"), layout.cache_key(b"other", "50.0.1")}) == 3


def test_the_key_changes_with_the_machine(monkeypatch):
    key = layout.cache_key(b"wasm", "50.0.1")
    monkeypatch.setattr(layout.platform, "machine", lambda: "some-other-arch")
    assert layout.cache_key(b"wasm", "50.0.1") != key


def test_where_the_cache_lives(monkeypatch, tmp_path):
    monkeypatch.setenv("AUTOGRAD_WIDGET_CACHE_DIR", str(tmp_path / "override"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert layout.cache_dir() == tmp_path / "override"
    monkeypatch.delenv("AUTOGRAD_WIDGET_CACHE_DIR")
    assert layout.cache_dir() == tmp_path / "xdg" / "autograd-widget"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec says to ignore it
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert layout.cache_dir() == tmp_path / "home" / ".cache" / "autograd-widget"
