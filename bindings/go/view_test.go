package chunkbuf

import (
	"bytes"
	"crypto/sha256"
	"io"
	"testing"
	"unsafe"
)

func TestViewBytesIsZeroCopy(t *testing.T) {
	v, err := NewView(nil, []byte("zero copy"))
	must(t, err)
	defer v.Release()
	a, b := v.Bytes(), v.Bytes()
	if string(a) != "zero copy" || unsafe.SliceData(a) != unsafe.SliceData(b) {
		t.Fatal("Bytes copies or differs")
	}
	c, _ := v.Copy()
	if unsafe.SliceData(c) == unsafe.SliceData(a) {
		t.Fatal("Copy aliases the view")
	}
	segs, err := v.Segments()
	must(t, err)
	if len(segs) != 1 || unsafe.SliceData(segs[0]) != unsafe.SliceData(a) {
		t.Fatal("Segments copies")
	}
}

func TestViewOfSeveralSegments(t *testing.T) {
	b := newBuffer(t, BufferOptions{})
	must(t, b.AppendRef([]byte("hello ")))
	must(t, b.AppendRef([]byte("world")))
	v, err := b.SplitTo(11)
	must(t, err)
	defer v.Release()
	segs, err := v.Segments()
	must(t, err)
	if len(segs) != 2 {
		t.Fatalf("%d segments", len(segs))
	}
	flat := v.Bytes()
	if string(flat) != "hello world" || unsafe.SliceData(v.Bytes()) != unsafe.SliceData(flat) {
		t.Fatal("Bytes of a multi-segment view")
	}
	c, err := v.Contiguous()
	must(t, err)
	defer c.Release()
	if !c.EqualView(v) {
		t.Fatal("contiguous view differs")
	}
	var out bytes.Buffer
	n, err := v.WriteTo(&out)
	if err != nil || n != 11 || out.String() != "hello world" {
		t.Fatalf("WriteTo = %d, %v, %q", n, err, out.String())
	}
	p := make([]byte, 5)
	if n, err := v.ReadAt(p, 6); n != 5 || err != nil || string(p) != "world" {
		t.Fatalf("ReadAt = %d, %v, %q", n, err, p)
	}
	if n, err := v.ReadAt(p, 11); n != 0 || err != io.EOF {
		t.Fatalf("ReadAt at the end = %d, %v", n, err)
	}
	_, err = v.ReadAt(p, 12)
	wantErr(t, err, ErrRange)
}

func TestViewSliceFindConcatClone(t *testing.T) {
	v, err := NewView(nil, []byte("abcdefgh"))
	must(t, err)
	defer v.Release()
	s, err := v.Slice(2, -1)
	must(t, err)
	defer s.Release()
	if s.String() != "cdefgh" {
		t.Fatalf("slice %q", s.String())
	}
	_, err = v.Slice(5, 3)
	wantErr(t, err, ErrRange)
	if pos, err := v.Find([]byte("ef"), 0, -1); pos != 4 || err != nil {
		t.Fatalf("Find = %d, %v", pos, err)
	}
	if pos, _ := v.Find([]byte("ef"), 0, 5); pos != -1 {
		t.Fatalf("Find outside the range = %d", pos)
	}
	cat, err := Concat(v, s)
	must(t, err)
	defer cat.Release()
	if cat.String() != "abcdefghcdefgh" {
		t.Fatalf("concat %q", cat.String())
	}
	empty, err := Concat()
	must(t, err)
	defer empty.Release()
	if empty.Len() != 0 {
		t.Fatal("empty concat has bytes")
	}
	before := v.Sharers()
	sl, err := v.Slice(0, 1)
	must(t, err)
	if v.Sharers() != before+1 {
		t.Fatalf("sharers %d -> %d", before, v.Sharers())
	}
	sl.Release()
	if v.Sharers() != before {
		t.Fatal("a released slice still shares the block")
	}
	c, err := v.Clone()
	must(t, err)
	c.Release()
	if v.String() != "abcdefgh" {
		t.Fatal("releasing a clone broke the original")
	}
}

func TestViewKindsAndDigest(t *testing.T) {
	jpeg, err := RegisterKind("jpeg-go-test")
	must(t, err)
	again, err := RegisterKind("jpeg-go-test")
	must(t, err)
	if jpeg != again || jpeg == KindRaw || jpeg.String() != "jpeg-go-test" {
		t.Fatalf("kind %d/%d %q", jpeg, again, jpeg.String())
	}
	v, err := NewView(nil, []byte("image"))
	must(t, err)
	defer v.Release()
	tagged, err := v.Retag(jpeg)
	must(t, err)
	defer tagged.Release()
	if v.Kind() != KindRaw || tagged.Kind() != jpeg {
		t.Fatal("retag changed the original or missed the copy")
	}
	_, err = v.Retag(Kind(1 << 30))
	wantErr(t, err, ErrInval)
	if Kind(1<<30).String() != "kind(1073741824)" {
		t.Fatal("unknown kind name")
	}
	d, err := v.SHA256()
	if !HasSHA256() {
		wantErr(t, err, ErrNotSup)
		return
	}
	must(t, err)
	if d != sha256.Sum256([]byte("image")) {
		t.Fatal("digest differs from crypto/sha256")
	}
}
