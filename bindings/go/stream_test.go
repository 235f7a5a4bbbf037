package chunkbuf

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"testing"
	"time"
)

func TestStreamReadWriteClose(t *testing.T) {
	s := newStream(t, StreamOptions{})
	_, err := s.WriteString("hello\nworld")
	must(t, err)
	if s.Buffered() != 11 || s.AtEOF() {
		t.Fatalf("buffered %d", s.Buffered())
	}
	if pos, err := s.Find([]byte("wor"), 0, -1); pos != 6 || err != nil {
		t.Fatalf("Find = %d, %v", pos, err)
	}
	c, err := s.ReadByte()
	must(t, err)
	line, err := s.ReadLine(0)
	must(t, err)
	if c != 'h' || line.String() != "ello\n" || s.Tell() != 6 {
		t.Fatalf("byte %q line %q tell %d", c, line.String(), s.Tell())
	}
	line.Release()
	must(t, s.Close())
	must(t, s.Close())
	_, err = s.Write([]byte("late"))
	wantErr(t, err, ErrClosed)
	rest, err := io.ReadAll(s)
	must(t, err)
	if string(rest) != "world" || !s.AtEOF() {
		t.Fatalf("rest %q", rest)
	}
	if _, err := s.ReadLine(0); err != io.EOF {
		t.Fatalf("ReadLine at EOF: %v", err)
	}
	if _, err := s.ReadByte(); err != io.EOF {
		t.Fatalf("ReadByte at EOF: %v", err)
	}
	if _, err := s.ReadView(3); err != io.EOF {
		t.Fatalf("ReadView at EOF: %v", err)
	}
}

func TestStreamReadFullAndNonblock(t *testing.T) {
	s := newStream(t, StreamOptions{})
	p := make([]byte, 4)
	_, err := s.ReadNonblock(p)
	wantErr(t, err, ErrAgain)
	go func() {
		// each part arrives while ReadFull waits for more
		for _, part := range []string{"ab", "cd", "ef"} {
			for s.WaitingReaders() == 0 {
				runtime.Gosched()
			}
			_, _ = s.WriteString(part)
		}
		_ = s.Close()
	}()
	n, err := s.ReadFull(p)
	if n != 4 || err != nil || string(p) != "abcd" {
		t.Fatalf("ReadFull = %d, %v, %q", n, err, p)
	}
	n, err = s.ReadFull(p)
	if n != 2 || err != io.ErrUnexpectedEOF || string(p[:2]) != "ef" {
		t.Fatalf("ReadFull at EOF = %d, %v", n, err)
	}
	if n, err := s.ReadNonblock(p); n != 0 || err != io.EOF {
		t.Fatalf("ReadNonblock at EOF = %d, %v", n, err)
	}
}

func TestStreamAbortWakesReaders(t *testing.T) {
	s := newStream(t, StreamOptions{})
	_, err := s.AbortCode()
	wantErr(t, err, ErrState)
	done := make(chan error)
	go func() {
		_, err := s.Read(make([]byte, 8))
		done <- err
	}()
	waitBlocked(t, s, 1, 0)
	must(t, s.Abort(42))
	wantErr(t, <-done, ErrAborted)
	code, err := s.AbortCode()
	if code != 42 || err != nil {
		t.Fatalf("abort code %d, %v", code, err)
	}
	_, err = s.Write([]byte("x"))
	wantErr(t, err, ErrAborted)
}

func TestStreamReleaseWakesBlockedCalls(t *testing.T) {
	s, err := NewStream(StreamOptions{})
	must(t, err)
	done := make(chan error)
	go func() {
		_, err := s.Read(make([]byte, 8))
		done <- err
	}()
	waitBlocked(t, s, 1, 0)
	s.Release()
	if err := <-done; !errors.Is(err, ErrAborted) && !errors.Is(err, ErrHandle) {
		t.Fatalf("blocked read after Release: %v", err)
	}
}

