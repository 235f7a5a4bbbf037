package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"io"
	"net"
	"runtime"
	"sync/atomic"
	"unsafe"
)

// View is an immutable run of bytes in pool memory, cut from a [Buffer] or
// a [Stream] without copying. It never sees later writes to its source and
// may be read by several goroutines at once. Release it when done; the
// memory goes back to the pool when the last view of a block is released.
//
// Release must not race with other methods on the same View: give each
// goroutine its own [View.Clone] instead.
type View struct {
	r       *viewRef
	cleanup runtime.Cleanup
}

// viewRef is the C side of a View, kept apart so the runtime cleanup can
// release it without keeping the View reachable.
type viewRef struct {
	h        *C.chunkbuf_view
	flat     atomic.Pointer[flatView] // contiguous copy made by Bytes
	released atomic.Bool
}

// flatView holds the handle of a view's contiguous copy.
type flatView struct{ h *C.chunkbuf_view }

func (r *viewRef) release() {
	C.chunkbuf_view_release(r.h)
	if f := r.flat.Load(); f != nil {
		C.chunkbuf_view_release(f.h)
	}
}

// newView takes ownership of one reference to h (nil stays nil).
func newView(h *C.chunkbuf_view) *View {
	if h == nil {
		return nil
	}
	v := &View{r: &viewRef{h: h}}
	v.cleanup = runtime.AddCleanup(v, (*viewRef).release, v.r)
	return v
}

// NewView copies p once into memory of pool (nil: the default pool).
func NewView(pool *Pool, p []byte) (*View, error) {
	const op = "NewView"
	ph, err := pool.handle(op)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(pool)
	data, n := bytesArg(p)
	var h *C.chunkbuf_view
	var msg *C.char
	if err := check(op, C.cbw_view_from_bytes(ph, data, n, &h, &msg), msg); err != nil {
		return nil, err
	}
	return newView(h), nil
}

// FromBytes returns a View of a copy of p in pool (nil: [DefaultPool]) with
// the content kind registered under kindName ("raw", "pcm16", "mulaw8",
// "jpeg" or one from [RegisterKind]); an unknown name is an [ErrInval]
// error.
func FromBytes(pool *Pool, p []byte, kindName string) (*View, error) {
	const op = "FromBytes"
	k, err := LookupKind(kindName)
	if err != nil {
		return nil, err
	}
	ph, err := pool.handle(op)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(pool)
	data, n := bytesArg(p)
	var h *C.chunkbuf_view
	var msg *C.char
	if err := check(op, C.cbw_view_from_bytes_kind(ph, data, n, C.uint32_t(k), &h, &msg), msg); err != nil {
		return nil, err
	}
	return newView(h), nil
}

// Release gives the view's reference back. Idempotent; a nil View is fine.
// Slices obtained from the view become invalid.
func (v *View) Release() {
	if v == nil || !v.r.released.CompareAndSwap(false, true) {
		return
	}
	v.cleanup.Stop()
	v.r.release()
}

func (v *View) handle(op string) (*C.chunkbuf_view, error) {
	if v == nil || v.r.released.Load() {
		return nil, released(op)
	}
	return v.r.h, nil
}

// Len returns the number of bytes in the view (0 once released).
func (v *View) Len() int {
	h, err := v.handle("View.Len")
	if err != nil {
		return 0
	}
	defer runtime.KeepAlive(v)
	var n C.size_t
	var msg *C.char
	if check("View.Len", C.cbw_view_len(h, &n, &msg), msg) != nil {
		return 0
	}
	return int(n)
}

// Bytes returns the view's bytes without copying: the slice aliases C
// memory and is valid until the view is released. Do not modify it or use
// it after Release, and keep the View reachable while you use it. This
// cannot be checked: after Release the memory goes back to the pool, and a
// slice kept from before shows whatever the pool's next user writes there
// (another buffer's bytes). Use [View.Copy] for bytes that outlive the view. A view
// of several segments is made contiguous once (one copy into pool memory,
// kept with the view). Bytes returns nil for a released view or when that
// copy fails.
func (v *View) Bytes() []byte {
	const op = "View.Bytes"
	h, err := v.flatHandle(op)
	if err != nil {
		return nil
	}
	defer runtime.KeepAlive(v)
	var data unsafe.Pointer
	var n C.size_t
	var msg *C.char
	if check(op, C.cbw_view_data(h, &data, &n, &msg), msg) != nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(data), int(n))
}

// flatHandle returns a handle of v's bytes in one segment: v's own, or the
// contiguous copy made (once) on the first call that needed it.
func (v *View) flatHandle(op string) (*C.chunkbuf_view, error) {
	h, err := v.handle(op)
	if err != nil {
		return nil, err
	}
	if f := v.r.flat.Load(); f != nil {
		return f.h, nil
	}
	defer runtime.KeepAlive(v)
	var count C.size_t
	var msg *C.char
	if err := check(op, C.cbw_view_segment_count(h, &count, &msg), msg); err != nil || count <= 1 {
		return h, err
	}
	var flat *C.chunkbuf_view
	if err := check(op, C.cbw_view_contiguous(h, &flat, &msg), msg); err != nil {
		return nil, err
	}
	if !v.r.flat.CompareAndSwap(nil, &flatView{flat}) {
		C.chunkbuf_view_release(flat)
	}
	return v.r.flat.Load().h, nil
}

