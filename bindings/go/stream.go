package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// StreamOptions configures [NewStream]. The zero value gives an unbounded
// streaming-mode stream of unknown length in the default pool.
type StreamOptions struct {
	Pool *Pool // nil: DefaultPool
	// ContentLength > 0 is the EOF point: space is preallocated and the
	// stream closes itself once that many bytes were written; writing past
	// it fails with ErrLimit. 0 means unknown (a stream known to be empty is
	// one you Close at once).
	ContentLength int64
	// Retain keeps bytes already read, so Seek works (as a request body
	// needs); otherwise read bytes go back to the pool.
	Retain bool
	// HighWater > 0 makes writes wait while that many unread bytes are
	// buffered (back-pressure).
	HighWater int
	// LowWater is where writes held by HighWater resume: once reads bring
	// the unread bytes down to it (must be below HighWater; 0:
	// HighWater/2).
	LowWater int
	MaxBytes int    // 0: unlimited; ErrLimit past it
	Tenant   uint32 // pool tenant for accounting; 0: none
}

// Stream is a goroutine-safe byte stream: any number of goroutines write,
// any number read, and readers block until data, EOF or abort arrive.
//
// Stream implements io.Reader, io.ByteReader, io.Writer, io.StringWriter,
// io.Closer, io.Seeker (retained mode) and io.WriterTo. Close signals end
// of file to readers; Release frees the stream.
//
// A call that has to wait (a read, or a write held by back-pressure)
// parks its goroutine in the Go scheduler, as io.Pipe does, and the call
// on the other side wakes it: no OS thread is held for the wait. The
// Context variants end their wait when the context is done.
type Stream struct {
	// mu is read-held by every call and write-held by Release, so the C
	// stream is never released under a running call of this object.
	mu        sync.RWMutex
	h         *C.chunkbuf_stream
	cleanup   runtime.Cleanup
	releasing atomic.Bool
	// gone is closed by Release: parked reads (see parker) wake on it.
	gone chan struct{}
	// readsPark: the last read that asked had to park, so the next one
	// arms at once instead of first looking for unread bytes (a read that
	// keeps up with its writer parks every time; one that lags behind
	// never does).
	readsPark atomic.Bool
	// roomWakes counts the writes of this object woken from a wait for
	// room to write (see yieldToWriter).
	roomWakes atomic.Uint32
}

// NewStream creates a stream.
func NewStream(opts StreamOptions) (*Stream, error) {
	const op = "NewStream"
	ph, err := opts.Pool.handle(op)
	if err != nil {
		return nil, err
	}
	if opts.ContentLength < 0 {
		return nil, misuse(op, ErrInval, "negative ContentLength %d", opts.ContentLength)
	}
	highWater, err := size(op, "HighWater", opts.HighWater)
	if err != nil {
		return nil, err
	}
	lowWater, err := size(op, "LowWater", opts.LowWater)
	if err != nil {
		return nil, err
	}
	maxBytes, err := size(op, "MaxBytes", opts.MaxBytes)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(opts.Pool)
	o := C.chunkbuf_stream_options{
		struct_size:    C.sizeof_chunkbuf_stream_options,
		pool:           ph,
		content_length: C.CHUNKBUF_UNKNOWN_LENGTH,
		high_water:     highWater,
		low_water:      lowWater,
		max_bytes:      maxBytes,
		retain:         cbool(opts.Retain),
		tenant:         C.uint32_t(opts.Tenant),
	}
	if opts.ContentLength > 0 {
		o.content_length = C.uint64_t(opts.ContentLength)
	}
	var h *C.chunkbuf_stream
	var msg *C.char
	if err := check(op, C.cbw_stream_new(&o, &h, &msg), msg); err != nil {
		return nil, err
	}
	return wrapStream(h), nil
}

// wrapStream makes the Stream that owns one reference to h.
func wrapStream(h *C.chunkbuf_stream) *Stream {
	s := &Stream{h: h, gone: make(chan struct{})}
	s.cleanup = runtime.AddCleanup(s, func(h *C.chunkbuf_stream) { C.chunkbuf_stream_release(h) }, h)
	return s
}

// Release drops this object's reference to the stream (the C stream is
// freed with its last reference; a host or another binding may hold more).
// Reads and writes of this object blocked at that moment (WriteView and
// WriteRef included) wake and fail with [ErrHandle], without disturbing
// the stream. Later calls fail with [ErrHandle].
// Idempotent.
func (s *Stream) Release() {
	if s == nil || s.releasing.Swap(true) {
		return
	}
	close(s.gone) // every waiting call of this object is parked on it
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cleanup.Stop()
	C.chunkbuf_stream_release(s.h)
	s.h = nil
}

// WaitingReaders returns how many calls are blocked reading the stream
// right now (from any object or language sharing it); tests and
// benchmarks wait on it instead of sleeping.
func (s *Stream) WaitingReaders() int {
	r, _ := s.waiting("Stream.WaitingReaders")
	return r
}

// WaitingWriters returns how many writes are held back by the high-water
// mark right now (from any object or language sharing the stream).
func (s *Stream) WaitingWriters() int {
	_, w := s.waiting("Stream.WaitingWriters")
	return w
}

