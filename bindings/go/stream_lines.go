package chunkbuf

// #include "cwrap.h"
// #include "wait.h"
import "C"

import (
	"context"
	"errors"
	"io"
	"slices"
	"unsafe"
)

// ReadLine waits for one line and returns it, "\n" included, as a view: a
// line is cut at "\n", after max bytes (max > 0), or at EOF (the last line
// may lack "\n"). io.EOF at end of file.
func (s *Stream) ReadLine(max int) (*View, error) { return s.readLine(nil, "Stream.ReadLine", max) }

// ReadLineContext is ReadLine that gives up as soon as ctx is done,
// returning ctx.Err() with nothing consumed.
func (s *Stream) ReadLineContext(ctx context.Context, max int) (*View, error) {
	return s.readLine(ctx, "Stream.ReadLineContext", max)
}

func (s *Stream) readLine(ctx context.Context, op string, max int) (*View, error) {
	cmax, err := size(op, "max", max)
	if err != nil {
		return nil, err
	}
	var res C.cbw_res
	err = s.untilTaken(ctx, op, func(h *C.chunkbuf_stream, _ *call) error {
		res = C.cbw_stream_readline_v(h, cmax, 0)
		return checkRes(op, res)
	})
	if err != nil {
		return nil, err
	}
	v := (*C.chunkbuf_view)(res.p)
	if res.n == 0 {
		C.chunkbuf_view_release(v)
		return nil, io.EOF
	}
	return newView(v), nil
}

// ReadLines waits for at least one complete line (or EOF), then takes up
// to cap(recs) complete lines in one call, reusing recs for the records
// ("\n" is each record's delimiter). io.EOF at end of file.
func (s *Stream) ReadLines(recs []Record) (Batch, error) {
	return s.readLines(nil, "Stream.ReadLines", recs)
}

// ReadLinesContext is ReadLines that gives up as soon as ctx is done.
func (s *Stream) ReadLinesContext(ctx context.Context, recs []Record) (Batch, error) {
	return s.readLines(ctx, "Stream.ReadLinesContext", recs)
}

func (s *Stream) readLines(ctx context.Context, op string, recs []Record) (Batch, error) {
	r, mr, err := recordsArg(op, recs)
	if err != nil {
		return Batch{}, err
	}
	var res C.cbw_batch
	err = s.untilTaken(ctx, op, func(h *C.chunkbuf_stream, _ *call) error {
		res = C.cbw_stream_readlines_v(h, r, mr, 0)
		return check(op, res.rc, res.err)
	})
	if err != nil {
		return Batch{}, err
	}
	if res.n == 0 {
		C.chunkbuf_view_release(res.view)
		return Batch{}, io.EOF
	}
	return newBatch(&res, recs), nil
}

// TakeLines is [Buffer.TakeLines] for a Stream: it waits until at least
// one line ending in eol is complete (or EOF), then takes up to cap(recs)
// complete lines in one call, reusing recs for the records. Every line is
// contiguous where it lies, as in a Buffer's batch (only a line that
// straddles two blocks was copied, once). A line longer than maxLen > 0
// is [ErrLimit] with nothing consumed; at EOF the last line may lack an
// end of line. io.EOF at end of file. Each line goes whole to one reader,
// whatever other goroutines read. [Stream.ReadLines] is the same for "\n"
// lines with no limit.
func (s *Stream) TakeLines(eol EOL, maxLen int, recs []Record) (Batch, error) {
	return s.takeLines(nil, "Stream.TakeLines", eol, maxLen, recs)
}

// TakeLinesContext is TakeLines that gives up as soon as ctx is done,
// returning ctx.Err() with nothing consumed.
func (s *Stream) TakeLinesContext(ctx context.Context, eol EOL, maxLen int, recs []Record) (Batch, error) {
	return s.takeLines(ctx, "Stream.TakeLinesContext", eol, maxLen, recs)
}

