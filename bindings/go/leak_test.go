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

// A Buffer that stays in use: the batches it handed out and nobody
// released go back to the pool once their group of 64 is used up, not
// only when the Buffer goes.
func TestForgottenBatchesOfALiveBufferGoBackToThePool(t *testing.T) {
	p := newPool(t)
	b := newBuffer(t, BufferOptions{Pool: p})
	base := inUse(t, p)
	line := string(make([]byte, 30000)) + "\n"
	for range viewGroupLen {
		_, err := b.WriteString(line)
		must(t, err)
		_, err = b.TakeLines(EOLLF, 0, make([]Record, 0, 1)) // forgotten
		must(t, err)
	}
	peak := inUse(t, p)
	deadline := time.Now().Add(10 * time.Second)
	for inUse(t, p) > base+64<<10 { // what the buffer itself may hold
		if time.Now().After(deadline) {
			t.Fatalf("bytes in use %d (peak %d, baseline %d): a live buffer's forgotten batches leak",
				inUse(t, p), peak, base)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	_, err := b.WriteString("still in use")
	must(t, err)
}
