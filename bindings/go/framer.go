package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"runtime"
	"unsafe"
)

// Framer cuts messages out of a [Buffer] as zero-copy views: delimiter
// framing ([NewDelimiterFramer]) or length-prefixed framing
// ([NewLengthFramer]). It holds only its configuration and may serve any
// number of buffers, one call at a time. When no complete frame is
// buffered the result is [ErrNeedMore]; a frame longer than MaxFrame is
// [ErrFrameLimit] (which errors.Is also reports as [ErrLimit]); nothing is
// consumed then.
type Framer struct {
	h       *C.chunkbuf_framer
	cleanup runtime.Cleanup
}

// DelimiterFramerOptions configures [NewDelimiterFramer].
type DelimiterFramerOptions struct {
	// Delimiters (1..16 of 1..64 bytes each). A frame ends at the earliest
	// delimiter; where several match there, the longest wins.
	Delimiters       [][]byte
	MaxFrame         int  // largest frame without its delimiter; 0: unlimited
	IncludeDelimiter bool // Next keeps the delimiter in the view
}

// NewDelimiterFramer creates a delimiter framer. Before EOF a frame is held
// back while a longer delimiter could still complete, so results never
// depend on how the input was cut; at EOF (final) the trailing bytes
// become the last frame.
func NewDelimiterFramer(opts DelimiterFramerOptions) (*Framer, error) {
	const op = "NewDelimiterFramer"
	maxFrame, err := size(op, "MaxFrame", opts.MaxFrame)
	if err != nil {
		return nil, err
	}
	// The delimiters go to C as iovecs in C memory (an iovec array in Go
	// memory would hold Go pointers); the framer copies them.
	n := len(opts.Delimiters)
	iov := (*C.struct_iovec)(C.calloc(C.size_t(max(n, 1)), C.sizeof_struct_iovec))
	defer C.free(unsafe.Pointer(iov))
	list := unsafe.Slice(iov, max(n, 1))
	for i, d := range opts.Delimiters {
		list[i].iov_base = C.CBytes(d)
		list[i].iov_len = C.size_t(len(d))
		defer C.free(list[i].iov_base)
	}
	o := C.chunkbuf_delimiter_framer_options{
		struct_size:       C.sizeof_chunkbuf_delimiter_framer_options,
		delimiters:        iov,
		n_delimiters:      C.size_t(n),
		max_frame:         maxFrame,
		include_delimiter: cbool(opts.IncludeDelimiter),
	}
	var h *C.chunkbuf_framer
	var msg *C.char
	if err := check(op, C.cbw_framer_new_delimiter(&o, &h, &msg), msg); err != nil {
		return nil, err
	}
	return newFramer(h), nil
}

// LengthFramerOptions configures [NewLengthFramer], as Netty's
// LengthFieldBasedFrameDecoder.
type LengthFramerOptions struct {
	LengthOffset int       // header bytes before the length field
	LengthWidth  int       // 1, 2, 4 or 8
	Order        ByteOrder // of the length field
	// LengthAdjust is added to the field's value to give the payload bytes
	// after the field, e.g. -4 when a 4-byte field counts itself.
	LengthAdjust int64
	// Strip leading frame bytes from the view: LengthOffset+LengthWidth
	// gives the bare payload, 0 the whole frame.
	Strip    int
	MaxFrame int // largest payload; 0: unlimited
}

// NewLengthFramer creates a length-prefixed framer. A header whose length
// cannot be right is [ErrInval], as is a truncated frame at EOF.
func NewLengthFramer(opts LengthFramerOptions) (*Framer, error) {
	const op = "NewLengthFramer"
	var err error
	sz := func(what string, n int) C.size_t {
		v, e := size(op, what, n)
		if err == nil {
			err = e
		}
		return v
	}
	o := C.chunkbuf_length_framer_options{
		struct_size:   C.sizeof_chunkbuf_length_framer_options,
		length_offset: sz("LengthOffset", opts.LengthOffset),
		length_width:  sz("LengthWidth", opts.LengthWidth),
		order:         C.int(opts.Order),
		length_adjust: C.int64_t(opts.LengthAdjust),
		strip:         sz("Strip", opts.Strip),
		max_frame:     sz("MaxFrame", opts.MaxFrame),
	}
	if err != nil {
		return nil, err
	}
	var h *C.chunkbuf_framer
	var msg *C.char
	if err := check(op, C.cbw_framer_new_length(&o, &h, &msg), msg); err != nil {
		return nil, err
	}
	return newFramer(h), nil
}

func newFramer(h *C.chunkbuf_framer) *Framer {
	f := &Framer{h: h}
	f.cleanup = runtime.AddCleanup(f, func(h *C.chunkbuf_framer) { C.chunkbuf_framer_free(h) }, h)
	return f
}

// Close frees the framer. Idempotent.
func (f *Framer) Close() error {
	if f == nil || f.h == nil {
		return nil
	}
	f.cleanup.Stop()
	C.chunkbuf_framer_free(f.h)
	f.h = nil
	return nil
}

// handles returns the framer's and the buffer's handles.
func (f *Framer) handles(op string, b *Buffer) (*C.chunkbuf_framer, *C.chunkbuf_buffer, error) {
	if f == nil || f.h == nil {
		return nil, nil, released(op)
	}
	bh, err := b.handle(op)
	return f.h, bh, err
}

// Next takes the next frame from b as a view. final says b's input has
// ended (EOF), so trailing bytes form the last frame.
func (f *Framer) Next(b *Buffer, final bool) (*View, error) {
	const op = "Framer.Next"
	fh, bh, err := f.handles(op, b)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(f)
	defer runtime.KeepAlive(b)
	var out *C.chunkbuf_view
	var msg *C.char
	if err := check(op, C.cbw_framer_next(fh, bh, cbool(final), &out, &msg), msg); err != nil {
		return nil, err
	}
	return newView(out), nil
}

// NextBatch takes up to cap(recs) frames from b in one call, reusing recs;
// the batch view holds whole frames (headers and delimiters included) and
// the records locate each payload. An empty Batch means no frame is
// complete; an error after some frames is reported by the next call.
func (f *Framer) NextBatch(b *Buffer, final bool, recs []Record) (Batch, error) {
	const op = "Framer.NextBatch"
	fh, bh, err := f.handles(op, b)
	if err != nil {
		return Batch{}, err
	}
	r, mr, err := recordsArg(op, recs)
	if err != nil {
		return Batch{}, err
	}
	defer runtime.KeepAlive(f)
	defer runtime.KeepAlive(b)
	res := C.cbw_framer_next_batch_v(fh, bh, cbool(final), r, mr)
	if err := check(op, res.rc, res.err); err != nil {
		return Batch{}, err
	}
	return newBatch(&res, recs), nil
}

// Encode appends payload to out framed for this framer: the length prefix
// (copied) then the payload (zero copy), or the payload then the first
// delimiter.
func (f *Framer) Encode(out *Buffer, payload *View) error {
	const op = "Framer.Encode"
	fh, bh, err := f.handles(op, out)
	if err != nil {
		return err
	}
	vh, err := payload.handle(op)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(f)
	defer runtime.KeepAlive(out)
	defer runtime.KeepAlive(payload)
	var msg *C.char
	return check(op, C.cbw_framer_encode(fh, bh, vh, &msg), msg)
}
