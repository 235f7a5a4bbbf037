package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"iter"
	"unsafe"
)

// Record locates one record of a [Batch] inside the batch's view: bytes
// [Offset, Offset+Length) followed by DelimLength delimiter bytes. Its
// layout is chunkbuf_record's, so batches fill a []Record in place.
type Record struct {
	Offset      int
	Length      int
	DelimLength int
}

// Record must stay layout-compatible with chunkbuf_record (these fail to
// compile otherwise).
var (
	_ [unsafe.Sizeof(Record{}) - C.sizeof_chunkbuf_record]struct{}
	_ [C.sizeof_chunkbuf_record - unsafe.Sizeof(Record{})]struct{}
	_ [unsafe.Offsetof(Record{}.Length) - unsafe.Offsetof(C.chunkbuf_record{}.length)]struct{}
	_ [unsafe.Offsetof(C.chunkbuf_record{}.delim_length) - unsafe.Offsetof(Record{}.DelimLength)]struct{}
)

// Batch is the result of a batch take: several records in one view, taken
// with one call into C. The zero Batch is empty.
type Batch struct {
	View    *View     // every record with its delimiter; nil when empty
	Records []Record  // where each record lies in View
	data    []byte    // View.Bytes(), located by the batch call itself
	runs    []lineRun // line batches instead of data: where the lines lie
}

// newBatch wraps the result of a batch call: the view (one reference), its
// contiguous copy if it needed one, and res.n of recs.
func newBatch(res *C.cbw_batch, recs []Record) Batch {
	v := newView(res.view)
	b := Batch{View: v, Records: recs[:res.n]}
	if v == nil {
		return b
	}
	if res.flat != nil {
		v.r.flat.Store(&flatView{res.flat})
	}
	if res.len > 0 {
		b.data = unsafe.Slice((*byte)(res.data), int(res.len))
	}
	return b
}

// lineBatch wraps a line hand-out: the view v, n of recs, and the runs
// that locate the lines' bytes (each line is contiguous).
func lineBatch(v *View, recs []Record, n C.size_t, runs []lineRun) Batch {
	return Batch{View: v, Records: recs[:n], runs: runs}
}

// lineRun is a cbw_run in Go memory of a type without pointers: the
// garbage collector need not scan the C addresses in it, and cgo's pointer
// check passes a slab of them at once. [lineRun.at] reads it.
type lineRun struct{ off, p uintptr }

// lineRun must stay layout-compatible with cbw_run (these fail to compile
// otherwise).
var (
	_ [unsafe.Sizeof(lineRun{}) - C.sizeof_cbw_run]struct{}
	_ [C.sizeof_cbw_run - unsafe.Sizeof(lineRun{})]struct{}
	_ [unsafe.Offsetof(lineRun{}.p) - unsafe.Offsetof(C.cbw_run{}.p)]struct{}
	_ [unsafe.Offsetof(C.cbw_run{}.p) - unsafe.Offsetof(lineRun{}.p)]struct{}
)

// at returns the address of view offset off, which lies in run r.
func (r *lineRun) at(off int) unsafe.Pointer {
	c := (*C.cbw_run)(unsafe.Pointer(r))
	return unsafe.Add(unsafe.Pointer(c.p), off-int(c.off))
}

// runOf returns the index of the run holding view offset off (runs are in
// offset order and the first starts at 0).
func runOf(runs []lineRun, off int) int {
	lo, hi := 0, len(runs)-1
	if int(runs[hi].off) <= off {
		return hi // one run, or a line of the last: the usual cases
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if int(runs[mid].off) <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// runSlab hands out room for the runs of line batches from one shared
// allocation, so a batch costs no allocation of its own: each batch keeps
// its slice of the slab (and so the slab) alive, and a full slab is
// simply replaced.
type runSlab struct{ s []lineRun }

// runSlabLen is how many runs one slab holds (a 4 KiB chunk of lines
// usually needs one to three).
const runSlabLen = 4096

// room returns room for n runs after the ones handed out.
func (rs *runSlab) room(n int) unsafe.Pointer {
	if cap(rs.s)-len(rs.s) < n {
		rs.s = make([]lineRun, 0, max(runSlabLen, n))
	}
	return unsafe.Pointer(&rs.s[:len(rs.s)+n][len(rs.s)])
}

// take hands out the first k runs of the last room.
func (rs *runSlab) take(k int) []lineRun {
	n := len(rs.s)
	rs.s = rs.s[:n+k]
	return rs.s[n : n+k : n+k]
}

// Len returns the number of records.
func (b Batch) Len() int { return len(b.Records) }

// Bytes returns record i without its delimiter. The slice aliases the
// batch view's memory (see [View.Bytes]) and is valid until Release; once
// the batch is released Bytes returns nil. When the batch's bytes could
// not be made contiguous (out of memory for the copy), Bytes returns a Go
// copy of the record instead: it never panics for lack of memory. i must
// be in [0, Len), as for a slice index.
func (b Batch) Bytes(i int) []byte {
	r := &b.Records[i]
	if b.runs != nil && b.View != nil && !b.View.r.released.Load() {
		return unsafe.Slice((*byte)(b.runs[runOf(b.runs, r.Offset)].at(r.Offset)), r.Length)
	}
	return b.flatBytes(r)
}

// flatBytes is Bytes for the batches that have no runs (and for a
// released batch).
func (b Batch) flatBytes(r *Record) []byte {
	h, err := b.View.handle("Batch.Bytes")
	if err != nil || b.runs != nil {
		return nil // released
	}
	if b.data == nil && r.Length > 0 {
		out := make([]byte, r.Length)
		var copied C.size_t
		if C.chunkbuf_view_copy_out(h, C.size_t(r.Offset), unsafe.Pointer(&out[0]), C.size_t(r.Length), &copied) < 0 {
			return nil
		}
		return out[:copied]
	}
	return b.data[r.Offset : r.Offset+r.Length]
}

// All returns an iterator over the records in order, each as [Batch.Bytes]
// gives it (without its delimiter, valid until Release):
//
//	for i, line := range batch.All() { ... }
//
// It walks the records and the places of their bytes together, so a
// record costs no search. Releasing the batch inside the loop ends it.
func (b Batch) All() iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		run := 0
		for i := range b.Records {
			if b.View == nil || b.View.r.released.Load() {
				return
			}
			r := &b.Records[i]
			var rec []byte
			switch {
			case b.runs != nil:
				for run+1 < len(b.runs) && int(b.runs[run+1].off) <= r.Offset {
					run++
				}
				rec = unsafe.Slice((*byte)(b.runs[run].at(r.Offset)), r.Length)
			default:
				rec = b.flatBytes(r)
			}
			if !yield(i, rec) {
				return
			}
		}
	}
}

// Full reports whether the batch holds as many records as the record
// slice it was taken with had room for.
func (b Batch) Full() bool { return len(b.Records) == cap(b.Records) }

// Release releases the batch view. A batch of [Buffer.TakeLines] that is
// never released is released by a runtime cleanup it shares with up to 63
// other batches of the same buffer, once none of them is reachable and the
// buffer has handed out all 64 (or is unreachable itself).
func (b Batch) Release() { b.View.Release() }

// recordsArg returns the C view of recs' full capacity, which bounds how
// many records one batch call may take.
func recordsArg(op string, recs []Record) (*C.chunkbuf_record, C.size_t, error) {
	if cap(recs) == 0 {
		return nil, 0, misuse(op, ErrInval, "the record slice has no capacity")
	}
	recs = recs[:cap(recs)]
	return (*C.chunkbuf_record)(unsafe.Pointer(&recs[0])), C.size_t(len(recs)), nil
}
