package chunkbuf

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
)

// produce runs write against s in another goroutine, then closes s (or
// aborts it when write fails); the returned channel yields write's error.
func produce(s *Stream, write func(io.Writer) error) <-chan error {
	done := make(chan error, 1)
	go func() {
		err := write(s)
		if err != nil {
			_ = s.Abort(1)
		} else {
			err = s.Close()
		}
		done <- err
	}()
	return done
}

// dribble writes data in small pieces, so readers see it arrive over time.
func dribble(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		for len(data) > 0 {
			n := min(len(data), 777)
			if _, err := w.Write(data[:n]); err != nil {
				return err
			}
			data = data[n:]
		}
		return nil
	}
}

func TestStdlibIOCopy(t *testing.T) {
	data := bytes.Repeat([]byte("io.Copy through a stream\n"), 5000)
	s := newStream(t, StreamOptions{})
	done := produce(s, dribble(data))
	var out bytes.Buffer
	n, err := io.Copy(&out, s)
	must(t, err)
	must(t, <-done)
	if n != int64(len(data)) || !bytes.Equal(out.Bytes(), data) {
		t.Fatalf("copied %d of %d bytes", n, len(data))
	}
}

func TestStdlibBufioScanner(t *testing.T) {
	var lines []string
	for i := range 3000 {
		lines = append(lines, fmt.Sprintf("line %d %s", i, strings.Repeat("#", i%50)))
	}
	s := newStream(t, StreamOptions{})
	done := produce(s, dribble([]byte(strings.Join(lines, "\n")+"\n")))
	sc := bufio.NewScanner(s)
	var got []string
	for sc.Scan() {
		got = append(got, sc.Text())
	}
	must(t, sc.Err())
	must(t, <-done)
	if strings.Join(got, "\n") != strings.Join(lines, "\n") {
		t.Fatalf("scanned %d lines, want %d", len(got), len(lines))
	}
}

func TestStdlibGzip(t *testing.T) {
	data := bytes.Repeat([]byte("compress me, compress me not. "), 20000)
	s := newStream(t, StreamOptions{HighWater: 16 << 10})
	done := produce(s, func(w io.Writer) error {
		zw := gzip.NewWriter(w)
		if err := dribble(data)(zw); err != nil {
			return err
		}
		return zw.Close()
	})
	zr, err := gzip.NewReader(s) // Stream is an io.ByteReader: no bufio needed
	must(t, err)
	got, err := io.ReadAll(zr)
	must(t, err)
	must(t, <-done)
	if !bytes.Equal(got, data) {
		t.Fatalf("gunzipped %d bytes, want %d", len(got), len(data))
	}
}

func TestStdlibTar(t *testing.T) {
	files := map[string][]byte{
		"a.txt":    []byte("alpha"),
		"b.bin":    bytes.Repeat([]byte{0, 1, 2, 3}, 10000),
		"empty":    nil,
		"dir/c.md": []byte("# c\n"),
	}
	names := []string{"a.txt", "b.bin", "empty", "dir/c.md"}
	s := newStream(t, StreamOptions{})
	done := produce(s, func(w io.Writer) error {
		tw := tar.NewWriter(w)
		for _, name := range names {
			body := files[name]
			if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(body))}); err != nil {
				return err
			}
			if _, err := tw.Write(body); err != nil {
				return err
			}
		}
		return tw.Close()
	})
	tr := tar.NewReader(s)
	var got []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		must(t, err)
		body, err := io.ReadAll(tr)
		must(t, err)
		if !bytes.Equal(body, files[hdr.Name]) {
			t.Fatalf("%s: %d bytes, want %d", hdr.Name, len(body), len(files[hdr.Name]))
		}
		got = append(got, hdr.Name)
	}
	must(t, <-done)
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Fatalf("entries %v", got)
	}
}

func TestStdlibJSONDecoder(t *testing.T) {
	type event struct {
		ID   int      `json:"id"`
		Name string   `json:"name"`
		Tags []string `json:"tags"`
	}
	var want []event
	for i := range 500 {
		want = append(want, event{ID: i, Name: fmt.Sprintf("event-%d", i), Tags: []string{"x", strings.Repeat("y", i%7)}})
	}
	s := newStream(t, StreamOptions{})
	done := produce(s, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		for _, e := range want {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	})
	dec := json.NewDecoder(s)
	var got []event
	for {
		var e event
		err := dec.Decode(&e)
		if err == io.EOF {
			break
		}
		must(t, err)
		got = append(got, e)
	}
	must(t, <-done)
	if len(got) != len(want) || got[499].Name != "event-499" || got[13].Tags[1] != "yyyyyy" {
		t.Fatalf("decoded %d events", len(got))
	}
}