func (s *Stream) takeLines(ctx context.Context, op string, eol EOL, maxLen int, recs []Record) (Batch, error) {
	cmax, err := size(op, "maxLen", maxLen)
	if err != nil {
		return Batch{}, err
	}
	r, mr, err := recordsArg(op, recs)
	if err != nil {
		return Batch{}, err
	}
	// a Stream is shared between goroutines: each batch has runs of its own
	runs := make([]lineRun, mr)
	var res C.cbw_lines
	err = s.untilTaken(ctx, op, func(h *C.chunkbuf_stream, cl *call) error {
		res = C.cbw_stream_read_lines_v(h, C.chunkbuf_eol(eol), cmax, r, mr, unsafe.Pointer(&runs[0]), cl.c)
		return cl.err(op, res.rc)
	})
	if err != nil {
		return Batch{}, err
	}
	if res.n == 0 {
		C.chunkbuf_view_release(res.view)
		return Batch{}, io.EOF
	}
	return lineBatch(newView(res.view), recs, res.n, runs[:res.nrun:res.nrun]), nil
}

// untilTaken runs take, a consuming call that does not wait (it fails
// with ErrAgain while what it takes is incomplete), until it succeeds. In
// between it waits, parked under ctx and consuming nothing, for more bytes
// than were unread when take last failed: the C call decides what is
// complete, the binding only waits.
func (s *Stream) untilTaken(ctx context.Context, op string, take func(*C.chunkbuf_stream, *call) error) error {
	h, err := s.acquire(op)
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	defer s.yieldToWriter(s.roomWakes.Load())
	cl := getCall()
	if cl == nil {
		return outOfMemory(op)
	}
	defer putCall(cl)
	for {
		if err := take(h, cl); !errors.Is(err, ErrAgain) {
			return err
		}
		// how much is unread now, then take again: a failure now means
		// those bytes hold nothing complete
		var seen C.size_t
		C.chunkbuf_stream_readable_amount(h, &seen)
		if err := take(h, cl); !errors.Is(err, ErrAgain) {
			return err
		}
		if err := s.parkUntil(ctx, op, h, cl, seen+1); err != nil {
			return err
		}
	}
}

// AppendLine waits for one line ending in eol (or the last line at EOF,
// which may lack one), appends it to dst without its end of line, and
// returns the extended slice: the bytes are dst's own, copied once from
// the stream, with nothing to release (ReadLine hands out a View). A line
// longer than maxLen > 0 is [ErrLimit] with nothing consumed. At end of
// file it returns dst and io.EOF. On any error dst comes back as it was.
// Each line goes whole to one reader, whatever other goroutines read.
func (s *Stream) AppendLine(dst []byte, eol EOL, maxLen int) ([]byte, error) {
	return s.appendLine(nil, "Stream.AppendLine", dst, eol, maxLen)
}

// AppendLineContext is AppendLine that gives up as soon as ctx is done,
// returning dst and ctx.Err() with nothing consumed.
func (s *Stream) AppendLineContext(ctx context.Context, dst []byte, eol EOL, maxLen int) ([]byte, error) {
	return s.appendLine(ctx, "Stream.AppendLineContext", dst, eol, maxLen)
}

// appendLineRoom is the room AppendLine makes in a dst with no spare
// capacity before its first try, so a short line needs one call into C.
// A dst with some room is tried as it is: reused, it has grown to its
// lines.
const appendLineRoom = 128

func (s *Stream) appendLine(ctx context.Context, op string, dst []byte, eol EOL, maxLen int) ([]byte, error) {
	cmax, err := size(op, "maxLen", maxLen)
	if err != nil {
		return dst, err
	}
	out := dst
	if cap(out) == len(out) {
		out = slices.Grow(out, appendLineRoom)
	}
	err = s.untilTaken(ctx, op, func(h *C.chunkbuf_stream, cl *call) error {
		for {
			spare := out[len(out):cap(out)]
			rc := C.cb_read_line(h, C.chunkbuf_eol(eol), cmax, (*C.uchar)(unsafe.Pointer(unsafe.SliceData(spare))),
				C.size_t(len(spare)), cl.c)
			if rc != C.CHUNKBUF_ERANGE {
				if rc < 0 {
					return cl.err(op, rc)
				}
				if cl.c.n == 0 && cl.c.eol_n == 0 {
					return io.EOF
				}
				out = out[:len(out)+int(cl.c.n)]
				return nil
			}
			// nothing consumed: make room for the line and its end of line
			out = slices.Grow(out, int(cl.c.n+cl.c.eol_n))
		}
	})
	if err != nil {
		return dst, err
	}
	return out, nil
}
