package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"io"
	"runtime"
	"syscall"
	"unsafe"
)

// readChunk is how much ReadFrom asks of a plain io.Reader per Read.
const readChunk = 64 << 10

// ReadFrom reads r until EOF straight into pool memory (io.ReaderFrom), with
// no intermediate Go buffer. Files and network connections (anything with
// a syscall.Conn) are read with readv(2) through the Go poller, so
// deadlines on a net.Conn apply; other readers Read into reserved pool
// memory. Once the buffer holds MaxBytes, ReadFrom stops with [ErrLimit].
func (b *Buffer) ReadFrom(r io.Reader) (int64, error) {
	const op = "Buffer.ReadFrom"
	if _, err := b.handle(op); err != nil {
		return 0, err
	}
	if sc, ok := r.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			return b.readFromFD(op, raw)
		}
	}
	var total int64
	for {
		n, err := b.readOnce(op, r)
		total += int64(n)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// readOnce does one r.Read into a reservation and commits what it got,
// also when Read panics.
func (b *Buffer) readOnce(op string, r io.Reader) (n int, err error) {
	want := readChunk
	if b.maxBytes > 0 {
		want = max(1, min(want, b.maxBytes-b.Len()))
	}
	span, err := b.Reserve(want)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := b.Commit(n); cerr != nil && err == nil {
			n, err = 0, cerr
		}
	}()
	n, err = r.Read(span[:min(len(span), want)])
	if n < 0 || n > want {
		return 0, misuse(op, ErrInval, "the reader returned count %d for a %d-byte read", n, want)
	}
	return n, err
}

func (b *Buffer) readFromFD(op string, raw syscall.RawConn) (int64, error) {
	var total int64
	for {
		var n C.size_t
		var cerr error
		err := raw.Read(func(fd uintptr) bool {
			var msg *C.char
			rc := C.cbw_buffer_read_from_fd(b.h, C.int(fd), 0, &n, &msg)
			if Errno(rc) == ErrAgain {
				C.free(unsafe.Pointer(msg))
				return false
			}
			cerr = check(op, rc, msg)
			return true
		})
		runtime.KeepAlive(b)
		total += int64(n)
		switch {
		case cerr != nil:
			return total, cerr
		case err != nil:
			return total, err
		case n == 0:
			return total, nil
		}
	}
}

// WriteTo writes the buffer's bytes to w and consumes what was written
// (io.WriterTo). Files and network connections get writev(2) of the
// segments through the Go poller; other writers get one Write per segment.
func (b *Buffer) WriteTo(w io.Writer) (int64, error) {
	const op = "Buffer.WriteTo"
	if _, err := b.handle(op); err != nil {
		return 0, err
	}
	if sc, ok := w.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			return b.writeToFD(op, raw)
		}
	}
	var total int64
	for {
		seg, err := b.front(op)
		if err != nil || len(seg) == 0 {
			return total, err
		}
		n, werr := w.Write(seg)
		total += int64(n)
		if err := b.Advance(n); err != nil {
			return total, err
		}
		if werr != nil {
			return total, werr
		}
		if n < len(seg) {
			return total, io.ErrShortWrite
		}
	}
}

// front returns the first segment without copying (empty when the buffer
// is); valid until the next change to the buffer.
func (b *Buffer) front(op string) ([]byte, error) {
	h, err := b.handle(op)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(b)
	var iov C.struct_iovec
	var cnt C.size_t
	var msg *C.char
	if err := check(op, C.cbw_buffer_peek(h, C.CHUNKBUF_NPOS, &iov, 1, &cnt, &msg), msg); err != nil || cnt == 0 {
		return nil, err
	}
	return unsafe.Slice((*byte)(iov.iov_base), int(iov.iov_len)), nil
}

func (b *Buffer) writeToFD(op string, raw syscall.RawConn) (int64, error) {
	var total int64
	for b.Len() > 0 {
		var n C.size_t
		var cerr error
		err := raw.Write(func(fd uintptr) bool {
			var msg *C.char
			rc := C.cbw_buffer_write_to_fd(b.h, C.int(fd), 0, &n, &msg)
			if Errno(rc) == ErrAgain {
				C.free(unsafe.Pointer(msg))
				return false
			}
			cerr = check(op, rc, msg)
			return true
		})
		runtime.KeepAlive(b)
		total += int64(n)
		if cerr != nil {
			return total, cerr
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
