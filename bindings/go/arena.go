package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"runtime"
	"unsafe"
)

// Arena is scratch memory (the FASTQ module's Arena): Alloc hands out
// slices of one pool block, Reset reclaims them all at once. The slices
// alias C memory: they are valid until the next Reset or Close, and must
// not be used after it. A slice does not keep the Arena alive: keep the
// Arena reachable (or call Close after the last use) while you use its
// slices, since a collected Arena's block goes back to the pool and a slice
// kept from it would show, and write into, another user's bytes. One
// goroutine at a time.
type Arena struct {
	h       *C.chunkbuf_arena
	cleanup runtime.Cleanup
}

// NewArena creates an arena of capacity bytes (1 byte .. 1 GiB) in one
// block of pool (nil: [DefaultPool]).
func NewArena(pool *Pool, capacity int) (*Arena, error) {
	const op = "NewArena"
	ph, err := pool.handle(op)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(pool)
	c, err := size(op, "capacity", capacity)
	if err != nil {
		return nil, err
	}
	var h *C.chunkbuf_arena
	var msg *C.char
	if err := check(op, C.cbw_arena_new(ph, c, &h, &msg), msg); err != nil {
		return nil, err
	}
	a := &Arena{h: h}
	a.cleanup = runtime.AddCleanup(a, func(h *C.chunkbuf_arena) { C.chunkbuf_arena_free(h) }, h)
	return a, nil
}

func (a *Arena) handle(op string) (*C.chunkbuf_arena, error) {
	if a == nil || a.h == nil {
		return nil, released(op)
	}
	return a.h, nil
}

// Alloc returns n (>= 1) writable bytes aligned to align (a power of two
// up to 4096; 0 means 1); ErrLimit when they do not fit.
func (a *Arena) Alloc(n, align int) ([]byte, error) {
	const op = "Arena.Alloc"
	h, err := a.handle(op)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(a)
	cn, err := size(op, "n", n)
	if err != nil {
		return nil, err
	}
	al, err := size(op, "align", align)
	if err != nil {
		return nil, err
	}
	var p unsafe.Pointer
	var msg *C.char
	if err := check(op, C.cbw_arena_alloc(h, cn, al, &p, &msg), msg); err != nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(p), n), nil
}

// Reset reclaims every allocation at once: slices from Alloc are invalid.
func (a *Arena) Reset() error {
	const op = "Arena.Reset"
	h, err := a.handle(op)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(a)
	var msg *C.char
	return check(op, C.cbw_arena_reset(h, &msg), msg)
}

// Used returns the bytes handed out since the last Reset (alignment
// included) and Capacity the arena's size; both 0 once closed.
func (a *Arena) Used() int {
	u, _ := a.usage()
	return u
}

// Capacity returns the arena's size in bytes.
func (a *Arena) Capacity() int {
	_, c := a.usage()
	return c
}

func (a *Arena) usage() (int, int) {
	h, err := a.handle("Arena.usage")
	if err != nil {
		return 0, 0
	}
	defer runtime.KeepAlive(a)
	var u, c C.size_t
	var msg *C.char
	if check("Arena.usage", C.cbw_arena_usage(h, &u, &c, &msg), msg) != nil {
		return 0, 0
	}
	return int(u), int(c)
}

// Close gives the block back to the pool. Idempotent.
func (a *Arena) Close() error {
	if a == nil || a.h == nil {
		return nil
	}
	a.cleanup.Stop()
	C.chunkbuf_arena_free(a.h)
	a.h = nil
	return nil
}
