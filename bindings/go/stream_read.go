package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"context"
	"io"
)

// Read waits until at least one byte is unread or EOF, then copies up to
// len(p) bytes (io.Reader); io.EOF at end of file.
func (s *Stream) Read(p []byte) (int, error) { return s.read1("Stream.Read", p, -1) }

// ReadContext is Read that gives up when ctx is done, returning ctx.Err()
// with nothing consumed. See pollInterval in context.go for how the wait is
// bounded.
func (s *Stream) ReadContext(ctx context.Context, p []byte) (int, error) {
	return untilDone(ctx, func(timeout int64) (int, error) { return s.read1("Stream.ReadContext", p, timeout) })
}

// ReadByte reads one byte (io.ByteReader).
func (s *Stream) ReadByte() (byte, error) {
	var b [1]byte
	_, err := s.read1("Stream.ReadByte", b[:], -1)
	return b[0], err
}

func (s *Stream) read1(op string, p []byte, timeout int64) (int, error) {
	got, err := s.copyOut(op, p, func(h *C.chunkbuf_stream, d *C.uchar, n C.size_t) C.cbw_res {
		return C.cbw_stream_read1_v(h, d, n, C.int64_t(timeout))
	})
	if err == nil && got == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return got, err
}

// copyOut runs one copying read into p under the read lock (nothing for
// an empty p) and returns the byte count C reported.
func (s *Stream) copyOut(op string, p []byte, call func(*C.chunkbuf_stream, *C.uchar, C.size_t) C.cbw_res) (int, error) {
	h, err := s.acquire(op)
	if err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	if len(p) == 0 {
		return 0, nil
	}
	d, n := bytesArg(p)
	r := call(h, d, n)
	if err := checkRes(op, r); err != nil {
		return 0, err
	}
	return int(r.n), nil
}

// ReadFull waits until len(p) bytes are unread or EOF and copies them out
// in one step, so concurrent readers never interleave inside p. At EOF it
// returns io.EOF when nothing was read and io.ErrUnexpectedEOF when some
// was, as io.ReadFull does.
func (s *Stream) ReadFull(p []byte) (int, error) {
	got, err := s.copyOut("Stream.ReadFull", p, func(h *C.chunkbuf_stream, d *C.uchar, n C.size_t) C.cbw_res {
		return C.cbw_stream_read_v(h, d, n, -1)
	})
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
	got, err := s.copyOut("Stream.ReadNonblock", p, func(h *C.chunkbuf_stream, d *C.uchar, n C.size_t) C.cbw_res {
		return C.cbw_stream_read_nonblock_v(h, d, n)
	})
	if err == nil && got == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return got, err
}

// ReadView waits until n bytes are unread or EOF and hands them out as a
// zero-copy view (fewer only at EOF); n < 0 waits for EOF and takes
// everything. io.EOF when the stream is at its end.
func (s *Stream) ReadView(n int) (*View, error) { return s.readView("Stream.ReadView", n, -1) }

func (s *Stream) readView(op string, n int, timeout int64) (*View, error) {
	cn := C.size_t(C.CHUNKBUF_NPOS)
	if n >= 0 {
		cn = C.size_t(n)
	}
	return s.viewCall(op, func(h *C.chunkbuf_stream) C.cbw_res {
		return C.cbw_stream_read_view_v(h, cn, C.int64_t(timeout))
	}, n != 0)
}

// ReadLine waits for one line and returns it, "\n" included, as a view: a
// line is cut at "\n", after max bytes (max > 0), or at EOF (the last line
// may lack "\n"). io.EOF at end of file.
func (s *Stream) ReadLine(max int) (*View, error) { return s.readLine("Stream.ReadLine", max, -1) }

// ReadLineContext is ReadLine that gives up when ctx is done, returning
// ctx.Err() with nothing consumed.
func (s *Stream) ReadLineContext(ctx context.Context, max int) (*View, error) {
	return untilDone(ctx, func(timeout int64) (*View, error) { return s.readLine("Stream.ReadLineContext", max, timeout) })
}

func (s *Stream) readLine(op string, max int, timeout int64) (*View, error) {
	cmax, err := size(op, "max", max)
	if err != nil {
		return nil, err
	}
	return s.viewCall(op, func(h *C.chunkbuf_stream) C.cbw_res {
		return C.cbw_stream_readline_v(h, cmax, C.int64_t(timeout))
	}, true)
}

// viewCall runs a stream call that hands out a view (the result's p, with
// its length in n). With emptyIsEOF an empty view means end of file and
// becomes io.EOF.
func (s *Stream) viewCall(op string, call func(*C.chunkbuf_stream) C.cbw_res, emptyIsEOF bool) (*View, error) {
	h, err := s.acquire(op)
	if err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	r := call(h)
	if err := checkRes(op, r); err != nil {
		return nil, err
	}
	out := (*C.chunkbuf_view)(r.p)
	if emptyIsEOF && r.n == 0 {
		C.chunkbuf_view_release(out)
		return nil, io.EOF
	}
	return newView(out), nil
}

// ReadLines waits for at least one complete line (or EOF), then takes up
// to cap(recs) complete lines in one call, reusing recs for the records
// ("\n" is each record's delimiter). io.EOF at end of file.
func (s *Stream) ReadLines(recs []Record) (Batch, error) {
	return s.readLines("Stream.ReadLines", recs, -1)
}

// ReadLinesContext is ReadLines that gives up when ctx is done.
func (s *Stream) ReadLinesContext(ctx context.Context, recs []Record) (Batch, error) {
	return untilDone(ctx, func(timeout int64) (Batch, error) { return s.readLines("Stream.ReadLinesContext", recs, timeout) })
}

func (s *Stream) readLines(op string, recs []Record, timeout int64) (Batch, error) {
	r, mr, err := recordsArg(op, recs)
	if err != nil {
		return Batch{}, err
	}
	h, err := s.acquire(op)
	if err != nil {
		return Batch{}, err
	}
	defer s.mu.RUnlock()
	res := C.cbw_stream_readlines_v(h, r, mr, C.int64_t(timeout))
	if err := check(op, res.rc, res.err); err != nil {
		return Batch{}, err
	}
	if res.n == 0 {
		C.chunkbuf_view_release(res.view)
		return Batch{}, io.EOF
	}
	return newBatch(&res, recs), nil
}

// WriteTo writes the stream's bytes to w until EOF (io.WriterTo), handing
// each run of buffered bytes to w without copying.
func (s *Stream) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		v, err := s.readView("Stream.WriteTo", max(1, s.Buffered()), -1)
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
