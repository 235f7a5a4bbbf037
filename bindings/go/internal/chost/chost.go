// Package chost plays a C host in the hand-off tests: it makes and drives
// chunkbuf streams and views through the C API alone, the way a C or C++
// program that hands them to Go does. It calls the same engine as package
// chunkbuf: the installed library with -tags chunkbuf_system
// (link_system.go), else the engine bundled into package chunkbuf, whose
// C symbols are in every binary that imports it (link_bundled.go).
package chost

// #include <pthread.h>
// #include <stdlib.h>
// #include <string.h>
// #include <chunkbuf.h>
//
// typedef struct { chunkbuf_stream *s; const char *d; size_t n; int rc; } cthread_write;
// static void *cthread_write_run(void *arg) {
//   cthread_write *w = (cthread_write *)arg;
//   w->rc = chunkbuf_stream_write(w->s, w->d, w->n, -1);
//   return NULL;
// }
// static int cthread_write_join(chunkbuf_stream *s, const char *d, size_t n) {
//   cthread_write w = {s, d, n, CHUNKBUF_OK};
//   pthread_t t;
//   if (pthread_create(&t, NULL, cthread_write_run, &w) != 0) return -1000;
//   pthread_join(t, NULL);
//   return w.rc;
// }
import "C"

import "unsafe"

// NewStream creates a stream holding the host's reference.
func NewStream(highWater int) unsafe.Pointer {
	o := C.chunkbuf_stream_options{
		struct_size:    C.sizeof_chunkbuf_stream_options,
		content_length: C.CHUNKBUF_UNKNOWN_LENGTH,
		high_water:     C.size_t(highWater),
	}
	var s *C.chunkbuf_stream
	if C.chunkbuf_stream_new(&o, &s) != C.CHUNKBUF_OK {
		return nil
	}
	return unsafe.Pointer(s)
}

// Release drops the host's reference.
func Release(p unsafe.Pointer) { C.chunkbuf_stream_release((*C.chunkbuf_stream)(p)) }

// Write copies b into the stream (waiting for room); the status code.
func Write(p unsafe.Pointer, b string) int {
	cs := C.CString(b)
	defer C.free(unsafe.Pointer(cs))
	return int(C.chunkbuf_stream_write((*C.chunkbuf_stream)(p), unsafe.Pointer(cs), C.size_t(len(b)), -1))
}

// WriteOnCThread writes b from a thread the Go runtime did not start (as a
// C host's I/O thread would) and waits for it; the status code.
func WriteOnCThread(p unsafe.Pointer, b string) int {
	cs := C.CString(b)
	defer C.free(unsafe.Pointer(cs))
	return int(C.cthread_write_join((*C.chunkbuf_stream)(p), cs, C.size_t(len(b))))
}

// Close signals end of file.
func Close(p unsafe.Pointer) int { return int(C.chunkbuf_stream_close((*C.chunkbuf_stream)(p))) }

// Read blocks in C until n bytes or EOF: the bytes and the status code.
func Read(p unsafe.Pointer, n int) (string, int) {
	buf := C.malloc(C.size_t(n))
	defer C.free(buf)
	var got C.size_t
	rc := C.chunkbuf_stream_read((*C.chunkbuf_stream)(p), buf, C.size_t(n), -1, &got)
	return C.GoStringN((*C.char)(buf), C.int(got)), int(rc)
}

// Waiting reports how many readers and writers are blocked on the stream.
func Waiting(p unsafe.Pointer) (readers, writers int) {
	var r, w C.size_t
	if C.chunkbuf_stream_waiting((*C.chunkbuf_stream)(p), &r, &w) != C.CHUNKBUF_OK {
		return -1, -1
	}
	return int(r), int(w)
}

// NewView copies b into a view holding the host's reference.
func NewView(b string) unsafe.Pointer {
	cs := C.CString(b)
	defer C.free(unsafe.Pointer(cs))
	var v *C.chunkbuf_view
	if C.chunkbuf_view_from_bytes(nil, unsafe.Pointer(cs), C.size_t(len(b)), &v) != C.CHUNKBUF_OK {
		return nil
	}
	return unsafe.Pointer(v)
}

// ViewBytes copies the view's bytes out.
func ViewBytes(p unsafe.Pointer) string {
	var n C.size_t
	C.chunkbuf_view_len((*C.chunkbuf_view)(p), &n)
	buf := C.malloc(n + 1)
	defer C.free(buf)
	var got C.size_t
	C.chunkbuf_view_copy_out((*C.chunkbuf_view)(p), 0, buf, n, &got)
	return C.GoStringN((*C.char)(buf), C.int(got))
}

// ReleaseView drops the host's reference to a view.
func ReleaseView(p unsafe.Pointer) { C.chunkbuf_view_release((*C.chunkbuf_view)(p)) }
