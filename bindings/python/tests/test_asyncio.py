"""asyncio reads wait on the readiness descriptor, without polling."""
import asyncio

import pytest

import chunkbuf
from chunkbuf import aio as aio_module, stream as stream_module

from conftest import feed


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 10))


def test_aread_and_areadline():
    s = chunkbuf.Stream()
    feed(s, [b"first li", b"ne\nsecond\n", b"rest"], delay=0.02)

    async def main():
        assert await s.areadline() == b"first line\n"
        assert await s.aread(3) == b"sec"
        assert await s.areadline() == b"ond\n"
        assert await s.aread() == b"rest"
        assert await s.aread(5) == b""
        assert await s.areadline() == b""
    run(main())


def test_aread_line_in_every_style_waits_without_blocking_the_loop():
    s = chunkbuf.Stream()
    feed(s, [b"first li", b"ne\r\nsecond\n", b"\r\nnul\x00", b"rest"], delay=0.02)

    async def main():
        assert await s.aread_line() == b"first line"  # crlf, the default
        assert await s.aread_line("lf", keepends=True) == b"second\n"
        assert await s.aread_line("crlf_strict") == b""
        assert await s.aread_line("nul") == b"nul"
        with pytest.raises(chunkbuf.LimitError):
            await s.aread_line("lf", max_len=2)  # "rest" is longer than 2: nothing consumed
        assert await s.aread_line("lf") == b"rest"
        assert await s.aread_line("lf") is None
    run(main())


def test_async_for():
    s = chunkbuf.Stream()
    feed(s, [b"a\nb", b"b\n", b"", b"c\nd"], delay=0.02)

    async def main():
        return [line async for line in s]
    assert run(main()) == [b"a\n", b"bb\n", b"c\n", b"d"]


def test_other_tasks_run_while_waiting_and_there_is_no_polling(count_calls):
    s = chunkbuf.Stream()
    counter = count_calls(stream_module)
    waits = count_calls(aio_module)
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    async def main():
        task = asyncio.ensure_future(ticker())
        loop = asyncio.get_running_loop()
        loop.call_later(0.3, s.write, b"partial line ")
        loop.call_later(0.6, s.write, b"done\n")
        line = await s.areadline()
        task.cancel()
        return line
    assert run(main()) == b"partial line done\n"
    assert ticks > 20
    # a look per wake-up (the first try, the first write, the partial
    # line's end) and one wait for the line in the executor: no loop
    assert counter.calls["chunkbuf_stream_peek_lines"] <= 4
    assert waits.calls["chunkbuf_stream_peek_lines"] == 1


def test_cancelling_async_reads_loses_no_byte():
    s = chunkbuf.Stream()
    s.write(b"line1\nline2\npartial")

    async def main():
        got = []

        async def reader():
            async for line in s:
                got.append(line)
        task = asyncio.ensure_future(reader())
        while s.waiting()[0] == 0:  # the reader waits for the partial line's end
            await asyncio.sleep(0.001)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        while s.waiting() != (0, 0):  # the cancelled wait leaves the stream
            await asyncio.sleep(0.001)
        return got
    assert run(main()) == [b"line1\n", b"line2\n"]
    assert s.readable_amount() == len(b"partial")
    s.write(b" line\n")
    assert s.readline() == b"partial line\n"


def test_async_abort_raises():
    s = chunkbuf.Stream()

    async def main():
        asyncio.get_running_loop().call_later(0.05, s.abort, 3)
        await s.aread(1)
    with pytest.raises(chunkbuf.AbortedError):
        run(main())
