package chunkbuf

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"testing"
)

// The streambufs design's behaviours: the empty needle as bytes.Index and
// bytes.LastIndex answer it, and distinct errors for a frame past MaxFrame
// and a Commit without a reservation.

func TestEmptyNeedleFind(t *testing.T) {
	for _, linear := range []bool{false, true} {
		b, err := NewBuffer(BufferOptions{Linear: linear})
		must(t, err)
		for _, part := range []string{"abc", "abc", "ab"} {
			must(t, b.AppendRef([]byte(part)))
		}
		hay := []byte("abcabcab")
		for _, r := range []struct{ start, end, first, last int }{
			{0, -1, 0, 8}, {3, -1, 3, 8}, {8, -1, 8, 8}, {9, -1, -1, -1}, {2, 5, 2, 5}, {5, 2, -1, -1}, {0, 100, 0, 8},
		} {
			first, err := b.Find(nil, r.start, r.end)
			must(t, err)
			last, err := b.RFind([]byte{}, r.start, r.end)
			must(t, err)
			if first != r.first || last != r.last {
				t.Errorf("linear %v [%d, %d): Find %d RFind %d, want %d %d", linear, r.start, r.end, first, last,
					r.first, r.last)
			}
		}
		if got := bytes.LastIndex(hay, nil); got != 8 {
			t.Fatalf("bytes.LastIndex %d", got)
		}
		if !b.Equal(hay) {
			t.Fatal("find changed the buffer")
		}
		b.Close()
	}
}

func TestEmptyNeedleInViewAndStream(t *testing.T) {
	b, err := NewBuffer(BufferOptions{})
	must(t, err)
	defer b.Close()
	_, err = b.WriteString("hello")
	must(t, err)
	v, err := b.SplitTo(5)
	must(t, err)
	defer v.Release()
	if p, err := v.Find(nil, 4, -1); err != nil || p != 4 {
		t.Fatalf("View.Find(\"\", 4) = %d, %v", p, err)
	}
	if p, err := v.Find(nil, 6, -1); err != nil || p != -1 {
		t.Fatalf("View.Find(\"\", 6) = %d, %v", p, err)
	}
	s, err := NewStream(StreamOptions{})
	must(t, err)
	defer s.Release()
	_, err = s.Write([]byte("abcdef"))
	must(t, err)
	two := make([]byte, 2)
	_, err = s.Read(two)
	must(t, err)
	if p, err := s.Find(nil, 1, -1); err != nil || p != 1 {
		t.Fatalf("Stream.Find(\"\", 1) = %d, %v", p, err)
	}
	if p, err := s.Find(nil, 5, -1); err != nil || p != -1 {
		t.Fatalf("Stream.Find(\"\", 5) = %d, %v", p, err)
	}
}

func TestFrameLimitIsNotBufferLimit(t *testing.T) {
	f, err := NewDelimiterFramer(DelimiterFramerOptions{Delimiters: [][]byte{[]byte("\n")}, MaxFrame: 3})
	must(t, err)
	defer f.Close()
	b, err := NewBuffer(BufferOptions{MaxBytes: 6})
	must(t, err)
	defer b.Close()
	_, err = b.WriteString("abcd\n")
	must(t, err)
	_, err = f.Next(b, false)
	if !errors.Is(err, ErrFrameLimit) || !errors.Is(err, ErrLimit) {
		t.Fatalf("framer: %v, want ErrFrameLimit matching ErrLimit", err)
	}
	_, err = b.WriteString("xy")
	if !errors.Is(err, ErrLimit) || errors.Is(err, ErrFrameLimit) {
		t.Fatalf("MaxBytes: %v, want ErrLimit only", err)
	}
	if !b.Equal([]byte("abcd\n")) {
		t.Fatal("a refused call moved bytes")
	}
	if errors.Is(ErrLimit, ErrFrameLimit) || errors.Is(ErrState, ErrFrameLimit) {
		t.Fatal("the broad code must not match the narrow one")
	}
}

func TestNoReserveIsNotReservationOpen(t *testing.T) {
	b, err := NewBuffer(BufferOptions{})
	must(t, err)
	defer b.Close()
	err = b.Commit(0)
	if !errors.Is(err, ErrNoReserve) || !errors.Is(err, ErrState) {
		t.Fatalf("Commit without Reserve: %v", err)
	}
	p, err := b.Reserve(4)
	must(t, err)
	_, err = b.WriteString("x")
	if !errors.Is(err, ErrState) || errors.Is(err, ErrNoReserve) {
		t.Fatalf("write during a reservation: %v", err)
	}
	copy(p, "ok")
	must(t, b.Commit(2))
	if !b.Equal([]byte("ok")) {
		t.Fatal("commit")
	}
}

