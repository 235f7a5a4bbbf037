package chunkbuf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestEightReadersNeverInterleave: eight goroutines read fixed-size
// records from one stream with ReadFull, ReadLine, ReadView, AppendLine,
// TakeLines (batches of up to three) and a plain Read into a record-sized
// slice (the writer's bytes copied
// straight into it when the reader waits); every record arrives whole,
// exactly once.
func TestEightReadersNeverInterleave(t *testing.T) {
	const count, size = 4000, 32
	s := newStream(t, StreamOptions{HighWater: 64 * size})
	want := make([]string, count)
	for i := range want {
		want[i] = fmt.Sprintf("%0*d\n", size-1, i)
	}
	go func() {
		for i := 0; i < count; i += 37 {
			if _, err := s.WriteString(stringsJoin(want[i:min(i+37, count)])); err != nil {
				t.Error(err)
				return
			}
		}
		s.Close()
	}()
	got := make([][]string, 8)
	var wg sync.WaitGroup
	for r := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := make([]byte, size)
			for {
				var piece string
				var err error
				switch r % 6 {
				case 0:
					_, err = s.ReadFull(rec)
					piece = string(rec)
				case 3:
					var n int
					n, err = s.Read(rec)
					piece = string(rec[:n])
				case 1:
					var v *View
					if v, err = s.ReadLine(0); err == nil {
						piece = v.String()
						v.Release()
					}
				case 5:
					var batch Batch
					if batch, err = s.TakeLines(EOLLF, 0, make([]Record, 0, 3)); err == nil {
						for _, line := range batch.All() {
							got[r] = append(got[r], string(line)+"\n")
						}
						batch.Release()
						continue
					}
				case 4:
					var line []byte
					if line, err = s.AppendLine(rec[:0], EOLLF, 0); err == nil {
						piece = string(line) + "\n"
					}
				default:
					var v *View
					if v, err = s.ReadView(size); err == nil {
						piece = v.String()
						v.Release()
					}
				}
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				got[r] = append(got[r], piece)
			}
		}()
	}
	wg.Wait()
	all := slices.Concat(got...)
	slices.Sort(all)
	if !slices.Equal(all, want) {
		t.Fatalf("got %d records, want %d, or some were torn", len(all), len(want))
	}
}

func stringsJoin(parts []string) string {
	var b bytes.Buffer
	for _, p := range parts {
		b.WriteString(p)
	}
	return b.String()
}

// TestReadContextCancelWakesAtOnceAndLosesNothing: a ReadContext blocked on
// a stream returns ctx.Err() right after cancel, for every read variant,
// and the bytes that were there stay unread.
func TestReadContextCancelWakesAtOnceAndLosesNothing(t *testing.T) {
	s := newStream(t, StreamOptions{})
	_, err := s.WriteString("partial")
	must(t, err)
	calls := map[string]func(ctx context.Context) error{
		"ReadContext": func(ctx context.Context) error {
			_, err := s.readInto(ctx, "test", make([]byte, 100), 100) // 7 bytes are there, 100 are asked
			return err
		},
		"ReadLineContext": func(ctx context.Context) error {
			_, err := s.ReadLineContext(ctx, 0)
			return err
		},
		"ReadLinesContext": func(ctx context.Context) error {
			_, err := s.ReadLinesContext(ctx, make([]Record, 4))
			return err
		},
		"TakeLinesContext": func(ctx context.Context) error {
			_, err := s.TakeLinesContext(ctx, EOLCRLF, 0, make([]Record, 0, 4))
			return err
		},
		"AppendLineContext": func(ctx context.Context) error {
			_, err := s.AppendLineContext(ctx, nil, EOLCRLF, 0)
			return err
		},
	}
	for name, call := range calls {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- call(ctx) }()
		for s.WaitingReaders() == 0 {
			time.Sleep(time.Millisecond)
		}
		start := time.Now()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("%s after cancel: %v", name, err)
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Fatalf("%s returned %v after cancel", name, d)
		}
		if s.Buffered() != len("partial") {
			t.Fatalf("%s consumed bytes: %d left", name, s.Buffered())
		}
	}
	_, err = s.WriteString(" line\n")
	must(t, err)
	line, err := s.ReadLine(0)
	must(t, err)
	defer line.Release()
	if line.String() != "partial line\n" {
		t.Fatalf("line %q", line.String())
	}
}

