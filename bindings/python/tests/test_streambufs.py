"""The streambufs design's behaviours: empty-needle find/rfind as bytes
answers them, and distinct error classes for the two limits and the two
reservation states."""
import io
import threading
import time

import pytest

import chunkbuf

HAY = b"abcabcab"


def pieces(linear):
    b = chunkbuf.Buffer(linear=linear)
    for part in (b"abc", b"abc", b"ab"):
        b.append_ref(part)
    return b


@pytest.mark.parametrize("linear", [False, True], ids=["segmented", "linear"])
@pytest.mark.parametrize("start, end", [(0, None), (3, None), (8, None), (9, None), (20, None), (2, 5),
                                        (5, 2), (-3, None), (0, -2), (0, 100)])
def test_empty_needle_answers_as_bytes(linear, start, end):
    b = pieces(linear)
    assert b.find(b"", start, end) == HAY.find(b"", start, end)
    assert b.rfind(b"", start, end) == HAY.rfind(b"", start, end)
    assert b == HAY


def test_rfind_empty_is_the_length():
    b = pieces(False)
    assert b.rfind(b"") == len(HAY) == 8
    assert b.find(b"") == 0


def test_empty_needle_in_view_and_stream():
    v = chunkbuf.Buffer(b"hello").split_to(5)
    assert v.find(b"", 4) == 4
    assert v.find(b"", 6) == -1
    s = chunkbuf.Stream()
    s.write(b"abcdef")
    assert s.read(2) == b"ab"
    assert s.find(b"", 1) == 1
    assert s.find(b"", 5) == -1


def test_frame_too_large_is_a_distinct_limit_error():
    assert issubclass(chunkbuf.FrameTooLargeError, chunkbuf.LimitError)
    assert issubclass(chunkbuf.FrameTooLargeError, ValueError)
    f = chunkbuf.DelimiterFramer([b"\n"], max_frame=3)
    b = chunkbuf.Buffer(b"abcd\n", max_bytes=6)
    with pytest.raises(chunkbuf.FrameTooLargeError):
        f.next(b)
    with pytest.raises(chunkbuf.LimitError) as info:
        b.append(b"xy")  # the buffer growing past max_bytes
    assert not isinstance(info.value, chunkbuf.FrameTooLargeError)
    assert b == b"abcd\n"  # both failures left every byte in place


def test_no_reservation_is_distinct_from_reservation_open():
    assert issubclass(chunkbuf.NoReservationError, chunkbuf.StateError)
    assert issubclass(chunkbuf.NoReservationError, RuntimeError)
    b = chunkbuf.Buffer(b"a")
    with pytest.raises(chunkbuf.NoReservationError):
        b.commit(0)
    mem = b.reserve(4)
    with pytest.raises(chunkbuf.StateError) as info:
        b.append(b"x")  # a reservation is outstanding
    assert not isinstance(info.value, chunkbuf.NoReservationError)
    mem[:2] = b"bc"
    b.commit(2)
    assert b == b"abc"


@pytest.mark.parametrize("linear", [False, True], ids=["segmented", "linear"])
def test_prepend_bytes_and_views(linear):
    b = chunkbuf.Buffer(b"body", linear=linear)
    b.prepend(b": ")
    b.prepend(bytearray(b"d"))
    head = chunkbuf.Buffer(b"hea").split_to(3)
    b.prepend(head)
    assert b == b"head: body"
    assert bytes(head) == b"hea"
    assert b.find(b"d: b") == 3


def test_prepend_view_shares_the_segments():
    src = chunkbuf.Buffer()
    src.append_ref(b"ab")
    src.append_ref(b"cd")
    v = src.split_to(4)
    b = chunkbuf.Buffer(b"tail")
    before = b.segment_lengths()
    b.prepend(v)
    assert b == b"abcdtail"
    assert b.segment_lengths() == [2, 2] + before  # the view's two segments, in front