func TestPrepend(t *testing.T) {
	for _, linear := range []bool{false, true} {
		b, err := NewBuffer(BufferOptions{Linear: linear, MaxBytes: 12})
		must(t, err)
		_, err = b.WriteString("body")
		must(t, err)
		must(t, b.Prepend([]byte(": ")))
		src, err := NewBuffer(BufferOptions{})
		must(t, err)
		must(t, src.AppendRef([]byte("he")))
		must(t, src.AppendRef([]byte("ad")))
		v, err := src.SplitTo(4)
		must(t, err)
		segs := b.SegmentCount()
		must(t, b.PrependView(v))
		if !b.Equal([]byte("head: body")) {
			t.Fatalf("linear %v: got %d bytes", linear, b.Len())
		}
		if !linear && b.SegmentCount() != segs+2 {
			t.Fatalf("the view's two segments should be in front: %d segments, had %d", b.SegmentCount(), segs)
		}
		if err := b.Prepend([]byte("xyz")); !errors.Is(err, ErrLimit) {
			t.Fatalf("past MaxBytes: %v", err)
		}
		if err := b.PrependView(v); !errors.Is(err, ErrLimit) {
			t.Fatalf("view past MaxBytes: %v", err)
		}
		_, err = b.Reserve(1)
		must(t, err)
		if err := b.Prepend([]byte("q")); !errors.Is(err, ErrState) || errors.Is(err, ErrNoReserve) {
			t.Fatalf("during a reservation: %v", err)
		}
		must(t, b.Commit(0))
		if !b.Equal([]byte("head: body")) {
			t.Fatal("a refused prepend moved bytes")
		}
		v.Release()
		src.Close()
		b.Close()
	}
}

func TestPolicyReaderOverABuffer(t *testing.T) {
	b, err := NewBuffer(BufferOptions{})
	must(t, err)
	defer b.Close()
	_, err = b.WriteString("abcdef")
	must(t, err)
	r := b.NewPolicyReader(ShortRaise)
	p := make([]byte, 4)
	if n, err := r.Read(p); err != nil || string(p[:n]) != "abcd" {
		t.Fatalf("raise: %q, %v", p[:n], err)
	}
	if _, err := r.Read(make([]byte, 3)); !errors.Is(err, ErrNeedMore) || b.Len() != 2 {
		t.Fatalf("raise short: %v, %d left", err, b.Len())
	}
	all, err := io.ReadAll(b.NewPolicyReader(ShortPartial))
	if err != nil || string(all) != "ef" {
		t.Fatalf("partial: %q, %v", all, err)
	}
	if _, err := b.NewPolicyReader(ShortBlock).Read(p); !errors.Is(err, ErrInval) {
		t.Fatalf("block on a Buffer: %v", err)
	}
}

func TestPolicyReaderOverAStream(t *testing.T) {
	s, err := NewStream(StreamOptions{})
	must(t, err)
	defer s.Release()
	p := make([]byte, 4)
	if _, err := s.NewPolicyReader(nil, ShortPartial).Read(p); !errors.Is(err, ErrAgain) {
		t.Fatalf("partial with nothing: %v", err)
	}
	_, err = s.WriteString("abc")
	must(t, err)
	if _, err := s.NewPolicyReader(nil, ShortRaise).Read(p); !errors.Is(err, ErrNeedMore) || s.Buffered() != 3 {
		t.Fatalf("raise short: %v, %d buffered", err, s.Buffered())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.NewPolicyReader(ctx, ShortBlock).Read(p); !errors.Is(err, context.Canceled) || s.Buffered() != 3 {
		t.Fatalf("block with a done context: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		q := make([]byte, 6)
		n, err := s.NewPolicyReader(context.Background(), ShortBlock).Read(q)
		if err != nil {
			got <- err.Error()
			return
		}
		got <- string(q[:n])
	}()
	for s.WaitingReaders() < 1 { // the engine's count of blocked readers
		runtime.Gosched()
	}
	_, err = s.WriteString("def")
	must(t, err)
	if v := <-got; v != "abcdef" {
		t.Fatalf("block: %q", v)
	}
	_, err = s.WriteString("g")
	must(t, err)
	must(t, s.Close())
	raise := s.NewPolicyReader(nil, ShortRaise)
	if n, err := raise.Read(p); err != nil || string(p[:n]) != "g" {
		t.Fatalf("raise at EOF: %q, %v", p[:n], err)
	}
	if _, err := raise.Read(p); err != io.EOF {
		t.Fatalf("after EOF: %v", err)
	}
}
