package chunkbuf

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"testing"
)

// recordStrings returns the records of b as strings.
func recordStrings(b Batch) []string {
	var out []string
	for i := range b.Len() {
		out = append(out, string(b.Bytes(i)))
	}
	return out
}

// allStrings returns the records of b as strings, through All.
func allStrings(t *testing.T, b Batch) []string {
	t.Helper()
	var out []string
	for i, rec := range b.All() {
		if i != len(out) {
			t.Fatalf("All gave record %d after %d records", i, len(out))
		}
		out = append(out, string(rec))
	}
	return out
}

// wantRecords checks the records of b through Bytes and through All.
func wantRecords(t *testing.T, b Batch, want ...string) {
	t.Helper()
	if got := recordStrings(b); !slices.Equal(got, want) {
		t.Fatalf("records %q, want %q", got, want)
	}
	if got := allStrings(t, b); !slices.Equal(got, want) {
		t.Fatalf("records through All %q, want %q", got, want)
	}
}

// TestBatchOverSeveralSegments takes batches whose view spans two adopted
// segments, with a record crossing between them. TakeLines hands each line
// out where it lies and copies only the line that crosses (the batch is
// not flattened); the other batch calls make the view's bytes contiguous
// in the same call into C.
func TestBatchOverSeveralSegments(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	first, second := []byte("ab\ncd"), []byte("ef\ngh\nij")
	must(t, b.AppendRef(first))
	must(t, b.AppendRef(second))
	batch, err := b.TakeLines(EOLLF, 0, make([]Record, 0, 8))
	must(t, err)
	wantRecords(t, batch, "ab", "cdef", "gh")
	if &batch.Bytes(0)[0] != &first[0] || &batch.Bytes(2)[0] != &second[3] {
		t.Fatal("a line inside one segment was copied")
	}
	if batch.View.r.flat.Load() != nil {
		t.Fatal("the batch was flattened")
	}
	// "ab\n", the copy of "cdef", "\ngh\n"
	if segs, err := batch.View.Segments(); err != nil || len(segs) != 3 {
		t.Fatalf("batch view of %d segments (%v), want 3", len(segs), err)
	}
	if got := string(batch.View.Bytes()); got != "ab\ncdef\ngh\n" {
		t.Fatalf("View.Bytes = %q", got)
	}
	batch.Release()
	if batch.Bytes(1) != nil || batch.View.Bytes() != nil {
		t.Fatal("Bytes after Release")
	}

	// The rest, with a delimiter of two bytes that crosses segments.
	must(t, b.AppendRef([]byte("|")))
	must(t, b.AppendRef([]byte("|kl||")))
	batch, err = b.TakeRecords([]byte("||"), 0, make([]Record, 0, 8))
	must(t, err)
	wantRecords(t, batch, "ij", "kl")
	batch.Release()

	// One segment: no copy, the records alias the buffer's block.
	_, err = b.WriteString("one\ntwo\n")
	must(t, err)
	batch, err = b.TakeLines(EOLLF, 0, make([]Record, 0, 8))
	must(t, err)
	wantRecords(t, batch, "one", "two")
	if batch.View.r.flat.Load() != nil {
		t.Fatal("a contiguous copy of a one-segment batch")
	}
	batch.Release()
}

// All stops where the loop breaks, and at a Release inside the loop.
func TestBatchAllStops(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	_, err := b.WriteString("a\nb\nc\nd\n")
	must(t, err)
	batch, err := b.TakeLines(EOLLF, 0, make([]Record, 0, 8))
	must(t, err)
	var seen []string
	for i, rec := range batch.All() {
		seen = append(seen, string(rec))
		if i == 1 {
			break
		}
	}
	if !slices.Equal(seen, []string{"a", "b"}) {
		t.Fatalf("with a break: %q", seen)
	}
	seen = seen[:0]
	for i, rec := range batch.All() {
		seen = append(seen, string(rec))
		if i == 2 {
			batch.Release()
		}
	}
	if !slices.Equal(seen, []string{"a", "b", "c"}) {
		t.Fatalf("with a Release in the loop: %q", seen)
	}
	for range batch.All() {
		t.Fatal("a released batch gave a record")
	}
	for range (Batch{}).All() {
		t.Fatal("the zero Batch gave a record")
	}
}

