"""Consumer scenario for an installed Python binding: run by
consumer_test.py from a directory outside the source tree, with PYTHONPATH
naming the installed site-packages (or nothing, for a system install).
CHUNKBUF_EXPECT_DIR, when set, is where the package must come from."""
import importlib.metadata
import os
import sys
import threading

import chunkbuf

expect = os.environ.get("CHUNKBUF_EXPECT_DIR")
where = os.path.dirname(os.path.abspath(chunkbuf.__file__))
if expect and not where.startswith(os.path.abspath(expect) + os.sep):
    sys.exit("chunkbuf imported from %s, not from under %s" % (where, expect))

# Installed with its dist-info: pip and importlib.metadata know it.
assert importlib.metadata.version("chunkbuf") == chunkbuf.__version__, importlib.metadata.version("chunkbuf")

# A writer thread and a blocking reader (the GIL is released while it waits).
count = 2000
stream = chunkbuf.Stream(high_water=1024, timeout=30)


def writer():
    for i in range(count):
        line = b"event %d\n" % i
        stream.write(line[:5])
        stream.write(line[5:])
    stream.write_eof()


t = threading.Thread(target=writer)
t.start()
got = [line for line in stream]
t.join()
assert got == [b"event %d\n" % i for i in range(count)], got[:3]

# A buffer handing out lines as views; a view outlives the buffer.
buf = chunkbuf.Buffer()
buf.append(b"GET / HTTP/1.1\r\nHo")
buf.append(b"st: x\r\n\r\nrest")
first = buf.take_line("crlf")
lines = [bytes(first)] + buf.take_lines("crlf")
assert lines == [b"GET / HTTP/1.1", b"Host: x", b""], lines
assert len(buf) == 4
buf.close()
assert first == b"GET / HTTP/1.1" and bytes(memoryview(first)) == b"GET / HTTP/1.1"

print("python consumer: chunkbuf from %s: %d lines from a writer thread, %d buffer lines"
      % (where, len(got), len(lines)))
