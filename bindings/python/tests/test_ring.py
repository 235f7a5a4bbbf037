import pytest

import chunkbuf


def test_the_0_1_names_still_work_and_warn():
    with chunkbuf.Ring(8) as r:
        r.write(b"abc")
        with pytest.warns(DeprecationWarning, match="readable_amount"):
            assert r.available == 3
        with pytest.warns(DeprecationWarning, match="writable_amount"):
            assert r.remaining == 5


def test_ring_round_trip():
    with chunkbuf.Ring(8) as r:
        assert r.capacity == 8 and r.writable_amount() == 8 and len(r) == r.readable_amount() == 0
        assert r.write(b"abcdef") == 6
        assert r.read(4) == b"abcd"
        assert r.write(b"ghijklmn") == 6  # wraps around; only what fits
        assert len(r) == r.readable_amount() == 8 and r.writable_amount() == 0
        assert r.peek(3) == b"efg" and len(r) == 8
        buf = bytearray(5)
        assert r.readinto(buf) == 5 and buf == b"efghi"
        assert r.read() == b"jkl"
        assert repr(r) == "<chunkbuf.Ring 0/8 bytes>"
    assert repr(r) == "<chunkbuf.Ring closed>"
    with pytest.raises(chunkbuf.HandleError):
        r.write(b"x")


def test_ring_limits():
    with pytest.raises(chunkbuf.InvalidArgumentError):
        chunkbuf.Ring(0)
    with pytest.raises(ValueError):
        chunkbuf.Ring(-1)
