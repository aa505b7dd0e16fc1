"""A real IPython kernel of this interpreter, driven as JupyterLab drives it: execute
requests carry the cell's id in their metadata, and widget messages travel as comm messages.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager


class Kernel:
    def __init__(self, spec_dir: Path, timeout: float = 60):
        spec = spec_dir / "autograd-widget-test"
        spec.mkdir(parents=True, exist_ok=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "autograd-widget test", "language": "python",
        }))
        self.timeout = timeout
        specs = KernelSpecManager(kernel_dirs=[str(spec_dir)])
        self.km = KernelManager(kernel_name=spec.name, kernel_spec_manager=specs)
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=timeout)

    def stop(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def execute(self, code: str, cell_id: str | None = None, deleted: list[str] | None = None,
                check: bool = True) -> list[dict]:
        """Run ``code`` as the cell ``cell_id``; returns the iopub messages it caused. Raises
        AssertionError with the traceback if it failed, unless ``check`` is false."""
        metadata = {}
        if cell_id is not None:
            metadata["cellId"] = cell_id
        if deleted is not None:
            metadata["deletedCells"] = deleted
        msg = self.kc.session.msg("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True,
        }, metadata=metadata)
        self.kc.shell_channel.send(msg)
        out = self._until_idle(msg["header"]["msg_id"])
        errors = [m for m in out if m["msg_type"] == "error"]
        if errors and check:
            raise AssertionError("\n".join(errors[0]["content"]["traceback"]))
        return out

    def comm(self, comm_id: str, content: dict) -> list[dict]:
        """What a widget's view sends (model.send): a custom comm message; returns the iopub replies."""
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}})
        self.kc.shell_channel.send(msg)
        return self._until_idle(msg["header"]["msg_id"])

    def value(self, expr: str):
        """The value of a JSON-able Python expression in the kernel."""
        out = self.execute(f"import json as _json; print(_json.dumps({expr}))")
        return json.loads("".join(m["content"]["text"] for m in out if m["msg_type"] == "stream"))

    def _until_idle(self, parent: str) -> list[dict]:
        msgs = []
        while True:
            m = self.kc.get_iopub_msg(timeout=self.timeout)
            if m["parent_header"].get("msg_id") != parent:
                continue
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return msgs
            msgs.append({"msg_type": m["msg_type"], "content": m["content"]})


def displays(msgs: list[dict]) -> list[dict]:
    """The display_data messages' contents, in order."""
    return [m["content"] for m in msgs if m["msg_type"] == "display_data"]
