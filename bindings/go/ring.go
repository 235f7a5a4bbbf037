package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"io"
	"runtime"
)

// Ring is a fixed-capacity byte ring for bounded streaming: writes copy in
// what fits, reads copy out and consume. One goroutine at a time, like a
// [Buffer].
type Ring struct {
	h       *C.chunkbuf_ring
	cleanup runtime.Cleanup
}

// NewRing allocates a ring of capacity bytes (1 byte .. 1 GiB) at once.
func NewRing(capacity int) (*Ring, error) {
	const op = "NewRing"
	c, err := size(op, "capacity", capacity)
	if err != nil {
		return nil, err
	}
	var h *C.chunkbuf_ring
	var msg *C.char
	if err := check(op, C.cbw_ring_new(c, &h, &msg), msg); err != nil {
		return nil, err
	}
	r := &Ring{h: h}
	r.cleanup = runtime.AddCleanup(r, func(h *C.chunkbuf_ring) { C.chunkbuf_ring_free(h) }, h)
	return r, nil
}

// Close frees the ring. Idempotent.
func (r *Ring) Close() error {
	if r == nil || r.h == nil {
		return nil
	}
	r.cleanup.Stop()
	C.chunkbuf_ring_free(r.h)
	r.h = nil
	return nil
}

func (r *Ring) handle(op string) (*C.chunkbuf_ring, error) {
	if r == nil || r.h == nil {
		return nil, released(op)
	}
	return r.h, nil
}

// Write copies in as much of p as fits and returns the count; it returns
// [io.ErrShortWrite] with the count when not all of p fit.
func (r *Ring) Write(p []byte) (int, error) {
	const op = "Ring.Write"
	h, err := r.handle(op)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(r)
	d, n := bytesArg(p)
	var w C.size_t
	var msg *C.char
	if err := check(op, C.cbw_ring_write(h, d, n, &w, &msg), msg); err != nil {
		return 0, err
	}
	if int(w) < len(p) {
		return int(w), io.ErrShortWrite
	}
	return int(w), nil
}

// Read copies out and consumes up to len(p) bytes; io.EOF when the ring
// is empty and p is not.
func (r *Ring) Read(p []byte) (int, error) {
	n, err := r.copyOut("Ring.Read", p, false)
	if err == nil && n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, err
}

// Peek copies up to len(p) bytes out without consuming them.
func (r *Ring) Peek(p []byte) (int, error) { return r.copyOut("Ring.Peek", p, true) }

func (r *Ring) copyOut(op string, p []byte, peek bool) (int, error) {
	h, err := r.handle(op)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(r)
	d, n := bytesArg(p)
	var got C.size_t
	var msg *C.char
	var rc C.int
	if peek {
		rc = C.cbw_ring_peek(h, d, n, &got, &msg)
	} else {
		rc = C.cbw_ring_read(h, d, n, &got, &msg)
	}
	if err := check(op, rc, msg); err != nil {
		return 0, err
	}
	return int(got), nil
}

func (r *Ring) count(op string, fn func(*C.chunkbuf_ring, *C.size_t, **C.char) C.int) int {
	h, err := r.handle(op)
	if err != nil {
		return 0
	}
	defer runtime.KeepAlive(r)
	var n C.size_t
	var msg *C.char
	if check(op, fn(h, &n, &msg), msg) != nil {
		return 0
	}
	return int(n)
}

// Len returns the bytes waiting to be read (0 once closed).
func (r *Ring) Len() int {
	return r.count("Ring.Len", func(h *C.chunkbuf_ring, n *C.size_t, m **C.char) C.int {
		return C.cbw_ring_readable_amount(h, n, m)
	})
}

// Remaining returns the bytes that would fit now (0 once closed).
func (r *Ring) Remaining() int {
	return r.count("Ring.Remaining", func(h *C.chunkbuf_ring, n *C.size_t, m **C.char) C.int {
		return C.cbw_ring_writable_amount(h, n, m)
	})
}

// Cap returns the ring's capacity (0 once closed).
func (r *Ring) Cap() int {
	return r.count("Ring.Cap", func(h *C.chunkbuf_ring, n *C.size_t, m **C.char) C.int {
		return C.cbw_ring_capacity(h, n, m)
	})
}
