package chunkbuf

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime/pprof"
	"sync"
	"testing"
	"time"
)

// A Write of 16 KiB or more that fills a parked read hands off to it: by
// the time Write returns, that read is finished (it no longer counts as
// waiting), as io.Pipe's Write returns once its reader has the bytes.
func TestWriteHandsOffToTheReadItFilled(t *testing.T) {
	s := newStream(t, StreamOptions{})
	chunk := bytes.Repeat([]byte("handed"), 16<<10/6+1)
	for i := range 50 {
		got := make(chan []byte, 1)
		go func() {
			p := make([]byte, 2*len(chunk))
			n, err := s.Read(p)
			if err != nil {
				t.Error(err)
			}
			got <- p[:n]
		}()
		for s.WaitingReaders() == 0 {
			time.Sleep(time.Millisecond)
		}
		_, err := s.Write(chunk)
		must(t, err)
		if w := s.WaitingReaders(); w != 0 {
			t.Fatalf("round %d: Write returned with the read it filled still waiting (%d waiting)", i, w)
		}
		if g := <-got; !bytes.Equal(g, chunk) {
			t.Fatalf("round %d: read %d bytes, want the %d written", i, len(g), len(chunk))
		}
	}
}

// A parked read canceled at the moment a write fills it: the writer never
// waits for a handoff that cannot come, and the byte is either read or
// still in the stream, never lost. The parkers are recycled across rounds.
func TestHandoffRacesCancel(t *testing.T) {
	s := newStream(t, StreamOptions{})
	read, kept, written := 0, 0, 0
	for range 300 {
		ctx, cancel := context.WithCancel(context.Background())
		got := make(chan int, 1)
		go func() {
			p := make([]byte, 8)
			n, err := s.ReadContext(ctx, p)
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Error(err)
			}
			got <- n
		}()
		for s.WaitingReaders() == 0 {
			time.Sleep(10 * time.Microsecond)
		}
		go cancel()
		_, err := s.WriteString("x")
		must(t, err)
		written++
		if n := <-got; n == 1 {
			read++
		} else { // canceled first: the byte stays for the next reader
			var b [1]byte
			n, err := s.ReadNonblock(b[:])
			if n != 1 || err != nil {
				t.Fatalf("the canceled read's byte is gone: %d, %v", n, err)
			}
			kept++
		}
		cancel()
	}
	if read+kept != written || s.Buffered() != 0 {
		t.Fatalf("%d bytes written, %d read, %d kept, %d left", written, read, kept, s.Buffered())
	}
}

// Writers and parked readers in several goroutines: every handoff's writer
// is let go exactly once (none waits forever on another's token) and the
// bytes arrive whole. Half the writers write pairs (they hand off to no
// read), half 16 KiB of pairs at a time (each hands off to the read it
// fills).
func TestHandoffsBetweenManyWritersAndReaders(t *testing.T) {
	const writers, readers, perWriter = 4, 4, 3000
	large := bytes.Repeat([]byte("ab"), 8<<10)
	const perLarge = 16
	s := newStream(t, StreamOptions{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			chunk, count := []byte("ab"), perWriter
			if w%2 == 1 {
				chunk, count = large, perLarge
			}
			for range count {
				if _, err := s.Write(chunk); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	total := make(chan int, readers)
	for range readers {
		go func() {
			var all bytes.Buffer
			p := make([]byte, 2)
			for {
				n, err := s.ReadFull(p) // whole pairs only: a torn one shows
				all.Write(p[:n])
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Error(err)
					break
				}
			}
			if bytes.Count(all.Bytes(), []byte("ab"))*2 != all.Len() {
				t.Errorf("a reader got torn pairs")
			}
			total <- all.Len()
		}()
	}
	wg.Wait()
	must(t, s.Close())
	sum := 0
	for range readers {
		sum += <-total
	}
	if want := writers / 2 * (perWriter*2 + perLarge*len(large)); sum != want {
		t.Fatalf("read %d bytes, want %d", sum, want)
	}
}

// Reads and line reads that wait park their goroutine instead of holding
// an OS thread in a C call: many of them waiting at once create few
// threads (each blocked cgo call would need one of its own).
func TestWaitingReadsHoldNoThread(t *testing.T) {
	const n = 100
	streams := make([]*Stream, n)
	for i := range streams {
		streams[i] = newStream(t, StreamOptions{})
	}
	threads := pprof.Lookup("threadcreate")
	before := threads.Count()
	done := make(chan string, n)
	for i, s := range streams {
		go func() {
			if i%2 == 0 {
				line, err := s.ReadLine(0)
				if err != nil {
					t.Error(err)
					done <- ""
					return
				}
				done <- line.String()
				line.Release()
				return
			}
			p := make([]byte, 16)
			k, err := s.Read(p)
			if err != nil {
				t.Error(err)
			}
			done <- string(p[:k])
		}()
	}
	for i, s := range streams {
		if i%2 == 0 {
			_, err := s.WriteString("par") // no line yet
			must(t, err)
		}
		for s.WaitingReaders() == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	if grew := threads.Count() - before; grew > n/4 {
		t.Fatalf("%d waiting reads made %d OS threads", n, grew)
	}
	for i, s := range streams {
		_, err := s.WriteString([]string{"t\n", "par"}[i%2])
		must(t, err)
	}
	for range n {
		if got := <-done; got != "part\n" && got != "par" {
			t.Fatalf("a read got %q", got)
		}
	}
}

// TestHeldWritesAndViewReadsHoldNoThread: writes held by the high-water
// mark (Write, WriteView) and view reads (ReadView) wait parked too, so a
// hundred of them make no hundred OS threads; each then completes with its
// bytes once the other side acts.
func TestHeldWritesAndViewReadsHoldNoThread(t *testing.T) {
	const n = 120
	streams := make([]*Stream, n)
	for i := range streams {
		streams[i] = newStream(t, StreamOptions{HighWater: 4})
		if i%3 != 2 {
			_, err := streams[i].WriteString("abcd") // at the mark
			must(t, err)
		}
	}
	threads := pprof.Lookup("threadcreate")
	before := threads.Count()
	done := make(chan error, n)
	for i, s := range streams {
		go func() {
			switch i % 3 {
			case 0:
				_, err := s.WriteString("efgh")
				done <- err
			case 1:
				v, err := NewView(nil, []byte("efgh"))
				if err == nil {
					err = s.WriteView(v)
					v.Release()
				}
				done <- err
			default:
				v, err := s.ReadView(4)
				if err == nil {
					if got := v.String(); got != "wxyz" {
						err = errors.New("ReadView got " + got)
					}
					v.Release()
				}
				done <- err
			}
		}()
	}
	for i, s := range streams {
		waitBlocked(t, s, (i%3)/2, 1-(i%3)/2)
	}
	if grew := threads.Count() - before; grew > n/4 {
		t.Fatalf("%d waiting writes and view reads made %d OS threads", n, grew)
	}
	for i, s := range streams {
		if i%3 == 2 {
			_, err := s.WriteString("wxyz")
			must(t, err)
			continue
		}
		p := make([]byte, 4)
		_, err := s.ReadFull(p) // makes room: the held write goes on
		must(t, err)
	}
	for range n {
		must(t, <-done)
	}
	for i, s := range streams {
		if i%3 == 2 {
			continue
		}
		p := make([]byte, 8)
		k, err := s.ReadNonblock(p)
		if err != nil || string(p[:k]) != "efgh" {
			t.Fatalf("stream %d: after the held write read %q, %v", i, p[:k], err)
		}
	}
}
