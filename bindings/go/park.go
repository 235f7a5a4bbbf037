package chunkbuf

// #include "wait.h"
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A parker is where the goroutine of a Stream call that has to wait parks:
// in the Go scheduler, not in C with its OS thread blocked. The read (or
// the wait for bytes or for room to write) is armed with
// chunkbuf_stream_read_start (wait_start, space_start) and the parker's C
// side; the thread that makes it ready runs the ready callback (cwrap.c)
// under the stream's lock. The engine keeps the state; the goroutine then
// finishes it with chunkbuf_read_op_finish.
//
// A Go Write that makes the read ready notes the parker for itself (the
// callback makes no call from C into Go) and wakes the goroutine once back
// in Go. A write of at least 16 KiB (CB_HANDOFF_MIN, cwrap.c) then hands
// off to the read, as io.Pipe's writer does: it waits on taken until the
// reader has finished the read. The woken reader so runs next on the
// writer's own thread, and its next Read parks before the next write,
// which then lands in its memory directly (one copy per byte, and no
// wake-up of another thread). A smaller write goes on at once, and the
// reader runs beside it. Any other thread (C, Close, Abort) wakes the
// goroutine through chunkbufGoReady.
type parker struct {
	ready chan struct{} // one wake-up, buffered so the callback never blocks
	taken chan struct{} // one per handoff: the read it made ready is finished
	c     *C.cb_parker  // C memory, as the engine keeps a pointer to it
	pin   runtime.Pinner
	// room is the wake-up count of the stream whose wait for room to
	// write parks here (see Stream.parkOn and yieldToWriter), nil for
	// reads and waits for bytes.
	room atomic.Pointer[atomic.Uint32]
}

// parkers: every parker ever made, by slot (copy on write, so the callback
// reads it without a lock), and the idle ones. There are as many as reads
// ever waited at once; they live as long as the process.
var parkers struct {
	all  atomic.Pointer[[]*parker]
	mu   sync.Mutex
	idle []*parker
}

// getParker returns an idle parker; nil when C is out of memory.
func getParker() *parker {
	parkers.mu.Lock()
	defer parkers.mu.Unlock()
	if n := len(parkers.idle); n > 0 {
		pk := parkers.idle[n-1]
		parkers.idle = parkers.idle[:n-1]
		return pk
	}
	c := (*C.cb_parker)(C.calloc(1, C.sizeof_cb_parker))
	if c == nil {
		return nil
	}
	var all []*parker
	if cur := parkers.all.Load(); cur != nil {
		all = append(all, *cur...)
	}
	pk := &parker{ready: make(chan struct{}, 1), taken: make(chan struct{}, 1), c: c}
	all = append(all, pk)
	c.slot = C.uintptr_t(len(all))
	parkers.all.Store(&all)
	return pk
}

// putParker returns pk once its read is finished: no callback can reach it
// any more, so a wake-up left in ready is stale. (A token in taken is not:
// it is a handoff's, and its writer takes it.)
func putParker(pk *parker) {
	select {
	case <-pk.ready:
	default:
	}
	parkers.mu.Lock()
	parkers.idle = append(parkers.idle, pk)
	parkers.mu.Unlock()
}

func parkerAt(slot C.uintptr_t) *parker { return (*parkers.all.Load())[slot-1] }

func (pk *parker) wake() {
	select {
	case pk.ready <- struct{}{}:
	default:
	}
}

// finished is called by the reader after each chunkbuf_read_op_finish of
// its read: when a write's ready callback noted a handoff to it (which,
// under the stream's lock, came before that finish), that writer waits on
// taken. It gets exactly one token per handoff, so the send may wait for
// an earlier handoff's writer to take its token first.
func (pk *parker) finished() {
	if atomic.SwapUint32((*uint32)(unsafe.Pointer(&pk.c.handoff)), 0) != 0 {
		pk.taken <- struct{}{}
	}
}

// handedOff wakes the parked read or wait that the write of c made ready,
// if any, and returns the parker of a read handed off to (see parker), on
// whose taken the writer then waits. (A wait takes no bytes from the
// write: waiting for it would only hold the writer back.)
func handedOff(c *C.cb_call) *parker {
	if c.woke == nil {
		return nil
	}
	pk := parkerAt(c.woke.slot)
	pk.wake()
	if c.handoff == 0 {
		return nil
	}
	return pk
}

// chunkbufGoReady is the ready callback of parked reads outside a Go
// write (cwrap.c).
//
//export chunkbufGoReady
func chunkbufGoReady(slot C.uintptr_t) {
	pk := parkerAt(slot)
	if n := pk.room.Load(); n != nil {
		n.Add(1)
	}
	pk.wake()
}
