#!/usr/bin/env python3
"""A streaming parser for HTTP/1.1 chunked bodies (RFC 9112, 7.1) on a Buffer.

Bytes arrive in arbitrary pieces (here a few at a time, as from a socket).
The parser keeps unparsed bytes in a chunkbuf Buffer and hands out each
chunk's data as zero-copy Views; a piece that ends mid-line just waits for
more (NeedMoreData leaves every byte in place, LimitError caps line length).

    python3 http_chunked.py
"""
import sys
from typing import List

import chunkbuf

MAX_LINE = 4096
SIZE, DATA, DATA_END, TRAILER, DONE = range(5)


class ChunkedBodyParser:
    """feed(bytes) returns the body data decoded so far, as Views."""

    def __init__(self) -> None:
        self.buf = chunkbuf.Buffer()
        self.state = SIZE
        self.remaining = 0
        self.trailers: List[bytes] = []

    @property
    def done(self) -> bool:
        return self.state == DONE

    def feed(self, data: bytes) -> List[chunkbuf.View]:
        self.buf.append(data)
        out: List[chunkbuf.View] = []
        try:
            while self.state != DONE and self._step(out):
                pass
        except chunkbuf.NeedMoreData:
            pass
        return out

    def _step(self, out: List[chunkbuf.View]) -> bool:
        """Advance by one element; False when more bytes are needed."""
        if self.state == SIZE:
            line = bytes(self.buf.take_line("crlf_strict", MAX_LINE))
            self.remaining = int(line.split(b";", 1)[0].strip(), 16)  # drop extensions
            self.state = DATA if self.remaining else TRAILER
        elif self.state == DATA:
            n = min(self.remaining, len(self.buf))
            if not n:
                return False
            out.append(self.buf.split_to(n))
            self.remaining -= n
            if not self.remaining:
                self.state = DATA_END
        elif self.state == DATA_END:
            if len(self.buf) < 2:
                return False
            if self.buf.peek_exact(2) != b"\r\n":
                raise ValueError("chunk data not followed by CRLF")
            self.buf.advance(2)
            self.state = SIZE
        else:
            line = bytes(self.buf.take_line("crlf_strict", MAX_LINE))
            if line:
                self.trailers.append(line)
            else:
                self.state = DONE
        return True


def main() -> int:
    wire = (b"7\r\nchunked\r\n"
            b"1;ext=1\r\n \r\n"
            b"10\r\nbodies stream in\r\n"
            b"0\r\nX-Checksum: 42\r\n\r\n")
    parser = ChunkedBodyParser()
    views: List[chunkbuf.View] = []
    for i in range(0, len(wire), 3):
        views += parser.feed(wire[i:i + 3])
    body = bytes(chunkbuf.View.concat(views))
    print("body %r in %d views, trailers %r, done %s" % (body, len(views), parser.trailers, parser.done))
    ok = body == b"chunked bodies stream in" and parser.trailers == [b"X-Checksum: 42"] and parser.done
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
