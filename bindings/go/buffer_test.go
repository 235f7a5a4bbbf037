package chunkbuf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func TestBufferWriteFindTake(t *testing.T) {
	b := newBuffer(t, BufferOptions{MinChunk: 4096})
	_, err := b.WriteString("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody")
	must(t, err)
	if pos, err := b.Find([]byte("\r\n\r\n"), 0, -1); err != nil || pos != 23 {
		t.Fatalf("Find = %d, %v", pos, err)
	}
	if pos, err := b.RFind([]byte("\r\n"), 0, -1); err != nil || pos != 25 {
		t.Fatalf("RFind = %d, %v", pos, err)
	}
	if pos, _ := b.Find([]byte("zz"), 0, -1); pos != -1 {
		t.Fatalf("absent needle at %d", pos)
	}
	line, err := b.TakeLine(EOLCRLF, 0)
	must(t, err)
	defer line.Release()
	if line.String() != "GET / HTTP/1.1" {
		t.Fatalf("line %q", line.String())
	}
	hdr, err := b.TakeUntil([]byte("\r\n\r\n"), true, 0)
	must(t, err)
	defer hdr.Release()
	if hdr.String() != "Host: x\r\n\r\n" {
		t.Fatalf("header %q", hdr.String())
	}
	_, err = b.TakeLine(EOLLF, 0)
	wantErr(t, err, ErrNeedMore)
	rest, err := io.ReadAll(b)
	must(t, err)
	if string(rest) != "body" || b.Len() != 0 {
		t.Fatalf("rest %q, %d left", rest, b.Len())
	}
}

func TestBufferTakeLinesReusesRecords(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	var want []string
	for i := range 100 {
		line := strings.Repeat("x", i)
		want = append(want, line)
		_, err := b.WriteString(line + "\n")
		must(t, err)
	}
	recs := make([]Record, 0, 16)
	var got []string
	for {
		batch, err := b.TakeLines(EOLLF, 0, recs)
		must(t, err)
		if batch.Len() == 0 {
			break
		}
		if batch.Len() > 16 {
			t.Fatalf("batch of %d records with room for 16", batch.Len())
		}
		for i := range batch.Len() {
			got = append(got, string(batch.Bytes(i)))
		}
		batch.Release()
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("lines differ: got %d, want %d", len(got), len(want))
	}
	_, err := b.WriteString("last\n")
	must(t, err)
	batch, err := b.TakeLines(EOLLF, 0, recs)
	must(t, err)
	batch.Release()
	if batch.Bytes(0) != nil {
		t.Fatal("a released batch hands out its memory")
	}
}

func TestBufferPeekCoalesceAndTypedReads(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	for _, part := range [][]byte{{0x00, 0x01}, {0x02, 0x03, 0x04}, {0x05, 0x06, 0x07}} {
		must(t, b.AppendRef(part))
	}
	segs, err := b.Peek(100)
	must(t, err)
	if len(segs) != 3 || !bytes.Equal(bytes.Join(segs, nil), []byte{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Fatalf("peek %v", segs)
	}
	u32, err := b.PeekUint32(1, BigEndian)
	must(t, err)
	u64, err := b.PeekUint64(0, LittleEndian)
	must(t, err)
	if u32 != 0x01020304 || u64 != binary.LittleEndian.Uint64([]byte{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Fatalf("u32 %#x u64 %#x", u32, u64)
	}
	_, err = b.PeekUint16(7, BigEndian)
	wantErr(t, err, ErrNeedMore)
	flat, err := b.Coalesce(6)
	must(t, err)
	if !bytes.Equal(flat, []byte{0, 1, 2, 3, 4, 5}) || b.SegmentCount() != 2 {
		t.Fatalf("coalesce %v, %d segments", flat, b.SegmentCount())
	}
	_, err = b.Coalesce(9)
	wantErr(t, err, ErrRange)
	p := make([]byte, 4)
	n, err := b.ReadAt(p, 6)
	if n != 2 || err != io.EOF || !bytes.Equal(p[:2], []byte{6, 7}) {
		t.Fatalf("ReadAt = %d, %v, %v", n, err, p)
	}
}

func TestBufferReserveCommit(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	span, err := b.Reserve(10)
	must(t, err)
	if len(span) < 10 {
		t.Fatalf("reserved %d bytes", len(span))
	}
	copy(span, "reserved!")
	wantErr(t, b.Commit(len(span)+1), ErrRange)
	must(t, b.Commit(9))
	if !b.Equal([]byte("reserved!")) {
		t.Fatal("committed bytes missing")
	}
}

// pipeReader hides every interface but io.Reader.
type pipeReader struct{ io.Reader }

func TestBufferReadFromPlainReader(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 20000)
	b := newBuffer(t, BufferOptions{})
	n, err := b.ReadFrom(iotest.HalfReader(pipeReader{bytes.NewReader(data)}))
	must(t, err)
	if n != int64(len(data)) || !b.Equal(data) {
		t.Fatalf("read %d of %d bytes", n, len(data))
	}

	limited := newBuffer(t, BufferOptions{MaxBytes: 1000})
	n, err = limited.ReadFrom(pipeReader{bytes.NewReader(data)})
	wantErr(t, err, ErrLimit)
	if n != 1000 || !limited.Equal(data[:1000]) {
		t.Fatalf("limited buffer read %d bytes", n)
	}

	broken := newBuffer(t, BufferOptions{})
	_, err = broken.ReadFrom(iotest.ErrReader(io.ErrClosedPipe))
	if !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("reader error lost: %v", err)
	}
	_, err = broken.WriteString("still usable")
	must(t, err)
}

