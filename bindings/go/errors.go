package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"fmt"
	"unsafe"
)

// Errno is a chunkbuf status code. The constants below are comparable with
// [errors.Is] against any error this package returns.
type Errno int

// The chunkbuf status codes (chunkbuf.h, CHUNKBUF_E*).
const (
	ErrInval    Errno = C.CHUNKBUF_EINVAL    // an argument is out of range or malformed
	ErrHandle   Errno = C.CHUNKBUF_EHANDLE   // a released or wrong object
	ErrNoMem    Errno = C.CHUNKBUF_ENOMEM    // out of memory; nothing changed
	ErrLimit    Errno = C.CHUNKBUF_ELIMIT    // max_bytes, quota or a max length
	ErrState    Errno = C.CHUNKBUF_ESTATE    // not allowed now (e.g. reservation open)
	ErrNeedMore Errno = C.CHUNKBUF_ENEEDMORE // more bytes are needed; nothing consumed
	ErrClosed   Errno = C.CHUNKBUF_ECLOSED   // the stream is closed for writing
	ErrAgain    Errno = C.CHUNKBUF_EAGAIN    // would block
	ErrTimeout  Errno = C.CHUNKBUF_ETIMEDOUT // a blocking call's timeout passed
	ErrAborted  Errno = C.CHUNKBUF_EABORTED  // the stream was aborted
	ErrRange    Errno = C.CHUNKBUF_ERANGE    // an offset or count beyond the data
	ErrIO       Errno = C.CHUNKBUF_EIO       // a read or write on a file descriptor failed
	ErrNotSup   Errno = C.CHUNKBUF_ENOTSUP   // feature not compiled in
	ErrVersion  Errno = C.CHUNKBUF_EVERSION  // options struct of an unknown size
	// ErrFrameLimit is a frame longer than a framer's max frame; it also
	// matches ErrLimit with errors.Is (ErrLimit alone, compared with ==, is
	// then the buffer's MaxBytes, a quota or a max length).
	ErrFrameLimit Errno = C.CHUNKBUF_EFRAMELIMIT
	// ErrNoReserve is Commit without an open reservation; it also matches
	// ErrState with errors.Is (ErrState from a Buffer: a reservation is open).
	ErrNoReserve Errno = C.CHUNKBUF_ENORESERVE
)

// broader names the class a narrower code also belongs to.
var broader = map[Errno]Errno{ErrFrameLimit: ErrLimit, ErrNoReserve: ErrState}

// Is makes errors.Is(ErrFrameLimit, ErrLimit) and errors.Is(ErrNoReserve,
// ErrState) true, so code written for the broad class keeps working.
func (e Errno) Is(target error) bool {
	t, ok := target.(Errno)
	return ok && broader[e] == t && t != 0
}

// Error returns the library's name for the code, e.g. "limit exceeded".
func (e Errno) Error() string { return "chunkbuf: " + C.GoString(C.chunkbuf_strerror(C.int(e))) }

// Timeout reports whether the code is ErrTimeout (as net.Error does).
func (e Errno) Timeout() bool { return e == ErrTimeout }

// Error is a failed chunkbuf operation: the Go method, the status code and
// the C library's detail message for that very call.
type Error struct {
	Op   string // the method, e.g. "Buffer.TakeLine"
	Code Errno
	Msg  string // detail from the C library (or the binding), may be empty
}

func (e *Error) Error() string {
	s := e.Code.Error() + " (" + e.Op + ")"
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Unwrap returns e.Code, so errors.Is(err, ErrLimit) works.
func (e *Error) Unwrap() error { return e.Code }

// Timeout reports whether the operation timed out.
func (e *Error) Timeout() bool { return e.Code.Timeout() }

// check turns a cbw_* result into an error. msg is the message the helper
// copied on failure; check frees it.
func check(op string, rc C.int, msg *C.char) error {
	if rc >= 0 {
		return nil
	}
	e := &Error{Op: op, Code: Errno(rc)}
	if msg != nil {
		e.Msg = C.GoString(msg)
		C.free(unsafe.Pointer(msg))
	}
	return e
}

// checkRes is check for the by-value helpers' results.
func checkRes(op string, r C.cbw_res) error { return check(op, r.rc, r.err) }

// misuse reports a mistake the binding catches before calling C.
func misuse(op string, code Errno, format string, args ...any) error {
	return &Error{Op: op, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// released is the error of any method called after Close/Release.
func released(op string) error {
	return &Error{Op: op, Code: ErrHandle, Msg: "used after Close/Release"}
}
