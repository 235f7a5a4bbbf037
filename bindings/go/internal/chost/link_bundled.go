//go:build !chunkbuf_system

package chost

// The header bundled with package chunkbuf; the symbols come from that
// package's objects (its tests import both).
// #cgo CPPFLAGS: -I${SRCDIR}/../../csrc/capi/include
import "C"

import _ "github.com/chunkbuf/chunkbuf/bindings/go" // the engine this package calls
