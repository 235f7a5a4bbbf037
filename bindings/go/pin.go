package chunkbuf

import "C"

import (
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// pin pins the memory of p (len(p) > 0) for a zero-copy append and returns
// the handle chunkbuf passes to chunkbufGoUnpin once it no longer
// references the bytes.
func pin(p []byte) cgo.Handle {
	var pinner runtime.Pinner
	pinner.Pin(&p[0])
	return cgo.NewHandle(&pinner)
}

// unpin releases a pin that chunkbuf did not take over.
func unpin(h cgo.Handle) {
	h.Value().(*runtime.Pinner).Unpin()
	h.Delete()
}

// chunkbufGoUnpin is the chunkbuf_free_fn of pinned appends (cwrap.c). It
// may run on any thread, from whichever call drops the last reference.
//
//export chunkbufGoUnpin
func chunkbufGoUnpin(userData unsafe.Pointer) { unpin(cgo.Handle(uintptr(userData))) }
