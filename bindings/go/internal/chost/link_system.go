//go:build chunkbuf_system

package chost

// #cgo pkg-config: chunkbuf
import "C"
