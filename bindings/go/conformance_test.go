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
	"testing"
)

// TestConformance runs every tests/conformance/*.json vector (the
// directory comes from CHUNKBUF_CONFORMANCE_DIR, set by meson, or the
// in-tree default).
func TestConformance(t *testing.T) {
	dir := os.Getenv("CHUNKBUF_CONFORMANCE_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "tests", "conformance")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance vectors in %s (err %v)", dir, err)
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Cases []struct {
				Name   string
				Buffer struct {
					MaxBytes int `json:"max_bytes"`
					MinChunk int `json:"min_chunk"`
				}
				Steps []step
			}
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, c := range doc.Cases {
			for _, linear := range []bool{false, true} { // every vector on both backends
				c, linear := c, linear
				name := filepath.Base(file) + "/" + c.Name
				if linear {
					name += "/linear"
				}
				t.Run(name, func(t *testing.T) {
					b, err := NewBuffer(BufferOptions{MaxBytes: c.Buffer.MaxBytes, MinChunk: c.Buffer.MinChunk, Linear: linear})
					if err != nil {
						t.Fatal(err)
					}
					r := &runner{t: t, b: b, linear: linear, views: map[string]*View{}}
					defer r.close()
					for i, s := range c.Steps {
						r.step(i, s)
					}
				})
			}
		}
	}
}

var errorClasses = map[string]Errno{
	"inval": ErrInval, "limit": ErrLimit, "state": ErrState, "need_more": ErrNeedMore, "range": ErrRange,
}

var eolStyles = map[string]EOL{
	"any": EOLAny, "crlf": EOLCRLF, "crlf_strict": EOLCRLFStrict, "lf": EOLLF, "nul": EOLNUL,
}

// step is one operation of a vector; fields are decoded on demand.
type step map[string]json.RawMessage

type runner struct {
	linear bool // the buffer uses the linear backend
	t      *testing.T
	b      *Buffer
	views  map[string]*View
	s      step
	where  string
}

func (r *runner) close() {
	for _, v := range r.views {
		v.Release()
	}
	r.b.Close()
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
	return []byte(s)
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
	r.t.Helper()
	switch o := r.str("order"); o {
	case "be":
		return BigEndian
	case "le":
		return LittleEndian
	default:
		r.fatalf("unknown order %q", o)
		return 0
	}
}

func (r *runner) eol() EOL {
	r.t.Helper()
	e, ok := eolStyles[r.str("eol")]
	if !ok {
		r.fatalf("unknown eol %s", r.s["eol"])
	}
	return e
}

// keep stores v under the step's "as" name, or releases it.
func (r *runner) keep(v *View) []byte {
	out, _ := v.Copy()
	if r.has("as") {
		r.views[r.str("as")] = v
	} else {
		v.Release()
	}
	return out
}

