import pytest

import chunkbuf
from chunkbuf import framer as framer_module


def test_delimiters_longest_match_and_final_flush():
    f = chunkbuf.DelimiterFramer([b"\n", b"\r\n"])
    b = chunkbuf.Buffer(b"a\r\nb\nc")
    assert f.next(b) == b"a"
    assert list(f.frames(b)) == [b"b"]
    with pytest.raises(chunkbuf.NeedMoreData):
        f.next(b)
    assert b == b"c"
    assert f.next(b, final=True) == b"c"


def test_a_frame_waits_while_a_longer_delimiter_could_complete():
    f = chunkbuf.DelimiterFramer([b"\r", b"\r\n"])
    b = chunkbuf.Buffer(b"x\r")
    with pytest.raises(chunkbuf.NeedMoreData):
        f.next(b)
    b.append(b"\ny\rz")
    assert f.next_batch(b) == [b"x", b"y"]
    assert b == b"z"


def test_include_delimiter_and_limits():
    f = chunkbuf.DelimiterFramer(b";", include_delimiter=True, max_frame=3)
    b = chunkbuf.Buffer(b"ab;toolong;")
    assert f.next(b) == b"ab;"
    with pytest.raises(chunkbuf.LimitError):
        f.next(b)
    assert b == b"toolong;"
    with pytest.raises(chunkbuf.InvalidArgumentError):
        chunkbuf.DelimiterFramer([])


def test_delimiter_encode():
    with chunkbuf.DelimiterFramer(b"\n") as f:
        out = chunkbuf.Buffer()
        f.encode(out, b"line")
        f.encode(out, chunkbuf.View(b"view"))
        assert out == b"line\nview\n"
        with pytest.raises(chunkbuf.InvalidArgumentError):
            f.encode(out, b"two\nlines")
        assert out == b"line\nview\n"


def test_length_prefixed_round_trip():
    f = chunkbuf.LengthFramer()
    out = chunkbuf.Buffer()
    f.encode(out, b"hello")
    f.encode(out, b"")
    assert out == b"\x00\x00\x00\x05hello\x00\x00\x00\x00"
    assert f.next(out) == b"hello" and f.next(out) == b""
    out.append(b"\x00\x00\x00\x09part")
    with pytest.raises(chunkbuf.NeedMoreData):
        f.next(out)
    with pytest.raises(chunkbuf.InvalidArgumentError):
        f.next(out, final=True)
    assert out == b"\x00\x00\x00\x09part"


def test_length_field_variants():
    le = chunkbuf.LengthFramer(2, "le", strip=0)
    assert le.next(chunkbuf.Buffer(b"\x03\x00abc")) == b"\x03\x00abc"
    counts_itself = chunkbuf.LengthFramer(4, length_adjust=-4)
    assert counts_itself.next(chunkbuf.Buffer(b"\x00\x00\x00\x06hi")) == b"hi"
    header = chunkbuf.LengthFramer(1, length_offset=2)
    assert header.next(chunkbuf.Buffer(b"T\x01\x02ok")) == b"ok"
    small = chunkbuf.LengthFramer(1, max_frame=2)
    b = chunkbuf.Buffer(b"\x03abc")
    with pytest.raises(chunkbuf.LimitError):
        small.next(b)
    assert len(b) == 4
    with pytest.raises(chunkbuf.InvalidArgumentError):
        chunkbuf.LengthFramer(3)


def test_frames_are_taken_in_batches(count_calls):
    f = chunkbuf.LengthFramer(2)
    b = chunkbuf.Buffer()
    for i in range(2500):
        f.encode(b, b"msg %d" % i)
    counter = count_calls(framer_module)
    frames = list(f.frames(b))
    assert len(frames) == 2500 and frames[-1] == b"msg 2499"
    assert counter.calls["chunkbuf_framer_next_batch"] == 4


def test_misuse():
    f = chunkbuf.DelimiterFramer(b"\n")
    with pytest.raises(TypeError):
        f.next(b"not a buffer")
    f.close()
    with pytest.raises(chunkbuf.HandleError):
        f.next(chunkbuf.Buffer(b"x\n"))
