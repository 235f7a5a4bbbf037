"""Stream.read_line: one line in any of the Buffer's end-of-line styles,
copied once and consumed by one C call (chunkbuf_stream_read_line)."""
import threading

import pytest

import chunkbuf

from conftest import feed

CASES = [
    ("lf", b"a\nbb\r\n\nccc", [b"a", b"bb\r", b"", b"ccc"], [b"a\n", b"bb\r\n", b"\n", b"ccc"]),
    ("crlf", b"a\r\nbb\n\r\nccc", [b"a", b"bb", b"", b"ccc"], [b"a\r\n", b"bb\n", b"\r\n", b"ccc"]),
    ("crlf_strict", b"a\r\nb\nb\r\n\r\nc", [b"a", b"b\nb", b"", b"c"], [b"a\r\n", b"b\nb\r\n", b"\r\n", b"c"]),
    ("any", b"a\r\n\r\nb\n\rc\n", [b"a", b"b", b"c"], [b"a\r\n\r\n", b"b\n\r", b"c\n"]),
    ("nul", b"a\x00\x00b\nc", [b"a", b"", b"b\nc"], [b"a\x00", b"\x00", b"b\nc"]),
]


def read_all(s, eol, keepends=False):
    out = []
    while True:
        line = s.read_line(eol, keepends=keepends)
        if line is None:
            return out
        out.append(line)


@pytest.mark.parametrize("eol, data, want, want_kept", CASES)
def test_every_eol_style_as_the_bytes_arrive(eol, data, want, want_kept):
    for keepends, expected in ((False, want), (True, want_kept)):
        s = chunkbuf.Stream()
        # a byte at a time, so the reader waits for each line; "any" takes
        # the run of CR and LF that is there (as evbuffer's EOL_ANY does), so
        # its runs are not cut
        pieces = [data] if eol == "any" else [data[i:i + 1] for i in range(len(data))]
        feed(s, pieces, delay=0)
        assert read_all(s, eol, keepends) == expected
        assert s.read_line(eol) is None  # EOF stays EOF


LONG = bytes(range(256)).replace(b"\n", b"") * 1000  # 255 KiB, more than either path's first room


def test_a_long_line_that_is_there_comes_whole():
    s = chunkbuf.Stream()
    s.write(LONG + b"\nshort\n")
    s.write_eof()
    assert s.read_line("lf") == LONG
    assert s.read_line("lf", keepends=True) == b"short\n"
    assert s.read_line("lf") is None


@pytest.mark.parametrize("keepends", [False, True])
def test_a_long_line_waited_for_comes_whole(keepends):
    s = chunkbuf.Stream()
    feed(s, [LONG[:1000], LONG[1000:], b"\r\nnext\r\n"], delay=0.02)  # the reader waits, then the line is too big for its room
    assert s.read_line(keepends=keepends) == LONG + (b"\r\n" if keepends else b"")
    assert s.read_line() == b"next"
    assert s.read_line() is None


def test_max_len_raises_limit_error_and_consumes_nothing():
    s = chunkbuf.Stream()
    s.write(b"abcdef\r\nxy")
    s.write_eof()
    with pytest.raises(chunkbuf.LimitError):
        s.read_line(max_len=3)
    assert s.readable_amount() == 10
    assert s.read_line(max_len=6) == b"abcdef"
    assert s.read_line() == b"xy"
    assert s.read_line() is None


def test_bad_arguments_and_an_aborted_stream():
    s = chunkbuf.Stream()
    s.write(b"line\n")
    with pytest.raises(ValueError):
        s.read_line("cr")
    with pytest.raises(ValueError):
        s.read_line(max_len=-1)
    with pytest.raises(ValueError):
        s.read_line(timeout=-1)
    assert s.readable_amount() == 5
    s.abort(3)
    with pytest.raises(chunkbuf.AbortedError) as info:
        s.read_line()
    assert info.value.abort_code == 3


def test_a_timeout_consumes_nothing_and_the_line_comes_later():
    s = chunkbuf.Stream()
    s.write(b"no end yet")
    with pytest.raises(chunkbuf.TimeoutError):
        s.read_line("crlf", timeout=0.05)
    with pytest.raises(chunkbuf.WouldBlockError):
        s.read_line("crlf", timeout=0)
    feed(s, [b", still none", b"\r\nnext"], delay=0.02)
    assert s.read_line("crlf") == b"no end yet, still none"
    assert s.read_line("crlf") == b"next"


def test_threads_each_get_whole_lines_once():
    lines = [b"%05d-" % i + b"x" * (i % 700) for i in range(3000)]  # some longer than the first room
    s = chunkbuf.Stream(high_water=8192)
    feed(s, [b"\r\n".join(lines[i:i + 50]) + b"\r\n" for i in range(0, len(lines), 50)], delay=0)
    got = [[] for _ in range(4)]

    def reader(out):
        while (line := s.read_line("crlf")) is not None:
            out.append(line)

    threads = [threading.Thread(target=reader, args=(out,)) for out in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert sorted(sum(got, [])) == sorted(lines)


def test_positional_and_keyword_calls_agree():
    """A line that is there is read in C (StreamBase.read_line), whether the
    arguments come by position or by keyword; waits and arguments to
    report go through Stream._read_line. All must agree, the default eol
    included (the Buffer's, "crlf")."""
    from chunkbuf.buffer import DEFAULT_EOL
    assert DEFAULT_EOL == "crlf"  # StreamBase.read_line's default too (_accel.c)
    data = b"one\r\ntwo\nthree-four\r\nlast"
    calls = [
        (lambda s: s.read_line(), lambda s: s.read_line(eol="crlf")),
        (lambda s: s.read_line("lf"), lambda s: s.read_line(eol="lf")),
        (lambda s: s.read_line("crlf", 0), lambda s: s.read_line("crlf", max_len=0)),
        (lambda s: s.read_line("crlf", 5), lambda s: s.read_line(eol="crlf", max_len=5)),
        (lambda s: s.read_line("lf", 0, True, 0), lambda s: s.read_line(keepends=True, eol="lf", timeout=0.0)),
        (lambda s: s.read_line(timeout=None), lambda s: s.read_line("crlf", max_len=0, keepends=False)),
    ]
    for positional, keyword in calls:
        results = []
        for call in (positional, keyword):
            s = chunkbuf.Stream()
            s.write(data)
            s.write_eof()
            got = []
            while True:
                try:
                    line = call(s)
                except chunkbuf.LimitError:
                    got.append("limit")
                    s.read(len(b"three-four\r\n"))
                    continue
                got.append(line)
                if line is None:
                    break
            results.append(got)
        assert results[0] == results[1]
    s = chunkbuf.Stream()
    s.write(b"x\n")
    for bad in (("cr",), ("lf", -1), ("lf", 1.5), (3.0,)):
        with pytest.raises((ValueError, TypeError)):
            s.read_line(*bad)
    for bad in ({"timeout": -1}, {"timeout": float("nan")}, {"timeout": "1"}, {"eol": "lf", "size": 1}):
        with pytest.raises((ValueError, TypeError)):
            s.read_line(**bad)
    with pytest.raises(TypeError):
        s.read_line("lf", eol="lf")  # given twice
    assert s.read_line("lf", 1) == b"x"
