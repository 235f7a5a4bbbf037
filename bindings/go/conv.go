package chunkbuf

// #include <sys/uio.h>
// #include <chunkbuf.h>
import "C"

import "unsafe"

// size converts a Go count or offset to size_t, refusing negative values.
func size(op, what string, n int) (C.size_t, error) {
	if n < 0 {
		return 0, misuse(op, ErrInval, "negative %s %d", what, n)
	}
	return C.size_t(n), nil
}

// endPos converts an end offset where a negative value means "to the end".
func endPos(end int) C.size_t {
	if end < 0 {
		return C.CHUNKBUF_NPOS
	}
	return C.size_t(end)
}

// position converts a found position, CHUNKBUF_NPOS becoming -1.
func position(pos C.size_t) int {
	if pos == C.CHUNKBUF_NPOS {
		return -1
	}
	return int(pos)
}

// bytesArg returns what C expects for p: a pointer to its first byte, or
// NULL for an empty slice. The pointer is typed as bytes, not void, so the
// cgo pointer check looks at p alone (bytes hold no pointers) rather than
// at the whole Go object p may live in (such as a reader's struct).
func bytesArg(p []byte) (*C.uchar, C.size_t) {
	if len(p) == 0 {
		return nil, 0
	}
	return (*C.uchar)(unsafe.Pointer(&p[0])), C.size_t(len(p))
}

// iovecSlices views each iovec as a Go slice over its (C) memory.
func iovecSlices(iov []C.struct_iovec) [][]byte {
	out := make([][]byte, len(iov))
	for i, v := range iov {
		out[i] = unsafe.Slice((*byte)(v.iov_base), int(v.iov_len))
	}
	return out
}

// bytesOf views s as bytes without copying, for C calls that only read.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// cbool converts a flag for C.
func cbool(v bool) C.int {
	if v {
		return 1
	}
	return 0
}
