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
// mark it waits, parked, for readers to catch up. [ErrClosed] after Close,
// [ErrAborted] after Abort, [ErrLimit] past MaxBytes or ContentLength.
// A reader parked in Read gets the bytes copied straight into its slice
// (one copy, as io.Pipe); a Write of 16 KiB or more then returns once that
// reader has finished its read, as io.Pipe's does.
func (s *Stream) Write(p []byte) (int, error) { return s.write(nil, "Stream.Write", p) }

// WriteString is Write for a string (io.StringWriter).
func (s *Stream) WriteString(str string) (int, error) {
	return s.write(nil, "Stream.WriteString", bytesOf(str))
}

// WriteContext is Write that stops waiting for back-pressure as soon as
// ctx is done, returning ctx.Err() with nothing written.
func (s *Stream) WriteContext(ctx context.Context, p []byte) (int, error) {
	return s.write(ctx, "Stream.WriteContext", p)
}

// write copies p in, waiting under ctx (nil: until Release) for
// back-pressure.
func (s *Stream) write(ctx context.Context, op string, p []byte) (int, error) {
	d, n := bytesArg(p)
	var pk *parker
	err := s.writeParked(ctx, op, func(h *C.chunkbuf_stream, c *C.cb_call) C.int {
		rc := C.cb_write_handoff(h, d, n, c)
		pk = handedOff(c)
		return rc
	})
	if pk != nil {
		<-pk.taken // the reader this write made ready has its bytes (see parker)
	}
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// WriteView appends the view's bytes without copying; the view stays
// valid. With a high-water mark it waits, parked, for readers to catch up,
// until Release (then [ErrHandle]); [WriteViewContext] also gives up when
// a context is done.
func (s *Stream) WriteView(v *View) error { return s.writeView(nil, "Stream.WriteView", v) }

// WriteViewContext is WriteView that stops waiting for back-pressure as
// soon as ctx is done, returning ctx.Err() with nothing written.
func (s *Stream) WriteViewContext(ctx context.Context, v *View) error {
	return s.writeView(ctx, "Stream.WriteViewContext", v)
}

func (s *Stream) writeView(ctx context.Context, op string, v *View) error {
	vh, err := v.handle(op)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(v)
	return s.writeParked(ctx, op, func(h *C.chunkbuf_stream, c *C.cb_call) C.int {
		return C.cb_write_view_wait(h, vh, c)
	})
}

// WriteRef appends p without copying, like [Buffer.AppendRef]: p stays
// pinned, and must not be modified, until no reader or view refers to it.
// It waits for back-pressure as WriteView does.
func (s *Stream) WriteRef(p []byte) error {
	const op = "Stream.WriteRef"
	if len(p) == 0 {
		_, err := s.write(nil, op, nil)
		return err
	}
	// chunkbuf unpins p through its free callback whatever the call
	// returns, so each try pins it anew.
	return s.writeParked(nil, op, func(h *C.chunkbuf_stream, c *C.cb_call) C.int {
		return C.cb_write_pinned_wait(h, (*C.uchar)(unsafe.Pointer(&p[0])), C.size_t(len(p)), C.uintptr_t(pin(p)), c)
	})
}

// writeParked makes one write with try, which must not wait: while the
// unread bytes are at the high-water mark (try fails with EAGAIN, writing
// nothing) the goroutine parks (see parker) under ctx (nil: until
// Release) until the readers made room, and tries again.
func (s *Stream) writeParked(ctx context.Context, op string, try func(*C.chunkbuf_stream, *C.cb_call) C.int) error {
	h, err := s.acquire(op)
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	if ctx != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	cl := getCall()
	if cl == nil {
		return outOfMemory(op)
	}
	defer putCall(cl)
	for {
		rc := try(h, cl.c)
		if rc != C.CHUNKBUF_EAGAIN {
			return cl.err(op, rc)
		}
		if err := s.parkForRoom(ctx, op, h, cl); err != nil {
			return err
		}
	}
}

// parkForRoom waits, parked, until a write would not be held at the
// high-water mark (or the stream is closed or aborted, which the next try
// reports); ctx.Err() when ctx is done first. Any write that is not empty
// waits for the same room (it passes while the unread bytes are below the
// mark, whatever its size), and try made the write's other checks, so the
// wait asks for one byte.
func (s *Stream) parkForRoom(ctx context.Context, op string, h *C.chunkbuf_stream, cl *call) error {
	return s.parkOn(ctx, op, cl, &s.roomWakes, func(pk *parker) C.int { return C.cb_space_start(h, 1, pk.c, cl.c) })
}

// yieldToWriter follows a read that began when the stream's count of
// writers woken from a wait for room was before: when the read woke one,
// it runs now. The wake-up put it next on this goroutine's P, where it
// would wait until the reader blocks, and the reader would first drain
// everything it had buffered; yielding lets the writer refill the stream
// while the reader goes on elsewhere.
func (s *Stream) yieldToWriter(before uint32) {
	if s.roomWakes.Load() != before {
		runtime.Gosched()
	}
}