@pytest.mark.parametrize("linear", [False, True], ids=["segmented", "linear"])
def test_prepend_limit_and_reservation_move_nothing(linear):
    b = chunkbuf.Buffer(b"abcdef", max_bytes=8, linear=linear)
    with pytest.raises(chunkbuf.LimitError):
        b.prepend(b"xyz")
    with pytest.raises(chunkbuf.LimitError):
        b.prepend(chunkbuf.Buffer(b"xyz").split_to(3))
    assert b == b"abcdef"
    mem = b.reserve(1)
    with pytest.raises(chunkbuf.StateError):
        b.prepend(b"")
    with pytest.raises(chunkbuf.StateError):
        b.prepend(b"q")
    del mem
    b.commit(0)
    b.prepend(b"xy")  # exactly max_bytes
    assert b == b"xyabcdef"
    with pytest.raises(TypeError):
        b.prepend("text")


# -- file-like adapters with an explicit policy for short reads


def test_reader_over_a_buffer_raise_and_partial():
    b = chunkbuf.Buffer(b"abcdef")
    r = chunkbuf.FileReader(b, "raise")
    assert isinstance(r, io.RawIOBase) and r.readable()
    assert r.read(4) == b"abcd"
    with pytest.raises(chunkbuf.NeedMoreData):
        r.read(3)
    assert b == b"ef"  # nothing consumed
    p = chunkbuf.FileReader(b, "return_partial")
    assert p.read(3) == b"ef"
    assert p.read(3) == b""
    b.append(b"line one\nline two\n")
    assert list(io.BufferedReader(chunkbuf.FileReader(b))) == [b"line one\n", b"line two\n"]
    with pytest.raises(chunkbuf.InvalidArgumentError):
        chunkbuf.FileReader(chunkbuf.Buffer(b"x"), "block").read(1)
    with pytest.raises(ValueError):
        chunkbuf.FileReader(b, "sometimes")
    with pytest.raises(TypeError):
        chunkbuf.FileReader(io.BytesIO(), "raise")


def test_reader_over_a_stream_each_policy():
    s = chunkbuf.Stream()
    partial = chunkbuf.FileReader(s, "return_partial")
    assert partial.read(4) is None  # nothing yet: RawIOBase's "would block"
    s.write(b"abc")
    with pytest.raises(chunkbuf.NeedMoreData):
        chunkbuf.FileReader(s, "raise").read(4)
    assert s.readable_amount() == 3
    with pytest.raises(chunkbuf.TimeoutError):
        chunkbuf.FileReader(s, "block", timeout=0.01).read(4)
    assert partial.read(2) == b"ab"
    s.write(b"defg")
    s.write_eof()
    assert chunkbuf.FileReader(s, "block").read(4) == b"cdef"
    assert chunkbuf.FileReader(s, "raise").read(4) == b"g"  # at EOF: what is left
    assert partial.read(4) == b""


def test_block_policy_waits_for_the_writer():
    s = chunkbuf.Stream()
    r = chunkbuf.FileReader(s, "block", timeout=30)
    got = []
    t = threading.Thread(target=lambda: got.append(r.read(6)))
    t.start()
    give_up = time.monotonic() + 30
    while s.waiting()[0] < 1 and time.monotonic() < give_up:  # the engine's count of blocked readers
        time.sleep(0.001)
    assert s.waiting()[0] == 1
    s.write(b"abc")
    s.write(b"def")
    t.join()
    assert got == [b"abcdef"]


def test_writer_over_a_buffer_and_a_stream():
    b = chunkbuf.Buffer()
    w = chunkbuf.FileWriter(b)
    assert w.writable()
    assert w.write(b"abc") == 3
    assert w.write(memoryview(b"defg")[1:]) == 3
    w.close()
    assert b == b"abcefg"
    with pytest.raises(ValueError):
        w.write(b"x")  # closed
    s = chunkbuf.Stream()
    with chunkbuf.FileWriter(s, eof_on_close=True) as sw:
        sw.write(b"body")
    assert chunkbuf.FileReader(s, "block").readall() == b"body"
    assert s.at_eof()
