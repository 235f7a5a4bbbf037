package chunkbuf

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

// Hostile use from Go: huge sizes, closing under a reservation, released
// views, a closed pipe, adopted memory under limits.

func TestReserveOfAHugeSizeFails(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	for _, n := range []int{math.MaxInt, math.MaxInt - 63, 1 << 62} {
		if _, err := b.Reserve(n); !errors.Is(err, ErrLimit) {
			t.Fatalf("Reserve(%d): %v, want ErrLimit", n, err)
		}
	}
	if _, err := b.Write([]byte("ok")); err != nil {
		t.Fatal(err) // no reservation was left open
	}
}

func TestCloseWithAnOpenReservationIsRefused(t *testing.T) {
	b, err := NewBuffer(BufferOptions{})
	if err != nil {
		t.Fatal(err)
	}
	span, err := b.Reserve(64)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); !errors.Is(err, ErrState) {
		t.Fatalf("Close during a reservation: %v, want ErrState", err)
	}
	copy(span, "still valid") // the race detector and the memory are fine: nothing was freed
	if err := b.Commit(11); err != nil {
		t.Fatal(err)
	}
	if got := b.Len(); got != 11 {
		t.Fatalf("Len %d", got)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestReleasedViewCopyFails(t *testing.T) {
	v, err := NewView(nil, []byte("abc"))
	if err != nil {
		t.Fatal(err)
	}
	v.Release()
	if p, err := v.Copy(); !errors.Is(err, ErrHandle) || p != nil {
		t.Fatalf("Copy after Release: %q %v, want ErrHandle", p, err)
	}
	if s := v.String(); s != releasedText {
		t.Fatalf("String after Release: %q", s)
	}
	e, _ := NewView(nil, nil)
	defer e.Release()
	if p, err := e.Copy(); err != nil || len(p) != 0 {
		t.Fatalf("empty view: %q %v", p, err)
	}
}

func TestWriteToAClosedPipeIsAnError(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	defer w.Close()
	b := newBuffer(t, BufferOptions{})
	b.Write([]byte("nobody reads"))
	if _, err := b.WriteTo(w); err == nil || !strings.Contains(err.Error(), "pipe") {
		t.Fatalf("WriteTo a closed pipe: %v", err)
	}
}

func TestTenantQuotaCountsAdoptedMemory(t *testing.T) {
	p, err := NewPool(PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.SetTenantQuota(6, 4096); err != nil {
		t.Fatal(err)
	}
	b := newBuffer(t, BufferOptions{Pool: p, Tenant: 6})
	if err := b.AppendRef(make([]byte, 1<<20)); !errors.Is(err, ErrLimit) {
		t.Fatalf("AppendRef past the quota: %v", err)
	}
	if used, _ := p.TenantUsage(6); used != 0 {
		t.Fatalf("usage %d after a refused adoption", used)
	}
}
