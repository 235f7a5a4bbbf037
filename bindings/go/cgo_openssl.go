//go:build !chunkbuf_system && chunkbuf_openssl

package chunkbuf

// -tags chunkbuf_openssl adds SHA-256 of views to the bundled engine
// through OpenSSL's libcrypto (needs its headers and library: Debian's
// libssl-dev). The default bundled build has no dependency beyond the C++
// runtime, and View.SHA256 reports ErrNotSup there.

// #cgo CPPFLAGS: -DCHUNKBUF_HAVE_OPENSSL
// #cgo LDFLAGS: -lcrypto
import "C"
