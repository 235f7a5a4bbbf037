package chunkbuf

import (
	"runtime"
	"testing"
	"time"
)

// TestForgottenObjectsGoBackToThePool drops buffers, views and streams
// without Close/Release; once the garbage collector has run the runtime
// cleanups, the pool is back at its baseline.
func TestForgottenObjectsGoBackToThePool(t *testing.T) {
	p := newPool(t)
	base := inUse(t, p)
	forget(t, p)
	if inUse(t, p) == base {
		t.Fatal("nothing was allocated")
	}
	deadline := time.Now().Add(10 * time.Second)
	for inUse(t, p) != base {
		if time.Now().After(deadline) {
			t.Fatalf("bytes in use %d, baseline %d: forgotten objects leak", inUse(t, p), base)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	s, err := p.Stats()
	must(t, err)
	if s.ExternalBlocks != 0 {
		t.Fatalf("%d pinned blocks never released", s.ExternalBlocks)
	}
}

// forget allocates buffers, views (plain and pinned) and streams from p
// and drops them all.
func forget(t *testing.T, p *Pool) {
	for range 50 {
		b, err := NewBuffer(BufferOptions{Pool: p})
		must(t, err)
		_, err = b.Write(make([]byte, 20000))
		must(t, err)
		must(t, b.AppendRef(make([]byte, 100)))
		_, err = b.SplitTo(15000)
		must(t, err)
		_, err = b.WriteString("a line\nanother\n")
		must(t, err)
		_, err = b.TakeLines(EOLLF, 0, make([]Record, 0, 4))
		must(t, err)
		_, err = NewView(p, make([]byte, 5000))
		must(t, err)
		s, err := NewStream(StreamOptions{Pool: p})
		must(t, err)
		_, err = s.Write(make([]byte, 9000))
		must(t, err)
	}
}
