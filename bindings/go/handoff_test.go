package chunkbuf_test

import (
	"errors"
	"io"
	"runtime"
	"testing"
	"time"
	"unsafe"

	chunkbuf "github.com/chunkbuf/chunkbuf/bindings/go"
	"github.com/chunkbuf/chunkbuf/bindings/go/internal/chost"
)

// waitBlocked returns once exactly that many calls are blocked on the C
// stream p, as the engine counts them (never a sleep that hopes).
func waitBlocked(t *testing.T, p unsafe.Pointer, readers, writers int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for { // bounded by the deadline
		r, w := chost.Waiting(p)
		if r == readers && w == writers {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("blocked readers %d writers %d, want %d %d", r, w, readers, writers)
		}
		runtime.Gosched()
	}
}

func TestStreamFromCRejectsBadPointers(t *testing.T) {
	if _, err := chunkbuf.StreamFromC(nil); !errors.Is(err, chunkbuf.ErrHandle) {
		t.Fatalf("nil: %v", err)
	}
	if _, err := chunkbuf.ViewFromC(nil); !errors.Is(err, chunkbuf.ErrHandle) {
		t.Fatalf("nil view: %v", err)
	}
}

// The host lets go first while a Go reader is blocked; Go lets go last.
func TestHandoffHostReleasesFirst(t *testing.T) {
	p := chost.NewStream(0)
	s, err := chunkbuf.StreamFromC(p)
	if err != nil {
		t.Fatal(err)
	}
	if s.CPointer() != p {
		t.Fatal("CPointer is not the host's pointer")
	}
	got := make(chan string, 1)
	go func() {
		b, err := io.ReadAll(s)
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		got <- string(b)
	}()
	waitBlocked(t, p, 1, 0)
	if rc := chost.Write(p, "from C, "); rc != 0 {
		t.Fatalf("host write: %d", rc)
	}
	chost.Release(p) // not the last reference: the reader keeps waiting
	waitBlocked(t, s.CPointer(), 1, 0)
	if _, err := s.Write([]byte("then Go")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if g := <-got; g != "from C, then Go" {
		t.Fatalf("read %q", g)
	}
	s.Release() // the last reference: frees
	if s.CPointer() != nil {
		t.Fatal("CPointer after Release")
	}
}

// Go lets go first while a C reader is blocked; the host lets go last.
func TestHandoffGoReleasesFirst(t *testing.T) {
	p := chost.NewStream(0)
	s, err := chunkbuf.StreamFromC(p)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		data string
		rc   int
	}
	got := make(chan result, 1)
	go func() {
		d, rc := chost.Read(p, 6)
		got <- result{d, rc}
	}()
	waitBlocked(t, p, 1, 0)
	if _, err := s.Write([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	s.Release() // Go's reference goes; the stream stays for the host
	waitBlocked(t, p, 1, 0)
	if rc := chost.Write(p, "def"); rc != 0 {
		t.Fatalf("host write: %d", rc)
	}
	if r := <-got; r.rc != 0 || r.data != "abcdef" {
		t.Fatalf("C reader got %q rc %d", r.data, r.rc)
	}
	chost.Release(p)
}

// The last release, by either side, wakes a reader still blocked.
func TestHandoffLastReleaseWakesBlockedReader(t *testing.T) {
	for _, goLast := range []bool{false, true} {
		p := chost.NewStream(0)
		s, err := chunkbuf.StreamFromC(p)
		if err != nil {
			t.Fatal(err)
		}
		rcs := make(chan int, 1)
		go func() {
			_, rc := chost.Read(p, 4)
			rcs <- rc
		}()
		waitBlocked(t, p, 1, 0)
		if goLast {
			chost.Release(p)
			waitBlocked(t, s.CPointer(), 1, 0)
			s.Release()
		} else {
			s.Release()
			waitBlocked(t, p, 1, 0)
			chost.Release(p)
		}
		if rc := <-rcs; chunkbuf.Errno(rc) != chunkbuf.ErrHandle {
			t.Fatalf("goLast=%v: blocked reader got %d, want EHANDLE", goLast, rc)
		}
	}
}

func TestViewFromCInEitherOrder(t *testing.T) {
	for _, hostFirst := range []bool{true, false} {
		p := chost.NewView("a view made in C")
		v, err := chunkbuf.ViewFromC(p)
		if err != nil {
			t.Fatal(err)
		}
		if v.CPointer() != p {
			t.Fatal("CPointer is not the host's pointer")
		}
		if hostFirst {
			chost.ReleaseView(p)
			if got := string(v.Bytes()); got != "a view made in C" {
				t.Fatalf("after the host let go: %q", got)
			}
			v.Release()
		} else {
			v.Release()
			if got := chost.ViewBytes(p); got != "a view made in C" {
				t.Fatalf("after Go let go: %q", got)
			}
			chost.ReleaseView(p)
		}
	}
}

// A Go read parked in the Go scheduler is woken by a write from a thread
// that Go did not start: the engine's ready callback enters Go there.
func TestParkedReadWokenByACThread(t *testing.T) {
	p := chost.NewStream(0)
	s, err := chunkbuf.StreamFromC(p)
	if err != nil {
		t.Fatal(err)
	}
	defer chost.Release(p)
	defer s.Release()
	type res struct {
		data string
		err  error
	}
	got := make(chan res, 1)
	go func() {
		b := make([]byte, 64)
		n, err := s.Read(b)
		got <- res{string(b[:n]), err}
	}()
	waitBlocked(t, p, 1, 0)
	if rc := chost.WriteOnCThread(p, "from a C thread"); rc != 0 {
		t.Fatalf("C thread write: %d", rc)
	}
	if r := <-got; r.err != nil || r.data != "from a C thread" {
		t.Fatalf("parked read got %q, %v", r.data, r.err)
	}
}
