//go:build chunkbuf_system

package chunkbuf

// With -tags chunkbuf_system the package links the installed libchunkbuf
// (libchunkbuf.so.1, found through pkg-config's chunkbuf.pc) instead of
// compiling the bundled engine: one library shared with the rest of the
// process, SHA-256 as the library was built.

// #cgo pkg-config: chunkbuf
import "C"
