package chunkbuf

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// appendLines reads s to EOF with AppendLine, each line into a fresh slice.
func appendLines(t *testing.T, s *Stream, eol EOL) []string {
	t.Helper()
	var lines []string
	for {
		line, err := s.AppendLine(nil, eol, 0)
		if err == io.EOF {
			if line != nil {
				t.Fatalf("AppendLine at EOF returned %q", line)
			}
			return lines
		}
		must(t, err)
		lines = append(lines, string(line))
	}
}

// eolCases: lines in each end-of-line style, the last one at EOF without
// an end of line ("any" takes the whole run of CR and LF that is there).
var eolCases = []struct {
	name string
	eol  EOL
	data string
	want []string
}{
	{"lf", EOLLF, "a\nbb\r\n\nccc", []string{"a", "bb\r", "", "ccc"}},
	{"crlf", EOLCRLF, "a\r\nbb\n\r\nccc", []string{"a", "bb", "", "ccc"}},
	{"crlf_strict", EOLCRLFStrict, "a\r\nb\nb\r\n\r\nc", []string{"a", "b\nb", "", "c"}},
	{"any", EOLAny, "a\r\n\r\nb\n\rc\n", []string{"a", "b", "c"}},
	{"nul", EOLNUL, "a\x00\x00b\nc", []string{"a", "", "b\nc"}},
}

// writePieces writes data to s from another goroutine a byte at a time
// (so a reader waits, parked, for each line), then closes s. "Any" lines
// are written whole: that style ends a line at the run of CR and LF that
// is there (as evbuffer's EOL_ANY does), so a run cut in two is two ends.
func writePieces(t *testing.T, s *Stream, eol EOL, data string) {
	step := 1
	if eol == EOLAny {
		step = len(data)
	}
	go func() {
		for i := 0; i < len(data); i += step {
			if _, err := s.WriteString(data[i:min(i+step, len(data))]); err != nil {
				t.Error(err)
				return
			}
		}
		s.Close()
	}()
}

// TestAppendLineEveryEOL: the Buffer's end-of-line styles as the bytes
// arrive, the last line at EOF without an end of line.
func TestAppendLineEveryEOL(t *testing.T) {
	for _, c := range eolCases {
		t.Run(c.name, func(t *testing.T) {
			s := newStream(t, StreamOptions{})
			writePieces(t, s, c.eol, c.data)
			if got := appendLines(t, s, c.eol); !slices.Equal(got, c.want) {
				t.Fatalf("lines %q, want %q", got, c.want)
			}
		})
	}
}

// TestAppendLineKeepsDstAndGrowsIt: the line goes after dst's bytes; a
// line longer than the room AppendLine makes first (the C call reports
// the room it needs and consumes nothing) comes whole.
func TestAppendLineKeepsDstAndGrowsIt(t *testing.T) {
	s := newStream(t, StreamOptions{})
	long := strings.Repeat("0123456789", 10000)
	_, err := s.WriteString(long + "\r\nshort\r\n")
	must(t, err)
	dst := []byte("prefix:")
	got, err := s.AppendLine(dst, EOLCRLF, 0)
	must(t, err)
	if string(got) != "prefix:"+long {
		t.Fatalf("got %d bytes, want %d", len(got), len("prefix:")+len(long))
	}
	if string(dst) != "prefix:" {
		t.Fatalf("dst changed to %q", dst)
	}
	// room left over from the long line: the next one lands in place
	buf := make([]byte, 0, 64)
	got, err = s.AppendLine(buf, EOLCRLF, 0)
	must(t, err)
	if string(got) != "short" || &got[0] != &buf[:1][0] {
		t.Fatalf("got %q (in dst's memory: %v)", got, &got[0] == &buf[:1][0])
	}
}

// TestAppendLineLimitAndEOF: a line longer than maxLen is ErrLimit with
// nothing consumed and dst as it was; at EOF, io.EOF and dst as it was.
func TestAppendLineLimitAndEOF(t *testing.T) {
	s := newStream(t, StreamOptions{})
	_, err := s.WriteString("abcdef\nxy")
	must(t, err)
	must(t, s.Close())
	dst := []byte("keep")
	got, err := s.AppendLine(dst, EOLLF, 3)
	wantErr(t, err, ErrLimit)
	if string(got) != "keep" || s.Buffered() != len("abcdef\nxy") {
		t.Fatalf("after ErrLimit: %q, %d bytes buffered", got, s.Buffered())
	}
	got, err = s.AppendLine(got, EOLLF, 6)
	must(t, err)
	if string(got) != "keepabcdef" {
		t.Fatalf("got %q", got)
	}
	got, err = s.AppendLine(nil, EOLLF, 0)
	must(t, err)
	if string(got) != "xy" {
		t.Fatalf("last line %q", got)
	}
	got, err = s.AppendLine(dst, EOLLF, 0)
	if err != io.EOF || string(got) != "keep" {
		t.Fatalf("at EOF: %q, %v", got, err)
	}
}

// TestAppendLineErrors: a bad eol is ErrInval; a released stream and an
// aborted one are errors with dst as it was.
func TestAppendLineErrors(t *testing.T) {
	s := newStream(t, StreamOptions{})
	_, err := s.WriteString("line\n")
	must(t, err)
	_, err = s.AppendLine(nil, EOL(42), 0)
	wantErr(t, err, ErrInval)
	if s.Buffered() != 5 {
		t.Fatal("a refused call consumed bytes")
	}
	must(t, s.Abort(7))
	_, err = s.AppendLine(nil, EOLLF, 0)
	wantErr(t, err, ErrAborted)
	r, err := NewStream(StreamOptions{})
	must(t, err)
	r.Release()
	dst := []byte("x")
	got, err := r.AppendLine(dst, EOLLF, 0)
	if err == nil || !bytes.Equal(got, dst) {
		t.Fatalf("AppendLine on a released stream: %q, %v", got, err)
	}
}

// TestAppendLineWaitsForTheWholeLine: a reader parked in AppendLine does
// not return a partial line as the bytes arrive, and a deadline ends the
// wait with nothing consumed.
func TestAppendLineWaitsForTheWholeLine(t *testing.T) {
	s := newStream(t, StreamOptions{})
	_, err := s.WriteString("no end yet")
	must(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.AppendLineContext(ctx, nil, EOLLF, 0); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("AppendLineContext: %v", err)
	}
	done := make(chan string)
	go func() {
		line, err := s.AppendLine(nil, EOLCRLF, 0)
		if err != nil {
			t.Error(err)
		}
		done <- string(line)
	}()
	waitBlocked(t, s, 1, 0)
	_, err = s.WriteString(", still none")
	must(t, err)
	_, err = s.WriteString("\r\nnext")
	must(t, err)
	if got := <-done; got != "no end yet, still none" {
		t.Fatalf("line %q", got)
	}
	if s.Buffered() != len("next") {
		t.Fatalf("%d bytes left", s.Buffered())
	}
}
