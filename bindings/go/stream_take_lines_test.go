package chunkbuf

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// takeAll reads s to EOF with TakeLines, batches of at most cap(recs).
func takeAll(t *testing.T, s *Stream, eol EOL, recs []Record) []string {
	t.Helper()
	var lines []string
	for {
		batch, err := s.TakeLines(eol, 0, recs)
		if err == io.EOF {
			return lines
		}
		must(t, err)
		if batch.Len() == 0 || batch.Len() > cap(recs) {
			t.Fatalf("a batch of %d lines (room for %d)", batch.Len(), cap(recs))
		}
		for _, line := range batch.All() {
			lines = append(lines, string(line))
		}
		batch.Release()
	}
}

// TestStreamTakeLinesEveryEOL: the Buffer's end-of-line styles as the
// bytes arrive, in batches of one and of many.
func TestStreamTakeLinesEveryEOL(t *testing.T) {
	for _, c := range eolCases {
		for _, room := range []int{1, 64} {
			t.Run(fmt.Sprintf("%s/%d", c.name, room), func(t *testing.T) {
				s := newStream(t, StreamOptions{})
				writePieces(t, s, c.eol, c.data)
				if got := takeAll(t, s, c.eol, make([]Record, 0, room)); !slices.Equal(got, c.want) {
					t.Fatalf("lines %q, want %q", got, c.want)
				}
			})
		}
	}
}

// TestStreamTakeLinesAcrossBlocks: lines written in pieces that do not
// line up with them, many blocks' worth: every line comes whole (those
// that straddle two blocks copied once), and Batch.Bytes agrees with
// Batch.All.
func TestStreamTakeLinesAcrossBlocks(t *testing.T) {
	var want []string
	var data strings.Builder
	for i := range 5000 {
		line := fmt.Sprintf("%d:%s", i, strings.Repeat("x", i%300))
		want = append(want, line)
		data.WriteString(line + "\r\n")
	}
	s := newStream(t, StreamOptions{})
	go func() {
		d := data.String()
		for i := 0; i < len(d); i += 1000 {
			if _, err := s.WriteString(d[i:min(i+1000, len(d))]); err != nil {
				t.Error(err)
				return
			}
		}
		s.Close()
	}()
	recs := make([]Record, 0, 100)
	var got []string
	for {
		batch, err := s.TakeLines(EOLCRLF, 0, recs)
		if err == io.EOF {
			break
		}
		must(t, err)
		for i, line := range batch.All() {
			if b := batch.Bytes(i); string(b) != string(line) {
				t.Fatalf("Bytes(%d) = %q, All gave %q", i, b, line)
			}
			got = append(got, string(line))
		}
		batch.Release()
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %d lines, want %d, or some differ", len(got), len(want))
	}
}

// TestStreamTakeLinesLimitAndErrors: a line longer than maxLen is ErrLimit
// with nothing consumed; a bad eol, a record slice with no room and a
// negative maxLen are ErrInval; an aborted stream is ErrAborted.
func TestStreamTakeLinesLimitAndErrors(t *testing.T) {
	s := newStream(t, StreamOptions{})
	_, err := s.WriteString("short\nmuch longer\nx")
	must(t, err)
	must(t, s.Close())
	recs := make([]Record, 0, 8)
	batch, err := s.TakeLines(EOLLF, 5, recs)
	must(t, err)
	if batch.Len() != 1 || string(batch.Bytes(0)) != "short" {
		t.Fatalf("first batch: %d lines", batch.Len())
	}
	batch.Release()
	_, err = s.TakeLines(EOLLF, 5, recs)
	wantErr(t, err, ErrLimit)
	if s.Buffered() != len("much longer\nx") {
		t.Fatalf("ErrLimit consumed bytes: %d left", s.Buffered())
	}
	_, err = s.TakeLines(EOL(42), 0, recs)
	wantErr(t, err, ErrInval)
	_, err = s.TakeLines(EOLLF, 0, nil)
	wantErr(t, err, ErrInval)
	_, err = s.TakeLines(EOLLF, -1, recs)
	wantErr(t, err, ErrInval)
	if got := takeAll(t, s, EOLLF, recs); !slices.Equal(got, []string{"much longer", "x"}) {
		t.Fatalf("the rest: %q", got)
	}
	a := newStream(t, StreamOptions{})
	must(t, a.Abort(5))
	_, err = a.TakeLines(EOLLF, 0, recs)
	wantErr(t, err, ErrAborted)
}