func TestBufferReadFromAndWriteToFile(t *testing.T) {
	data := bytes.Repeat([]byte("file data "), 50000)
	path := filepath.Join(t.TempDir(), "in")
	must(t, os.WriteFile(path, data, 0o600))
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	b := newBuffer(t, BufferOptions{})
	n, err := b.ReadFrom(f)
	must(t, err)
	if n != int64(len(data)) || !b.Equal(data) {
		t.Fatalf("read %d of %d bytes", n, len(data))
	}

	out, err := os.Create(filepath.Join(t.TempDir(), "out"))
	must(t, err)
	defer out.Close()
	n, err = b.WriteTo(out)
	must(t, err)
	if n != int64(len(data)) || b.Len() != 0 {
		t.Fatalf("wrote %d bytes, %d left", n, b.Len())
	}
	got, err := os.ReadFile(out.Name())
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Fatal("file contents differ")
	}
}

func TestBufferReadFromAndWriteToTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer ln.Close()
	data := bytes.Repeat([]byte("over tcp "), 100000)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		src, err := NewBuffer(BufferOptions{})
		if err != nil {
			return
		}
		defer src.Close()
		if _, err := src.Write(data); err == nil {
			_, _ = src.WriteTo(c) // writev through the poller
		}
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	must(t, err)
	defer c.Close()
	b := newBuffer(t, BufferOptions{})
	n, err := b.ReadFrom(c) // readv through the poller until EOF
	must(t, err)
	if n != int64(len(data)) || !b.Equal(data) {
		t.Fatalf("received %d of %d bytes", n, len(data))
	}
}

func TestBufferWriteToPlainWriter(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	_, err := b.WriteString("abc")
	must(t, err)
	must(t, b.AppendRef([]byte("def")))
	var out bytes.Buffer
	n, err := b.WriteTo(&out)
	must(t, err)
	if n != 6 || out.String() != "abcdef" || b.Len() != 0 {
		t.Fatalf("WriteTo = %d, %q, %d left", n, out.String(), b.Len())
	}
	_, err = b.WriteString("xyz")
	must(t, err)
	_, err = b.WriteTo(oneByteWriter{})
	wantErr(t, err, io.ErrShortWrite)
	if !b.Equal([]byte("yz")) {
		t.Fatal("short write consumed the wrong bytes")
	}
}

func TestAppendRefUnpinsWhenReleased(t *testing.T) {
	p := newPool(t)
	b := newBuffer(t, BufferOptions{Pool: p})
	payload := bytes.Repeat([]byte("pinned"), 1000)
	must(t, b.AppendRef(payload))
	v, err := b.SplitTo(b.Len())
	must(t, err)
	s, err := p.Stats()
	must(t, err)
	if s.ExternalBlocks != 1 || !v.Equal(payload) {
		t.Fatalf("%d external blocks", s.ExternalBlocks)
	}
	v.Release()
	s, err = p.Stats()
	must(t, err)
	if s.ExternalBlocks != 0 {
		t.Fatalf("%d external blocks after release", s.ExternalBlocks)
	}

	limited := newBuffer(t, BufferOptions{Pool: p, MaxBytes: 2})
	wantErr(t, limited.AppendRef([]byte("too long")), ErrLimit)
}

// oneByteWriter accepts one byte per Write and reports a short write.
type oneByteWriter struct{}

func (oneByteWriter) Write(p []byte) (int, error) { return min(len(p), 1), nil }
