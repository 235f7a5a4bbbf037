package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"strconv"
	"unsafe"
)

// Kind is a view's content-kind tag. Kinds are registered by name at run
// time; [KindRaw] always exists.
type Kind uint32

// KindRaw is the kind of untagged bytes.
const KindRaw Kind = C.CHUNKBUF_KIND_RAW

// RegisterKind returns the kind registered under name, registering it if it
// is new.
func RegisterKind(name string) (Kind, error) {
	const op = "RegisterKind"
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var k C.uint32_t
	var msg *C.char
	if err := check(op, C.cbw_kind_register(cname, &k, &msg), msg); err != nil {
		return 0, err
	}
	return Kind(k), nil
}

// String returns the name the kind was registered under, or "kind(N)" for
// an unknown kind.
func (k Kind) String() string {
	var name *C.char
	var msg *C.char
	if check("Kind.String", C.cbw_kind_name(C.uint32_t(k), &name, &msg), msg) != nil {
		return "kind(" + strconv.FormatUint(uint64(k), 10) + ")"
	}
	return C.GoString(name)
}
