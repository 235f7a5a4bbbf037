//go:build !chunkbuf_system

package chost

// Without chunkbuf_system: the header bundled with package chunkbuf, and
// the symbols of that package's engine (imported below, so they are in
// every binary that uses this package).

// #cgo CPPFLAGS: -I${SRCDIR}/../../csrc/capi/include
import "C"

import _ "github.com/chunkbuf/chunkbuf/bindings/go" // the engine this package calls
