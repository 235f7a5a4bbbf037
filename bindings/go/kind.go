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

// LookupKind returns the kind already registered under name; an unknown
// name is an [ErrInval] error naming it (nothing is registered).
func LookupKind(name string) (Kind, error) {
	const op = "LookupKind"
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var k C.uint32_t
	var msg *C.char
	if err := check(op, C.cbw_kind_lookup(cname, &k, &msg), msg); err != nil {
		return 0, err
	}
	return Kind(k), nil
}

// RegisterTenant returns the tenant id of name, registering it if new (ids
// 1, 2, ... in registration order). The id works wherever a tenant number
// does: [BufferOptions].Tenant, [Pool.SetTenantQuota], [Pool.TenantUsage].
func RegisterTenant(name string) (uint32, error) {
	const op = "RegisterTenant"
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var t C.uint32_t
	var msg *C.char
	if err := check(op, C.cbw_tenant_register(cname, &t, &msg), msg); err != nil {
		return 0, err
	}
	return uint32(t), nil
}

// TenantName returns the name registered for tenant id, or "" and false
// when it has none (0, or a number picked without a name).
func TenantName(id uint32) (string, bool) {
	var name *C.char
	var msg *C.char
	if check("TenantName", C.cbw_tenant_name(C.uint32_t(id), &name, &msg), msg) != nil {
		return "", false
	}
	return C.GoString(name), true
}

// OptimalBufferSize is the FASTQ module's buffer-size heuristic:
// expectedTotal/100 clamped to [min, max] (0: 8 KiB and 64 KiB) and rounded
// up to a whole 4 KiB page.
func OptimalBufferSize(expectedTotal uint64, min, max int) (int, error) {
	const op = "OptimalBufferSize"
	lo, err := size(op, "min", min)
	if err != nil {
		return 0, err
	}
	hi, err := size(op, "max", max)
	if err != nil {
		return 0, err
	}
	var out C.size_t
	var msg *C.char
	if err := check(op, C.cbw_optimal_buffer_size(C.uint64_t(expectedTotal), lo, hi, &out, &msg), msg); err != nil {
		return 0, err
	}
	return int(out), nil
}
