"""The streambufs design's behaviours: empty-needle find/rfind as bytes
answers them, and distinct error classes for the two limits and the two
reservation states."""
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
    b.prepend(b"xy")
    mem = b.reserve(1)
    with pytest.raises(chunkbuf.StateError):
        b.prepend(b"")
    with pytest.raises(chunkbuf.StateError):
        b.prepend(b"q")
    del mem
    b.commit(0)
    assert b == b"xyabcdef"
    with pytest.raises(TypeError):
        b.prepend("text")
