package chunkbuf

// #include "cwrap.h"
import "C"

import "runtime"

// PeekLines locates up to cap(recs) complete lines without consuming
// anything, reusing recs. Offsets count from the buffer's first byte: read
// the lines with [Buffer.ReadAt] or [Buffer.Peek], then consume what was
// used with [Buffer.Advance](Offset+Length+DelimLength of the last record
// used), so a caller that stops early loses no line. An empty result means
// no complete line; [ErrLimit] only when the first line is longer than
// maxLen > 0.
func (b *Buffer) PeekLines(eol EOL, maxLen int, recs []Record) ([]Record, error) {
	const op = "Buffer.PeekLines"
	h, max, err := b.sized(op, "maxLen", maxLen)
	if err != nil {
		return nil, err
	}
	r, mr, err := recordsArg(op, recs)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(b)
	var n C.size_t
	var msg *C.char
	if err := check(op, C.cbw_buffer_peek_lines(h, C.chunkbuf_eol(eol), max, r, mr, &n, &msg), msg); err != nil {
		return nil, err
	}
	return recs[:n], nil
}

// PeekRecords is [Buffer.PeekLines] with records separated by delim.
func (b *Buffer) PeekRecords(delim []byte, maxLen int, recs []Record) ([]Record, error) {
	const op = "Buffer.PeekRecords"
	h, max, err := b.sized(op, "maxLen", maxLen)
	if err != nil {
		return nil, err
	}
	r, mr, err := recordsArg(op, recs)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(b)
	d, dl := bytesArg(delim)
	var n C.size_t
	var msg *C.char
	if err := check(op, C.cbw_buffer_peek_records(h, d, dl, max, r, mr, &n, &msg), msg); err != nil {
		return nil, err
	}
	return recs[:n], nil
}
