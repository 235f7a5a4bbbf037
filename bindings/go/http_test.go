package chunkbuf

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestHTTPRequestBodyFromStream posts a Stream that another goroutine is
// still filling (sent chunked) to a loopback server.
func TestHTTPRequestBodyFromStream(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		if _, err := io.Copy(h, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		_, _ = io.WriteString(w, hex.EncodeToString(h.Sum(nil)))
	}))
	defer srv.Close()

	data := bytes.Repeat([]byte("request body chunk "), 30000)
	s := newStream(t, StreamOptions{})
	done := produce(s, dribble(data))
	resp, err := http.Post(srv.URL, "application/octet-stream", s)
	must(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	must(t, err)
	must(t, <-done)
	sum := sha256.Sum256(data)
	if resp.StatusCode != http.StatusOK || string(got) != hex.EncodeToString(sum[:]) {
		t.Fatalf("status %d, digest %s", resp.StatusCode, got)
	}
}

// TestHTTPServerBodyThroughStream has the handler pour the request body
// into a retained Stream of the request's Content-Length while a worker
// goroutine consumes it; the handler then seeks back and reads it again.
func TestHTTPServerBodyThroughStream(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := NewStream(StreamOptions{ContentLength: r.ContentLength, Retain: true})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer body.Release()
		worker := make(chan int64, 1)
		go func() {
			n, _ := io.Copy(io.Discard, body)
			worker <- n
		}()
		if _, err := io.Copy(body, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		first := <-worker
		if _, err := body.Seek(0, io.SeekStart); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = io.CopyN(w, body, 5)
		_, _ = io.WriteString(w, " "+http.StatusText(http.StatusOK)+" ")
		_, _ = w.Write([]byte{byte('0' + first%10)})
	}))
	defer srv.Close()

	data := bytes.Repeat([]byte("0123456789"), 10001) // 100010 bytes
	resp, err := http.Post(srv.URL, "application/octet-stream", bytes.NewReader(data))
	must(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	must(t, err)
	if string(got) != "01234 OK 0" {
		t.Fatalf("response %q", got)
	}
}
