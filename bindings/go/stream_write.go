package chunkbuf

// #include "cwrap.h"
// #include "wait.h"
import "C"

import (
	"context"
	"runtime"
	"unsafe"
)

// Write appends a copy of p (io.Writer), all or nothing. With a high-water
// mark it waits for readers to catch up. [ErrClosed] after Close,
// [ErrAborted] after Abort, [ErrLimit] past MaxBytes or ContentLength.
// A reader blocked in Read gets the bytes copied straight into its slice
// (one copy, as io.Pipe).
func (s *Stream) Write(p []byte) (int, error) { return s.write(nil, "Stream.Write", p) }

// WriteString is Write for a string (io.StringWriter).
func (s *Stream) WriteString(str string) (int, error) {
	return s.write(nil, "Stream.WriteString", bytesOf(str))
}

// WriteContext is Write that stops waiting for back-pressure as soon as
// ctx is done, returning ctx.Err() with nothing written: a goroutine
// started by context.AfterFunc fires the write's cancel token, which wakes
// the blocked C call at once (no polling).
func (s *Stream) WriteContext(ctx context.Context, p []byte) (int, error) {
	return s.write(ctx, "Stream.WriteContext", p)
}

// write copies p in, waiting under ctx (nil: until Release) for
// back-pressure.
func (s *Stream) write(ctx context.Context, op string, p []byte) (int, error) {
	h, err := s.acquire(op)
	if err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	cl := getCall()
	if cl == nil {
		return 0, outOfMemory(op)
	}
	defer putCall(cl)
	a, err := s.arm(ctx, cl)
	if err != nil {
		return 0, err
	}
	d, n := bytesArg(p)
	rc := C.cb_write_wait(h, d, n, cl.c)
	if err := s.disarm(ctx, a, cl, op, rc); err != nil {
		return 0, err
	}
	return len(p), nil
}

// WriteView appends the view's bytes without copying; the view stays
// valid.
func (s *Stream) WriteView(v *View) error {
	const op = "Stream.WriteView"
	vh, err := v.handle(op)
	if err != nil {
		return err
	}
	h, err := s.acquireWrite(op)
	if err != nil {
		return err
	}
	defer s.doneWrite()
	var msg *C.char
	err = check(op, C.cbw_stream_write_view(h, vh, -1, &msg), msg)
	runtime.KeepAlive(v)
	return err
}

// WriteRef appends p without copying, like [Buffer.AppendRef]: p stays
// pinned, and must not be modified, until no reader or view refers to it.
func (s *Stream) WriteRef(p []byte) error {
	const op = "Stream.WriteRef"
	if len(p) == 0 {
		_, err := s.write(nil, op, nil)
		return err
	}
	h, err := s.acquireWrite(op)
	if err != nil {
		return err
	}
	defer s.doneWrite()
	pinned := pin(p)
	var msg *C.char
	rc := C.cbw_stream_write_pinned(h, (*C.uchar)(unsafe.Pointer(&p[0])), C.size_t(len(p)), C.uintptr_t(pinned), -1, &msg)
	if e := Errno(rc); e == ErrHandle || e == ErrInval {
		unpin(pinned) // the only failures after which chunkbuf does not call the free callback
	}
	return check(op, rc, msg)
}

// acquireWrite is acquire for WriteView and WriteRef, whose C calls take
// no cancel token: Release sees them in s.writing and aborts the stream to
// wake one held by the high-water mark.
func (s *Stream) acquireWrite(op string) (*C.chunkbuf_stream, error) {
	if s == nil {
		return nil, released(op)
	}
	s.writing.Add(1)
	if s.releasing.Load() {
		s.writing.Add(-1)
		return nil, released(op)
	}
	h, err := s.acquire(op)
	if err != nil {
		s.writing.Add(-1)
	}
	return h, err
}

func (s *Stream) doneWrite() {
	s.mu.RUnlock()
	s.writing.Add(-1)
}
