package chunkbuf

import (
	"runtime"
	"testing"
	"unsafe"
)

func stats(t *testing.T, p *Pool) PoolStats {
	t.Helper()
	s, err := p.Stats()
	must(t, err)
	return s
}

func TestPoolGetHandsOutAPooledBufferThatGoesBack(t *testing.T) {
	p := newPool(t)
	s0 := stats(t, p)
	b, err := p.Get(5000)
	must(t, err)
	s1 := stats(t, p)
	if s1.Acquisitions-s0.Acquisitions != 1 || b.Capacity() != 8192 {
		t.Fatalf("acquisitions +%d capacity %d", s1.Acquisitions-s0.Acquisitions, b.Capacity())
	}
	_, err = b.Write([]byte("@seq\nACGT\n+\nIIII\n"))
	must(t, err)
	_, err = b.Write(make([]byte, 8192))
	wantErr(t, err, ErrLimit)
	must(t, b.Close())
	s2 := stats(t, p)
	if s2.Releases-s1.Releases != 1 || s2.BytesInUse != s0.BytesInUse {
		t.Fatalf("releases +%d in use %d", s2.Releases-s1.Releases, s2.BytesInUse)
	}
	// Dropped without Close: the cleanup gives the block back.
	func() {
		_, err := p.Get(100)
		must(t, err)
	}()
	s3 := stats(t, p)
	for i := 0; i < 50 && stats(t, p).Releases == s3.Releases; i++ {
		runtime.GC()
		runtime.Gosched()
	}
	if stats(t, p).Releases-s3.Releases != 1 {
		t.Fatal("a dropped pooled buffer did not go back to the pool")
	}
	_, err = p.Get(0)
	wantErr(t, err, ErrInval)
	_, err = p.Get(1<<20 + 1)
	wantErr(t, err, ErrInval)
}

func TestPreallocFillsTheCacheAndGetHitsIt(t *testing.T) {
	p, err := NewPool(PoolOptions{Prealloc: 4, PreallocSize: 16384})
	must(t, err)
	defer p.Close()
	s := stats(t, p)
	if s.CachedBlocks[2] != 4 || s.BytesCached != 4*16384 || s.Acquisitions != 0 {
		t.Fatalf("cached %d bytes %d acquisitions %d", s.CachedBlocks[2], s.BytesCached, s.Acquisitions)
	}
	b, err := p.Get(16384)
	must(t, err)
	if stats(t, p).Hits[2] != 1 {
		t.Fatal("Get missed the preallocated cache")
	}
	b.Close()
	_, err = NewPool(PoolOptions{MaxCachedBytesPerClass: 8 * 4096, Prealloc: 9})
	wantErr(t, err, ErrLimit)
}

func TestArenaAllocatesResetsAndIsBounded(t *testing.T) {
	p := newPool(t)
	a, err := NewArena(p, 100)
	must(t, err)
	defer a.Close()
	if stats(t, p).BytesInUse != 4096 {
		t.Fatal("the arena took no block")
	}
	x, err := a.Alloc(10, 0)
	must(t, err)
	copy(x, "0123456789")
	y, err := a.Alloc(8, 8)
	must(t, err)
	if uintptr(unsafe.Pointer(&y[0]))%8 != 0 || a.Used() < 18 || a.Capacity() != 100 {
		t.Fatalf("alignment or usage wrong: used %d", a.Used())
	}
	_, err = a.Alloc(100, 0)
	wantErr(t, err, ErrLimit)
	_, err = a.Alloc(0, 0)
	wantErr(t, err, ErrInval)
	_, err = a.Alloc(1, 3)
	wantErr(t, err, ErrInval)
	must(t, a.Reset())
	if a.Used() != 0 {
		t.Fatal("Reset kept allocations")
	}
	z, err := a.Alloc(100, 0)
	must(t, err)
	if &z[0] != &x[0] {
		t.Fatal("Reset did not reuse the memory")
	}
	must(t, a.Close())
	if stats(t, p).BytesInUse != 0 {
		t.Fatal("Close kept the block")
	}
	_, err = a.Alloc(1, 0)
	wantErr(t, err, ErrHandle)
	_, err = NewArena(nil, 0)
	wantErr(t, err, ErrInval)
}

func TestOptimalBufferSize(t *testing.T) {
	for _, c := range []struct {
		total    uint64
		min, max int
		want     int
	}{{0, 0, 0, 8192}, {2000000, 0, 0, 20480}, {1 << 40, 0, 0, 65536}, {5000000, 4096, 30000, 32768}} {
		got, err := OptimalBufferSize(c.total, c.min, c.max)
		must(t, err)
		if got != c.want {
			t.Fatalf("OptimalBufferSize(%d, %d, %d) = %d, want %d", c.total, c.min, c.max, got, c.want)
		}
	}
	_, err := OptimalBufferSize(1, 9000, 8192)
	wantErr(t, err, ErrInval)
}

func TestRecordBatchHoldsUpToNRecords(t *testing.T) {
	p := newPool(t)
	b := newBuffer(t, BufferOptions{Pool: p})
	_, err := b.Write([]byte("r1\nr2\nr3\nr4\n"))
	must(t, err)
	batch, err := b.TakeLines(EOLLF, 0, make([]Record, 0, 3))
	must(t, err)
	if batch.Len() != 3 || !batch.Full() || string(batch.Bytes(2)) != "r3" {
		t.Fatalf("batch of %d, full %v", batch.Len(), batch.Full())
	}
	rest, err := b.TakeLines(EOLLF, 0, make([]Record, 0, 3))
	must(t, err)
	if rest.Len() != 1 || rest.Full() {
		t.Fatal("second batch wrong")
	}
	batch.Release()
	rest.Release()
	b.Close()
	if stats(t, p).BytesInUse != 0 {
		t.Fatal("the batches kept their blocks")
	}
}
