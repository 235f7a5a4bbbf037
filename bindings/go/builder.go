package chunkbuf

// #include "cwrap.h"
import "C"

import "runtime"

// Capacity returns the bytes held plus those that fit in the current block
// without taking another (a pooled buffer's fixed size); 0 once closed.
func (b *Buffer) Capacity() int {
	h, err := b.handle("Buffer.Capacity")
	if err != nil {
		return 0
	}
	defer runtime.KeepAlive(b)
	var n C.size_t
	var msg *C.char
	if check("Buffer.Capacity", C.cbw_buffer_capacity(h, &n, &msg), msg) != nil {
		return 0
	}
	return int(n)
}

// EnsureCapacity takes a block now so that n more bytes fit in one block
// (ErrLimit past MaxBytes or the tenant's quota).
func (b *Buffer) EnsureCapacity(n int) error {
	const op = "Buffer.EnsureCapacity"
	h, err := b.handle(op)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(b)
	c, err := size(op, "n", n)
	if err != nil {
		return err
	}
	var msg *C.char
	return check(op, C.cbw_buffer_ensure_capacity(h, c, &msg), msg)
}

// Freeze moves every byte into one View of kind k without copying them;
// the buffer is left empty.
func (b *Buffer) Freeze(k Kind) (*View, error) {
	const op = "Buffer.Freeze"
	h, err := b.handle(op)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(b)
	var out *C.chunkbuf_view
	var msg *C.char
	if err := check(op, C.cbw_buffer_freeze(h, C.uint32_t(k), &out, &msg), msg); err != nil {
		return nil, err
	}
	return newView(out), nil
}

// BufferMut is axon's in-flight builder: a [Buffer] with capacity taken
// ahead and the content kind of the View it freezes into.
type BufferMut struct {
	*Buffer
	kind Kind
}

// NewBufferMut creates a builder holding capacity bytes of room
// (BufferMut::with_capacity) whose Freeze gives kind k; opts as for
// [NewBuffer] (Tenant tags the frozen View too).
func NewBufferMut(capacity int, k Kind, opts BufferOptions) (*BufferMut, error) {
	b, err := NewBuffer(opts)
	if err != nil {
		return nil, err
	}
	if err := b.EnsureCapacity(capacity); err != nil {
		b.Close()
		return nil, err
	}
	return &BufferMut{Buffer: b, kind: k}, nil
}

// Freeze moves every byte into one View of the builder's kind without
// copying; the builder is left empty.
func (m *BufferMut) Freeze() (*View, error) { return m.Buffer.Freeze(m.kind) }
