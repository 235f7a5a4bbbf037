// Command linestats shows the Go binding of chunkbuf end to end: a
// producer goroutine copies its input into a chunkbuf Stream, the main
// goroutine takes the lines out in batches (one cgo call per batch, each
// line a zero-copy slice of pool memory) and prints what it saw.
//
//	go run . < some.txt
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	chunkbuf "github.com/chunkbuf/chunkbuf/bindings/go"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "linestats:", err)
		os.Exit(1)
	}
}

// run counts the lines and words of in and names the longest line.
func run(in io.Reader, out io.Writer) error {
	pool, err := chunkbuf.NewPool(chunkbuf.PoolOptions{})
	if err != nil {
		return err
	}
	defer pool.Close()
	// Back-pressure: the producer waits while 64 KiB are unread.
	stream, err := chunkbuf.NewStream(chunkbuf.StreamOptions{Pool: pool, HighWater: 64 << 10})
	if err != nil {
		return err
	}
	defer stream.Release()

	produced := make(chan error, 1)
	go func() {
		_, err := io.Copy(stream, in)
		if err != nil {
			_ = stream.Abort(1)
		} else {
			err = stream.Close()
		}
		produced <- err
	}()

	var lines, words int
	var longest []byte
	recs := make([]chunkbuf.Record, 0, 256)
	for {
		batch, err := stream.ReadLines(recs)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		for _, line := range batch.All() { // each line valid until batch.Release
			lines++
			words += len(bytes.Fields(line))
			if len(line) > len(longest) {
				longest = bytes.Clone(line)
			}
		}
		batch.Release()
	}
	if err := <-produced; err != nil {
		return err
	}
	stream.Release() // every block goes back to the pool
	stats, err := pool.Stats()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "lines: %d\nwords: %d\nlongest: %q\npool bytes in use: %d\n",
		lines, words, longest, stats.BytesInUse)
	return nil
}