func (r *runner) step(i int, s step) {
	r.t.Helper()
	r.s = s
	op := r.str("op")
	r.where = fmt.Sprintf("step %d (%s)", i, op)
	got, err := r.run(op)
	if r.has("expect_error") {
		class, ok := errorClasses[r.str("expect_error")]
		if !ok {
			r.fatalf("unknown error class %s", s["expect_error"])
		}
		if !errors.Is(err, class) {
			r.fatalf("got result %v, error %v; want error %v", got, err, class)
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
		if len(g) != len(want) || (len(g) > 0 && !equalStrings(g, want)) {
			r.fatalf("got %q, want %q", g, want)
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
	default:
		r.fatalf("op has no result to compare (%T)", got)
	}
}

func equalStrings(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// run performs one operation and returns its result.
func (r *runner) run(op string) (any, error) {
	r.t.Helper()
	b := r.b
	switch op {
	case "append":
		_, err := b.Write(r.bytes("data"))
		return nil, err
	case "append_ref":
		data, before := r.bytes("data"), b.SegmentCount()
		err := b.AppendRef(data)
		// By reference on the segmented backend; the linear one copies.
		if err == nil && len(data) > 0 && !r.linear && b.SegmentCount() != before+1 {
			r.fatalf("append_ref did not add a separate segment (%d -> %d)", before, b.SegmentCount())
		}
		return nil, err
	case "append_view":
		return nil, b.AppendView(r.view("view"))
	case "len":
		return b.Len(), nil
	case "contents":
		p := make([]byte, b.Len())
		_, err := b.ReadAt(p, 0)
		return p, err
	case "find":
		return b.Find(r.bytes("needle"), r.int("start", 0), r.int("end", -1))
	case "rfind":
		return b.RFind(r.bytes("needle"), r.int("start", 0), r.int("end", -1))
	case "equals":
		return b.Equal(r.bytes("data")), nil
	case "copy_out":
		p := make([]byte, r.int("n", 0))
		n, err := b.ReadAt(p, int64(r.int("offset", 0)))
		if n < len(p) && errors.Is(err, io.EOF) {
			err = nil
		}
		return p[:n], err
	case "peek_u8":
		v, err := b.PeekUint8(r.int("offset", 0))
		return uint64(v), err
	case "peek_u16":
		v, err := b.PeekUint16(r.int("offset", 0), r.order())
		return uint64(v), err
	case "peek_u32":
		v, err := b.PeekUint32(r.int("offset", 0), r.order())
		return uint64(v), err
	case "peek_u64":
		return b.PeekUint64(r.int("offset", 0), r.order())
	case "coalesce":
		p, err := b.Coalesce(r.int("n", 0))
		return bytes.Clone(p), err
	case "advance":
		return nil, b.Advance(r.int("n", 0))
	case "read":
		p := make([]byte, r.int("n", 0))
		n, err := b.Read(p)
		if errors.Is(err, io.EOF) {
			err = nil
		}
		return p[:n], err
	case "split_to":
		v, err := b.SplitTo(r.int("n", 0))
		if err != nil {
			return nil, err
		}
		return r.keep(v), nil
	case "take_until":
		v, err := b.TakeUntil(r.bytes("delim"), r.bool("include"), r.int("max_len", 0))
		if err != nil {
			return nil, err
		}
		return r.keep(v), nil
	case "take_line":
		v, err := b.TakeLine(r.eol(), r.int("max_len", 0))
		if err != nil {
			return nil, err
		}
		return r.keep(v), nil
	case "take_lines":
		return batchStrings(b.TakeLines(r.eol(), r.int("max_len", 0), make([]Record, 0, r.int("max_records", 0))))
	case "take_records":
		return batchStrings(b.TakeRecords(r.bytes("delim"), r.int("max_len", 0), make([]Record, 0, r.int("max_records", 0))))
	case "view_bytes":
		return r.view("view").Copy()
	case "view_len":
		return r.view("view").Len(), nil
	case "view_slice":
		v, err := r.view("view").Slice(r.int("start", 0), r.int("end", -1))
		if err != nil {
			return nil, err
		}
		return r.keep(v), nil
	case "view_find":
		return r.view("view").Find(r.bytes("needle"), r.int("start", 0), r.int("end", -1))
	case "view_equals":
		return r.view("view").Equal(r.bytes("data")), nil
	case "view_concat":
		var names []string
		r.decode("views", &names)
		views := make([]*View, len(names))
		for i, n := range names {
			if views[i] = r.views[n]; views[i] == nil {
				r.fatalf("no view named %q", n)
			}
		}
		v, err := Concat(views...)
		if err != nil {
			return nil, err
		}
		return r.keep(v), nil
	case "view_release":
		r.view("view").Release()
		delete(r.views, r.str("view"))
		return nil, nil
	}
	r.fatalf("operation %q is not supported by the Go runner", op)
	return nil, nil
}

func (r *runner) bool(key string) bool {
	r.t.Helper()
	var v bool
	if r.has(key) {
		r.decode(key, &v)
	}
	return v
}

func batchStrings(b Batch, err error) ([]string, error) {
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
