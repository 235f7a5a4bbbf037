import pytest

import chunkbuf


def test_ring_round_trip():
    with chunkbuf.Ring(8) as r:
        assert r.capacity == 8 and r.remaining == 8 and len(r) == 0
        assert r.write(b"abcdef") == 6
        assert r.read(4) == b"abcd"
        assert r.write(b"ghijklmn") == 6  # wraps around; only what fits
        assert len(r) == r.available == 8 and r.remaining == 0
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
