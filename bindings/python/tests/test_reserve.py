"""Buffer.reserve()/commit(): the two-phase write asyncio's BufferedProtocol
needs, with the C API's reservation rules."""
import asyncio

import pytest

import chunkbuf


@pytest.mark.parametrize("linear", [False, True])
def test_reserve_fill_commit(linear):
    buf = chunkbuf.Buffer(b"ab", linear=linear)
    mv = buf.reserve(4)
    assert len(mv) >= 4 and not mv.readonly
    mv[:4] = b"cdef"
    assert len(buf) == 2  # not part of the buffer until committed
    buf.commit(4)
    assert bytes(buf) == b"abcdef"
    with pytest.raises(ValueError):  # released by commit: no late writes
        mv[0] = 0


def test_reservation_rules():
    buf = chunkbuf.Buffer(b"abc\n")
    with pytest.raises(chunkbuf.StateError):
        buf.commit(0)  # nothing reserved
    mv = buf.reserve(8)
    with pytest.raises(chunkbuf.StateError):
        buf.reserve(1)
    with pytest.raises(chunkbuf.StateError):
        buf.append(b"x")
    with pytest.raises(chunkbuf.StateError):
        buf.take_line()
    assert buf.find(b"\n") == 3  # looking is allowed
    with pytest.raises(chunkbuf.RangeError):
        buf.commit(len(mv) + 1)  # the reservation stays open
    mv[:2] = b"de"
    buf.commit(2)
    assert bytes(buf) == b"abc\nde"
    buf.reserve(16)
    buf.commit(0)  # cancels
    buf.append(b"f")
    assert bytes(buf) == b"abc\ndef"


def test_replace_cancels_the_open_reservation():
    buf = chunkbuf.Buffer(b"a")
    first = buf.reserve(4)
    second = buf.reserve(4, replace=True)  # as asyncio's second get_buffer
    with pytest.raises(ValueError):
        first[0] = 1
    second[:1] = b"b"
    buf.commit(1)
    assert bytes(buf) == b"ab"


def test_reserve_past_max_bytes_is_a_limit_error():
    buf = chunkbuf.Buffer(max_bytes=4)
    with pytest.raises(chunkbuf.LimitError):
        buf.reserve(5)
    buf.reserve(4)
    buf.commit(0)


def test_buffered_protocol_shape():
    """get_buffer -> reserve, buffer_updated -> commit, over a real socket."""
    async def main():
        loop = asyncio.get_running_loop()
        received = loop.create_future()

        class Sink(asyncio.BufferedProtocol):
            def __init__(self):
                self.buf = chunkbuf.Buffer()

            def get_buffer(self, sizehint):
                return self.buf.reserve(max(sizehint, 1024), replace=True)

            def buffer_updated(self, nbytes):
                self.buf.commit(nbytes)

            def eof_received(self):
                received.set_result(bytes(self.buf))

        server = await loop.create_server(Sink, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"hello " * 1000)
        writer.write_eof()
        data = await asyncio.wait_for(received, 10)
        writer.close()
        server.close()
        return data

    assert asyncio.run(main()) == b"hello " * 1000
