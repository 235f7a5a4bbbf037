package chunkbuf

import (
	"bytes"
	"strings"
	"testing"
	"unsafe"
)

func TestFromBytesTakesAKindByName(t *testing.T) {
	v, err := FromBytes(nil, []byte{1, 2, 3}, "pcm16")
	must(t, err)
	defer v.Release()
	if v.Kind().String() != "pcm16" || !bytes.Equal(v.Bytes(), []byte{1, 2, 3}) {
		t.Fatalf("kind %v bytes %v", v.Kind(), v.Bytes())
	}
	s, err := v.Slice(1, 3)
	must(t, err)
	defer s.Release()
	if s.Kind() != v.Kind() {
		t.Fatal("a slice lost the kind")
	}
	_, err = FromBytes(nil, []byte("x"), "go-never-registered")
	wantErr(t, err, ErrInval)
	if !strings.Contains(err.Error(), "go-never-registered") {
		t.Fatalf("error does not name the kind: %v", err)
	}
	mine, err := RegisterKind("go-axon-kind")
	must(t, err)
	k, err := LookupKind("go-axon-kind")
	must(t, err)
	if k != mine {
		t.Fatalf("lookup %v, registered %v", k, mine)
	}
}

func TestWithTenantTagsANewViewAndSlicesInheritIt(t *testing.T) {
	v, err := FromBytes(nil, make([]byte, 16), "raw")
	must(t, err)
	defer v.Release()
	a, err := v.WithTenant("go-alpha")
	must(t, err)
	defer a.Release()
	if a.TenantName() != "go-alpha" || v.TenantName() != "" || v.Tenant() != 0 {
		t.Fatalf("tenants %q %q", a.TenantName(), v.TenantName())
	}
	if unsafe.SliceData(a.Bytes()) != unsafe.SliceData(v.Bytes()) {
		t.Fatal("WithTenant copied the bytes")
	}
	s, err := a.Slice(0, 4)
	must(t, err)
	defer s.Release()
	c, err := a.Clone()
	must(t, err)
	defer c.Release()
	if s.TenantName() != "go-alpha" || c.TenantName() != "go-alpha" {
		t.Fatal("slice or clone lost the tenant")
	}
	id, err := RegisterTenant("go-alpha")
	must(t, err)
	if a.Tenant() != id {
		t.Fatalf("tenant id %d, registered %d", a.Tenant(), id)
	}
	_, err = v.WithTenant("")
	wantErr(t, err, ErrInval)
}

func TestTenantNamesDriveTheNumericAccounting(t *testing.T) {
	p := newPool(t)
	id, err := RegisterTenant("go-quota")
	must(t, err)
	must(t, p.SetTenantQuota(id, 8192))
	b := newBuffer(t, BufferOptions{Pool: p, Tenant: id})
	_, err = b.Write([]byte("0123456789"))
	must(t, err)
	if n, err := p.TenantUsage(id); err != nil || n != 4096 {
		t.Fatalf("usage %d %v", n, err)
	}
	_, err = b.Write(make([]byte, 8192))
	wantErr(t, err, ErrLimit)
	v, err := b.SplitTo(10)
	must(t, err)
	if v.TenantName() != "go-quota" {
		t.Fatalf("tenant %q", v.TenantName())
	}
	v.Release()
	b.Close()
	if n, _ := p.TenantUsage(id); n != 0 {
		t.Fatalf("usage after release %d", n)
	}
}

func TestBufferMutFreezesWithoutCopying(t *testing.T) {
	jpeg, err := LookupKind("jpeg")
	must(t, err)
	m, err := NewBufferMut(1024, jpeg, BufferOptions{})
	must(t, err)
	defer m.Close()
	c := m.Capacity()
	if c < 1024 {
		t.Fatalf("capacity %d", c)
	}
	_, err = m.Write([]byte("hello "))
	must(t, err)
	_, err = m.Write([]byte("world"))
	must(t, err)
	if m.Capacity() != c {
		t.Fatal("the writes took another block")
	}
	segs, err := m.Peek(11)
	must(t, err)
	v, err := m.Freeze()
	must(t, err)
	defer v.Release()
	if string(v.Bytes()) != "hello world" || v.Kind() != jpeg {
		t.Fatalf("frozen %q kind %v", v.Bytes(), v.Kind())
	}
	if unsafe.SliceData(v.Bytes()) != unsafe.SliceData(segs[0]) {
		t.Fatal("freeze copied the bytes")
	}
	if m.Len() != 0 {
		t.Fatal("the builder is not empty after Freeze")
	}
	_, err = m.Write([]byte("XXXXXXXXXXX"))
	must(t, err)
	if string(v.Bytes()) != "hello world" {
		t.Fatal("a later write changed the frozen view")
	}
	_, err = NewBufferMut(200, KindRaw, BufferOptions{MaxBytes: 100})
	wantErr(t, err, ErrLimit)
	_, err = m.Buffer.Freeze(Kind(1 << 30))
	wantErr(t, err, ErrInval)
}
