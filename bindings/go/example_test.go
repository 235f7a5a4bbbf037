package chunkbuf_test

import (
	"bufio"
	"context"
	"fmt"
	"time"

	chunkbuf "github.com/chunkbuf/chunkbuf/bindings/go"
)

// Parse lines out of a buffer without copying them.
func ExampleBuffer_TakeLines() {
	buf, err := chunkbuf.NewBuffer(chunkbuf.BufferOptions{})
	if err != nil {
		panic(err)
	}
	defer buf.Close()
	buf.WriteString("GET / HTTP/1.1\r\nHost: example.org\r\n\r\npartial")

	batch, err := buf.TakeLines(chunkbuf.EOLCRLF, 8<<10, make([]chunkbuf.Record, 0, 16))
	if err != nil {
		panic(err)
	}
	defer batch.Release()
	for _, line := range batch.All() {
		fmt.Printf("%q\n", line) // zero-copy, valid until Release
	}
	fmt.Println(buf.Len(), "bytes wait for more input")
	// Output:
	// "GET / HTTP/1.1"
	// "Host: example.org"
	// ""
	// 7 bytes wait for more input
}

// A Stream filled by one goroutine is an io.Reader for another.
func ExampleStream() {
	s, err := chunkbuf.NewStream(chunkbuf.StreamOptions{})
	if err != nil {
		panic(err)
	}
	defer s.Release()
	go func() {
		for i := range 3 {
			fmt.Fprintf(s, "message %d\n", i)
		}
		s.Close() // EOF for the reader
	}()
	sc := bufio.NewScanner(s)
	for sc.Scan() {
		fmt.Println(sc.Text())
	}
	// Output:
	// message 0
	// message 1
	// message 2
}

// ReadLineContext gives up when its context is done.
func ExampleStream_ReadLineContext() {
	s, err := chunkbuf.NewStream(chunkbuf.StreamOptions{})
	if err != nil {
		panic(err)
	}
	defer s.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = s.ReadLineContext(ctx, 0)
	fmt.Println(err)
	// Output: context deadline exceeded
}
