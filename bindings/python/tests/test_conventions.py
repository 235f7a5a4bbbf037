"""The conventions the bindings share: slice rules, sharers and clones."""
import pytest

import chunkbuf


def test_slice_raises_where_subscript_clamps():
    v = chunkbuf.View(b"abcdef")
    with pytest.raises(chunkbuf.RangeError):
        v.slice(0, 10)
    with pytest.raises(chunkbuf.RangeError):
        v.slice(4, 2)
    assert bytes(v[0:10]) == b"abcdef"  # Python slicing clamps
    assert bytes(v[4:2]) == b""
    assert bytes(v[-2:]) == b"ef"
    with pytest.raises(IndexError):
        v[6]


def test_a_clone_is_a_live_sharer():
    v = chunkbuf.View(b"abc")
    assert v.sharers == 1
    c = v.clone()
    assert v.sharers == c.sharers == 2
    v.release()
    assert bytes(c) == b"abc" and c.sharers == 1
    c.release()
    with pytest.raises(chunkbuf.HandleError):
        c.clone()
