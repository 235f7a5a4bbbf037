package chunkbuf

import (
	"io"
	"strings"
	"testing"
	"time"
)

// lineReaders are the Stream's line reads, each returning its first line
// without the "\n".
var lineReaders = map[string]func(s *Stream) (string, error){
	"AppendLine": func(s *Stream) (string, error) {
		b, err := s.AppendLine(nil, EOLLF, 0)
		return string(b), err
	},
	"ReadLine": func(s *Stream) (string, error) {
		v, err := s.ReadLine(0)
		if err != nil {
			return "", err
		}
		defer v.Release()
		return strings.TrimSuffix(v.String(), "\n"), nil
	},
	"TakeLines": func(s *Stream) (string, error) {
		b, err := s.TakeLines(EOLLF, 0, make([]Record, 0, 4))
		if err != nil {
			return "", err
		}
		defer b.Release()
		return string(b.Bytes(0)), nil
	},
	"ReadLines": func(s *Stream) (string, error) {
		b, err := s.ReadLines(make([]Record, 0, 4))
		if err != nil {
			return "", err
		}
		defer b.Release()
		return string(b.Bytes(0)), nil
	},
}

// A line reader parks on 100 bytes with no end of line; then those bytes
// go (another reader takes them, or in retained mode the owner seeks past
// them) and a short complete line comes. The parked reader must get it,
// though fewer bytes are unread than it saw.
func TestALineReaderGetsALineThatComesAfterThePartialOneWent(t *testing.T) {
	for name, read := range lineReaders {
		for _, retain := range []bool{false, true} {
			t.Run(name, func(t *testing.T) {
				s := newStream(t, StreamOptions{Retain: retain})
				_, err := s.WriteString(strings.Repeat("x", 100))
				must(t, err)
				type result struct {
					line string
					err  error
				}
				out := make(chan result, 1)
				go func() {
					line, err := read(s)
					out <- result{line, err}
				}()
				waitBlocked(t, s, 1, 0)
				if retain {
					_, err = s.Seek(100, io.SeekCurrent)
				} else {
					_, err = s.ReadFull(make([]byte, 100))
				}
				must(t, err)
				_, err = s.WriteString("ab\n")
				must(t, err)
				select {
				case r := <-out:
					if r.err != nil || r.line != "ab" {
						t.Fatalf("retain %v: got %q, %v", retain, r.line, r.err)
					}
				case <-time.After(10 * time.Second):
					s.Close() // ends the wait, so the goroutine finishes
					<-out
					t.Fatalf("retain %v: the reader stayed parked with %q unread", retain, "ab\n")
				}
			})
		}
	}
}
