package chunkbuf

// #include "cwrap.h"
import "C"

import "unsafe"

// Hand-off with C: a host written in C or C++ creates a chunkbuf_stream or
// chunkbuf_view and passes the pointer to Go (as unsafe.Pointer, or a
// *C.chunkbuf_stream converted to one). The wrappers below take their own
// reference, so the object lives until the host and every Go wrapper have
// let go, in any order; nothing is copied.

// StreamFromC wraps a chunkbuf_stream * made by C code, taking a new
// reference (chunkbuf_stream_retain) that [Stream.Release] (or the garbage
// collector) gives back. The C side keeps its own reference and releases
// it with chunkbuf_stream_release whenever it likes. [ErrHandle] for nil or
// a released stream.
func StreamFromC(p unsafe.Pointer) (*Stream, error) {
	const op = "StreamFromC"
	if p == nil {
		return nil, misuse(op, ErrHandle, "nil chunkbuf_stream pointer")
	}
	h := (*C.chunkbuf_stream)(p)
	if rc := C.chunkbuf_stream_retain(h); rc != C.CHUNKBUF_OK {
		return nil, misuse(op, Errno(rc), "the pointer is not a live chunkbuf_stream")
	}
	return wrapStream(h), nil
}

// CPointer returns the chunkbuf_stream * to hand to C code, borrowed: valid
// while s is not released. C code that keeps it takes its own reference
// with chunkbuf_stream_retain. nil once released.
func (s *Stream) CPointer() unsafe.Pointer {
	h, err := s.acquire("Stream.CPointer")
	if err != nil {
		return nil
	}
	defer s.mu.RUnlock()
	return unsafe.Pointer(h)
}

// ViewFromC wraps a chunkbuf_view * made by C code, taking a new reference
// (chunkbuf_view_retain) that [View.Release] (or the garbage collector)
// gives back; the bytes are shared, not copied. [ErrHandle] for nil or a
// released view.
func ViewFromC(p unsafe.Pointer) (*View, error) {
	const op = "ViewFromC"
	if p == nil {
		return nil, misuse(op, ErrHandle, "nil chunkbuf_view pointer")
	}
	h := (*C.chunkbuf_view)(p)
	var msg *C.char
	if err := check(op, C.cbw_view_retain(h, &msg), msg); err != nil {
		return nil, err
	}
	return newView(h), nil
}

// CPointer returns the chunkbuf_view * to hand to C code, borrowed: valid
// while v is not released (C code that keeps it calls chunkbuf_view_retain).
// nil once released.
func (v *View) CPointer() unsafe.Pointer {
	h, err := v.handle("View.CPointer")
	if err != nil {
		return nil
	}
	return unsafe.Pointer(h)
}
