// Package chunkbuf is the Go binding of chunkbuf: pooled chunked byte
// buffers, zero-copy views and blocking cross-goroutine streams, over the
// library's C ABI (chunkbuf.h).
//
// # Objects
//
//   - [Pool]: size-classed, refcounted memory blocks with statistics and
//     per-tenant quotas. [DefaultPool] is used when no pool is given.
//   - [Buffer]: a growable chain of segments for parsing or building a byte
//     stream. One goroutine at a time, like [bytes.Buffer].
//   - [View]: an immutable, refcounted run of bytes cut from a Buffer or a
//     Stream. Views never see later writes and may be shared by goroutines.
//   - [Stream]: a goroutine-safe byte stream with a writer side and a
//     blocking reader side (an [io.Reader] another goroutine fills).
//
// # Memory and lifetime
//
// Every object holds C memory. Release it explicitly: [Pool.Close],
// [Buffer.Close], [View.Release], [Stream.Release]. Each is idempotent; a
// runtime cleanup releases objects that were forgotten, but only when the
// garbage collector finds them, so do not rely on it for prompt reuse of
// pool memory. Any method on a released object returns an error matching
// [ErrHandle] (or a zero value where the method has no error result); it
// never crashes.
//
// Byte slices that alias C memory are marked as such in their method's
// documentation ([View.Bytes], [View.Segments], [Buffer.Peek],
// [Buffer.Coalesce], [Buffer.Reserve], [Batch.Bytes]); each states how long
// the memory stays valid. Methods named Copy return Go-owned bytes.
//
// Go memory is never kept by C after a call returns, except for
// [Buffer.AppendRef] and [Stream.WriteRef], which pin the caller's slice
// with a [runtime.Pinner] until chunkbuf drops the last reference to it.
//
// # Errors
//
// Failures are *[Error] values that carry the C library's message and match
// the [Errno] constants with [errors.Is] (ErrLimit, ErrNeedMore, ...). End of
// a stream is [io.EOF].
package chunkbuf

// #include <chunkbuf.h>
import "C"

import "fmt"

// Version is the version of the C library in use, e.g. "0.5.0".
func Version() string { return C.GoString(C.chunkbuf_version_string()) }

// HasSHA256 reports whether the library was built with SHA-256 support
// ([View.SHA256]).
func HasSHA256() bool { return C.chunkbuf_features()&C.CHUNKBUF_FEATURE_SHA256 != 0 }

// compatible reports whether a library of version number lib (a
// CHUNKBUF_VERSION_NUMBER) can serve a binding built against header: the
// same major, and not older (a newer minor only adds functions). A library
// that lacks a function the binding uses never gets this far: the dynamic
// linker refuses to start the program ("version `CHUNKBUF_1.2' not found").
func compatible(header, lib uint) bool { return lib/10000 == header/10000 && lib >= header }

func init() {
	if got, want := uint(C.chunkbuf_version()), uint(C.CHUNKBUF_VERSION_NUMBER); !compatible(want, got) {
		panic(fmt.Sprintf("chunkbuf: the Go binding was built against chunkbuf.h version %d "+
			"but the loaded libchunkbuf reports version %d; it needs the same major version, at least %d",
			want, got, want))
	}
}
