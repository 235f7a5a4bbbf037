package chunkbuf

// #include "cwrap.h"
// #include "wait.h"
import "C"

import (
	"context"
	"io"
	"runtime"
)

// ReadPolicy says what a [PolicyReader]'s Read does when fewer bytes than
// len(p) are there (the streambufs design's file-like adapters). The
// policy is applied by libchunkbuf, the same in every language.
type ReadPolicy int

const (
	// ShortRaise fails with [ErrNeedMore] and consumes nothing (a Stream
	// at EOF gives what is left, then io.EOF).
	ShortRaise ReadPolicy = C.CHUNKBUF_SHORT_RAISE
	// ShortPartial reads what is there without waiting; a Stream with
	// nothing yet fails with [ErrAgain].
	ShortPartial ReadPolicy = C.CHUNKBUF_SHORT_PARTIAL
	// ShortBlock waits on a Stream for len(p) bytes or EOF, honouring the
	// reader's context; a Buffer has no writer to wait for ([ErrInval]).
	ShortBlock ReadPolicy = C.CHUNKBUF_SHORT_BLOCK
)

// PolicyReader is an io.Reader over a [Buffer] or a [Stream] with an
// explicit [ReadPolicy]. Read returns io.EOF once nothing is left (a
// Buffer: empty; a Stream: end of file). The writing side needs no
// adapter: Buffer and Stream are io.Writers.
type PolicyReader struct {
	read func(p []byte) (int, error)
}

// NewPolicyReader returns a reader of b's bytes with the given policy.
func (b *Buffer) NewPolicyReader(policy ReadPolicy) *PolicyReader {
	return &PolicyReader{read: func(p []byte) (int, error) { return b.readPolicy(p, policy) }}
}

// NewPolicyReader returns a reader of s's bytes with the given policy; a
// ShortBlock read gives up with ctx.Err() once ctx is done (ctx may be
// nil: wait for ever).
func (s *Stream) NewPolicyReader(ctx context.Context, policy ReadPolicy) *PolicyReader {
	return &PolicyReader{read: func(p []byte) (int, error) { return s.readPolicy(ctx, p, policy) }}
}

// Read fills p as the policy says; nothing is consumed on an error.
func (r *PolicyReader) Read(p []byte) (int, error) {
	got, err := r.read(p)
	if err == nil && got == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return got, err
}

func (b *Buffer) readPolicy(p []byte, policy ReadPolicy) (int, error) {
	const op = "PolicyReader.Read"
	h, err := b.handle(op)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(b)
	d, n := bytesArg(p)
	var got C.size_t
	var msg *C.char
	if err := check(op, C.cbw_buffer_read_policy(h, d, n, C.int(policy), &got, &msg), msg); err != nil {
		return 0, err
	}
	return int(got), nil
}

func (s *Stream) readPolicy(ctx context.Context, p []byte, policy ReadPolicy) (int, error) {
	const op = "PolicyReader.Read"
	if policy == ShortBlock { // the one policy that waits: parked, as ReadFull
		return s.readInto(ctx, op, p, len(p))
	}
	h, err := s.acquire(op)
	if err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	if ctx != nil {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
	}
	if len(p) == 0 {
		return 0, nil
	}
	cl := getCall()
	if cl == nil {
		return 0, outOfMemory(op)
	}
	defer putCall(cl)
	d, n := bytesArg(p)
	if err := cl.err(op, C.cb_read_policy(h, d, n, C.int(policy), cl.c)); err != nil {
		return 0, err
	}
	return int(cl.c.n), nil
}
