package chunkbuf

// #include "wait.h"
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// A parker is where the goroutine of a Stream read that has to wait parks:
// in the Go scheduler, not in C with its OS thread blocked. The read is
// armed with chunkbuf_stream_read_start and the parker's slot; the thread
// that makes it ready (a writer, Close, Abort: any thread, any language)
// runs chunkbufGoReady under the stream's lock, which only sends on ready.
// The engine keeps the read's state; the goroutine then finishes it with
// chunkbuf_read_op_finish.
type parker struct {
	ready chan struct{} // one wake-up, buffered so the callback never blocks
	slot  uintptr       // 1-based index in parkers.all
	pin   runtime.Pinner
}

// parkers: every parker ever made, by slot (copy on write, so the callback
// reads it without a lock), and the idle ones. There are as many as reads
// ever waited at once.
var parkers struct {
	all  atomic.Pointer[[]*parker]
	mu   sync.Mutex
	idle []*parker
}

func getParker() *parker {
	parkers.mu.Lock()
	defer parkers.mu.Unlock()
	if n := len(parkers.idle); n > 0 {
		pk := parkers.idle[n-1]
		parkers.idle = parkers.idle[:n-1]
		return pk
	}
	var all []*parker
	if cur := parkers.all.Load(); cur != nil {
		all = append(all, *cur...)
	}
	pk := &parker{ready: make(chan struct{}, 1)}
	all = append(all, pk)
	pk.slot = uintptr(len(all))
	parkers.all.Store(&all)
	return pk
}

// putParker returns pk once its read is finished: no callback can reach it
// any more, so a wake-up left in ready is stale.
func putParker(pk *parker) {
	select {
	case <-pk.ready:
	default:
	}
	parkers.mu.Lock()
	parkers.idle = append(parkers.idle, pk)
	parkers.mu.Unlock()
}

// parkedWakes counts the wake-ups of parked reads, so a writer can tell
// that its write made one ready.
var parkedWakes atomic.Uint64

// chunkbufGoReady is the ready callback of parked reads (cwrap.c).
//
//export chunkbufGoReady
func chunkbufGoReady(slot C.uintptr_t) {
	parkedWakes.Add(1)
	pk := (*parkers.all.Load())[slot-1]
	select {
	case pk.ready <- struct{}{}:
	default:
	}
}
