"""asyncio reading for Stream.

Reads never block the event loop: each await first takes what is there
without waiting. When nothing is unread, the coroutine sleeps until the
stream's readiness descriptor (chunkbuf_stream_readiness_fd, watched with
add_reader) is readable. When some bytes are unread but not enough (a
partial line, a read until EOF), the readiness descriptor is already
readable, so the wait for more happens in the loop's default executor as
one blocking C call that consumes nothing; cancelling the awaiting task
fires that call's cancel token, which ends it at once. No await holds
bytes it took from the stream, so cancelling one loses nothing.
"""
import asyncio

from ._errors import WouldBlockError
from ._ffi import NPOS, ffi, lib, size_arg
from ._waits import Call
from .buffer import DEFAULT_EOL, eol_arg


class AsyncReaderMixin:
    """aread / areadline / aread_line / async for, for Stream."""

    async def _readable(self):
        loop = asyncio.get_running_loop()
        fd = self.readiness_fd
        ready = loop.create_future()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            await ready
        finally:
            loop.remove_reader(fd)

    async def _until(self, least):
        """Returns once least bytes are unread, or EOF or an abort is there
        (the read that follows reports it). Consumes nothing."""
        unread = self.readable_amount()
        if unread >= least:
            return
        if unread == 0:
            await self._readable()
            unread = self.readable_amount()
            if unread == 0 or unread >= least:
                return
        await self._wait_in_thread(lambda h, c: lib.chunkbuf_stream_peek(h, least, 0, c.wait, c.view, c.handout))

    async def _until_line(self, eol, max_len):
        """Returns once a line ending in eol is complete (or one longer than
        max_len > 0, EOF or an abort is there) at the read position as it
        is then, whatever other readers took meanwhile. Consumes nothing."""
        if self.readable_amount() == 0:
            await self._readable()  # the read that follows looks again
            return
        line = ffi.new("chunkbuf_line[1]")
        await self._wait_in_thread(lambda h, c: lib.chunkbuf_stream_peek_lines(
            h, eol, max_len, line, 1, c.wait, c.nread, c.view, c.handout))

    async def _wait_in_thread(self, peek):
        """Runs peek(h, call) -> status, a blocking look that consumes
        nothing, in the loop's executor; cancelling the awaiting task ends
        it at once."""
        out = ffi.new("chunkbuf_cancel **")
        rc = lib.chunkbuf_cancel_new(out)
        if rc:
            raise Call().exception(rc)
        token = ffi.gc(out[0], lib.chunkbuf_cancel_free)
        h = self._h

        def wait():
            c = Call()
            c.wait.cancel = token
            if peek(h, c) == 0:
                lib.chunkbuf_view_release(c.view[0])

        waiting = asyncio.get_running_loop().run_in_executor(None, wait)
        try:
            await waiting
        except BaseException:
            lib.chunkbuf_cancel_fire(token)  # ends the C wait; the thread holds the token until then
            raise

    async def aread(self, n=-1):
        """Up to n bytes, at least one unless at EOF (n < 0: until EOF)."""
        if n is None or n < 0:
            await self._until(NPOS)
            return self._take_all(0)
        while True:
            try:
                return self.read_nonblock(n)
            except WouldBlockError:
                await self._readable()

    async def areadline(self):
        """One line including b"\\n" (the last may lack it); b"" at EOF."""
        while True:
            try:
                return self.readline(timeout=0)
            except WouldBlockError:
                await self._until_line(lib.CHUNKBUF_EOL_LF, 0)

    async def aread_line(self, eol=DEFAULT_EOL, max_len=0, keepends=False):
        """read_line(eol, max_len, keepends) without blocking the loop: one
        line ending in eol, without it (with it when keepends); None at
        EOF. While no line is complete it waits for one, consuming nothing."""
        while True:
            try:
                return self.read_line(eol, max_len, keepends, timeout=0)
            except WouldBlockError:
                await self._until_line(eol_arg(eol), size_arg(max_len, "max_len"))

    def __aiter__(self):
        return self._alines()

    async def _alines(self):
        while True:
            line = await self.areadline()
            if not line:
                return
            yield line
