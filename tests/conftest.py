"""Fixtures shared by the kernel-side tests: a real IPython shell with the extension."""

import pytest
from IPython.core.displaypub import CapturingDisplayPublisher
from IPython.testing import globalipapp


@pytest.fixture(scope="module")
def ip():
    shell = globalipapp.get_ipython()  # the module attribute: after the first call it is the shell
    shell.run_line_magic("load_ext", "autograd_widget")
    yield shell
    shell.run_line_magic("unload_ext", "autograd_widget")


@pytest.fixture
def shown(ip):
    """What display() publishes while the test runs: a list of mimebundle dicts."""
    saved, pub = ip.display_pub, CapturingDisplayPublisher()
    ip.display_pub = pub
    yield pub.outputs
    ip.display_pub = saved
