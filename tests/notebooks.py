"""Running a notebook in a real kernel of this interpreter (nbclient), for the notebook tests.

A kernelspec written to a temporary directory names ``sys.executable``, so neither the user's
kernelspecs nor PATH decide which Python runs.
"""

import json
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def this_python_kernel(kernels: Path) -> KernelManager:
    """A kernel manager for a kernelspec, in ``kernels``, that runs this interpreter."""
    spec = kernels / "autograd-widget-test"
    spec.mkdir(exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "autograd-widget test", "language": "python",
    }))
    return KernelManager(kernel_name=spec.name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))


def run(nb, kernels: Path, cwd: Path, **client):
    """Execute ``nb`` in place, top to bottom, with ``cwd`` as the kernel's working directory."""
    NotebookClient(nb, km=this_python_kernel(kernels), timeout=120,
                   resources={"metadata": {"path": str(cwd)}}, **client).execute()
    return nb
