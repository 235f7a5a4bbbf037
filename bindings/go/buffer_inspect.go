package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"io"
	"runtime"
	"unsafe"
)

// ByteOrder selects the byte order of the typed peeks.
type ByteOrder int

// Byte orders for [Buffer.PeekUint16] and friends.
const (
	BigEndian    ByteOrder = C.CHUNKBUF_BE
	LittleEndian ByteOrder = C.CHUNKBUF_LE
)

// Find returns the position of the first needle lying wholly within
// [start, end) (end < 0: to the end), or -1. It is correct across segment
// boundaries and does not change the buffer.
func (b *Buffer) Find(needle []byte, start, end int) (int, error) {
	return b.find("Buffer.Find", needle, start, end, false)
}

// RFind is [Buffer.Find] for the last occurrence.
func (b *Buffer) RFind(needle []byte, start, end int) (int, error) {
	return b.find("Buffer.RFind", needle, start, end, true)
}

func (b *Buffer) find(op string, needle []byte, start, end int, last bool) (int, error) {
	h, err := b.handle(op)
	if err != nil {
		return 0, err
	}
	s, err := size(op, "start", start)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(b)
	nd, nl := bytesArg(needle)
	var pos C.size_t
	var msg *C.char
	var rc C.int
	if last {
		rc = C.cbw_buffer_rfind(h, nd, nl, s, endPos(end), &pos, &msg)
	} else {
		rc = C.cbw_buffer_find(h, nd, nl, s, endPos(end), &pos, &msg)
	}
	if err := check(op, rc, msg); err != nil {
		return 0, err
	}
	return position(pos), nil
}

// Peek returns the first min(n, Len) bytes as the segments that hold them,
// without copying. The slices alias C memory and are valid until the next
// change to the buffer; keep the Buffer reachable while you use them (a
// collected Buffer's memory goes back to the pool).
func (b *Buffer) Peek(n int) ([][]byte, error) {
	const op = "Buffer.Peek"
	h, err := b.handle(op)
	if err != nil {
		return nil, err
	}
	cn, err := size(op, "count", n)
	if err != nil {
		return nil, err
	}
	segs := b.SegmentCount()
	if segs == 0 {
		return nil, nil
	}
	defer runtime.KeepAlive(b)
	iov := make([]C.struct_iovec, segs)
	var cnt C.size_t
	var msg *C.char
	if err := check(op, C.cbw_buffer_peek(h, cn, &iov[0], C.size_t(segs), &cnt, &msg), msg); err != nil {
		return nil, err
	}
	return iovecSlices(iov[:cnt]), nil
}

// Coalesce makes the first n bytes contiguous (copying only when they span
// segments) and returns them without copying. The slice aliases C memory
// and is valid until the next change to the buffer; keep the Buffer
// reachable while you use it, as for [Buffer.Peek]. [ErrRange] if n > Len.
func (b *Buffer) Coalesce(n int) ([]byte, error) {
	const op = "Buffer.Coalesce"
	h, err := b.handle(op)
	if err != nil {
		return nil, err
	}
	cn, err := size(op, "count", n)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(b)
	var data unsafe.Pointer
	var msg *C.char
	if err := check(op, C.cbw_buffer_coalesce(h, cn, &data, &msg), msg); err != nil {
		return nil, err
	}
	if n == 0 {
		return []byte{}, nil
	}
	return unsafe.Slice((*byte)(data), n), nil
}

// Equal reports whether the buffer holds exactly the bytes p (false once
// closed).
func (b *Buffer) Equal(p []byte) bool {
	h, err := b.handle("Buffer.Equal")
	if err != nil {
		return false
	}
	defer runtime.KeepAlive(b)
	d, n := bytesArg(p)
	var eq C.int
	var msg *C.char
	return check("Buffer.Equal", C.cbw_buffer_equals(h, d, n, &eq, &msg), msg) == nil && eq != 0
}

// ReadAt copies bytes from offset off into p without consuming them
// (io.ReaderAt). [ErrRange] if off > Len; io.EOF when fewer than len(p)
// bytes follow off.
func (b *Buffer) ReadAt(p []byte, off int64) (int, error) {
	const op = "Buffer.ReadAt"
	h, err := b.handle(op)
	if err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, misuse(op, ErrInval, "negative offset %d", off)
	}
	defer runtime.KeepAlive(b)
	d, n := bytesArg(p)
	var copied C.size_t
	var msg *C.char
	if err := check(op, C.cbw_buffer_copy_out(h, C.size_t(off), d, n, &copied, &msg), msg); err != nil {
		return 0, err
	}
	if int(copied) < len(p) {
		return int(copied), io.EOF
	}
	return int(copied), nil
}

// PeekUint8 returns the byte at offset without consuming it; [ErrNeedMore]
// if the buffer is shorter.
func (b *Buffer) PeekUint8(offset int) (uint8, error) {
	const op = "Buffer.PeekUint8"
	h, off, err := b.sized(op, "offset", offset)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(b)
	var v C.uint8_t
	var msg *C.char
	err = check(op, C.cbw_buffer_peek_u8(h, off, &v, &msg), msg)
	return uint8(v), err
}

// PeekUint16 reads a 16-bit integer at offset without consuming it.
func (b *Buffer) PeekUint16(offset int, order ByteOrder) (uint16, error) {
	const op = "Buffer.PeekUint16"
	h, off, err := b.sized(op, "offset", offset)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(b)
	var v C.uint16_t
	var msg *C.char
	err = check(op, C.cbw_buffer_peek_u16(h, off, C.int(order), &v, &msg), msg)
	return uint16(v), err
}

// PeekUint32 reads a 32-bit integer at offset without consuming it.
func (b *Buffer) PeekUint32(offset int, order ByteOrder) (uint32, error) {
	const op = "Buffer.PeekUint32"
	h, off, err := b.sized(op, "offset", offset)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(b)
	var v C.uint32_t
	var msg *C.char
	err = check(op, C.cbw_buffer_peek_u32(h, off, C.int(order), &v, &msg), msg)
	return uint32(v), err
}

// PeekUint64 reads a 64-bit integer at offset without consuming it.
func (b *Buffer) PeekUint64(offset int, order ByteOrder) (uint64, error) {
	const op = "Buffer.PeekUint64"
	h, off, err := b.sized(op, "offset", offset)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(b)
	var v C.uint64_t
	var msg *C.char
	err = check(op, C.cbw_buffer_peek_u64(h, off, C.int(order), &v, &msg), msg)
	return uint64(v), err
}
