package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"context"
	"runtime"
	"unsafe"
)

// Write appends a copy of p (io.Writer), all or nothing. With a high-water
// mark it waits for readers to catch up. [ErrClosed] after Close,
// [ErrAborted] after Abort, [ErrLimit] past MaxBytes or ContentLength.
func (s *Stream) Write(p []byte) (int, error) { return s.write("Stream.Write", p, -1) }

// WriteString is Write for a string (io.StringWriter).
func (s *Stream) WriteString(str string) (int, error) {
	return s.write("Stream.WriteString", bytesOf(str), -1)
}

// WriteContext is Write that stops waiting for back-pressure when ctx is
// done (returning ctx.Err(), nothing written).
func (s *Stream) WriteContext(ctx context.Context, p []byte) (int, error) {
	return untilDone(ctx, func(timeout int64) (int, error) { return s.write("Stream.WriteContext", p, timeout) })
}

func (s *Stream) write(op string, p []byte, timeout int64) (int, error) {
	h, err := s.acquireWrite(op)
	if err != nil {
		return 0, err
	}
	defer s.doneWrite()
	d, n := bytesArg(p)
	if err := checkRes(op, C.cbw_stream_write_v(h, d, n, C.int64_t(timeout))); err != nil {
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
		_, err := s.write(op, nil, -1)
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

// acquireWrite is acquire for a write, which has no cancel token: Release
// sees it in s.writing and aborts the stream to wake it.
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
