package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"io"
	"runtime"
)

// EOL is an end-of-line style, as libevent's evbuffer_eol_style.
type EOL int

// End-of-line styles for [Buffer.TakeLine] and [Buffer.TakeLines].
const (
	EOLAny        EOL = C.CHUNKBUF_EOL_ANY         // the run of CR and LF that is there (a CR and an LF that arrive apart end two lines)
	EOLCRLF       EOL = C.CHUNKBUF_EOL_CRLF        // LF, optionally preceded by CR
	EOLCRLFStrict EOL = C.CHUNKBUF_EOL_CRLF_STRICT // exactly CR LF
	EOLLF         EOL = C.CHUNKBUF_EOL_LF          // exactly LF
	EOLNUL        EOL = C.CHUNKBUF_EOL_NUL         // a NUL byte
)

// Advance drops the first n bytes. [ErrRange] if n > Len (nothing dropped).
func (b *Buffer) Advance(n int) error {
	const op = "Buffer.Advance"
	h, cn, err := b.sized(op, "count", n)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(b)
	return checkRes(op, C.cbw_buffer_advance_v(h, cn))
}

// Read copies up to len(p) bytes out and consumes them (io.Reader); io.EOF
// when the buffer is empty.
func (b *Buffer) Read(p []byte) (int, error) {
	const op = "Buffer.Read"
	h, err := b.handle(op)
	if err != nil {
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	defer runtime.KeepAlive(b)
	d, n := bytesArg(p)
	r := C.cbw_buffer_read_v(h, d, n)
	if err := checkRes(op, r); err != nil {
		return 0, err
	}
	if r.n == 0 {
		return 0, io.EOF
	}
	return int(r.n), nil
}

// SplitTo moves the first n bytes into a new view without copying.
// [ErrRange] if n > Len.
func (b *Buffer) SplitTo(n int) (*View, error) {
	const op = "Buffer.SplitTo"
	h, cn, err := b.sized(op, "count", n)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(b)
	var out *C.chunkbuf_view
	var msg *C.char
	if err := check(op, C.cbw_buffer_split_to(h, cn, &out, &msg), msg); err != nil {
		return nil, err
	}
	return newView(out), nil
}

// TakeUntil takes the bytes before the first delim as a view and consumes
// them and the delimiter; include keeps the delimiter in the view.
// [ErrNeedMore] when delim is absent; [ErrLimit] when maxLen > 0 and no
// delimiter starts within the first maxLen bytes (nothing consumed).
func (b *Buffer) TakeUntil(delim []byte, include bool, maxLen int) (*View, error) {
	const op = "Buffer.TakeUntil"
	h, max, err := b.sized(op, "maxLen", maxLen)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(b)
	d, dl := bytesArg(delim)
	var out *C.chunkbuf_view
	var msg *C.char
	if err := check(op, C.cbw_buffer_take_until(h, d, dl, cbool(include), max, &out, &msg), msg); err != nil {
		return nil, err
	}
	return newView(out), nil
}

// TakeLine takes one line, without its end-of-line bytes, as a view.
// [ErrNeedMore] when no complete line is buffered; [ErrLimit] when
// maxLen > 0 and the line is longer (nothing consumed).
func (b *Buffer) TakeLine(eol EOL, maxLen int) (*View, error) {
	const op = "Buffer.TakeLine"
	h, max, err := b.sized(op, "maxLen", maxLen)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(b)
	var out *C.chunkbuf_view
	var msg *C.char
	if err := check(op, C.cbw_buffer_take_line(h, C.chunkbuf_eol(eol), max, &out, &msg), msg); err != nil {
		return nil, err
	}
	return newView(out), nil
}

// TakeLines takes up to cap(recs) complete lines in one call, reusing recs
// for the records. An empty Batch (no error) means no complete line is
// buffered; [ErrLimit] only when the first pending line is longer than
// maxLen > 0. Every line is contiguous where it lies: [Batch.Bytes] slices
// it in place (only a line that straddles two blocks was copied, once).
//
// A batch that is not [Batch.Full] took every complete line there was, so
// a loop that drains the buffer stops on !batch.Full() instead of making
// one more call that finds nothing (with maxLen > 0 a line over the limit
// may be left: the next call reports it).
func (b *Buffer) TakeLines(eol EOL, maxLen int, recs []Record) (Batch, error) {
	const op = "Buffer.TakeLines"
	h, max, err := b.sized(op, "maxLen", maxLen)
	if err != nil {
		return Batch{}, err
	}
	r, mr, err := recordsArg(op, recs)
	if err != nil {
		return Batch{}, err
	}
	defer runtime.KeepAlive(b)
	room := b.runs.room(int(mr))
	res := C.cbw_buffer_read_lines_v(h, C.chunkbuf_eol(eol), max, r, mr, room)
	if err := check(op, res.rc, res.err); err != nil {
		return Batch{}, err
	}
	return lineBatch(b.views.newView(res.view), recs, res.n, b.runs.take(int(res.nrun))), nil
}

// TakeRecords is [Buffer.TakeLines] with records separated by delim.
func (b *Buffer) TakeRecords(delim []byte, maxLen int, recs []Record) (Batch, error) {
	const op = "Buffer.TakeRecords"
	h, max, err := b.sized(op, "maxLen", maxLen)
	if err != nil {
		return Batch{}, err
	}
	r, mr, err := recordsArg(op, recs)
	if err != nil {
		return Batch{}, err
	}
	defer runtime.KeepAlive(b)
	d, dl := bytesArg(delim)
	res := C.cbw_buffer_take_records_v(h, d, dl, max, r, mr)
	if err := check(op, res.rc, res.err); err != nil {
		return Batch{}, err
	}
	return newBatch(&res, recs), nil
}

// sized returns the handle and n checked as a size_t.
func (b *Buffer) sized(op, what string, n int) (*C.chunkbuf_buffer, C.size_t, error) {
	h, err := b.handle(op)
	if err != nil {
		return nil, 0, err
	}
	cn, err := size(op, what, n)
	return h, cn, err
}