// Segments returns the view's segments without copying; like [View.Bytes]
// the slices alias C memory and are valid until Release.
func (v *View) Segments() ([][]byte, error) {
	const op = "View.Segments"
	h, err := v.handle(op)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(v)
	var count C.size_t
	var msg *C.char
	if err := check(op, C.cbw_view_segment_count(h, &count, &msg), msg); err != nil || count == 0 {
		return nil, err
	}
	iov := make([]C.struct_iovec, count)
	if err := check(op, C.cbw_view_segments(h, 0, &iov[0], count, &count, &msg), msg); err != nil {
		return nil, err
	}
	return iovecSlices(iov[:count]), nil
}

// Copy returns the view's bytes in a new Go slice.
//
// After Release it fails with [ErrHandle] (an empty view gives an empty
// slice and no error).
func (v *View) Copy() ([]byte, error) {
	const op = "View.Copy"
	if _, err := v.handle(op); err != nil {
		return nil, err
	}
	p := make([]byte, v.Len())
	n, err := v.ReadAt(p, 0)
	if err != nil && err != io.EOF {
		return nil, err
	}
	return p[:n], nil
}

// releasedText is what String gives for a released view: fmt.Stringer has
// no error result, and an empty string would pass for an empty view.
const releasedText = "<released chunkbuf.View>"

// String returns a copy of the view's bytes as a string, or
// "<released chunkbuf.View>" after Release; use [View.Copy] to get an error.
func (v *View) String() string {
	p, err := v.Copy()
	if err != nil {
		return releasedText
	}
	return string(p)
}

// ReadAt copies bytes from offset off into p (io.ReaderAt). [ErrRange] if
// off > Len; io.EOF when fewer than len(p) bytes follow off.
func (v *View) ReadAt(p []byte, off int64) (int, error) {
	const op = "View.ReadAt"
	h, err := v.handle(op)
	if err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, misuse(op, ErrInval, "negative offset %d", off)
	}
	defer runtime.KeepAlive(v)
	dst, n := bytesArg(p)
	var copied C.size_t
	var msg *C.char
	if err := check(op, C.cbw_view_copy_out(h, C.size_t(off), dst, n, &copied, &msg), msg); err != nil {
		return 0, err
	}
	if int(copied) < len(p) {
		return int(copied), io.EOF
	}
	return int(copied), nil
}

// WriteTo writes the view's segments to w (io.WriterTo), with one writev
// where w is a network connection. The view is not consumed.
func (v *View) WriteTo(w io.Writer) (int64, error) {
	segs, err := v.Segments()
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(v)
	bufs := net.Buffers(segs)
	return bufs.WriteTo(w)
}

// Slice returns a view of bytes [start, end); end < 0 means to the end.
// Zero copy; the slice inherits kind and tenant.
func (v *View) Slice(start, end int) (*View, error) {
	const op = "View.Slice"
	h, err := v.handle(op)
	if err != nil {
		return nil, err
	}
	s, err := size(op, "start", start)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(v)
	var out *C.chunkbuf_view
	var msg *C.char
	if err := check(op, C.cbw_view_slice(h, s, endPos(end), &out, &msg), msg); err != nil {
		return nil, err
	}
	return newView(out), nil
}

// Find returns the position of the first needle lying within [start, end)
// (end < 0: to the end), or -1.
func (v *View) Find(needle []byte, start, end int) (int, error) {
	const op = "View.Find"
	h, err := v.handle(op)
	if err != nil {
		return 0, err
	}
	s, err := size(op, "start", start)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(v)
	nd, nl := bytesArg(needle)
	var pos C.size_t
	var msg *C.char
	if err := check(op, C.cbw_view_find(h, nd, nl, s, endPos(end), &pos, &msg), msg); err != nil {
		return 0, err
	}
	return position(pos), nil
}

// Equal reports whether the view holds exactly the bytes p (false once
// released).
func (v *View) Equal(p []byte) bool {
	h, err := v.handle("View.Equal")
	if err != nil {
		return false
	}
	defer runtime.KeepAlive(v)
	d, n := bytesArg(p)
	var eq C.int
	var msg *C.char
	return check("View.Equal", C.cbw_view_equals(h, d, n, &eq, &msg), msg) == nil && eq != 0
}

// EqualView reports whether both views hold the same bytes.
func (v *View) EqualView(o *View) bool {
	a, err := v.handle("View.EqualView")
	if err != nil {
		return false
	}
	b, err := o.handle("View.EqualView")
	if err != nil {
		return false
	}
	defer runtime.KeepAlive(v)
	defer runtime.KeepAlive(o)
	var eq C.int
	var msg *C.char
	return check("View.EqualView", C.cbw_view_equals_view(a, b, &eq, &msg), msg) == nil && eq != 0
}

