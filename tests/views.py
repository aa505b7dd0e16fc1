"""What a widget's view in the browser sends, delivered the way ipywidgets delivers a
comm message to the kernel (protocol.py is the contract; js/sync.js the sender)."""

_seq = 0


def send(widget, content) -> None:
    """One custom message from a view, through the widget's comm message handler."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def move(widget, values: dict, final: bool = True, view: str = "test-view") -> dict:
    """The message a view sends after moving leaves: ``values`` maps leaf ids to numbers."""
    global _seq
    _seq += 1
    msg = {"type": "leaves", "view": view, "seq": _seq, "final": final,
           "values": {str(i): x for i, x in values.items()}}
    send(widget, msg)
    return msg


def labels(widget) -> list[str]:
    """Every node's label ('' for none), from the synced tape (labels are sent sparse)."""
    tape = widget.tape if hasattr(widget, "tape") else widget
    return [tape["labels"].get(str(i), "") for i in range(tape["n"])]


def numbers(widget) -> dict:
    """The synced kernel_state with its binary columns read back: data and grad as floats,
    stale flags as bools."""
    from autograd_widget.wire import decode

    state = widget.kernel_state if hasattr(widget, "kernel_state") else widget
    return {**state, "data": decode("d", state["data"]), "grad": decode("d", state["grad"]),
            "stale_data": [bool(x) for x in decode("B", state["stale_data"])],
            "stale_grad": [bool(x) for x in decode("B", state["stale_grad"])]}
