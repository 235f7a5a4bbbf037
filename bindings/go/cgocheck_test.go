package chunkbuf

import (
	"testing"
)

// holder is Go memory that holds a pointer next to a byte array, as
// readers and writers of the standard library do (gzip.Reader, ...).
type holder struct {
	next *holder
	buf  [16]byte
}

// TestSlicesInsideStructsWithPointers passes such arrays to every kind of
// call; the cgo pointer check (on by default) panics if the binding hands
// C a pointer it judges by the enclosing object.
func TestSlicesInsideStructsWithPointers(t *testing.T) {
	h := &holder{next: &holder{}}
	copy(h.buf[:], "0123456789abcdef")
	b := newBuffer(t, BufferOptions{})
	_, err := b.Write(h.buf[:])
	must(t, err)
	n, err := b.Read(h.next.buf[:4])
	if n != 4 || err != nil || string(h.next.buf[:4]) != "0123" {
		t.Fatalf("Buffer.Read = %d, %v", n, err)
	}
	if pos, _ := b.Find(h.buf[5:7], 0, -1); pos != 1 {
		t.Fatalf("Find = %d", pos)
	}
	v, err := NewView(nil, h.buf[:])
	must(t, err)
	defer v.Release()
	if _, err := v.ReadAt(h.next.buf[:], 0); err != nil || !v.Equal(h.next.buf[:]) {
		t.Fatalf("View.ReadAt: %v", err)
	}
	s := newStream(t, StreamOptions{})
	_, err = s.Write(h.buf[:])
	must(t, err)
	if n, err := s.Read(h.next.buf[:]); n != 16 || err != nil {
		t.Fatalf("Stream.Read = %d, %v", n, err)
	}
	must(t, b.Prepend(h.buf[:2]))
	r := b.NewPolicyReader(ShortRaise)
	if n, err := r.Read(h.next.buf[:6]); n != 6 || err != nil || string(h.next.buf[:6]) != "014567" {
		t.Fatalf("PolicyReader.Read = %d, %v, %q", n, err, h.next.buf[:6])
	}
}
