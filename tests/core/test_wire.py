"""A broadcast's frame is built once (``core.wire``): what a client's parser reads from it."""

import pytest
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from core.wire import text_frame


def read_frame(data: bytes) -> tuple[Frame, bool]:
    """The frame in ``data`` as a client's parser reads it, and whether nothing was left over."""
    reader = StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    parser = Frame.parse(reader.read_exact, mask=False)
    try:
        next(parser)
    except StopIteration as done:
        return done.value, reader.at_eof()
    raise AssertionError("the frame is incomplete")


@pytest.mark.parametrize("text", ["议事", "x" * 125, "x" * 126, "会" * 2000, "🏠" * 20000],
                         ids=["short", "125 bytes", "126 bytes", "16-bit length", "64-bit length"])
def test_a_frame_built_once_reads_back_as_the_text(text):
    frame, whole = read_frame(text_frame(text))
    assert frame.opcode is Opcode.TEXT and frame.fin and whole
    assert frame.data.decode("utf-8") == text
