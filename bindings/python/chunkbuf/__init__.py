"""chunkbuf: pooled chunked byte buffers, zero-copy views and blocking
streams, over libchunkbuf's C ABI (cffi).

    Pool     the block allocator (stats, trim, tenant quotas)
    Buffer   a growable chain of segments, parsed and built in place
    View     immutable zero-copy bytes; memoryview(view) does not copy
    Stream   a thread-safe stream that reads like a binary file, with
             asyncio support (aread, areadline, async for)
    DelimiterFramer, LengthFramer   cut messages out of a Buffer
    Ring     a fixed-capacity byte ring
    BufferMut  a Buffer that freezes into a View without copying
    Arena    scratch memory reclaimed all at once
    RecordBatch  records taken from a Buffer together (Buffer.take_batch)
    debug    leak tracking and reports

Errors derive from chunkbuf.Error and from the matching builtin
(LimitError is a ValueError, StateError a RuntimeError, ...).
"""
from ._errors import (AbortedError, CanceledError, ClosedError, Error, FileDescriptorError, HandleError,
                      InvalidArgumentError, LimitError, NeedMoreData, NotSupportedError,
                      OutOfMemoryError, RangeError, StateError, TimeoutError, VersionError,
                      WouldBlockError)
from . import debug
from ._ffi import MODE, ffi, lib
from .arena import Arena
from .batch import RecordBatch
from .buffer import Buffer
from .builder import BufferMut
from .framer import DelimiterFramer, Framer, LengthFramer
from .pool import (Pool, PoolStats, kind_name, lookup_kind, optimal_buffer_size, register_kind, register_tenant,
                   tenant_name)
from .ring import Ring
from .stream import Stream
from .view import View

__version__ = ffi.string(lib.chunkbuf_version_string()).decode()
HEADER_VERSION = lib.CHUNKBUF_VERSION_NUMBER
LIBRARY_VERSION = lib.chunkbuf_version()
HAVE_SHA256 = bool(lib.chunkbuf_features() & lib.CHUNKBUF_FEATURE_SHA256)
KIND_RAW = lib.CHUNKBUF_KIND_RAW

__all__ = [
    "AbortedError", "Arena", "Buffer", "BufferMut", "RecordBatch", "CanceledError", "ClosedError", "DelimiterFramer", "Framer", "LengthFramer", "Ring", "Error", "FileDescriptorError", "HandleError",
    "InvalidArgumentError", "LimitError", "NeedMoreData", "NotSupportedError", "OutOfMemoryError",
    "Pool", "PoolStats", "RangeError", "StateError", "Stream", "TimeoutError", "VersionError",
    "View", "WouldBlockError", "debug", "kind_name", "lookup_kind", "optimal_buffer_size", "register_kind",
    "register_tenant", "tenant_name", "MODE", "HEADER_VERSION",
    "LIBRARY_VERSION", "HAVE_SHA256", "KIND_RAW",
]
