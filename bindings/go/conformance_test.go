package chunkbuf

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// TestConformance runs every tests/conformance/*.json vector (the
// directory comes from CHUNKBUF_CONFORMANCE_DIR, set by meson, or the
// in-tree default) on both Buffer backends, one subtest per file and
// backend, and logs each file's counts. The operations are the table ops.
func TestConformance(t *testing.T) {
	dir := os.Getenv("CHUNKBUF_CONFORMANCE_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "tests", "conformance")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance vectors in %s (err %v)", dir, err)
	}
	total := 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc vectorFile
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		total += len(doc.Cases)
		for _, linear := range []bool{false, true} {
			backend := map[bool]string{false: "segmented", true: "linear"}[linear]
			t.Run(filepath.Base(file)+"/"+backend, func(t *testing.T) {
				checkCodes(t, doc.Codes)
				failed := 0
				for _, c := range doc.Cases {
					if !t.Run(c.Name, func(t *testing.T) { runCase(t, c, linear) }) {
						failed++
					}
				}
				t.Logf("conformance %s (%s): %d passed, %d failed", filepath.Base(file), backend,
					len(doc.Cases)-failed, failed)
			})
		}
	}
	if total < 300 {
		t.Errorf("only %d conformance cases", total)
	}
}

type vectorFile struct {
	Codes []struct {
		Code  int
		Class string
		Go    string
	}
	Cases []vectorCase
}

type vectorCase struct {
	Name   string
	Buffer struct {
		MaxBytes int             `json:"max_bytes"`
		MinChunk int             `json:"min_chunk"`
		Tenant   json.RawMessage `json:"tenant"` // an id or a name
	}
	Pool *struct {
		TenantQuota            []int `json:"tenant_quota"`
		MaxCachedBytesPerClass int   `json:"max_cached_bytes_per_class"`
	}
	Stream *struct {
		ContentLength int64 `json:"content_length"`
		Retain        bool
		MaxBytes      int `json:"max_bytes"`
	}
	Ring *struct {
		Capacity int
	}
	Framer json.RawMessage
	Steps  []step
}

var errorClasses = map[string]Errno{
	"inval": ErrInval, "handle": ErrHandle, "nomem": ErrNoMem, "limit": ErrLimit, "state": ErrState,
	"need_more": ErrNeedMore, "closed": ErrClosed, "again": ErrAgain, "timedout": ErrTimeout,
	"aborted": ErrAborted, "range": ErrRange, "io": ErrIO, "notsup": ErrNotSup, "version": ErrVersion,
	"frame_limit": ErrFrameLimit, "no_reserve": ErrNoReserve,
}

// goErrors names each Errno as the code table spells it.
var goErrors = map[string]Errno{
	"ErrInval": ErrInval, "ErrHandle": ErrHandle, "ErrNoMem": ErrNoMem, "ErrLimit": ErrLimit, "ErrState": ErrState,
	"ErrNeedMore": ErrNeedMore, "ErrClosed": ErrClosed, "ErrAgain": ErrAgain, "ErrTimeout": ErrTimeout,
	"ErrAborted": ErrAborted, "ErrRange": ErrRange, "ErrIO": ErrIO, "ErrNotSup": ErrNotSup, "ErrVersion": ErrVersion,
	"ErrFrameLimit": ErrFrameLimit, "ErrNoReserve": ErrNoReserve,
}

func checkCodes(t *testing.T, codes []struct {
	Code  int
	Class string
	Go    string
}) {
	for _, row := range codes {
		named, ok := goErrors[row.Go]
		if !ok || int(named) != row.Code || errorClasses[row.Class] != named {
			t.Errorf("code %d: Go name %s (%d), class %s", row.Code, row.Go, int(named), row.Class)
		}
	}
}

var readPolicies = map[string]ReadPolicy{"raise": ShortRaise, "return_partial": ShortPartial, "block": ShortBlock}

