package chunkbuf

import (
	"encoding/binary"
	"errors"
	"io"
	"sync"
	"testing"
)

// Goroutines sharing streams and views; meson's 'go test -race' runs these
// (and the rest) under the race detector.

// TestConcurrentWritersAndReaders has writers append fixed-size records
// while readers take whole records; every record arrives exactly once,
// intact, and each writer's records reach a reader in order.
func TestConcurrentWritersAndReaders(t *testing.T) {
	const writers, readers, perWriter, size = 4, 3, 2000, 16
	s := newStream(t, StreamOptions{HighWater: 4096})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := make([]byte, size)
			for seq := range perWriter {
				binary.BigEndian.PutUint64(rec[0:], uint64(w))
				binary.BigEndian.PutUint64(rec[8:], uint64(seq))
				if _, err := s.Write(rec); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	counts := make([][writers]int, readers)
	errs := make(chan error, readers)
	var rg sync.WaitGroup
	for r := range readers {
		rg.Add(1)
		go func() {
			defer rg.Done()
			last := [writers]int{-1, -1, -1, -1}
			rec := make([]byte, size)
			for {
				_, err := s.ReadFull(rec)
				if err == io.EOF {
					errs <- nil
					return
				}
				if err != nil {
					errs <- err
					return
				}
				w, seq := int(binary.BigEndian.Uint64(rec)), int(binary.BigEndian.Uint64(rec[8:]))
				if w >= writers || seq <= last[w] {
					errs <- errors.New("a record arrived torn or out of order")
					return
				}
				last[w] = seq
				counts[r][w]++
			}
		}()
	}
	wg.Wait()
	must(t, s.Close())
	rg.Wait()
	for range readers {
		must(t, <-errs)
	}
	for w := range writers {
		total := 0
		for r := range readers {
			total += counts[r][w]
		}
		if total != perWriter {
			t.Fatalf("writer %d: %d records read, want %d", w, total, perWriter)
		}
	}
}

// TestConcurrentViewSharing reads one view from many goroutines while they
// clone, slice and release their own references.
func TestConcurrentViewSharing(t *testing.T) {
	data := make([]byte, 50000)
	for i := range data {
		data[i] = byte(i)
	}
	v, err := NewView(nil, data)
	must(t, err)
	defer v.Release()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				c, err := v.Clone()
				if err != nil {
					t.Error(err)
					return
				}
				sl, err := c.Slice(i, i+100)
				c.Release()
				if err != nil || sl.Bytes()[0] != byte(i) || v.Bytes()[i] != byte(i) {
					t.Errorf("slice %d: %v", i, err)
				}
				sl.Release()
			}
		}()
	}
	wg.Wait()
}

// TestConcurrentReleaseDuringBlockedCalls frees streams while goroutines
// are blocked reading one and writing the other (held back by its
// high-water mark): they fail cleanly.
func TestConcurrentReleaseDuringBlockedCalls(t *testing.T) {
	readable, err := NewStream(StreamOptions{})
	must(t, err)
	full, err := NewStream(StreamOptions{HighWater: 1})
	must(t, err)
	_, err = full.Write([]byte("x"))
	must(t, err)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if i%2 == 0 {
				_, err = full.Write([]byte("blocked"))
			} else {
				_, err = readable.ReadFull(make([]byte, 100))
			}
			if !errors.Is(err, ErrAborted) && !errors.Is(err, ErrHandle) {
				t.Errorf("blocked call after Release: %v", err)
			}
		}()
	}
	waitBlocked(t, readable, 3, 0)
	waitBlocked(t, full, 0, 3)
	readable.Release()
	full.Release()
	wg.Wait()
}
