package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"runtime"
	"unsafe"
)

// BufferOptions configures [NewBuffer]. The zero value gives an unlimited
// buffer in the default pool.
type BufferOptions struct {
	Pool     *Pool  // nil: DefaultPool
	MaxBytes int    // 0: unlimited; appends past it fail with ErrLimit
	MinChunk int    // smallest block to allocate; 0: 4096
	Tenant   uint32 // account blocks to this pool tenant; 0: none
	// Linear selects the linear backend: the bytes stay contiguous in one
	// growable block (compacted in place when no View shares it), and
	// AppendRef/AppendView copy.
	Linear bool
}

// Buffer is a growable chain of pool-memory segments: the byte stream being
// parsed or built. Like [bytes.Buffer] it belongs to one goroutine at a
// time. A failed call leaves every byte where it was.
//
// Buffer implements io.Reader, io.Writer, io.ReaderAt, io.ReaderFrom and
// io.WriterTo.
type Buffer struct {
	h        *C.chunkbuf_buffer
	cleanup  runtime.Cleanup
	maxBytes int
	runs     runSlab   // where TakeLines batches' lines lie
	views    viewGroup // the Views of TakeLines batches
}

// wrapBuffer owns the new buffer handle h, freed by Close or when collected.
func wrapBuffer(h *C.chunkbuf_buffer) *Buffer {
	b := &Buffer{h: h}
	b.cleanup = runtime.AddCleanup(b, func(h *C.chunkbuf_buffer) { C.chunkbuf_buffer_free(h) }, h)
	return b
}

// NewBuffer creates an empty buffer.
func NewBuffer(opts BufferOptions) (*Buffer, error) {
	const op = "NewBuffer"
	ph, err := opts.Pool.handle(op)
	if err != nil {
		return nil, err
	}
	maxBytes, err := size(op, "MaxBytes", opts.MaxBytes)
	if err != nil {
		return nil, err
	}
	minChunk, err := size(op, "MinChunk", opts.MinChunk)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(opts.Pool)
	o := C.chunkbuf_buffer_options{
		struct_size: C.sizeof_chunkbuf_buffer_options,
		pool:        ph,
		max_bytes:   maxBytes,
		min_chunk:   minChunk,
		tenant:      C.uint32_t(opts.Tenant),
		linear:      cbool(opts.Linear),
	}
	var h *C.chunkbuf_buffer
	var msg *C.char
	if err := check(op, C.cbw_buffer_new(&o, &h, &msg), msg); err != nil {
		return nil, err
	}
	b := wrapBuffer(h)
	b.maxBytes = opts.MaxBytes
	return b, nil
}

// Close frees the buffer; views cut from it stay valid. Idempotent. While
// a reservation is open Close fails with [ErrState] and frees nothing, so
// the reserved slice stays valid: Commit (0 to abandon) first.
func (b *Buffer) Close() error {
	if b == nil || b.h == nil {
		return nil
	}
	var msg *C.char
	if err := check("Buffer.Close", C.cbw_buffer_close(b.h, &msg), msg); err != nil {
		return err // a reservation is open: its slice stays valid, the buffer open
	}
	b.cleanup.Stop()
	b.h = nil
	return nil
}

func (b *Buffer) handle(op string) (*C.chunkbuf_buffer, error) {
	if b == nil || b.h == nil {
		return nil, released(op)
	}
	return b.h, nil
}

// Len returns the number of bytes in the buffer (0 once closed).
func (b *Buffer) Len() int {
	h, err := b.handle("Buffer.Len")
	if err != nil {
		return 0
	}
	defer runtime.KeepAlive(b)
	var n C.size_t
	var msg *C.char
	if check("Buffer.Len", C.cbw_buffer_len(h, &n, &msg), msg) != nil {
		return 0
	}
	return int(n)
}

// SegmentCount returns the number of segments holding the bytes.
func (b *Buffer) SegmentCount() int {
	h, err := b.handle("Buffer.SegmentCount")
	if err != nil {
		return 0
	}
	defer runtime.KeepAlive(b)
	var n C.size_t
	var msg *C.char
	if check("Buffer.SegmentCount", C.cbw_buffer_segment_count(h, &n, &msg), msg) != nil {
		return 0
	}
	return int(n)
}

// Write appends a copy of p (io.Writer). It appends all of p or nothing:
// past MaxBytes it fails with [ErrLimit] and writes 0 bytes.
func (b *Buffer) Write(p []byte) (int, error) {
	const op = "Buffer.Write"
	h, err := b.handle(op)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(b)
	d, n := bytesArg(p)
	if err := checkRes(op, C.cbw_buffer_append_v(h, d, n)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// WriteString appends a copy of s (io.StringWriter).
func (b *Buffer) WriteString(s string) (int, error) {
	return b.Write(bytesOf(s))
}

// AppendView appends the view's bytes without copying; the view stays
// valid and unchanged.
func (b *Buffer) AppendView(v *View) error {
	const op = "Buffer.AppendView"
	h, err := b.handle(op)
	if err != nil {
		return err
	}
	vh, err := v.handle(op)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(b)
	defer runtime.KeepAlive(v)
	var msg *C.char
	return check(op, C.cbw_buffer_append_view(h, vh, &msg), msg)
}

// Reserve returns at least n writable bytes of pool memory at the end of
// the buffer; fill a prefix and [Buffer.Commit] its length. The slice
// aliases C memory and is valid until Commit; do not keep it after. While
// a reservation is open every call that reshapes the buffer, and Close,
// fails with [ErrState]. A Buffer collected with a reservation open is
// never freed, so a slice still held cannot point at reused memory.
func (b *Buffer) Reserve(n int) ([]byte, error) {
	const op = "Buffer.Reserve"
	h, err := b.handle(op)
	if err != nil {
		return nil, err
	}
	cn, err := size(op, "count", n)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(b)
	var iov C.struct_iovec
	var cnt C.size_t
	var msg *C.char
	if err := check(op, C.cbw_buffer_reserve(h, cn, &iov, 1, &cnt, &msg), msg); err != nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(iov.iov_base), int(iov.iov_len)), nil
}

// Commit makes the first n reserved bytes part of the buffer and closes the
// reservation; n 0 cancels it.
// Without an open reservation it fails with [ErrNoReserve] (which errors.Is
// also reports as [ErrState]).
func (b *Buffer) Commit(n int) error {
	const op = "Buffer.Commit"
	h, err := b.handle(op)
	if err != nil {
		return err
	}
	cn, err := size(op, "count", n)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(b)
	var msg *C.char
	return check(op, C.cbw_buffer_commit(h, cn, &msg), msg)
}

// AppendRef appends p without copying: the buffer, and the views cut from
// it, refer to p's memory, which stays pinned (runtime.Pinner) until
// chunkbuf drops the last reference. p must not be modified until then.
// Use it for large payloads; [Buffer.Write] is cheaper for small ones.
func (b *Buffer) AppendRef(p []byte) error {
	const op = "Buffer.AppendRef"
	h, err := b.handle(op)
	if err != nil || len(p) == 0 {
		return err
	}
	defer runtime.KeepAlive(b)
	pinned := pin(p)
	var msg *C.char
	rc := C.cbw_buffer_append_pinned(h, (*C.uchar)(unsafe.Pointer(&p[0])), C.size_t(len(p)), C.uintptr_t(pinned), &msg)
	if e := Errno(rc); e == ErrHandle || e == ErrInval {
		unpin(pinned) // the only failures after which chunkbuf does not call the free callback
	}
	return check(op, rc, msg)
}
