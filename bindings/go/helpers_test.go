package chunkbuf

import (
	"errors"
	"runtime"
	"testing"
	"time"
)

// newPool returns a private pool closed at the end of the test.
func newPool(t testing.TB) *Pool {
	t.Helper()
	p, err := NewPool(PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// newBuffer returns a buffer closed at the end of the test.
func newBuffer(t testing.TB, opts BufferOptions) *Buffer {
	t.Helper()
	b, err := NewBuffer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// newStream returns a stream released at the end of the test.
func newStream(t testing.TB, opts StreamOptions) *Stream {
	t.Helper()
	s, err := NewStream(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Release)
	return s
}

// must fails the test on err.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr fails the test unless err matches target.
func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}

// inUse returns the pool's bytes in use.
func inUse(t testing.TB, p *Pool) uint64 {
	t.Helper()
	s, err := p.Stats()
	must(t, err)
	return s.BytesInUse
}

// waitBlocked waits until at least readers calls are blocked reading s and
// writers calls are held back writing it, as the engine counts them (so a
// test acts on a call that really waits, not after a sleep that hopes).
func waitBlocked(t testing.TB, s *Stream, readers, writers int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.WaitingReaders() < readers || s.WaitingWriters() < writers {
		if time.Now().After(deadline) {
			t.Fatalf("blocked calls: %d readers, %d writers; want %d, %d",
				s.WaitingReaders(), s.WaitingWriters(), readers, writers)
		}
		runtime.Gosched()
	}
}
