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
