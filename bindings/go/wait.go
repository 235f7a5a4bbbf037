package chunkbuf

// #include "wait.h"
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// call is a cb_call owned by one goroutine between get and put.
type call struct{ c *C.cb_call }

var callPool = sync.Pool{New: func() any {
	c := C.cb_call_new()
	if c == nil {
		return nil
	}
	cl := &call{c}
	runtime.AddCleanup(cl, func(c *C.cb_call) { C.free(unsafe.Pointer(c)) }, c)
	return cl
}}

// getCall returns a cleared call: its wait never blocks in C (timeout 0,
// no token; a call that has to wait parks, see parker). nil when C is out
// of memory.
func getCall() *call {
	cl, _ := callPool.Get().(*call)
	if cl != nil {
		cl.c.w.timeout_ms = 0
		cl.c.w.cancel = nil
		cl.c.n = 0
		cl.c.v = nil
	}
	return cl
}

func putCall(cl *call) { callPool.Put(cl) }

// err is the error of status rc with the message the failing call wrote
// into this call's error struct.
func (cl *call) err(op string, rc C.int) error {
	if rc >= 0 {
		return nil
	}
	e := &Error{Op: op, Code: Errno(rc)}
	if cl.c.e.code == rc {
		e.Msg = C.GoString(&cl.c.e.message[0])
	}
	return e
}

// outOfMemory is the error when not even a call's wait struct could be
// allocated.
func outOfMemory(op string) error {
	return &Error{Op: op, Code: ErrNoMem, Msg: "out of memory for a wait"}
}
