"""asyncio reading for Stream, driven by the stream's readiness descriptor.

The running loop watches chunkbuf_stream_readiness_fd with add_reader; a
coroutine sleeps until the descriptor is readable, then takes what is
buffered without blocking. No polling: an await that finds no complete line
moves the partial bytes into Python, so the descriptor stays quiet until
the writer adds more. One coroutine at a time may read a given stream.
"""
import asyncio

from ._errors import WouldBlockError

_CHUNK = 64 * 1024


class AsyncReaderMixin:
    """aread / areadline / async for, for Stream (which provides
    _read_available, _head, _take_head, _push_head and readiness_fd)."""

    async def _readable(self):
        loop = asyncio.get_running_loop()
        fd = self.readiness_fd
        ready = loop.create_future()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            await ready
        finally:
            loop.remove_reader(fd)

    async def _chunk(self, n=_CHUNK):
        """Up to n new bytes from the stream (b"" at EOF), awaiting them."""
        while True:
            try:
                return self._read_available(n)
            except WouldBlockError:
                await self._readable()

    async def aread(self, n=-1):
        """Up to n bytes, at least one unless at EOF (n < 0: until EOF)."""
        self._check_open()
        if n is not None and n >= 0:
            if self._head or not n:
                return self._take_head(n)
            return await self._chunk(n)
        parts = [self._take_head(-1)]
        while True:
            chunk = await self._chunk()
            if not chunk:
                return b"".join(parts)
            parts.append(chunk)

    async def areadline(self):
        """One line including b"\\n" (the last may lack it); b"" at EOF."""
        self._check_open()
        while True:
            end = self._head.find(b"\n") + 1
            if end:
                return self._take_head(end)
            chunk = await self._chunk()
            if not chunk:
                return self._take_head(-1)
            self._push_head(chunk, front=False)

    def __aiter__(self):
        self._check_open()
        return self._alines()

    async def _alines(self):
        """Lines with their b"\\n", split per received block."""
        while True:
            data = self._take_head(-1)
            cut = data.rfind(b"\n") + 1
            if not cut:
                chunk = await self._chunk()
                if not chunk:
                    if data:
                        yield data
                    return
                self._push_head(data + chunk)
                continue
            self._push_head(data[cut:])
            lines = data[:cut - 1].split(b"\n")
            i = 0
            try:
                for i, line in enumerate(lines, 1):
                    yield line + b"\n"
            finally:
                if i < len(lines):  # left early: keep the lines not yielded
                    self._push_head(b"".join(x + b"\n" for x in lines[i:]))
