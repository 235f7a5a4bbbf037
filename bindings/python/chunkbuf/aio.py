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
from ._ffi import NPOS, ffi, lib
from ._waits import Call
from .buffer import DEFAULT_EOL


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
        await self._wait_in_thread(least)

    async def _wait_in_thread(self, least):
        out = ffi.new("chunkbuf_cancel **")
        rc = lib.chunkbuf_cancel_new(out)
        if rc:
            raise Call().exception(rc)
        token = ffi.gc(out[0], lib.chunkbuf_cancel_free)
        h = self._h

        def wait():
            c = Call()
            c.wait.cancel = token
            if lib.chunkbuf_stream_peek(h, least, 0, c.wait, c.view, c.handout) == 0:
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
            except WouldBlockError as e:
                await self._until(getattr(e, "least", 1))

    async def aread_line(self, eol=DEFAULT_EOL, max_len=0, keepends=False):
        """read_line(eol, max_len, keepends) without blocking the loop: one
        line ending in eol, without it (with it when keepends); None at
        EOF. While no line is complete it waits for more bytes than it saw
        unread, consuming nothing."""
        while True:
            try:
                return self.read_line(eol, max_len, keepends, timeout=0)
            except WouldBlockError:
                pass
            seen = self.readable_amount()  # then look again: a failure now means they hold no line
            try:
                return self.read_line(eol, max_len, keepends, timeout=0)
            except WouldBlockError:
                await self._until(seen + 1)

    def __aiter__(self):
        return self._alines()

    async def _alines(self):
        while True:
            line = await self.areadline()
            if not line:
                return
            yield line
