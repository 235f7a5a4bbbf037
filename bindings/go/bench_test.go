package chunkbuf

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
)

// Benchmarks for the benchmark suite (not run by `go test` without
// -bench): the same workload through chunkbuf and through the usual Go
// alternative, so the ratios can be reported side by side.
//
//	go test -run '^$' -bench . -benchmem

// benchLines is 64 KiB of text lines of 10..110 bytes.
var benchLines = func() []byte {
	var sb strings.Builder
	for i := 0; sb.Len() < 64<<10; i++ {
		sb.WriteString(strings.Repeat("x", 10+i%100))
		sb.WriteByte('\n')
	}
	return []byte(sb.String())
}()

// BenchmarkLinesBuffer splits lines out of an in-memory buffer.
func BenchmarkLinesBuffer(b *testing.B) {
	b.Run("chunkbuf.Buffer.TakeLines", func(b *testing.B) {
		buf := newBuffer(b, BufferOptions{})
		recs := make([]Record, 0, 256)
		b.SetBytes(int64(len(benchLines)))
		for b.Loop() {
			if _, err := buf.Write(benchLines); err != nil {
				b.Fatal(err)
			}
			for {
				batch, err := buf.TakeLines(EOLLF, 0, recs)
				if err != nil {
					b.Fatal(err)
				}
				if batch.Len() == 0 {
					break
				}
				for i := range batch.Len() {
					_ = batch.Bytes(i)
				}
				batch.Release()
			}
		}
	})
	b.Run("bytes.Buffer.ReadBytes", func(b *testing.B) {
		var buf bytes.Buffer
		b.SetBytes(int64(len(benchLines)))
		for b.Loop() {
			buf.Write(benchLines)
			for {
				if _, err := buf.ReadBytes('\n'); err != nil {
					break
				}
			}
		}
	})
	b.Run("bufio.Reader.ReadSlice", func(b *testing.B) {
		r := bytes.NewReader(benchLines)
		br := bufio.NewReader(r)
		b.SetBytes(int64(len(benchLines)))
		for b.Loop() {
			r.Reset(benchLines)
			br.Reset(r)
			for {
				if _, err := br.ReadSlice('\n'); err != nil {
					break
				}
			}
		}
	})
}

// BenchmarkLinesPipe moves lines from a writer goroutine to a reader.
func BenchmarkLinesPipe(b *testing.B) {
	const rounds = 16
	b.Run("chunkbuf.Stream.ReadLines", func(b *testing.B) {
		recs := make([]Record, 0, 256)
		b.SetBytes(rounds * int64(len(benchLines)))
		for b.Loop() {
			s, err := NewStream(StreamOptions{HighWater: 256 << 10})
			if err != nil {
				b.Fatal(err)
			}
			go writeRounds(s, rounds)
			for {
				batch, err := s.ReadLines(recs)
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				batch.Release()
			}
			s.Release()
		}
	})
	b.Run("io.Pipe+bufio.Reader", func(b *testing.B) {
		b.SetBytes(rounds * int64(len(benchLines)))
		for b.Loop() {
			pr, pw := io.Pipe()
			go writeRounds(pw, rounds)
			br := bufio.NewReader(pr)
			for {
				if _, err := br.ReadSlice('\n'); err != nil {
					break
				}
			}
		}
	})
}

// writeRounds writes benchLines rounds times to w, then closes it.
func writeRounds(w io.WriteCloser, rounds int) {
	for range rounds {
		if _, err := w.Write(benchLines); err != nil {
			break
		}
	}
	w.Close()
}

// BenchmarkCopy moves bytes with io.Copy from a filled source.
func BenchmarkCopy(b *testing.B) {
	b.Run("chunkbuf.Buffer", func(b *testing.B) {
		src := newBuffer(b, BufferOptions{})
		b.SetBytes(int64(len(benchLines)))
		for b.Loop() {
			if _, err := src.Write(benchLines); err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bytes.Buffer", func(b *testing.B) {
		var src bytes.Buffer
		b.SetBytes(int64(len(benchLines)))
		for b.Loop() {
			src.Write(benchLines)
			if _, err := io.Copy(io.Discard, &src); err != nil {
				b.Fatal(err)
			}
		}
	})
}