// TestWriteContextCancelWakesAtOnceAndLosesNothing: a WriteContext held by
// the high-water mark returns ctx.Err() right after cancel and writes
// nothing; the bytes before it stay, once, in order.
func TestWriteContextCancelWakesAtOnceAndLosesNothing(t *testing.T) {
	s := newStream(t, StreamOptions{HighWater: 4})
	_, err := s.WriteString("1234")
	must(t, err)
	for range 20 {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() {
			_, err := s.WriteContext(ctx, []byte("lost"))
			done <- err
		}()
		for s.WaitingWriters() == 0 {
			time.Sleep(time.Millisecond)
		}
		start := time.Now()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("WriteContext after cancel: %v", err)
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Fatalf("WriteContext returned %v after cancel", d)
		}
		if s.Buffered() != 4 {
			t.Fatalf("the canceled write changed the stream: %d bytes buffered", s.Buffered())
		}
	}
	must(t, s.Close())
	got, err := io.ReadAll(s)
	must(t, err)
	if string(got) != "1234" {
		t.Fatalf("stream holds %q", got)
	}
}

// TestReleaseWakesABlockedWriteWithoutAbortingASharedStream: Release of
// one Stream object ends its blocked Write with ErrHandle; another holder
// of the same C stream keeps it, unaborted, with its bytes.
func TestReleaseWakesABlockedWriteWithoutAbortingASharedStream(t *testing.T) {
	s := newStream(t, StreamOptions{HighWater: 2})
	other, err := StreamFromC(s.CPointer())
	must(t, err)
	defer other.Release()
	_, err = s.WriteString("ab")
	must(t, err)
	done := make(chan error)
	go func() {
		_, err := s.WriteString("blocked")
		done <- err
	}()
	for other.WaitingWriters() == 0 {
		time.Sleep(time.Millisecond)
	}
	s.Release()
	wantErr(t, <-done, ErrHandle)
	if _, err := other.AbortCode(); !errors.Is(err, ErrState) {
		t.Fatalf("the shared stream was aborted: %v", err)
	}
	must(t, other.Close())
	got, err := io.ReadAll(other)
	must(t, err)
	if string(got) != "ab" {
		t.Fatalf("shared stream holds %q", got)
	}
}

// TestStreamErrorsCarryTheFailingCallsMessage: the detail comes from the
// call that failed (its error struct), whatever thread the goroutine is on.
func TestStreamErrorsCarryTheFailingCallsMessage(t *testing.T) {
	s := newStream(t, StreamOptions{})
	must(t, s.Abort(7))
	_, err := s.Read(make([]byte, 1))
	var e *Error
	if !errors.As(err, &e) || e.Code != ErrAborted || e.Msg == "" {
		t.Fatalf("read after abort: %#v", err)
	}
}

// TestBatchBytesWithoutAContiguousCopy: when the batch's bytes could not be
// made contiguous (out of memory), Bytes copies the record instead of
// panicking.
func TestBatchBytesWithoutAContiguousCopy(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	_, err := b.Write([]byte("one\ntwo\n"))
	must(t, err)
	batch, err := b.TakeLines(EOLLF, 0, make([]Record, 4))
	must(t, err)
	defer batch.Release()
	batch.data = nil // what newBatch keeps when the contiguous copy failed
	if string(batch.Bytes(0)) != "one" || string(batch.Bytes(1)) != "two" {
		t.Fatalf("records %q %q", batch.Bytes(0), batch.Bytes(1))
	}
}