func (s *Stream) waiting(op string) (int, int) {
	h, err := s.acquire(op)
	if err != nil {
		return 0, 0
	}
	defer s.mu.RUnlock()
	var readers, writers C.size_t
	C.chunkbuf_stream_waiting(h, &readers, &writers)
	return int(readers), int(writers)
}

// acquire read-locks the stream for one call; the caller must call
// s.mu.RUnlock when it is done with the handle.
func (s *Stream) acquire(op string) (*C.chunkbuf_stream, error) {
	if s == nil {
		return nil, released(op)
	}
	if s.releasing.Load() {
		return nil, released(op)
	}
	s.mu.RLock()
	if s.h == nil {
		s.mu.RUnlock()
		return nil, released(op)
	}
	return s.h, nil
}

// Close signals end of file: readers drain what is left, then get io.EOF.
// Idempotent; [ErrAborted] after [Stream.Abort].
func (s *Stream) Close() error {
	const op = "Stream.Close"
	h, err := s.acquire(op)
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	var msg *C.char
	return check(op, C.cbw_stream_close(h, &msg), msg)
}

// Abort fails the stream: buffered bytes are dropped and every blocked and
// later read or write fails with [ErrAborted]. The first code is kept for
// [Stream.AbortCode].
func (s *Stream) Abort(code int) error {
	const op = "Stream.Abort"
	h, err := s.acquire(op)
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	var msg *C.char
	return check(op, C.cbw_stream_abort(h, C.int(code), &msg), msg)
}

// AbortCode returns the code given to [Stream.Abort]; [ErrState] when the
// stream was not aborted.
func (s *Stream) AbortCode() (int, error) {
	const op = "Stream.AbortCode"
	h, err := s.acquire(op)
	if err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	var code C.int
	var msg *C.char
	if err := check(op, C.cbw_stream_abort_code(h, &code, &msg), msg); err != nil {
		return 0, err
	}
	return int(code), nil
}

// Buffered returns the number of unread bytes buffered now.
func (s *Stream) Buffered() int {
	const op = "Stream.Buffered"
	h, err := s.acquire(op)
	if err != nil {
		return 0
	}
	defer s.mu.RUnlock()
	var n C.size_t
	var msg *C.char
	if check(op, C.cbw_stream_readable_amount(h, &n, &msg), msg) != nil {
		return 0
	}
	return int(n)
}

// AtEOF reports whether end of file was signalled and nothing is unread.
func (s *Stream) AtEOF() bool {
	const op = "Stream.AtEOF"
	h, err := s.acquire(op)
	if err != nil {
		return false
	}
	defer s.mu.RUnlock()
	var eof C.int
	var msg *C.char
	return check(op, C.cbw_stream_at_eof(h, &eof, &msg), msg) == nil && eof != 0
}

// Find returns the position of needle among the unread bytes, relative to
// the read position, lying within [start, end) (end < 0: to the end), or
// -1. It does not wait.
func (s *Stream) Find(needle []byte, start, end int) (int, error) {
	const op = "Stream.Find"
	st, err := size(op, "start", start)
	if err != nil {
		return 0, err
	}
	h, err := s.acquire(op)
	if err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	nd, nl := bytesArg(needle)
	var pos C.size_t
	var msg *C.char
	if err := check(op, C.cbw_stream_find(h, nd, nl, st, endPos(end), &pos, &msg), msg); err != nil {
		return 0, err
	}
	return position(pos), nil
}

// Seek sets the read position (io.Seeker; whence is io.SeekStart,
// io.SeekCurrent or io.SeekEnd). Retained mode only, else [ErrState];
// io.SeekEnd only after EOF.
func (s *Stream) Seek(offset int64, whence int) (int64, error) {
	const op = "Stream.Seek"
	h, err := s.acquire(op)
	if err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	var pos C.uint64_t
	var msg *C.char
	if err := check(op, C.cbw_stream_seek(h, C.int64_t(offset), C.int(whence), &pos, &msg), msg); err != nil {
		return 0, err
	}
	return int64(pos), nil
}

// Tell returns the number of bytes read so far (the absolute read
// position).
func (s *Stream) Tell() int64 {
	const op = "Stream.Tell"
	h, err := s.acquire(op)
	if err != nil {
		return 0
	}
	defer s.mu.RUnlock()
	var pos C.uint64_t
	var msg *C.char
	if check(op, C.cbw_stream_tell(h, &pos, &msg), msg) != nil {
		return 0
	}
	return int64(pos)
}

// ReadinessFD returns a file descriptor that is readable exactly while
// data, EOF or an abort is there to read, for event loops. It belongs to
// the stream: do not read or close it.
func (s *Stream) ReadinessFD() (int, error) {
	const op = "Stream.ReadinessFD"
	h, err := s.acquire(op)
	if err != nil {
		return -1, err
	}
	defer s.mu.RUnlock()
	var fd C.int
	var msg *C.char
	if err := check(op, C.cbw_stream_readiness_fd(h, &fd, &msg), msg); err != nil {
		return -1, err
	}
	return int(fd), nil
}
