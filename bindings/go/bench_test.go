package chunkbuf

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// The Go benchmark harness: each benchmark runs one workload through
// chunkbuf and through the Go standard library's alternative in the same
// run, as sub-benchmarks named
//
//	Benchmark<Workload>/<write size>/chunkbuf
//	Benchmark<Workload>/<write size>/<alternative>
//
// so that they pair up by name (bench/report.py):
//
//	go test -run '^$' -bench 'Stream|Buffer' -count 5
//
// The workload is the one of bench/lines_bench.cpp: CHUNKBUF_BENCH_LINES_MIB
// MiB (default 16) of 80-byte lines, 79 bytes of fixed pseudo-random text
// and "\n". One op moves all of it, so with b.SetBytes MB/s is comparable
// across cases; every reader counts the lines and bytes it got and fails
// the benchmark unless they add up. Besides ns/op (wall clock) each case
// reports cpu-ns/op, the CPU time of the whole process (every thread, user
// and system) per op: on a shared machine it moves less than wall time,
// and for the two-goroutine cases it shows the cost of the wake-ups.
//
//	BenchmarkStreamLines/{4KiB,64KiB}/{chunkbuf,bufio,bufio-64KiB}
//	    A writer goroutine writes the data in 4 KiB or 64 KiB writes, then
//	    closes; the reader takes every line. chunkbuf: Stream.Write, and
//	    Stream.ReadLines (up to benchBatch lines a call) with Batch.All
//	    per line, on a stream with a benchHighWater high-water mark.
//	    bufio: io.Pipe and bufio.Reader.ReadSlice('\n') over the
//	    io.PipeReader, with bufio's default 4 KiB buffer (bufio.NewReader);
//	    bufio-64KiB: the same with bufio.NewReaderSize(pr, 64 KiB).
//	BenchmarkStreamRead/{4KiB,64KiB}/{chunkbuf,pipe}
//	    The same writer; the reader reads bulk bytes into a 64 KiB slice
//	    until EOF. chunkbuf: Stream.Read. pipe: io.PipeReader.Read (a
//	    bufio.Reader hands reads of at least its size straight to the
//	    pipe, so it is the same).
//	BenchmarkStreamScanner/{4KiB,64KiB}/{chunkbuf,pipe}
//	    The same writer; the reader is a bufio.Scanner (default buffer,
//	    ScanLines), the way most Go code reads lines: over the Stream
//	    (through its io.Reader) against over an io.PipeReader.
//	BenchmarkStreamCancel/chunkbuf
//	    A ReadContext blocked on an empty stream, then cancel(): the time
//	    from cancel() until ReadContext has returned, as the median of
//	    benchCancelRounds rounds reported as median-ns (ns/op is the whole
//	    round, including the wait for the reader to block). No byte may be
//	    lost: a byte written after each cancel must be the next one read.
//	BenchmarkBufferLines/4KiB/{chunkbuf,bytes.Buffer}
//	    One goroutine: the data arrives in 4 KiB writes to a buffer, and
//	    after each write every complete line is taken. chunkbuf:
//	    Buffer.Write, Buffer.TakeLines (EOLLF, up to benchBatch lines a
//	    call, until a batch is not full), each line through Batch.All.
//	    bytes.Buffer: Write, then bytes.IndexByte over Bytes() and Next per
//	    line (no allocation; ReadBytes would allocate every line).
//	BenchmarkBufferCopy/64KiB/{chunkbuf,bytes.Buffer}
//	    One goroutine: each 64 KiB of the data is written to the buffer and
//	    drained with io.Copy(io.Discard, buf) (the buffer's WriteTo).

const (
	benchLine      = 80       // bytes per line, "\n" included
	benchBatch     = 256      // records per batch call (as lines_bench.cpp)
	benchReadSize  = 64 << 10 // bulk read slice
	benchHighWater = 1 << 20  // as the 64 KiB writes of stream_bench.cpp
)

