"""BufferMut: axon's in-flight builder, a Buffer that freezes into a View."""
from ._ffi import size_arg
from .buffer import Buffer


class BufferMut(Buffer):
    """A Buffer with capacity taken ahead (BufferMut::with_capacity) and a
    content kind and tenant for the View it freezes into:

        b = BufferMut(1024, kind="pcm16", tenant="alpha")
        b.extend_from_slice(b"hello ")   # or append / write
        view = b.freeze()                # zero copy; b is empty again

    capacity() counts the bytes held plus those that fit before another
    block is taken."""

    __slots__ = ("_kind",)

    def __init__(self, capacity=0, *, kind="raw", tenant=0, pool=None, max_bytes=0):
        super().__init__(pool=pool, max_bytes=max_bytes, tenant=tenant)
        self._kind = kind
        if capacity:
            self.ensure_capacity(size_arg(capacity, "capacity"))

    def extend_from_slice(self, data):
        """Append a copy of data (the Rust name)."""
        self.append(data)

    def freeze(self, kind=None):
        """Every byte as one View (no copy) of the builder's kind, or of
        `kind` when given; the builder is left empty."""
        return super().freeze(self._kind if kind is None else kind)
