package chunkbuf

// #include "cwrap.h"
import "C"

import "runtime"

// Prepend copies p in before the first byte (a header added once the
// payload is known). While a reservation is open it fails with [ErrState],
// past MaxBytes with [ErrLimit]; nothing moves then.
func (b *Buffer) Prepend(p []byte) error {
	const op = "Buffer.Prepend"
	h, err := b.handle(op)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(b)
	d, n := bytesArg(p)
	var msg *C.char
	return check(op, C.cbw_buffer_prepend(h, d, n, &msg), msg)
}

// PrependView puts v's bytes before the first byte without copying: its
// segments go in front of the buffer's (a Linear buffer copies). v stays
// the caller's. Errors as [Buffer.Prepend].
func (b *Buffer) PrependView(v *View) error {
	const op = "Buffer.PrependView"
	h, err := b.handle(op)
	if err != nil {
		return err
	}
	vh, err := v.handle(op)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(b)
	defer runtime.KeepAlive(v)
	var msg *C.char
	return check(op, C.cbw_buffer_prepend_view(h, vh, &msg), msg)
}
