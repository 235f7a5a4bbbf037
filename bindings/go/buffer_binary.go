package chunkbuf

// #include "cwrap.h"
import "C"

import "runtime"

// ReadUint reads a width-byte (1, 2, 4 or 8) unsigned integer from the
// front in order and consumes it. When fewer than width bytes are buffered
// it returns [ErrNeedMore] and consumes nothing, so a parser retries after
// the next write.
func (b *Buffer) ReadUint(width int, order ByteOrder) (uint64, error) {
	const op = "Buffer.ReadUint"
	h, w, err := b.sized(op, "width", width)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(b)
	var v C.uint64_t
	var msg *C.char
	err = check(op, C.cbw_buffer_read_uint(h, w, C.int(order), &v, &msg), msg)
	return uint64(v), err
}

// ReadUint8 reads and consumes one byte ([ErrNeedMore] when empty).
func (b *Buffer) ReadUint8() (uint8, error) {
	v, err := b.ReadUint(1, BigEndian)
	return uint8(v), err
}

// ReadUint16 reads and consumes a 16-bit integer (see [Buffer.ReadUint]).
func (b *Buffer) ReadUint16(order ByteOrder) (uint16, error) {
	v, err := b.ReadUint(2, order)
	return uint16(v), err
}

// ReadUint32 reads and consumes a 32-bit integer (see [Buffer.ReadUint]).
func (b *Buffer) ReadUint32(order ByteOrder) (uint32, error) {
	v, err := b.ReadUint(4, order)
	return uint32(v), err
}

// ReadUint64 reads and consumes a 64-bit integer (see [Buffer.ReadUint]).
func (b *Buffer) ReadUint64(order ByteOrder) (uint64, error) { return b.ReadUint(8, order) }

// ReadExact fills p from the front and consumes len(p) bytes, or returns
// [ErrNeedMore] and consumes nothing when fewer are buffered.
func (b *Buffer) ReadExact(p []byte) error {
	const op = "Buffer.ReadExact"
	h, err := b.handle(op)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(b)
	d, n := bytesArg(p)
	var msg *C.char
	return check(op, C.cbw_buffer_read_exact(h, d, n, &msg), msg)
}

// PeekExact fills p from the front without consuming, or returns
// [ErrNeedMore] when fewer than len(p) bytes are buffered.
func (b *Buffer) PeekExact(p []byte) error {
	const op = "Buffer.PeekExact"
	h, err := b.handle(op)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(b)
	d, n := bytesArg(p)
	var msg *C.char
	return check(op, C.cbw_buffer_peek_exact(h, d, n, &msg), msg)
}
