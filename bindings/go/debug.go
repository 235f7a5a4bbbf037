package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"runtime"
	"strings"
	"unsafe"
)

// DebugTrack switches leak tracking on or off for blocks and views created
// from now on (as Netty's leak detector; also on when the environment has
// CHUNKBUF_TRACK_LEAKS=1). While on, each records the call stack that
// created it, which [DebugReport] lists.
func DebugTrack(on bool) error {
	var msg *C.char
	return check("DebugTrack", C.cbw_debug_track(cbool(on), &msg), msg)
}

// DebugReport returns one line per live tracked block and view of pool
// (nil: of every pool), e.g. "live view 0x...: 12 bytes in 1 segments, 1
// refs, created at ...".
func DebugReport(pool *Pool) ([]string, error) {
	const op = "DebugReport"
	var ph *C.chunkbuf_pool
	if pool != nil {
		h, err := pool.handle(op)
		if err != nil {
			return nil, err
		}
		ph = h
		defer runtime.KeepAlive(pool)
	}
	var lines, msg *C.char
	var count C.size_t
	if err := check(op, C.cbw_debug_report_lines(ph, &lines, &count, &msg), msg); err != nil {
		return nil, err
	}
	if lines == nil {
		return nil, nil
	}
	defer C.free(unsafe.Pointer(lines))
	return strings.Split(strings.TrimSuffix(C.GoString(lines), "\n"), "\n"), nil
}