var eolStyles = map[string]EOL{
	"any": EOLAny, "crlf": EOLCRLF, "crlf_strict": EOLCRLFStrict, "lf": EOLLF, "nul": EOLNUL,
}

var whence = map[string]int{"set": io.SeekStart, "cur": io.SeekCurrent, "end": io.SeekEnd}

// step is one operation of a vector; fields are decoded on demand.
type step map[string]json.RawMessage

// runner holds what one case works on.
type runner struct {
	t        *testing.T
	linear   bool
	opts     BufferOptions
	pool     *Pool
	b        *Buffer
	views    map[string]*View
	stream   *Stream
	ring     *Ring
	framer   *Framer
	reserved []byte
	s        step
	where    string
}

func runCase(t *testing.T, c vectorCase, linear bool) {
	// A vector is one thread's sequence of calls: the pool's caches are per
	// thread, so a block freed on one OS thread and taken again on another
	// misses, and the pool_stats hits a vector expects would depend on where
	// the scheduler ran each cgo call.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := &runner{t: t, linear: linear, views: map[string]*View{}}
	defer r.close()
	if c.Pool != nil {
		p, err := NewPool(PoolOptions{MaxCachedBytesPerClass: c.Pool.MaxCachedBytesPerClass})
		if err != nil {
			t.Fatal(err)
		}
		r.pool = p
		if q := c.Pool.TenantQuota; len(q) == 2 {
			if err := p.SetTenantQuota(uint32(q[0]), q[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	r.opts = BufferOptions{Pool: r.pool, MaxBytes: c.Buffer.MaxBytes, MinChunk: c.Buffer.MinChunk,
		Tenant: caseTenant(t, c.Buffer.Tenant), Linear: linear}
	b, err := NewBuffer(r.opts)
	if err != nil {
		t.Fatal(err)
	}
	r.b = b
	if c.Stream != nil {
		if r.stream, err = NewStream(StreamOptions{Pool: r.pool, ContentLength: c.Stream.ContentLength,
			Retain: c.Stream.Retain, MaxBytes: c.Stream.MaxBytes}); err != nil {
			t.Fatal(err)
		}
	}
	if c.Ring != nil {
		if r.ring, err = NewRing(c.Ring.Capacity); err != nil {
			t.Fatal(err)
		}
	}
	if c.Framer != nil {
		if r.framer, err = makeFramer(c.Framer); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range c.Steps {
		r.step(i, s)
	}
}

// caseTenant reads a case's tenant: absent, an id, or a name.
func caseTenant(t *testing.T, raw json.RawMessage) uint32 {
	if len(raw) == 0 {
		return 0
	}
	var name string
	if json.Unmarshal(raw, &name) == nil {
		id, err := RegisterTenant(name)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	var id uint32
	if err := json.Unmarshal(raw, &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (r *runner) close() {
	for _, v := range r.views {
		v.Release()
	}
	r.b.Close()
	if r.stream != nil {
		r.stream.Release()
	}
	r.ring.Close()
	r.framer.Close()
	r.pool.Close()
}

type framerSpec struct {
	Type             string
	Delimiters       []string
	MaxFrame         int  `json:"max_frame"`
	IncludeDelimiter bool `json:"include_delimiter"`
	LengthWidth      *int `json:"length_width"`
	LengthOffset     int  `json:"length_offset"`
	Order            string
	LengthAdjust     int64 `json:"length_adjust"`
	Strip            *int
}

func makeFramer(raw json.RawMessage) (*Framer, error) {
	var f framerSpec
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, err
	}
	if f.Type == "delimiter" {
		delims := make([][]byte, len(f.Delimiters))
		for i, d := range f.Delimiters {
			delims[i] = latin1(d)
		}
		return NewDelimiterFramer(DelimiterFramerOptions{Delimiters: delims, MaxFrame: f.MaxFrame,
			IncludeDelimiter: f.IncludeDelimiter})
	}
	o := LengthFramerOptions{LengthWidth: 4, LengthOffset: f.LengthOffset, LengthAdjust: f.LengthAdjust,
		MaxFrame: f.MaxFrame}
	if f.LengthWidth != nil {
		o.LengthWidth = *f.LengthWidth
	}
	if f.Order == "le" {
		o.Order = LittleEndian
	}
	o.Strip = o.LengthOffset + o.LengthWidth // absent: strip the header
	if f.Strip != nil {
		o.Strip = *f.Strip
	}
	return NewLengthFramer(o)
}

// latin1 turns a vector's text (code points < 256) into its bytes.
func latin1(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = append(out, byte(r))
	}
	return out
}

func (r *runner) fatalf(format string, args ...any) {
	r.t.Helper()
	r.t.Fatalf(r.where+": "+format, args...)
}

func (r *runner) has(key string) bool { _, ok := r.s[key]; return ok }

func (r *runner) decode(key string, dst any) {
	r.t.Helper()
	if err := json.Unmarshal(r.s[key], dst); err != nil {
		r.fatalf("field %s: %v", key, err)
	}
}

// bytes reads a byte-string field given as key or key_hex.
func (r *runner) bytes(key string) []byte {
	r.t.Helper()
	var s string
	if r.has(key + "_hex") {
		r.decode(key+"_hex", &s)
		b, err := hex.DecodeString(s)
		if err != nil {
			r.fatalf("field %s_hex: %v", key, err)
		}
		return b
	}
	if !r.has(key) {
		r.fatalf("missing field %s", key)
	}
	r.decode(key, &s)
	return latin1(s)
}

// int reads an integer field; null or absent gives def.
func (r *runner) int(key string, def int) int {
	r.t.Helper()
	if !r.has(key) || string(r.s[key]) == "null" {
		return def
	}
	var n int
	r.decode(key, &n)
	return n
}

func (r *runner) str(key string) string {
	r.t.Helper()
	var s string
	r.decode(key, &s)
	return s
}

func (r *runner) bool(key string) bool {
	r.t.Helper()
	var v bool
	if r.has(key) {
		r.decode(key, &v)
	}
	return v
}

func (r *runner) view(key string) *View {
	r.t.Helper()
	name := r.str(key)
	v, ok := r.views[name]
	if !ok {
		r.fatalf("no view named %q", name)
	}
	return v
}

func (r *runner) order() ByteOrder {
	if r.str("order") == "le" {
		return LittleEndian
	}
	return BigEndian
}

func (r *runner) eol() EOL {
	r.t.Helper()
	e, ok := eolStyles[r.str("eol")]
	if !ok {
		r.fatalf("unknown eol %s", r.s["eol"])
	}
	return e
}

// keep stores v under the step's "as" name, or releases it; it returns the
// view's bytes as the result.
func (r *runner) keep(v *View, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	out, err := v.Copy()
	if err != nil {
		return nil, err
	}
	if r.has("as") {
		if old := r.views[r.str("as")]; old != nil {
			old.Release()
		}
		r.views[r.str("as")] = v
	} else {
		v.Release()
	}
	return out, nil
}

func (r *runner) step(i int, s step) {
	r.t.Helper()
	r.s = s
	name := r.str("op")
	r.where = fmt.Sprintf("step %d (%s)", i, name)
	op, ok := ops[name]
	if !ok {
		r.fatalf("the Go runner has no operation %q", name)
	}
	got, err := op(r)
	if name == "view_sha256" && !HasSHA256() {
		// The default bundled engine has no libcrypto: the documented answer
		// is ErrNotSup, whatever digest the vector expects.
		if !errors.Is(err, ErrNotSup) {
			r.fatalf("SHA-256 is not built in: got %v, want %v", err, ErrNotSup)
		}
		return
	}
	if r.has("expect_error") {
		class, ok := errorClasses[r.str("expect_error")]
		if !ok {
			r.fatalf("unknown error class %s", s["expect_error"])
		}
		if !errors.Is(err, class) {
			r.fatalf("got result %v, error %v; want error %v", got, err, class)
		}
		if r.has("expect") {
			r.compare(got) // what came before the error
		}
		return
	}
	if err != nil {
		r.fatalf("unexpected error %v", err)
	}
	if r.has("expect") || r.has("expect_hex") {
		r.compare(got)
	}
}

func (r *runner) compare(got any) {
	r.t.Helper()
	switch g := got.(type) {
	case []byte:
		if want := r.bytes("expect"); !bytes.Equal(g, want) {
			r.fatalf("got %q, want %q", g, want)
		}
	case []string:
		var want []string
		r.decode("expect", &want)
		for i := range want {
			want[i] = string(latin1(want[i]))
		}
		if len(want) == 0 {
			want = []string{}
		}
		if g == nil {
			g = []string{}
		}
		if !reflect.DeepEqual(g, want) {
			r.fatalf("got %q, want %q", g, want)
		}
	case map[string]any:
		var want map[string]any
		r.decode("expect", &want)
		gj, _ := json.Marshal(g)
		wj, _ := json.Marshal(want)
		if string(gj) != string(wj) {
			r.fatalf("got %s, want %s", gj, wj)
		}
	case uint64:
		var want uint64
		r.decode("expect", &want)
		if g != want {
			r.fatalf("got %d, want %d", g, want)
		}
	case int:
		if want := r.int("expect", 0); g != want {
			r.fatalf("got %d, want %d", g, want)
		}
	case bool:
		var want bool
		r.decode("expect", &want)
		if g != want {
			r.fatalf("got %v, want %v", g, want)
		}
	case string:
		if want := r.str("expect"); g != want {
			r.fatalf("got %q, want %q", g, want)
		}
	default:
		r.fatalf("op has no result to compare (%T)", got)
	}
}

func batchStrings(b Batch, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	defer b.Release()
	out := make([]string, b.Len())
	for i := range out {
		out[i] = string(b.Bytes(i))
	}
	return out, nil
}

// peekStrings reads the records a peek located, from the buffer's start.
func (r *runner) peekStrings(recs []Record, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	out := make([]string, len(recs))
	for i, rec := range recs {
		p := make([]byte, rec.Length)
		if _, err := r.b.ReadAt(p, int64(rec.Offset)); err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		out[i] = string(p)
	}
	return out, nil
}

func (r *runner) records() []Record { return make([]Record, 0, r.int("max_records", 0)) }

// drain takes frames until the framer needs more; it returns the error
// that ended it otherwise.
func drain(f *Framer, b *Buffer, final bool, frames *[]string) error {
	for {
		v, err := f.Next(b, final)
		if errors.Is(err, ErrNeedMore) {
			return nil
		}
		if err != nil {
			return err
		}
		*frames = append(*frames, v.String())
		v.Release()
	}
}

// allCuts: the input cut at every point gives the same frames and error.
func (r *runner) allCuts() (any, error) {
	input, final := r.bytes("input"), true
	if r.has("final") {
		final = r.bool("final")
	}
	var first []string
	var firstErr error
	for cut := 0; cut <= len(input); cut++ {
		b, err := NewBuffer(r.opts)
		if err != nil {
			return nil, err
		}
		frames := []string{}
		_, err = b.Write(input[:cut])
		if err == nil {
			err = drain(r.framer, b, false, &frames)
		}
		if err == nil {
			_, err = b.Write(input[cut:])
		}
		if err == nil {
			err = drain(r.framer, b, false, &frames)
		}
		if err == nil && final {
			err = drain(r.framer, b, true, &frames)
		}
		b.Close()
		if cut == 0 {
			first, firstErr = frames, err
		} else if !reflect.DeepEqual(frames, first) || fmt.Sprint(errClass(err)) != fmt.Sprint(errClass(firstErr)) {
			r.fatalf("cut at %d: %q %v, cut at 0: %q %v", cut, frames, err, first, firstErr)
		}
	}
	return first, firstErr
}

func errClass(err error) Errno {
	var e Errno
	if errors.As(err, &e) {
		return e
	}
	return 0
}

// streamRead returns the bytes of a stream read; end of file is an empty
// or short result, as in the C API.
func streamRead(n int, err error, p []byte) (any, error) {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return p[:n], nil
}

// poolStats picks the counters the vector names.
func (r *runner) poolStats() (any, error) {
	st, err := r.pool.Stats()
	if err != nil {
		return nil, err
	}
	var want map[string]json.RawMessage
	r.decode("expect", &want)
	out := map[string]any{}
	v := reflect.ValueOf(st)
	for k := range want {
		name := camel(k)
		f := v.FieldByName(name)
		if !f.IsValid() {
			r.fatalf("PoolStats has no field %s", name)
		}
		if f.Kind() == reflect.Array {
			list := make([]uint64, f.Len())
			for i := range list {
				list[i] = f.Index(i).Uint()
			}
			out[k] = list
		} else {
			out[k] = f.Uint()
		}
	}
	return out, nil
}

// camel turns a C field name (bytes_in_use) into its Go name (BytesInUse).
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "")
}

func ringCopy(fn func([]byte) (int, error), n int) (any, error) {
	p := make([]byte, n)
	got, err := fn(p)
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return p[:got], err
}

// ops maps each vector operation to what it does in Go.
var ops map[string]func(r *runner) (any, error)

func init() {
	ops = map[string]func(r *runner) (any, error){
		// buffer, write side
		"append": func(r *runner) (any, error) { _, err := r.b.Write(r.bytes("data")); return nil, err },
		"append_ref": func(r *runner) (any, error) {
			data, before := r.bytes("data"), r.b.SegmentCount()
			err := r.b.AppendRef(data)
			// By reference on the segmented backend; the linear one copies.
			if err == nil && len(data) > 0 && !r.linear && r.b.SegmentCount() != before+1 {
				r.fatalf("append_ref did not add a separate segment (%d -> %d)", before, r.b.SegmentCount())
			}
			return nil, err
		},
		"append_view":  func(r *runner) (any, error) { return nil, r.b.AppendView(r.view("view")) },
		"prepend":      func(r *runner) (any, error) { return nil, r.b.Prepend(r.bytes("data")) },
		"prepend_view": func(r *runner) (any, error) { return nil, r.b.PrependView(r.view("view")) },
		"reserve": func(r *runner) (any, error) {
			p, err := r.b.Reserve(r.int("n", 0))
			if err == nil {
				r.reserved = p
			}
			return nil, err
		},
		"commit": func(r *runner) (any, error) {
			data := r.bytes("data")
			if len(data) <= len(r.reserved) {
				copy(r.reserved, data)
			}
			err := r.b.Commit(len(data))
			if err == nil {
				r.reserved = nil
			}
			return nil, err
		},
		"commit_count": func(r *runner) (any, error) { return nil, r.b.Commit(r.int("n", 0)) },
		"free_buffer":  func(r *runner) (any, error) { return nil, r.b.Close() },
		"new_buffer": func(r *runner) (b any, err error) {
			r.b, err = NewBuffer(r.opts)
			return nil, err
		},
		// buffer, inspect
		"len": func(r *runner) (any, error) { return r.b.Len(), nil },
		"contents": func(r *runner) (any, error) {
			p := make([]byte, r.b.Len())
			_, err := r.b.ReadAt(p, 0)
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return p, err
		},
		"find": func(r *runner) (any, error) {
			return r.b.Find(r.bytes("needle"), r.int("start", 0), r.int("end", -1))
		},
		"rfind": func(r *runner) (any, error) {
			return r.b.RFind(r.bytes("needle"), r.int("start", 0), r.int("end", -1))
		},
		"equals": func(r *runner) (any, error) { return r.b.Equal(r.bytes("data")), nil },
		"copy_out": func(r *runner) (any, error) {
			p := make([]byte, r.int("n", 0))
			n, err := r.b.ReadAt(p, int64(r.int("offset", 0)))
			if n < len(p) && errors.Is(err, io.EOF) {
				err = nil
			}
			return p[:n], err
		},
		"peek_u8": func(r *runner) (any, error) { v, err := r.b.PeekUint8(r.int("offset", 0)); return uint64(v), err },
		"peek_u16": func(r *runner) (any, error) {
			v, err := r.b.PeekUint16(r.int("offset", 0), r.order())
			return uint64(v), err
		},
		"peek_u32": func(r *runner) (any, error) {
			v, err := r.b.PeekUint32(r.int("offset", 0), r.order())
			return uint64(v), err
		},
		"peek_u64": func(r *runner) (any, error) { return r.b.PeekUint64(r.int("offset", 0), r.order()) },
		"coalesce": func(r *runner) (any, error) {
			p, err := r.b.Coalesce(r.int("n", 0))
			return bytes.Clone(p), err
		},
		"peek_lines": func(r *runner) (any, error) {
			return r.peekStrings(r.b.PeekLines(r.eol(), r.int("max_len", 0), r.records()))
		},
		"peek_records": func(r *runner) (any, error) {
			return r.peekStrings(r.b.PeekRecords(r.bytes("delim"), r.int("max_len", 0), r.records()))
		},
		// buffer, consume
		"advance":   func(r *runner) (any, error) { return nil, r.b.Advance(r.int("n", 0)) },
		"read_uint": func(r *runner) (any, error) { return r.b.ReadUint(r.int("width", 0), r.order()) },
		"read_exact": func(r *runner) (any, error) {
			p := make([]byte, r.int("n", 0))
			return p, r.b.ReadExact(p)
		},
		"peek_exact": func(r *runner) (any, error) {
			p := make([]byte, r.int("n", 0))
			return p, r.b.PeekExact(p)
		},
		"read": func(r *runner) (any, error) {
			p := make([]byte, r.int("n", 0))
			n, err := r.b.Read(p)
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return p[:n], err
		},
		"read_policy": func(r *runner) (any, error) {
			p := make([]byte, r.int("n", 0))
			n, err := r.b.NewPolicyReader(readPolicies[r.str("policy")]).Read(p)
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return p[:n], err
		},
		"split_to": func(r *runner) (any, error) { return r.keep(r.b.SplitTo(r.int("n", 0))) },
		"take_until": func(r *runner) (any, error) {
			return r.keep(r.b.TakeUntil(r.bytes("delim"), r.bool("include"), r.int("max_len", 0)))
		},
		"take_line": func(r *runner) (any, error) { return r.keep(r.b.TakeLine(r.eol(), r.int("max_len", 0))) },
		"take_lines": func(r *runner) (any, error) {
			return batchStrings(r.b.TakeLines(r.eol(), r.int("max_len", 0), r.records()))
		},
		"take_records": func(r *runner) (any, error) {
			return batchStrings(r.b.TakeRecords(r.bytes("delim"), r.int("max_len", 0), r.records()))
		},
		"capacity":        func(r *runner) (any, error) { return r.b.Capacity(), nil },
		"ensure_capacity": func(r *runner) (any, error) { return nil, r.b.EnsureCapacity(r.int("n", 0)) },
		"freeze": func(r *runner) (any, error) {
			k, err := LookupKind(r.str("kind"))
			if err != nil {
				return nil, err
			}
			return r.keep(r.b.Freeze(k))
		},
		// views
		"view_from_bytes_kind": func(r *runner) (any, error) {
			var pool *Pool
			if r.bool("pool") {
				pool = r.pool
			}
			return r.keep(FromBytes(pool, r.bytes("data"), r.str("kind")))
		},
		"view_with_tenant": func(r *runner) (any, error) { return r.keep(r.view("view").WithTenant(r.str("tenant"))) },
		"view_tenant_name": func(r *runner) (any, error) { return r.view("view").TenantName(), nil },
		"view_from_bytes": func(r *runner) (any, error) {
			var pool *Pool
			if r.bool("pool") {
				pool = r.pool
			}
			return r.keep(NewView(pool, r.bytes("data")))
		},
		"view_bytes": func(r *runner) (any, error) { return r.view("view").Copy() },
		"view_len":   func(r *runner) (any, error) { return r.view("view").Len(), nil },
		"view_slice": func(r *runner) (any, error) {
			return r.keep(r.view("view").Slice(r.int("start", 0), r.int("end", -1)))
		},
		"view_find": func(r *runner) (any, error) {
			return r.view("view").Find(r.bytes("needle"), r.int("start", 0), r.int("end", -1))
		},
		"view_equals":      func(r *runner) (any, error) { return r.view("view").Equal(r.bytes("data")), nil },
		"view_equals_view": func(r *runner) (any, error) { return r.view("view").EqualView(r.view("other")), nil },
		"view_copy_out": func(r *runner) (any, error) {
			p := make([]byte, r.int("n", 0))
			n, err := r.view("view").ReadAt(p, int64(r.int("offset", 0)))
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return p[:n], err
		},
		"view_concat": func(r *runner) (any, error) {
			var names []string
			r.decode("views", &names)
			views := make([]*View, len(names))
			for i, n := range names {
				if views[i] = r.views[n]; views[i] == nil {
					r.fatalf("no view named %q", n)
				}
			}
			return r.keep(Concat(views...))
		},
		"view_contiguous": func(r *runner) (any, error) { return r.keep(r.view("view").Contiguous()) },
		"view_segment_count": func(r *runner) (any, error) {
			segs, err := r.view("view").Segments()
			return len(segs), err
		},
		"view_retag": func(r *runner) (any, error) {
			var k Kind
			if r.has("kind_id") {
				k = Kind(r.int("kind_id", 0))
			} else {
				var err error
				if k, err = RegisterKind(r.str("kind")); err != nil {
					return nil, err
				}
			}
			return r.keep(r.view("view").Retag(k))
		},
		"view_kind":    func(r *runner) (any, error) { return r.view("view").Kind().String(), nil },
		"view_tenant":  func(r *runner) (any, error) { return int(r.view("view").Tenant()), nil },
		"view_clone":   func(r *runner) (any, error) { return r.keep(r.view("view").Clone()) },
		"view_sharers": func(r *runner) (any, error) { return r.view("view").Sharers(), nil },
		"view_sha256": func(r *runner) (any, error) {
			d, err := r.view("view").SHA256()
			return d[:], err
		},
		"view_release": func(r *runner) (any, error) {
			r.view("view").Release()
			delete(r.views, r.str("view"))
			return nil, nil
		},
		// framers
		"framer_new": func(r *runner) (any, error) {
			f, err := makeFramer(r.s["framer"])
			f.Close()
			return nil, err
		},
		"frame_all_cuts": func(r *runner) (any, error) { return r.allCuts() },
		"frame_next":     func(r *runner) (any, error) { return r.keep(r.framer.Next(r.b, r.bool("final"))) },
		"frame_batch": func(r *runner) (any, error) {
			return batchStrings(r.framer.NextBatch(r.b, r.bool("final"), r.records()))
		},
		"frame_encode": func(r *runner) (any, error) {
			v, err := NewView(nil, r.bytes("data"))
			if err != nil {
				return nil, err
			}
			defer v.Release()
			return nil, r.framer.Encode(r.b, v)
		},
		// ring
		"ring_new": func(r *runner) (any, error) {
			ring, err := NewRing(r.int("capacity", 0))
			ring.Close()
			return nil, err
		},
		"ring_write": func(r *runner) (any, error) {
			n, err := r.ring.Write(r.bytes("data"))
			if errors.Is(err, io.ErrShortWrite) {
				err = nil
			}
			return n, err
		},
		"ring_read":      func(r *runner) (any, error) { return ringCopy(r.ring.Read, r.int("n", 0)) },
		"ring_peek":      func(r *runner) (any, error) { return ringCopy(r.ring.Peek, r.int("n", 0)) },
		"ring_available": func(r *runner) (any, error) { return r.ring.Len(), nil },
		"ring_remaining": func(r *runner) (any, error) { return r.ring.Remaining(), nil },
		"ring_capacity":  func(r *runner) (any, error) { return r.ring.Cap(), nil },
		// pool
		"pool_stats": func(r *runner) (any, error) { return r.poolStats() },
		"pool_trim":  func(r *runner) (any, error) { return nil, r.pool.Trim() },
		"pool_tenant_usage": func(r *runner) (any, error) {
			return r.pool.TenantUsage(uint32(r.int("tenant", 0)))
		},
		"pool_get": func(r *runner) (any, error) {
			b, err := r.pool.Get(r.int("size", 0))
			if err == nil {
				r.b.Close()
				r.b = b
			}
			return nil, err
		},
		"pool_prewarm": func(r *runner) (any, error) { return nil, r.pool.Prewarm(r.int("count", 0), r.int("size", 0)) },
		"optimal_buffer_size": func(r *runner) (any, error) {
			return OptimalBufferSize(uint64(r.int("total", 0)), r.int("min", 0), r.int("max", 0))
		},
		// stream (no call in a vector ever waits)
		"stream_write": func(r *runner) (any, error) {
			_, err := r.stream.Write(r.bytes("data"))
			return nil, err
		},
		"stream_write_eof": func(r *runner) (any, error) { return nil, r.stream.Close() },
		"stream_abort":     func(r *runner) (any, error) { return nil, r.stream.Abort(r.int("code", 0)) },
		"stream_read": func(r *runner) (any, error) {
			p := make([]byte, r.int("n", 0))
			n, err := r.stream.ReadFull(p)
			return streamRead(n, err, p)
		},
		"stream_read1": func(r *runner) (any, error) {
			p := make([]byte, r.int("n", 0))
			n, err := r.stream.Read(p)
			return streamRead(n, err, p)
		},
		"stream_read_policy": func(r *runner) (any, error) {
			p := make([]byte, r.int("n", 0))
			n, err := r.stream.NewPolicyReader(nil, readPolicies[r.str("policy")]).Read(p)
			return streamRead(n, err, p)
		},
		"stream_read_nonblock": func(r *runner) (any, error) {
			p := make([]byte, r.int("n", 0))
			n, err := r.stream.ReadNonblock(p)
			return streamRead(n, err, p)
		},
		"stream_readline": func(r *runner) (any, error) {
			v, err := r.stream.ReadLine(r.int("max", 0))
			if errors.Is(err, io.EOF) {
				return []byte{}, nil
			}
			return r.keep(v, err)
		},
		"stream_readable_amount": func(r *runner) (any, error) { return r.stream.Buffered(), nil },
		"stream_at_eof":          func(r *runner) (any, error) { return r.stream.AtEOF(), nil },
		"stream_find": func(r *runner) (any, error) {
			return r.stream.Find(r.bytes("needle"), r.int("start", 0), r.int("end", -1))
		},
		"stream_seek": func(r *runner) (any, error) {
			var off int64
			r.decode("offset", &off)
			pos, err := r.stream.Seek(off, whence[r.str("whence")])
			return int(pos), err
		},
		"stream_tell": func(r *runner) (any, error) { return int(r.stream.Tell()), nil },
		// errors
		"raise_code": func(r *runner) (any, error) { return nil, Errno(r.int("code", 0)) },
	}
}