func TestStreamReadLinesOverSeveralSegments(t *testing.T) {
	s := newStream(t, StreamOptions{})
	must(t, s.WriteRef([]byte("ab\ncd")))
	must(t, s.WriteRef([]byte("ef\ngh")))
	must(t, s.Close())
	recs := make([]Record, 0, 8)
	batch, err := s.ReadLines(recs)
	must(t, err)
	wantRecords(t, batch, "ab", "cdef", "gh")
	if batch.Records[2].DelimLength != 0 {
		t.Fatalf("last record %+v", batch.Records[2])
	}
	batch.Release()
	if _, err := s.ReadLines(recs); err != io.EOF {
		t.Fatalf("ReadLines at EOF: %v", err)
	}
}

func TestFramerBatchOverSeveralSegments(t *testing.T) {
	f, err := NewLengthFramer(LengthFramerOptions{LengthWidth: 1, Strip: 1})
	must(t, err)
	defer f.Close()
	b := newBuffer(t, BufferOptions{})
	must(t, b.AppendRef([]byte("\x03ab")))
	must(t, b.AppendRef([]byte("c\x02de")))
	batch, err := f.NextBatch(b, false, make([]Record, 0, 8))
	must(t, err)
	wantRecords(t, batch, "abc", "de")
	batch.Release()
}

// TestHotPathsDoNotAllocate: stream writes and reads, buffer writes, reads
// and advances return their results by value (no Go variable escapes to
// the heap for C to write into).
func TestHotPathsDoNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	p := bytes.Repeat([]byte("x"), 1000)
	q := make([]byte, 1000)
	s := newStream(t, StreamOptions{})
	if n := testing.AllocsPerRun(100, func() {
		s.Write(p)
		s.Read(q)
		s.WriteString("y\n")
		s.ReadFull(q[:2])
		s.Write(p)
		s.ReadNonblock(q)
	}); n != 0 {
		t.Errorf("Stream Write/Read: %v allocations", n)
	}
	b := newBuffer(t, BufferOptions{})
	if n := testing.AllocsPerRun(100, func() {
		b.Write(p)
		b.Read(q[:500])
		b.Advance(500)
	}); n != 0 {
		t.Errorf("Buffer Write/Read/Advance: %v allocations", n)
	}
	recs := make([]Record, 0, 4)
	if n := testing.AllocsPerRun(100, func() {
		b.Write(p[:10])
		if batch, _ := b.TakeLines(EOLLF, 0, recs); batch.Len() != 0 {
			t.Fatal("a line without LF")
		}
		b.Advance(10)
	}); n != 0 {
		t.Errorf("Buffer.TakeLines finding nothing: %v allocations", n)
	}
}

// TestTakeLinesBatchesStayValid keeps every batch of a buffer fed in 3-byte
// pieces (nearly every line straddles pieces, so most are copied and most
// lines start a run of their own) and checks them all at the end: later
// batches never disturb earlier ones, across many run slabs and view
// groups, and each line is found by its offset.
func TestTakeLinesBatchesStayValid(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	var want []string
	var data []byte
	for i := range 6000 {
		line := strconv.Itoa(i * 7919)
		want = append(want, line)
		data = append(data, line...)
		data = append(data, '\n')
	}
	var batches []Batch
	for off := 0; off < len(data); off += 3 {
		must(t, b.AppendRef(data[off:min(off+3, len(data))]))
		for {
			// a new record slice each time: every batch is kept
			batch, err := b.TakeLines(EOLLF, 0, make([]Record, 0, 9))
			must(t, err)
			batches = append(batches, batch)
			if !batch.Full() {
				break
			}
		}
	}
	var got, all []string
	for _, batch := range batches {
		got = append(got, recordStrings(batch)...)
		all = append(all, allStrings(t, batch)...)
		batch.Release()
	}
	if !slices.Equal(all, got) {
		t.Fatalf("All gave %d lines, Bytes %d", len(all), len(got))
	}
	if !slices.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Fatalf("got %d lines, want %d; line %d: %q", len(got), len(want), i, got[i:min(i+3, len(got))])
	}
	if b.Len() != 0 {
		t.Fatalf("%d bytes left", b.Len())
	}
}
