"""axon ZeroCopyBuffer behaviours: from_bytes with a kind by name, tenant
names on views, the BufferMut builder that freezes without a copy."""
import pytest

import chunkbuf
from chunkbuf import BufferMut, View, ffi, lib


def address(view):
    """The address of a contiguous view's bytes in pool memory."""
    ptr, length = ffi.new("const void **"), ffi.new("size_t *")
    assert lib.chunkbuf_view_data(view.handle, ptr, length) == 0
    return int(ffi.cast("uintptr_t", ptr[0]))


def buffer_address(buf, n):
    """The address of a buffer's first n bytes (one segment)."""
    iov, count = ffi.new("struct iovec[1]"), ffi.new("size_t *")
    assert lib.chunkbuf_buffer_peek(buf.handle, n, iov, 1, count) == 0 and count[0] == 1
    return int(ffi.cast("uintptr_t", iov[0].iov_base))


def test_from_bytes_takes_a_kind_by_name_or_id():
    v = View.from_bytes(b"\x01\x02\x03", "pcm16")
    assert bytes(v) == b"\x01\x02\x03"
    assert v.kind == chunkbuf.lookup_kind("pcm16")
    assert chunkbuf.kind_name(v.kind) == "pcm16"
    assert View.from_bytes(b"x").kind == chunkbuf.KIND_RAW
    mine = chunkbuf.register_kind("py-axon-kind")
    assert View.from_bytes(b"x", mine).kind == mine
    assert View.from_bytes(b"x", "py-axon-kind").kind == mine


def test_from_bytes_with_an_unknown_kind_name_is_a_clear_error():
    with pytest.raises(chunkbuf.InvalidArgumentError, match="never-registered-kind"):
        View.from_bytes(b"x", "never-registered-kind")
    with pytest.raises(ValueError):
        chunkbuf.lookup_kind("never-registered-kind")


def test_slice_keeps_kind_and_retag_leaves_the_original():
    v = View.from_bytes(bytes([10, 20, 30, 40]), "pcm16")
    s = v.slice(1, 3)
    assert bytes(s) == bytes([20, 30]) and s.kind == v.kind
    j = v.retag("jpeg")
    assert chunkbuf.kind_name(j.kind) == "jpeg" and chunkbuf.kind_name(v.kind) == "pcm16"


def test_with_tenant_tags_a_new_view_and_slices_inherit_it():
    b = View.from_bytes(bytes(16)).with_tenant("py-alpha")
    assert b.tenant_name == "py-alpha"
    assert b.tenant == chunkbuf.register_tenant("py-alpha")
    assert b.clone().tenant_name == "py-alpha"
    assert b.slice(0, 4).tenant_name == "py-alpha"
    plain = View.from_bytes(b"abc")
    tagged = plain.with_tenant("py-beta")
    assert plain.tenant == 0 and plain.tenant_name is None
    assert tagged.tenant_name == "py-beta"
    assert address(plain) == address(tagged)  # same bytes, no copy
    assert chunkbuf.tenant_name(tagged.tenant) == "py-beta"
    with pytest.raises(chunkbuf.InvalidArgumentError):
        plain.with_tenant("")


def test_tenant_names_drive_the_numeric_accounting():
    with chunkbuf.Pool() as pool:
        pool.set_tenant_quota("py-quota", 8192)
        buf = chunkbuf.Buffer(pool=pool, tenant="py-quota")
        buf.append(b"x" * 10)
        assert pool.tenant_usage("py-quota") == 4096
        assert pool.tenant_usage(chunkbuf.register_tenant("py-quota")) == 4096
        with pytest.raises(chunkbuf.LimitError):
            buf.append(b"y" * 8192)
        v = buf.split_to(10)
        assert v.tenant_name == "py-quota"
        buf.close()
        del v
        assert pool.tenant_usage("py-quota") == 0


def test_buffer_mut_freezes_without_copying():
    bm = BufferMut(1024, kind="pcm16")
    assert bm.capacity() >= 1024
    cap = bm.capacity()
    bm.extend_from_slice(b"hello ")
    bm.append(b"world")
    assert bm.capacity() == cap
    before = buffer_address(bm, 11)
    frozen = bm.freeze()
    assert bytes(frozen) == b"hello world" and len(frozen) == 11
    assert chunkbuf.kind_name(frozen.kind) == "pcm16"
    assert address(frozen) == before  # zero copy
    assert len(bm) == 0  # the builder is empty after freeze
    bm.append(b"XXXXXXXXXXX")
    assert bytes(frozen) == b"hello world"


def test_buffer_mut_tenant_and_bounds():
    bm = BufferMut(16, tenant="py-builder")
    bm.append(b"abc")
    assert bm.freeze("jpeg").tenant_name == "py-builder"
    with pytest.raises(chunkbuf.LimitError):
        BufferMut(200, max_bytes=100)
    with pytest.raises(chunkbuf.InvalidArgumentError):
        BufferMut(1).freeze("never-registered-kind")