// Clone returns another reference to the same bytes (O(1)), to be released
// on its own.
func (v *View) Clone() (*View, error) {
	const op = "View.Clone"
	h, err := v.handle(op)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(v)
	var msg *C.char
	if err := check(op, C.cbw_view_retain(h, &msg), msg); err != nil {
		return nil, err
	}
	return newView(h), nil
}

// Contiguous returns a single-segment view of the same bytes: another
// reference to v when it already is one, else one copy into pool memory.
func (v *View) Contiguous() (*View, error) {
	return v.derive("View.Contiguous", func(h *C.chunkbuf_view, out **C.chunkbuf_view, msg **C.char) C.int {
		return C.cbw_view_contiguous(h, out, msg)
	})
}

// Retag returns a view of the same bytes with another kind; v keeps its
// kind.
func (v *View) Retag(k Kind) (*View, error) {
	return v.derive("View.Retag", func(h *C.chunkbuf_view, out **C.chunkbuf_view, msg **C.char) C.int {
		return C.cbw_view_retag(h, C.uint32_t(k), out, msg)
	})
}

// WithTenant returns a new View of the same bytes (no copy) tagged with the
// tenant registered under name ([RegisterTenant]); slices inherit the tag
// and v keeps its own.
func (v *View) WithTenant(name string) (*View, error) {
	t, err := RegisterTenant(name)
	if err != nil {
		return nil, err
	}
	return v.derive("View.WithTenant", func(h *C.chunkbuf_view, out **C.chunkbuf_view, msg **C.char) C.int {
		return C.cbw_view_with_tenant(h, C.uint32_t(t), out, msg)
	})
}

// TenantName returns the name of the view's tenant, or "" when it has
// none (no tenant, or a number with no name).
func (v *View) TenantName() string {
	name, _ := TenantName(v.Tenant())
	return name
}

// derive runs a C call that makes a new view from v.
func (v *View) derive(op string, call func(*C.chunkbuf_view, **C.chunkbuf_view, **C.char) C.int) (*View, error) {
	h, err := v.handle(op)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(v)
	var out *C.chunkbuf_view
	var msg *C.char
	if err := check(op, call(h, &out, &msg), msg); err != nil {
		return nil, err
	}
	return newView(out), nil
}

// Concat returns one view of the views' bytes in order, without copying.
// Kind and tenant come from the first view.
func Concat(views ...*View) (*View, error) {
	const op = "Concat"
	list := make([]*C.chunkbuf_view, len(views))
	for i, v := range views {
		h, err := v.handle(op)
		if err != nil {
			return nil, err
		}
		list[i] = h
	}
	defer runtime.KeepAlive(views)
	var first **C.chunkbuf_view
	if len(list) > 0 {
		first = &list[0]
	}
	var out *C.chunkbuf_view
	var msg *C.char
	if err := check(op, C.cbw_view_concat(first, C.size_t(len(list)), &out, &msg), msg); err != nil {
		return nil, err
	}
	return newView(out), nil
}

// Kind returns the view's content kind ([KindRaw] once released).
func (v *View) Kind() Kind {
	h, err := v.handle("View.Kind")
	if err != nil {
		return KindRaw
	}
	defer runtime.KeepAlive(v)
	var k C.uint32_t
	var msg *C.char
	if check("View.Kind", C.cbw_view_kind(h, &k, &msg), msg) != nil {
		return KindRaw
	}
	return Kind(k)
}

// Tenant returns the pool tenant the view's bytes are accounted to (0:
// none).
func (v *View) Tenant() uint32 {
	h, err := v.handle("View.Tenant")
	if err != nil {
		return 0
	}
	defer runtime.KeepAlive(v)
	var t C.uint32_t
	var msg *C.char
	if check("View.Tenant", C.cbw_view_tenant(h, &t, &msg), msg) != nil {
		return 0
	}
	return uint32(t)
}

// Sharers returns the live holders of the view's first block: views (each
// [View.Clone] counted), buffers and streams; 0 for an empty or released
// view.
func (v *View) Sharers() int {
	h, err := v.handle("View.Sharers")
	if err != nil {
		return 0
	}
	defer runtime.KeepAlive(v)
	var n C.size_t
	var msg *C.char
	if check("View.Sharers", C.cbw_view_sharers(h, &n, &msg), msg) != nil {
		return 0
	}
	return int(n)
}

// SHA256 returns the SHA-256 digest of the view's bytes, computed without
// coalescing. [ErrNotSup] when the library lacks a crypto backend.
func (v *View) SHA256() ([32]byte, error) {
	const op = "View.SHA256"
	var d [32]byte
	h, err := v.handle(op)
	if err != nil {
		return d, err
	}
	defer runtime.KeepAlive(v)
	var msg *C.char
	err = check(op, C.cbw_view_sha256(h, (*C.uint8_t)(unsafe.Pointer(&d[0])), &msg), msg)
	return d, err
}
