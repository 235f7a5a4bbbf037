package chunkbuf

import (
	"errors"
	"strings"
	"testing"
)

func TestDebugReportListsLiveViews(t *testing.T) {
	if err := DebugTrack(true); err != nil {
		t.Fatal(err)
	}
	defer DebugTrack(false)
	pool, err := NewPool(PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewView(pool, []byte("tracked bytes"))
	if err != nil {
		t.Fatal(err)
	}
	lines, err := DebugReport(pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) == 0 || !strings.Contains(strings.Join(lines, "\n"), "view") {
		t.Fatalf("report of a live view: %q", lines)
	}
	v.Release()
	if lines, err = DebugReport(pool); err != nil || len(lines) != 0 {
		t.Fatalf("report after release: %q, %v", lines, err)
	}
	pool.Close()
	if _, err := DebugReport(pool); !errors.Is(err, ErrHandle) {
		t.Fatalf("report of a closed pool: %v", err)
	}
}