func TestStreamRetainedSeek(t *testing.T) {
	s := newStream(t, StreamOptions{Retain: true, ContentLength: 10})
	_, err := s.Seek(0, io.SeekEnd)
	wantErr(t, err, ErrState)
	_, err = s.WriteString("0123456789")
	must(t, err)
	_, err = s.Write([]byte("x"))
	if !errors.Is(err, ErrLimit) && !errors.Is(err, ErrClosed) {
		t.Fatalf("write past ContentLength: %v", err)
	}
	all, err := io.ReadAll(s)
	must(t, err)
	pos, err := s.Seek(-3, io.SeekEnd)
	must(t, err)
	tail, err := io.ReadAll(s)
	must(t, err)
	if string(all) != "0123456789" || pos != 7 || string(tail) != "789" {
		t.Fatalf("all %q, pos %d, tail %q", all, pos, tail)
	}
	_, err = s.Seek(-1, io.SeekStart)
	wantErr(t, err, ErrRange)

	streaming := newStream(t, StreamOptions{})
	_, err = streaming.Seek(0, io.SeekStart)
	wantErr(t, err, ErrState)
}

func TestStreamReadContext(t *testing.T) {
	s := newStream(t, StreamOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for s.WaitingReaders() == 0 {
			runtime.Gosched()
		}
		cancel()
	}()
	start := time.Now()
	_, err := s.ReadContext(ctx, make([]byte, 4))
	if !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Fatalf("cancelled read: %v after %v", err, time.Since(start))
	}

	ctx, cancel = context.WithTimeout(context.Background(), 25*time.Millisecond)
	defer cancel()
	_, err = s.ReadLineContext(ctx, 0)
	wantErr(t, err, context.DeadlineExceeded)

	// Nothing was consumed by the abandoned reads.
	_, err = s.WriteString("a\nb\n")
	must(t, err)
	line, err := s.ReadLineContext(context.Background(), 0)
	must(t, err)
	defer line.Release()
	batch, err := s.ReadLinesContext(context.Background(), make([]Record, 4))
	must(t, err)
	defer batch.Release()
	if line.String() != "a\n" || batch.Len() != 1 || string(batch.Bytes(0)) != "b" {
		t.Fatalf("line %q, batch %d", line.String(), batch.Len())
	}
	n, err := s.ReadContext(context.Background(), nil)
	if n != 0 || err != nil {
		t.Fatalf("empty read = %d, %v", n, err)
	}
}

