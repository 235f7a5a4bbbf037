import hashlib

import pytest

import chunkbuf


def segmented(*parts):
    b = chunkbuf.Buffer()
    for p in parts:
        b.append_ref(p)
    return b.split_to(len(b))


def test_view_is_bytes_like():
    v = segmented(b"hello ", b"world")
    assert len(v) == 11 and v.segment_count == 2
    assert v == b"hello world" and v == chunkbuf.View(b"hello world") and v != b"hello"
    assert bytes(v) == b"hello world" and v.tobytes() == b"hello world"
    assert b"o w" in v and ord("h") in v and b"zz" not in v
    assert v.find(b"o") == 4 and v.find(b"o", 5) == 7 and v.find(b"o", 5, 7) == -1
    assert v.index(b"w") == 6
    with pytest.raises(ValueError):
        v.index(b"q")
    assert list(v) == list(b"hello world")
    assert v[0] == ord("h") and v[-1] == ord("d")
    with pytest.raises(IndexError):
        v[11]
    assert v[3:8] == b"lo wo" and isinstance(v[3:8], chunkbuf.View)
    assert v[::2] == b"hlowrd"
    assert hash(v) == hash(b"hello world")
    assert repr(v) == "<chunkbuf.View len=11 segments=2 b'hello world'>"


def test_concat_contiguous_copy_into():
    a, b = chunkbuf.View(b"ab"), chunkbuf.View(b"cd")
    ab = a + b
    assert ab == b"abcd" and chunkbuf.View.concat([a, b, a]) == b"abcdab"
    assert chunkbuf.View.concat([]) == b""
    c = ab.contiguous()
    assert c.segment_count == 1 and c == b"abcd"
    out = bytearray(3)
    assert ab.copy_into(out, 2) == 2 and out[:2] == b"cd"
    assert [bytes(s) for s in ab.segments()] == [b"ab", b"cd"]


def test_kind_tenant_sharers_digest(pool):
    v = chunkbuf.View(b"\xff\xd8 jpeg bytes", pool=pool)
    assert v.kind == chunkbuf.KIND_RAW
    tagged = v.retag("jpeg")
    assert chunkbuf.kind_name(tagged.kind) == "jpeg" and v.kind == chunkbuf.KIND_RAW
    assert tagged.slice(1).kind == tagged.kind
    assert v.tenant == 0
    assert v.sharers >= 2  # v and tagged share the block
    if chunkbuf.HAVE_SHA256:
        assert v.sha256() == hashlib.sha256(b"\xff\xd8 jpeg bytes").digest()
        assert segmented(b"ab", b"c").sha256() == hashlib.sha256(b"abc").digest()
    else:
        with pytest.raises(chunkbuf.NotSupportedError):
            v.sha256()


def test_views_never_see_later_writes():
    b = chunkbuf.Buffer(b"hello world")
    h = b.split_to(5)
    b.append(b"!!")
    assert h == b"hello" and b == b" world!!"


def test_release_and_context_manager():
    with chunkbuf.View(b"x") as v:
        assert not v.released
    assert v.released and repr(v) == "<chunkbuf.View released>"
    v.release()  # twice is fine
