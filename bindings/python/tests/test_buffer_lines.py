"""`for line in buffer`: each line is handed out from the segment the
previous one came from with no further checks while the batch is current,
so these tests change the buffer, lend its memory or close it at every
point of a batch and across every kind of segment boundary, and check that
no line is lost, handed out twice or cut."""
import random

import pytest

import chunkbuf

LINES = [b"line %05d %s\n" % (i, b"y" * (i % 37)) for i in range(3000)]
DATA = b"".join(LINES)


def segmented(cuts):
    """A buffer holding DATA as segments of the given lengths (cycled)."""
    b = chunkbuf.Buffer()
    i = k = 0
    while i < len(DATA):
        n = cuts[k % len(cuts)]
        b.append_ref(DATA[i:i + n])
        i, k = i + n, k + 1
    return b


@pytest.mark.parametrize("cuts", [[1], [7], [len(LINES[0])], [len(LINES[0]) + 1], [4096], [65536],
                                  [3, 500, 80, 1, 2000]],
                         ids=["1", "7", "one_line", "one_line_plus_1", "4096", "65536", "mixed"])
def test_every_segmentation_gives_the_lines_and_consumes_them(cuts):
    b = segmented(cuts)
    assert list(b) == LINES
    assert len(b) == 0


def test_random_segmentations_agree_with_splitlines():
    rng = random.Random(7)
    for _ in range(20):
        cuts = [rng.choice((1, 2, 13, 80, 81, 160, 700, 5000)) for _ in range(rng.randint(1, 6))]
        assert list(segmented(cuts)) == LINES, cuts


@pytest.mark.parametrize("stop", [1, 255, 256, 257, 1000, 2999])
def test_leaving_at_any_point_of_a_batch_keeps_the_rest(stop):
    b = segmented([700, 13])
    got = []
    for line in b:
        got.append(line)
        if len(got) == stop:
            break
    assert got == LINES[:stop]
    assert bytes(b) == b"".join(LINES[stop:])
    assert list(b) == LINES[stop:]


def test_a_peek_inside_the_loop_is_released_by_the_next_line():
    b = chunkbuf.Buffer(DATA)
    it = iter(b)
    assert next(it) == LINES[0]
    mv = b.peek(5)
    assert bytes(mv) == LINES[1][:5]
    assert next(it) == LINES[1]
    with pytest.raises(ValueError):
        bytes(mv)  # released: the bytes it showed are consumed
    assert list(it) == LINES[2:]


def test_a_held_slice_of_a_peek_stops_the_loop_and_keeps_the_line():
    b = chunkbuf.Buffer(DATA)
    it = iter(b)
    assert next(it) == LINES[0]
    part = b.peek(8)[2:6]
    with pytest.raises(BufferError):
        next(it)
    assert bytes(part) == LINES[1][2:6]
    del part
    assert next(it) == LINES[1]
    assert len(b) == len(DATA) - len(LINES[0]) - len(LINES[1])


def test_an_export_taken_mid_batch_stops_the_next_line():
    b = chunkbuf.Buffer(DATA)
    it = iter(b)
    assert [next(it) for _ in range(10)] == LINES[:10]  # well inside the first batch
    with memoryview(b) as mv:
        assert bytes(mv[:len(LINES[10])]) == LINES[10]
        with pytest.raises(BufferError):
            next(it)
    assert list(it) == LINES[10:]


def test_appending_inside_the_loop_is_seen_by_the_same_loop():
    cut, end = len(b"".join(LINES[:2])) + 5, len(b"".join(LINES[:4]))
    b = chunkbuf.Buffer(DATA[:cut])  # two lines and part of a third
    got = []
    for line in b:
        got.append(line)
        if len(got) == 1:
            b.append(DATA[cut:end])
    assert got == LINES[:4] and len(b) == 0


def test_closing_the_buffer_mid_batch_raises_handle_error():
    b = chunkbuf.Buffer(DATA)
    it = iter(b)
    assert next(it) == LINES[0]
    b.close()
    with pytest.raises(chunkbuf.HandleError):
        next(it)
    with pytest.raises(chunkbuf.HandleError):
        next(it)  # and again: no crash, no line from freed memory


def test_an_iterator_outliving_its_buffer_name_keeps_it_alive():
    it = iter(chunkbuf.Buffer(DATA))  # the iterator holds the Buffer
    assert list(it) == LINES


def test_memory_lent_without_settling_still_ends_before_the_next_line():
    # every lending goes through _lend_view, which settles nothing itself:
    # lending must move the buffer's gen, or the per-line path would hand
    # out (and later consume) a line under memory still lent out
    b = chunkbuf.Buffer(DATA)
    it = iter(b)
    assert next(it) == LINES[0]
    mv = b._lend_view(0, 0)
    assert next(it) == LINES[1]
    with pytest.raises(ValueError):
        len(mv)  # released by the line's hand-out
