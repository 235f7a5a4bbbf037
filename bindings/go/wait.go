package chunkbuf

// #include "wait.h"
import "C"

import (
	"context"
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

// getCall returns a cleared call: wait forever, no token. nil when C is out
// of memory.
func getCall() *call {
	cl, _ := callPool.Get().(*call)
	if cl != nil {
		cl.c.w.timeout_ms = -1
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

func newToken() (*C.chunkbuf_cancel, error) {
	var h *C.chunkbuf_cancel
	if rc := C.chunkbuf_cancel_new(&h); rc < 0 {
		return nil, &Error{Op: "NewStream", Code: Errno(rc), Msg: "no cancel token"}
	}
	return h, nil
}

// armed is what arm set up for one call under a context.
type armed struct {
	tok   *C.chunkbuf_cancel // the call's own token; nil: the stream's
	stop  func() bool        // stops the AfterFunc
	fired chan struct{}      // closed once the AfterFunc fired tok
}

// arm gives the call cl a cancel token: one that fires when ctx is done (a
// goroutine started by context.AfterFunc fires it: no polling), or, for a
// context that can never be done (nil, context.Background), the stream's
// own token, which only Release fires. Every armed call must be disarmed.
func (s *Stream) arm(ctx context.Context, cl *call) (armed, error) {
	if ctx == nil || ctx.Done() == nil {
		cl.c.w.cancel = s.stop
		return armed{}, nil
	}
	if err := ctx.Err(); err != nil {
		return armed{}, err
	}
	tok, err := s.callToken()
	if err != nil {
		return armed{}, err
	}
	a := armed{tok: tok, fired: make(chan struct{})}
	a.stop = context.AfterFunc(ctx, func() {
		C.chunkbuf_cancel_fire(tok)
		close(a.fired)
	})
	cl.c.w.cancel = tok
	return a, nil
}

// disarm ends what arm set up and turns the call's status into its error:
// ctx.Err() when the context cancelled it, the released error when Release
// did, else the C error with its detail.
func (s *Stream) disarm(ctx context.Context, a armed, cl *call, op string, rc C.int) error {
	if a.tok != nil {
		if !a.stop() {
			<-a.fired // the AfterFunc is using the token: it may not be freed yet
		}
		s.dropToken(a.tok)
	}
	switch {
	case rc >= 0:
		return nil
	case rc == C.CHUNKBUF_ECANCELED && ctx != nil && ctx.Err() != nil:
		return ctx.Err()
	case rc == C.CHUNKBUF_ECANCELED || rc == C.CHUNKBUF_EHANDLE:
		return released(op)
	}
	return cl.err(op, rc)
}

// callToken returns a token for one call, registered so Release can fire
// it; the released error once Release has begun.
func (s *Stream) callToken() (*C.chunkbuf_cancel, error) {
	tok, err := newToken()
	if err != nil {
		return nil, err
	}
	s.tokMu.Lock()
	defer s.tokMu.Unlock()
	if s.releasing.Load() {
		C.chunkbuf_cancel_free(tok)
		return nil, released("Stream")
	}
	if s.tokens == nil {
		s.tokens = make(map[*C.chunkbuf_cancel]struct{})
	}
	s.tokens[tok] = struct{}{}
	return tok, nil
}

func (s *Stream) dropToken(tok *C.chunkbuf_cancel) {
	s.tokMu.Lock()
	delete(s.tokens, tok)
	s.tokMu.Unlock()
	C.chunkbuf_cancel_free(tok)
}