func TestStreamBackPressure(t *testing.T) {
	s := newStream(t, StreamOptions{HighWater: 4})
	_, err := s.WriteString("1234")
	must(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err = s.WriteContext(ctx, []byte("5678"))
	wantErr(t, err, context.DeadlineExceeded)
	got := make([]byte, 4)
	_, err = s.ReadFull(got)
	must(t, err)
	_, err = s.WriteContext(context.Background(), []byte("5678"))
	must(t, err)
	_, err = s.ReadFull(got)
	if err != nil || string(got) != "5678" {
		t.Fatalf("after back-pressure: %q, %v", got, err)
	}
}

// A write held at HighWater resumes once reads bring the unread bytes
// down to LowWater, not before.
func TestStreamLowWater(t *testing.T) {
	if _, err := NewStream(StreamOptions{HighWater: 4, LowWater: 4}); !errors.Is(err, ErrInval) {
		t.Fatalf("LowWater not below HighWater: %v", err)
	}
	s := newStream(t, StreamOptions{HighWater: 8, LowWater: 2})
	_, err := s.WriteString("abcdefgh")
	must(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := s.WriteString("X")
		done <- err
	}()
	for deadline := time.Now().Add(10 * time.Second); s.WaitingWriters() == 0 && time.Now().Before(deadline); {
		runtime.Gosched()
	}
	got := make([]byte, 5)
	_, err = s.ReadFull(got)
	must(t, err)
	if w := s.WaitingWriters(); w != 1 {
		t.Fatalf("with 3 bytes unread (LowWater 2): %d writers wait, want 1", w)
	}
	_, err = s.ReadFull(got[:1])
	must(t, err)
	select {
	case err := <-done:
		must(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the held write did not resume at LowWater")
	}
	_, err = s.ReadFull(got[:3])
	if err != nil || string(got[:3]) != "ghX" {
		t.Fatalf("after the held write: %q, %v", got[:3], err)
	}
}

// A parked ReadFull of more than the high-water mark lets writers pass
// the mark until it has its bytes, as a blocked read does.
func TestStreamReadFullPastTheHighWaterMark(t *testing.T) {
	s := newStream(t, StreamOptions{HighWater: 4})
	want := []byte("0123456789abcdef0123456789abcdef")
	got := make([]byte, len(want))
	errs := make(chan error, 1)
	go func() {
		_, err := s.ReadFull(got)
		errs <- err
	}()
	for s.WaitingReaders() < 1 {
		runtime.Gosched()
	}
	for off := 0; off < len(want); off += 4 {
		if _, err := s.Write(want[off : off+4]); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-errs; err != nil || string(got) != string(want) {
		t.Fatalf("ReadFull: %q, %v", got, err)
	}
}

func TestStreamViewsRefsAndWriteTo(t *testing.T) {
	p := newPool(t)
	s := newStream(t, StreamOptions{Pool: p})
	v, err := NewView(p, []byte("view,"))
	must(t, err)
	must(t, s.WriteView(v))
	v.Release()
	must(t, s.WriteRef([]byte("pinned,")))
	_, err = s.WriteString("copied")
	must(t, err)
	must(t, s.Close())
	var out bytes.Buffer
	n, err := s.WriteTo(&out)
	if err != nil || n != 18 || out.String() != "view,pinned,copied" {
		t.Fatalf("WriteTo = %d, %v, %q", n, err, out.String())
	}
	st, err := p.Stats()
	must(t, err)
	if st.ExternalBlocks != 0 {
		t.Fatalf("%d pinned blocks left after reading", st.ExternalBlocks)
	}
	fd, err := s.ReadinessFD()
	if err != nil || fd < 0 {
		t.Fatalf("readiness fd %d, %v", fd, err)
	}
}

// WriteView and WriteRef held back by the high-water mark wake with
// ErrHandle when their Stream object is released, and the stream, shared
// with another object, is not aborted: it holds exactly what was written
// before. WriteViewContext gives up on cancel with nothing written.
func TestZeroCopyWritesWakeOnReleaseWithoutAbort(t *testing.T) {
	v, err := NewView(nil, []byte("blocked"))
	must(t, err)
	defer v.Release()
	for _, name := range []string{"WriteView", "WriteRef", "WriteViewContext"} {
		s := newStream(t, StreamOptions{HighWater: 1})
		other, err := StreamFromC(s.CPointer()) // a second holder of the same stream
		must(t, err)
		_, err = s.WriteString("x")
		must(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			switch name {
			case "WriteView":
				done <- s.WriteView(v)
			case "WriteRef":
				done <- s.WriteRef([]byte("pinned"))
			default:
				done <- s.WriteViewContext(ctx, v)
			}
		}()
		waitBlocked(t, other, 0, 1)
		if name == "WriteViewContext" {
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("%s after cancel: %v", name, err)
			}
			s.Release()
		} else {
			s.Release()
			if err := <-done; !errors.Is(err, ErrHandle) {
				t.Fatalf("%s after Release: %v", name, err)
			}
		}
		cancel()
		if _, err := other.AbortCode(); !errors.Is(err, ErrState) {
			t.Fatalf("%s: the shared stream was aborted: %v", name, err)
		}
		p := make([]byte, 16)
		n, err := other.ReadNonblock(p)
		if n != 1 || p[0] != 'x' || err != nil {
			t.Fatalf("%s: the shared stream holds %q, %v", name, p[:n], err)
		}
		other.Release()
	}
}
