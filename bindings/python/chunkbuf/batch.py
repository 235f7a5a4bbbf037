"""RecordBatch: up to N records taken from a Buffer in one call, held by one
view and released together (the FASTQ module's RecordBuffer)."""
from ._errors import StateError
from ._ffi import check, ffi, lib
from .view import View


class RecordBatch:
    """The records of one Buffer.take_batch: len(), indexing and iteration
    give each record (without its delimiter) as a zero-copy View; every one
    of them lies in the batch's single view, which release() (or the end of
    a with block) gives up. Views handed out stay valid on their own."""

    __slots__ = ("_view", "_fields", "capacity")

    @classmethod
    def _adopt(cls, h, records, n, capacity):
        batch = cls.__new__(cls)
        batch._view = View._adopt(h) if n else None
        batch._fields = [(records[i].offset, records[i].length) for i in range(n)]
        batch.capacity = capacity
        return batch

    def __len__(self):
        self._check()
        return len(self._fields)

    @property
    def is_full(self):
        """True when the batch holds capacity records."""
        self._check()
        return len(self._fields) >= self.capacity

    @property
    def view(self):
        """The one View holding every record with its delimiter (None when
        the batch is empty)."""
        self._check()
        return self._view

    def _check(self):
        if self._fields is None:
            raise StateError("the record batch was released")

    def __getitem__(self, i):
        self._check()
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self._fields)))]
        offset, length = self._fields[i]
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_view_slice(self._view.handle, offset, offset + length, out))
        return View._adopt(out[0])

    def __iter__(self):
        self._check()
        return (self[i] for i in range(len(self._fields)))

    def release(self):
        """Give up the batch's view; the records' bytes go back to the pool
        once no View handed out still holds them."""
        if self._view is not None:
            self._view.release()
        self._view = None
        self._fields = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()

    def __repr__(self):
        if self._fields is None:
            return "<chunkbuf.RecordBatch released>"
        return "<chunkbuf.RecordBatch %d/%d records>" % (len(self._fields), self.capacity)
