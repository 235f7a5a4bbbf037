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


def test_pool_options_are_keyword_only():
    with pytest.raises(TypeError):
        chunkbuf.Pool(4096)  # never taken for a buffer (or cache) size
    with chunkbuf.Pool(max_cached_bytes_per_class=1 << 16) as p:
        assert p.stats().bytes_in_use == 0


def test_axon_kinds_are_built_in():
    for kid, name in ((0, "raw"), (1, "pcm16"), (2, "mulaw8"), (3, "jpeg")):
        assert chunkbuf.register_kind(name) == kid and chunkbuf.kind_name(kid) == name
    assert chunkbuf.View(b"x").retag("jpeg").kind == chunkbuf.lib.CHUNKBUF_KIND_JPEG


def test_binary_readers_consume_exactly_or_nothing():
    b = chunkbuf.Buffer()
    b.append_ref(b"\x01\x02\x03")
    b.append_ref(b"\x04\x05\x06\x07\x08\x09")
    assert b.read_u8() == 1
    assert b.read_u16_be() == 0x0203
    assert b.read_u16_le() == 0x0504
    with pytest.raises(chunkbuf.NeedMoreData):
        b.read_u64_be()
    assert len(b) == 4  # nothing consumed
    assert b.peek_exact(2) == b"\x06\x07" and len(b) == 4
    assert b.read_u32_le() == 0x09080706
    with pytest.raises(chunkbuf.NeedMoreData):
        b.read_bytes(1)
    b.append(b"abc")
    assert b.read_bytes(3) == b"abc"
    with pytest.raises(chunkbuf.InvalidArgumentError):
        b.read_uint(3)
