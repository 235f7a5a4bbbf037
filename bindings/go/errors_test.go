package chunkbuf

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestErrorsCarryCodeAndMessage(t *testing.T) {
	b := newBuffer(t, BufferOptions{MaxBytes: 4})
	_, err := b.Write([]byte("12345"))
	wantErr(t, err, ErrLimit)
	var e *Error
	if !errors.As(err, &e) || e.Op != "Buffer.Write" || e.Code != ErrLimit {
		t.Fatalf("error %#v", err)
	}
	if !strings.Contains(e.Msg, "max_bytes") {
		t.Fatalf("the C detail message is missing: %q", e.Msg)
	}
	if errors.Is(err, ErrRange) {
		t.Fatal("ErrLimit matches ErrRange")
	}
	if ErrTimeout.Error() == ErrLimit.Error() || !ErrTimeout.Timeout() || ErrLimit.Timeout() {
		t.Fatal("Errno names or Timeout are wrong")
	}
}

func TestUseAfterCloseIsAnError(t *testing.T) {
	p, err := NewPool(PoolOptions{})
	must(t, err)
	b, err := NewBuffer(BufferOptions{Pool: p})
	must(t, err)
	_, err = b.WriteString("hello")
	must(t, err)
	v, err := b.SplitTo(2)
	must(t, err)
	s, err := NewStream(StreamOptions{Pool: p})
	must(t, err)

	must(t, p.Close())
	must(t, p.Close())
	_, err = p.Stats()
	wantErr(t, err, ErrHandle)
	_, err = NewBuffer(BufferOptions{Pool: p})
	wantErr(t, err, ErrHandle)
	_, err = NewStream(StreamOptions{Pool: p})
	wantErr(t, err, ErrHandle)
	_, err = NewView(p, []byte("x"))
	wantErr(t, err, ErrHandle)
	wantErr(t, p.Trim(), ErrHandle)

	// The buffer and view keep the pool's memory alive after Close.
	if b.Len() != 3 || v.String() != "he" {
		t.Fatalf("buffer %d bytes, view %q", b.Len(), v.String())
	}

	must(t, b.Close())
	must(t, b.Close())
	if b.Len() != 0 || b.Equal(nil) {
		t.Fatal("closed buffer reports contents")
	}
	for _, err := range []error{
		func() error { _, err := b.Write([]byte("x")); return err }(),
		func() error { _, err := b.Read(make([]byte, 1)); return err }(),
		func() error { _, err := b.TakeLine(EOLLF, 0); return err }(),
		func() error { _, err := b.Find([]byte("x"), 0, -1); return err }(),
		func() error { _, err := b.ReadFrom(strings.NewReader("x")); return err }(),
		func() error { _, err := b.WriteTo(io.Discard); return err }(),
		b.Advance(0),
	} {
		wantErr(t, err, ErrHandle)
	}

	v.Release()
	v.Release()
	if v.Len() != 0 || v.Bytes() != nil || v.Equal([]byte("he")) {
		t.Fatal("released view reports contents")
	}
	_, err = v.Slice(0, 1)
	wantErr(t, err, ErrHandle)
	_, err = v.Clone()
	wantErr(t, err, ErrHandle)
	var nilView *View
	nilView.Release()
	_, err = Concat(nilView)
	wantErr(t, err, ErrHandle)

	s.Release()
	s.Release()
	_, err = s.Write([]byte("x"))
	wantErr(t, err, ErrHandle)
	_, err = s.Read(make([]byte, 1))
	wantErr(t, err, ErrHandle)
	wantErr(t, s.Close(), ErrHandle)
	if s.Buffered() != 0 || s.AtEOF() {
		t.Fatal("released stream reports state")
	}
}

func TestNegativeSizesAreErrors(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	_, err := b.WriteString("abc")
	must(t, err)
	v, err := NewView(nil, []byte("abc"))
	must(t, err)
	defer v.Release()
	s := newStream(t, StreamOptions{})
	for _, err := range []error{
		b.Advance(-1),
		func() error { _, err := b.SplitTo(-1); return err }(),
		func() error { _, err := b.Reserve(-1); return err }(),
		b.Commit(-1),
		func() error { _, err := b.Coalesce(-5); return err }(),
		func() error { _, err := b.Peek(-1); return err }(),
		func() error { _, err := b.PeekUint8(-1); return err }(),
		func() error { _, err := b.TakeLine(EOLLF, -1); return err }(),
		func() error { _, err := b.Find([]byte("a"), -1, -1); return err }(),
		func() error { _, err := b.ReadAt(make([]byte, 1), -1); return err }(),
		func() error { _, err := NewBuffer(BufferOptions{MaxBytes: -1}); return err }(),
		func() error { _, err := NewStream(StreamOptions{ContentLength: -2}); return err }(),
		func() error { _, err := NewPool(PoolOptions{MaxCachedBytesPerClass: -1}); return err }(),
		func() error { _, err := b.TakeLines(EOLLF, 0, nil); return err }(),
		func() error { _, err := v.Slice(-1, 2); return err }(),
		func() error { _, err := v.Find([]byte("a"), -2, -1); return err }(),
		func() error { _, err := v.ReadAt(make([]byte, 1), -1); return err }(),
		func() error { _, err := s.ReadLine(-1); return err }(),
		func() error { _, err := s.Find([]byte("a"), -1, -1); return err }(),
		func() error { _, err := s.ReadLines(nil); return err }(),
		func() error { _, err := s.AppendLine(nil, EOLLF, -1); return err }(),
		func() error { _, err := NewLengthFramer(LengthFramerOptions{LengthWidth: 2, Strip: -1}); return err }(),
	} {
		wantErr(t, err, ErrInval)
	}
	if !b.Equal([]byte("abc")) {
		t.Fatal("a refused call changed the buffer")
	}
}

func TestBadArgumentsReachingC(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	_, err := b.WriteString("a\nb")
	must(t, err)
	_, err = b.TakeLine(EOL(42), 0)
	wantErr(t, err, ErrInval)
	_, err = b.PeekUint16(0, ByteOrder(7))
	wantErr(t, err, ErrInval)
	if pos, err := b.Find(nil, 1, -1); err != nil || pos != 1 { // the empty needle: at start, as bytes.Index
		t.Fatalf("Find(nil, 1) = %d, %v", pos, err)
	}
	_, err = b.Reserve(8)
	must(t, err)
	_, err = b.Write([]byte("x"))
	wantErr(t, err, ErrState)
	_, err = b.Reserve(8)
	wantErr(t, err, ErrState)
	must(t, b.Commit(0))
	wantErr(t, b.Commit(0), ErrNoReserve)
	if !b.Equal([]byte("a\nb")) {
		t.Fatal("failed calls changed the buffer")
	}
}
