package chunkbuf

// #include "cwrap.h"
// #include "wait.h"
import "C"

import (
	"context"
	"io"
	"sync/atomic"
)

// Read waits until at least one byte is unread or EOF, then copies up to
// len(p) bytes (io.Reader); io.EOF at end of file. The bytes are copied
// once, from the writer's blocks into p.
func (s *Stream) Read(p []byte) (int, error) { return s.readEOF(nil, "Stream.Read", p, 1) }

// ReadContext is Read that gives up as soon as ctx is done, returning
// ctx.Err() with nothing consumed: the read waits parked in the Go
// scheduler (see parker), so ctx.Done() wakes it at once (no polling).
func (s *Stream) ReadContext(ctx context.Context, p []byte) (int, error) {
	return s.readEOF(ctx, "Stream.ReadContext", p, 1)
}

// ReadByte reads one byte (io.ByteReader).
func (s *Stream) ReadByte() (byte, error) {
	var b [1]byte
	_, err := s.readEOF(nil, "Stream.ReadByte", b[:], 1)
	return b[0], err
}

// readEOF is readInto with io.EOF for a read that got nothing at EOF.
func (s *Stream) readEOF(ctx context.Context, op string, p []byte, least int) (int, error) {
	got, err := s.readInto(ctx, op, p, least)
	if err == nil && got == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return got, err
}

// readInto waits until least bytes are unread (or EOF), then copies up to
// len(p) of them into p, consuming them; least 0 does not wait. A read
// that has to wait parks its goroutine (see parker) until a writer makes
// it ready (filling p straight from the writer's bytes while it waits),
// ctx is done, or Release: the engine returns whatever was already
// copied into p even then, so no byte is lost.
func (s *Stream) readInto(ctx context.Context, op string, p []byte, least int) (int, error) {
	h, err := s.acquire(op)
	if err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	defer s.yieldToWriter(s.roomWakes.Load())
	if len(p) == 0 {
		return 0, nil
	}
	if ctx != nil {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
	}
	cl := getCall()
	if cl == nil {
		return 0, outOfMemory(op)
	}
	defer putCall(cl)
	d, n := bytesArg(p)
	if least == 0 || least == 1 && !s.readsPark.Load() {
		// Bytes already unread need no parker, nor the pin that arming p
		// for the engine takes: the reads of a stream that is ahead of its
		// reader (a bufio.Scanner's 4 KiB reads) end here.
		rc := C.cb_read_into(h, d, n, 0, cl.c)
		if least == 0 || rc != C.CHUNKBUF_EAGAIN {
			return int(cl.c.n), cl.err(op, rc)
		}
	}
	pk := getParker()
	if pk == nil {
		return 0, outOfMemory(op)
	}
	defer putParker(pk)
	pk.pin.Pin(d) // the engine may fill p after read_start returns
	defer pk.pin.Unpin()
	if rc := C.cb_read_start(h, d, n, C.size_t(least), pk.c, cl.c); rc < 0 {
		return 0, cl.err(op, rc)
	}
	parks := cl.c.op != nil
	if s.readsPark.Load() != parks {
		s.readsPark.Store(parks)
	}
	if !parks {
		return int(cl.c.n), nil
	}
	if err := s.parked(ctx, op, pk, cl); err != nil {
		return 0, err
	}
	return int(cl.c.n), nil
}

// parked waits for the read or wait armed in cl.c.op, parked on pk, and
// finishes it: once it is ready, or with cancel when ctx is done or on
// Release. The read's bytes are counted in cl.c.n.
func (s *Stream) parked(ctx context.Context, op string, pk *parker, cl *call) error {
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	for {
		cancel := C.int(0)
		select {
		case <-pk.ready:
		case <-done:
			cancel = 1
		case <-s.gone:
			cancel = 1
		}
		rc := C.cb_read_finish(cancel, cl.c)
		pk.finished()
		switch {
		case rc == C.CHUNKBUF_EAGAIN:
			continue // another reader took the bytes first: wait on
		case rc == C.CHUNKBUF_ECANCELED && ctx != nil && ctx.Err() != nil:
			return ctx.Err()
		case rc == C.CHUNKBUF_ECANCELED:
			return released(op)
		case rc < 0:
			return cl.err(op, rc)
		}
		return nil
	}
}

