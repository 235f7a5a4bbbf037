package chunkbuf

import (
	"testing"
)

func TestDelimiterFramer(t *testing.T) {
	f, err := NewDelimiterFramer(DelimiterFramerOptions{Delimiters: [][]byte{[]byte("\n"), []byte("\r\n")}, MaxFrame: 8})
	must(t, err)
	defer f.Close()
	b := newBuffer(t, BufferOptions{})
	_, err = b.WriteString("one\r\ntwo\nthree\r")
	must(t, err)
	var got []string
	for {
		v, err := f.Next(b, false)
		if err != nil {
			wantErr(t, err, ErrNeedMore)
			break
		}
		got = append(got, v.String())
		v.Release()
	}
	if len(got) != 2 || got[0] != "one" || got[1] != "two" || !b.Equal([]byte("three\r")) {
		t.Fatalf("frames %q, left %d bytes", got, b.Len())
	}
	last, err := f.Next(b, true)
	must(t, err)
	defer last.Release()
	if last.String() != "three\r" {
		t.Fatalf("final frame %q", last.String())
	}
	_, err = b.WriteString("much too long\n")
	must(t, err)
	_, err = f.Next(b, false)
	wantErr(t, err, ErrLimit)
	if b.Len() != 14 {
		t.Fatal("a refused frame consumed bytes")
	}
	_, err = NewDelimiterFramer(DelimiterFramerOptions{})
	wantErr(t, err, ErrInval)
}

func TestLengthFramerEncodeAndBatch(t *testing.T) {
	f, err := NewLengthFramer(LengthFramerOptions{LengthWidth: 2, Order: BigEndian, Strip: 2})
	must(t, err)
	defer f.Close()
	b := newBuffer(t, BufferOptions{})
	for _, msg := range []string{"alpha", "", "gamma!"} {
		v, err := NewView(nil, []byte(msg))
		must(t, err)
		must(t, f.Encode(b, v))
		v.Release()
	}
	if b.Len() != 2+5+2+0+2+6 {
		t.Fatalf("encoded %d bytes", b.Len())
	}
	batch, err := f.NextBatch(b, false, make([]Record, 0, 8))
	must(t, err)
	defer batch.Release()
	if batch.Len() != 3 || string(batch.Bytes(0)) != "alpha" || len(batch.Bytes(1)) != 0 || string(batch.Bytes(2)) != "gamma!" {
		t.Fatalf("batch of %d", batch.Len())
	}
	_, err = b.Write([]byte{0, 9, 'x'})
	must(t, err)
	_, err = f.Next(b, false)
	wantErr(t, err, ErrNeedMore)
	_, err = f.Next(b, true)
	wantErr(t, err, ErrInval)

	_, err = NewLengthFramer(LengthFramerOptions{LengthWidth: 3})
	wantErr(t, err, ErrInval)
	_, err = NewLengthFramer(LengthFramerOptions{LengthWidth: -1})
	wantErr(t, err, ErrInval)
	must(t, f.Close())
	_, err = f.Next(b, false)
	wantErr(t, err, ErrHandle)
}
