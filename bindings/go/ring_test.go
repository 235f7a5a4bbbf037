package chunkbuf

import (
	"errors"
	"io"
	"testing"
)

func TestRingWrapsAndReportsShortWrites(t *testing.T) {
	r, err := NewRing(4)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, err := r.Write([]byte("abcdef")); n != 4 || !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("Write = %d, %v", n, err)
	}
	p := make([]byte, 3)
	if n, _ := r.Read(p); string(p[:n]) != "abc" {
		t.Fatalf("Read = %q", p[:n])
	}
	if n, err := r.Write([]byte("xyz")); n != 3 || err != nil {
		t.Fatalf("Write after wrap = %d, %v", n, err)
	}
	q := make([]byte, 8)
	if n, _ := r.Peek(q); string(q[:n]) != "dxyz" || r.Len() != 4 || r.Remaining() != 0 || r.Cap() != 4 {
		t.Fatalf("Peek = %q, Len %d Remaining %d Cap %d", q[:n], r.Len(), r.Remaining(), r.Cap())
	}
	if n, _ := r.Read(q); string(q[:n]) != "dxyz" {
		t.Fatalf("Read = %q", q[:n])
	}
	if _, err := r.Read(q); !errors.Is(err, io.EOF) {
		t.Fatalf("Read of an empty ring = %v, want io.EOF", err)
	}
}

func TestRingMisuse(t *testing.T) {
	if _, err := NewRing(0); !errors.Is(err, ErrInval) {
		t.Fatalf("NewRing(0) = %v", err)
	}
	if _, err := NewRing(-1); !errors.Is(err, ErrInval) {
		t.Fatalf("NewRing(-1) = %v", err)
	}
	r, err := NewRing(2)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	r.Close()
	if _, err := r.Write([]byte("a")); !errors.Is(err, ErrHandle) {
		t.Fatalf("Write after Close = %v", err)
	}
	if r.Len() != 0 || r.Cap() != 0 {
		t.Fatal("a closed ring reports sizes")
	}
}

func TestBufferPeekLinesConsumesNothing(t *testing.T) {
	b, err := NewBuffer(BufferOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.Write([]byte("one\r\ntwo\nthr"))
	recs, err := b.PeekLines(EOLCRLF, 0, make([]Record, 0, 8))
	if err != nil || len(recs) != 2 || recs[1].Offset != 5 || recs[1].Length != 3 || recs[0].DelimLength != 2 {
		t.Fatalf("PeekLines = %+v, %v", recs, err)
	}
	if b.Len() != 12 {
		t.Fatalf("PeekLines consumed: %d left", b.Len())
	}
	last := recs[len(recs)-1]
	if err := b.Advance(last.Offset + last.Length + last.DelimLength); err != nil || !b.Equal([]byte("thr")) {
		t.Fatalf("Advance past the peeked lines: %v", err)
	}
	if _, err := b.PeekRecords([]byte("|"), 0, nil); !errors.Is(err, ErrInval) {
		t.Fatalf("PeekRecords without capacity = %v", err)
	}
	if _, err := b.PeekLines(EOLLF, 1, make([]Record, 0, 1)); !errors.Is(err, ErrLimit) {
		t.Fatalf("PeekLines past maxLen = %v", err)
	}
}

func TestBufferBinaryReadersConsumeExactlyOrNothing(t *testing.T) {
	b, err := NewBuffer(BufferOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.AppendRef([]byte{1, 2, 3})
	b.AppendRef([]byte{4, 5, 6, 7})
	if v, err := b.ReadUint8(); v != 1 || err != nil {
		t.Fatalf("ReadUint8 = %d, %v", v, err)
	}
	if v, err := b.ReadUint16(BigEndian); v != 0x0203 || err != nil {
		t.Fatalf("ReadUint16 = %#x, %v", v, err)
	}
	if _, err := b.ReadUint64(LittleEndian); !errors.Is(err, ErrNeedMore) || b.Len() != 4 {
		t.Fatalf("short ReadUint64 = %v, %d left", err, b.Len())
	}
	p := make([]byte, 2)
	if err := b.PeekExact(p); err != nil || p[0] != 4 || b.Len() != 4 {
		t.Fatalf("PeekExact = %v %v", p, err)
	}
	if v, err := b.ReadUint32(LittleEndian); v != 0x07060504 || err != nil {
		t.Fatalf("ReadUint32 = %#x, %v", v, err)
	}
	if err := b.ReadExact(p); !errors.Is(err, ErrNeedMore) {
		t.Fatalf("ReadExact of an empty buffer = %v", err)
	}
	if _, err := b.ReadUint(3, BigEndian); !errors.Is(err, ErrInval) {
		t.Fatalf("ReadUint(3) = %v", err)
	}
}