// parkUntil waits, parked (see parker) and consuming nothing, until least
// bytes are unread or EOF; ctx.Err() when ctx is done first.
func (s *Stream) parkUntil(ctx context.Context, op string, h *C.chunkbuf_stream, cl *call, least C.size_t) error {
	return s.parkOn(ctx, op, cl, nil, func(pk *parker) C.int { return C.cb_wait_start(h, least, pk.c, cl.c) })
}

// parkOn arms a wait with start (cb_wait_start, cb_space_start) on an idle
// parker and, when start armed one, parks until it is ready; ctx.Err() when
// ctx is done first. wakes, when not nil, counts the wake-ups a C thread
// gives it (see yieldToWriter).
func (s *Stream) parkOn(ctx context.Context, op string, cl *call, wakes *atomic.Uint32, start func(*parker) C.int) error {
	if ctx != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	pk := getParker()
	if pk == nil {
		return outOfMemory(op)
	}
	defer putParker(pk)
	if wakes != nil {
		pk.room.Store(wakes)
		defer pk.room.Store(nil)
	}
	if rc := start(pk); rc < 0 {
		return cl.err(op, rc)
	}
	if cl.c.op == nil {
		return nil
	}
	return s.parked(ctx, op, pk, cl)
}

// ReadFull waits until len(p) bytes are unread or EOF and copies them out
// in one step, so concurrent readers never interleave inside p. At EOF it
// returns io.EOF when nothing was read and io.ErrUnexpectedEOF when some
// was, as io.ReadFull does.
func (s *Stream) ReadFull(p []byte) (int, error) {
	got, err := s.readInto(nil, "Stream.ReadFull", p, len(p))
	switch {
	case err != nil || len(p) == 0:
		return got, err
	case got == 0:
		return 0, io.EOF
	case got < len(p):
		return got, io.ErrUnexpectedEOF
	default:
		return got, nil
	}
}

// ReadNonblock copies what is unread now, up to len(p), without waiting:
// [ErrAgain] when nothing is unread yet, io.EOF at end of file.
func (s *Stream) ReadNonblock(p []byte) (int, error) {
	return s.readEOF(nil, "Stream.ReadNonblock", p, 0)
}

// peek waits, parked (see parker) under ctx, until least bytes are unread
// or EOF and returns a view of up to most of them without consuming
// anything; cl.c's handout describes it for consume.
func (s *Stream) peek(ctx context.Context, op string, h *C.chunkbuf_stream, cl *call, least, most C.size_t) error {
	if ctx != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	for {
		rc := C.chunkbuf_stream_peek(h, least, most, &cl.c.w, &cl.c.v, &cl.c.ho)
		if rc != C.CHUNKBUF_EAGAIN {
			return cl.err(op, rc)
		}
		if err := s.parkUntil(ctx, op, h, cl, least); err != nil {
			return err
		}
	}
}

// ReadView waits until n bytes are unread or EOF and hands them out as a
// zero-copy view (fewer only at EOF); n < 0 waits for EOF and takes
// everything. io.EOF when the stream is at its end.
func (s *Stream) ReadView(n int) (*View, error) { return s.readView(nil, "Stream.ReadView", n) }

// readView looks at the bytes (peek) and consumes exactly what it hands
// out; when another reader consumed first it looks again.
func (s *Stream) readView(ctx context.Context, op string, n int) (*View, error) {
	h, err := s.acquire(op)
	if err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	defer s.yieldToWriter(s.roomWakes.Load())
	cn := C.size_t(C.CHUNKBUF_NPOS)
	if n >= 0 {
		cn = C.size_t(n)
	}
	cl := getCall()
	if cl == nil {
		return nil, outOfMemory(op)
	}
	defer putCall(cl)
	for {
		if err := s.peek(ctx, op, h, cl, cn, cn); err != nil {
			return nil, err
		}
		v := cl.c.v
		length := cl.c.ho.length
		rc := C.chunkbuf_stream_consume(h, &cl.c.ho, length, &cl.c.e)
		if rc == 0 {
			if length == 0 && n != 0 {
				C.chunkbuf_view_release(v)
				return nil, io.EOF
			}
			return newView(v), nil
		}
		C.chunkbuf_view_release(v)
		if rc != C.CHUNKBUF_ESTATE {
			return nil, cl.err(op, rc)
		}
	}
}

// WriteTo writes the stream's bytes to w until EOF (io.WriterTo), handing
// each run of buffered bytes to w without copying.
func (s *Stream) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		v, err := s.readView(nil, "Stream.WriteTo", max(1, s.Buffered()))
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
		n, err := v.WriteTo(w)
		v.Release()
		total += n
		if err != nil {
			return total, err
		}
	}
}