// benchData is the line workload, built once.
var benchData = func() []byte {
	mib := 16
	if v, err := strconv.Atoi(os.Getenv("CHUNKBUF_BENCH_LINES_MIB")); err == nil && v > 0 {
		mib = v
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 "
	p := make([]byte, (mib<<20)/benchLine*benchLine)
	x := uint64(0x9E3779B97F4A7C15) // the xorshift of bench/common.h
	for i := range p {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		p[i] = alphabet[x%uint64(len(alphabet))]
	}
	for i := benchLine - 1; i < len(p); i += benchLine {
		p[i] = '\n'
	}
	return p
}()

// benchWrites are the write sizes of the stream cases.
var benchWrites = []struct {
	name string
	size int
}{{"4KiB", 4 << 10}, {"64KiB", 64 << 10}}

// measure runs op (one pass over benchData) for the benchmark's iterations
// and reports the process's CPU time per op beside the wall time.
func measure(b *testing.B, op func()) {
	b.SetBytes(int64(len(benchData)))
	start := cpuTime()
	for b.Loop() {
		op()
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// cpuTime returns the CPU time the process has used (all threads, user
// and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// lineCount checks what a reader got: n lines holding bytes bytes (without
// their "\n").
func lineCount(b *testing.B, n, bytes int) {
	if want := len(benchData) / benchLine; n != want || bytes != want*(benchLine-1) {
		b.Fatalf("got %d lines of %d bytes, want %d of %d", n, bytes, want, want*(benchLine-1))
	}
}

// chunks calls f with benchData cut into pieces of size.
func chunks(size int, f func([]byte)) {
	for off := 0; off < len(benchData); off += size {
		f(benchData[off:min(off+size, len(benchData))])
	}
}

// writeChunks writes benchData to w in pieces of size, then closes w (run
// as the writer goroutine).
func writeChunks(w io.WriteCloser, size int) {
	for off := 0; off < len(benchData); off += size {
		if _, err := w.Write(benchData[off:min(off+size, len(benchData))]); err != nil {
			break
		}
	}
	w.Close()
}

func newBenchStream(b *testing.B) *Stream {
	s, err := NewStream(StreamOptions{HighWater: benchHighWater})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkStreamLines: lines from a writer goroutine, Stream.ReadLines
// and Stream.TakeLines (batches; "\n" lines, and lines of an end-of-line
// style) and Stream.AppendLine (one line into a reused slice a call)
// against bufio.Reader.ReadSlice over io.Pipe.
func BenchmarkStreamLines(b *testing.B) {
	for _, w := range benchWrites {
		b.Run(w.name+"/chunkbuf", func(b *testing.B) {
			streamBatches(b, w.size, func(s *Stream, recs []Record) (Batch, error) { return s.ReadLines(recs) })
		})
		b.Run(w.name+"/take-lines", func(b *testing.B) {
			streamBatches(b, w.size, func(s *Stream, recs []Record) (Batch, error) {
				return s.TakeLines(EOLLF, 0, recs)
			})
		})
		b.Run(w.name+"/append-line", func(b *testing.B) {
			measure(b, func() {
				s := newBenchStream(b)
				go writeChunks(s, w.size)
				n, bytes := 0, 0
				var line []byte
				for {
					var err error
					line, err = s.AppendLine(line[:0], EOLLF, 0)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					bytes += len(line)
					n++
				}
				s.Release()
				lineCount(b, n, bytes)
			})
		})
		b.Run(w.name+"/bufio", func(b *testing.B) { pipeLines(b, w.size, 0) })
		b.Run(w.name+"/bufio-64KiB", func(b *testing.B) { pipeLines(b, w.size, 64<<10) })
	}
}

// streamBatches reads the lines of a Stream written in pieces of size by
// a writer goroutine, a batch of up to benchBatch lines per take call.
func streamBatches(b *testing.B, size int, take func(*Stream, []Record) (Batch, error)) {
	recs := make([]Record, 0, benchBatch)
	measure(b, func() {
		s := newBenchStream(b)
		go writeChunks(s, size)
		n, bytes := 0, 0
		for {
			batch, err := take(s, recs)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			for _, line := range batch.All() {
				bytes += len(line)
			}
			n += batch.Len()
			batch.Release()
		}
		s.Release()
		lineCount(b, n, bytes)
	})
}

// pipeLines reads lines with bufio.Reader.ReadSlice over an io.Pipe written
// in pieces of size; bufSize 0 is bufio's default.
func pipeLines(b *testing.B, size, bufSize int) {
	measure(b, func() {
		pr, pw := io.Pipe()
		go writeChunks(pw, size)
		br := bufio.NewReader(pr)
		if bufSize > 0 {
			br = bufio.NewReaderSize(pr, bufSize)
		}
		n, bytes := 0, 0
		for {
			line, err := br.ReadSlice('\n')
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			bytes += len(line) - 1
			n++
		}
		lineCount(b, n, bytes)
	})
}

// BenchmarkStreamRead: bulk bytes from a writer goroutine, Stream.Read
// against io.PipeReader.Read, into a 64 KiB slice.
func BenchmarkStreamRead(b *testing.B) {
	for _, w := range benchWrites {
		b.Run(w.name+"/chunkbuf", func(b *testing.B) {
			p := make([]byte, benchReadSize)
			measure(b, func() {
				s := newBenchStream(b)
				go writeChunks(s, w.size)
				readAll(b, s, p)
				s.Release()
			})
		})
		b.Run(w.name+"/pipe", func(b *testing.B) {
			p := make([]byte, benchReadSize)
			measure(b, func() {
				pr, pw := io.Pipe()
				go writeChunks(pw, w.size)
				readAll(b, pr, p)
			})
		})
	}
}

// readAll reads r to EOF through p and checks the byte count.
func readAll(b *testing.B, r io.Reader, p []byte) {
	total := 0
	for {
		n, err := r.Read(p)
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	if total != len(benchData) {
		b.Fatalf("read %d bytes, want %d", total, len(benchData))
	}
}

// BenchmarkStreamScanner: lines from a writer goroutine through a
// bufio.Scanner, over a Stream against over io.Pipe.
func BenchmarkStreamScanner(b *testing.B) {
	for _, w := range benchWrites {
		b.Run(w.name+"/chunkbuf", func(b *testing.B) {
			measure(b, func() {
				s := newBenchStream(b)
				go writeChunks(s, w.size)
				scanAll(b, s)
				s.Release()
			})
		})
		b.Run(w.name+"/pipe", func(b *testing.B) {
			measure(b, func() {
				pr, pw := io.Pipe()
				go writeChunks(pw, w.size)
				scanAll(b, pr)
			})
		})
	}
}

// scanAll counts the lines of r with a bufio.Scanner.
func scanAll(b *testing.B, r io.Reader) {
	sc := bufio.NewScanner(r)
	n, bytes := 0, 0
	for sc.Scan() {
		bytes += len(sc.Bytes())
		n++
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	lineCount(b, n, bytes)
}

// benchCancelRounds is how many cancellations one op of
// BenchmarkStreamCancel times.
const benchCancelRounds = 100

// BenchmarkStreamCancel: how soon a blocked ReadContext returns after
// cancel().
func BenchmarkStreamCancel(b *testing.B) {
	b.Run("chunkbuf", func(b *testing.B) {
		s := newBenchStream(b)
		defer s.Release()
		p := make([]byte, 1)
		lat := make([]time.Duration, 0, benchCancelRounds)
		var medians []float64
		for b.Loop() {
			lat = lat[:0]
			for range benchCancelRounds {
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan time.Time, 1)
				go func() {
					_, err := s.ReadContext(ctx, p)
					if err != context.Canceled {
						b.Errorf("ReadContext after cancel: %v", err)
					}
					done <- time.Now()
				}()
				waitReaders(b, s, 1)
				t0 := time.Now()
				cancel()
				lat = append(lat, (<-done).Sub(t0))
				// nothing was consumed: the next byte written is the next read
				if _, err := s.Write([]byte{'x'}); err != nil {
					b.Fatal(err)
				}
				if n, err := s.Read(p); n != 1 || p[0] != 'x' || err != nil {
					b.Fatalf("read after cancel: %d %q %v", n, p[:n], err)
				}
			}
			slices.Sort(lat)
			medians = append(medians, float64(lat[len(lat)/2]))
		}
		slices.Sort(medians)
		b.ReportMetric(medians[len(medians)/2], "median-ns")
	})
}

// waitReaders waits until n calls are blocked reading s.
func waitReaders(b *testing.B, s *Stream, n int) {
	for s.WaitingReaders() < n {
		runtime.Gosched()
	}
}

// BenchmarkBufferLines: lines out of an in-memory buffer fed in 4 KiB
// writes, Buffer.TakeLines against bytes.Buffer.
func BenchmarkBufferLines(b *testing.B) {
	const size = 4 << 10
	b.Run("4KiB/chunkbuf", func(b *testing.B) {
		buf := newBuffer(b, BufferOptions{})
		recs := make([]Record, 0, benchBatch)
		measure(b, func() {
			n, bytes := 0, 0
			chunks(size, func(p []byte) {
				if _, err := buf.Write(p); err != nil {
					b.Fatal(err)
				}
				for {
					batch, err := buf.TakeLines(EOLLF, 0, recs)
					if err != nil {
						b.Fatal(err)
					}
					for _, line := range batch.All() {
						bytes += len(line)
					}
					n += batch.Len()
					batch.Release()
					if !batch.Full() {
						break // every complete line was taken
					}
				}
			})
			lineCount(b, n, bytes)
		})
	})
	b.Run("4KiB/bytes.Buffer", func(b *testing.B) {
		var buf bytes.Buffer
		measure(b, func() {
			n, nbytes := 0, 0
			chunks(size, func(p []byte) {
				buf.Write(p)
				for {
					i := bytes.IndexByte(buf.Bytes(), '\n')
					if i < 0 {
						break
					}
					nbytes += len(buf.Next(i+1)) - 1
					n++
				}
			})
			lineCount(b, n, nbytes)
		})
	})
}

// BenchmarkBufferCopy: write 64 KiB, then io.Copy it out, Buffer against
// bytes.Buffer.
func BenchmarkBufferCopy(b *testing.B) {
	const size = 64 << 10
	run := func(b *testing.B, buf io.ReadWriter) {
		measure(b, func() {
			var total int64
			chunks(size, func(p []byte) {
				if _, err := buf.Write(p); err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, buf)
				if err != nil {
					b.Fatal(err)
				}
				total += n
			})
			if total != int64(len(benchData)) {
				b.Fatalf("copied %d bytes, want %d", total, len(benchData))
			}
		})
	}
	b.Run("64KiB/chunkbuf", func(b *testing.B) { run(b, newBuffer(b, BufferOptions{})) })
	b.Run("64KiB/bytes.Buffer", func(b *testing.B) { run(b, new(bytes.Buffer)) })
}
