package chunkbuf

import (
	"testing"
)

func TestPoolStatsAndTrim(t *testing.T) {
	p := newPool(t)
	base := inUse(t, p)
	b := newBuffer(t, BufferOptions{Pool: p})
	_, err := b.Write(make([]byte, 10000))
	must(t, err)
	s, err := p.Stats()
	must(t, err)
	if s.BytesInUse <= base || s.Acquisitions == 0 || s.PeakBytesInUse < s.BytesInUse {
		t.Fatalf("stats after a write: %+v", s)
	}
	must(t, b.Close())
	s, err = p.Stats()
	must(t, err)
	if s.BytesInUse != base || s.BytesCached == 0 {
		t.Fatalf("stats after close: %+v", s)
	}
	must(t, p.Trim())
	s, err = p.Stats()
	must(t, err)
	if s.BytesCached != 0 {
		t.Fatalf("trim left %d bytes cached", s.BytesCached)
	}
}

func TestPoolTenantQuota(t *testing.T) {
	p := newPool(t)
	must(t, p.SetTenantQuota(7, 8192))
	b := newBuffer(t, BufferOptions{Pool: p, Tenant: 7})
	_, err := b.Write(make([]byte, 4096))
	must(t, err)
	used, err := p.TenantUsage(7)
	must(t, err)
	if used == 0 || used > 8192 {
		t.Fatalf("tenant usage %d", used)
	}
	_, err = b.Write(make([]byte, 64<<10))
	wantErr(t, err, ErrLimit)
	if b.Len() != 4096 {
		t.Fatalf("a refused write changed the buffer: %d bytes", b.Len())
	}
	v, err := b.SplitTo(100)
	must(t, err)
	defer v.Release()
	if v.Tenant() != 7 {
		t.Fatalf("view tenant %d", v.Tenant())
	}
	must(t, b.Close())
	v.Release()
	used, err = p.TenantUsage(7)
	must(t, err)
	if used != 0 {
		t.Fatalf("tenant usage %d after release", used)
	}
}

func TestDefaultPool(t *testing.T) {
	p := DefaultPool()
	must(t, p.Close())
	if _, err := p.Stats(); err != nil {
		t.Fatalf("closing the default pool broke it: %v", err)
	}
	if DefaultPool() != p {
		t.Fatal("DefaultPool is not one object")
	}
	if Version() == "" {
		t.Fatal("no version")
	}
}

// A nil *Pool is the default pool for its methods too, as in options.
func TestANilPoolIsTheDefaultPool(t *testing.T) {
	var p *Pool
	s, err := p.Stats()
	must(t, err)
	d, err := DefaultPool().Stats()
	must(t, err)
	if s.Acquisitions > d.Acquisitions {
		t.Fatalf("nil pool stats %+v are not the default pool's %+v", s, d)
	}
	must(t, p.Trim())
	if _, err := p.TenantUsage(1); err != nil {
		t.Fatal(err)
	}
	if err := p.SetTenantQuota(0, -1); err == nil {
		t.Fatal("a negative quota was accepted")
	}
}
