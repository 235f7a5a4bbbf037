package chunkbuf

/*
// The helpers below only read or create objects: they never drop a
// reference, so they can never run a free callback (chunkbufGoUnpin) and
// never call back into Go. Marking them noescape+nocallback lets the
// out-parameters of their callers stay on the goroutine stack instead of
// being moved to the heap on every call. A helper that consumes, frees or
// aborts must not be listed: the runtime panics if a nocallback function
// calls back into Go.
//
#cgo noescape cbw_pool_new
#cgo nocallback cbw_pool_new
#cgo noescape cbw_pool_stats_get
#cgo nocallback cbw_pool_stats_get
#cgo noescape cbw_pool_tenant_usage
#cgo nocallback cbw_pool_tenant_usage
#cgo noescape cbw_kind_register
#cgo nocallback cbw_kind_register
#cgo noescape cbw_kind_name
#cgo nocallback cbw_kind_name
#cgo noescape cbw_buffer_new
#cgo nocallback cbw_buffer_new
#cgo noescape cbw_buffer_len
#cgo nocallback cbw_buffer_len
#cgo noescape cbw_buffer_find
#cgo nocallback cbw_buffer_find
#cgo noescape cbw_buffer_rfind
#cgo nocallback cbw_buffer_rfind
#cgo noescape cbw_buffer_peek
#cgo nocallback cbw_buffer_peek
#cgo noescape cbw_buffer_segment_count
#cgo nocallback cbw_buffer_segment_count
#cgo noescape cbw_buffer_equals
#cgo nocallback cbw_buffer_equals
#cgo noescape cbw_buffer_copy_out
#cgo nocallback cbw_buffer_copy_out
#cgo noescape cbw_buffer_peek_u8
#cgo nocallback cbw_buffer_peek_u8
#cgo noescape cbw_buffer_peek_u16
#cgo nocallback cbw_buffer_peek_u16
#cgo noescape cbw_buffer_peek_u32
#cgo nocallback cbw_buffer_peek_u32
#cgo noescape cbw_buffer_peek_u64
#cgo nocallback cbw_buffer_peek_u64
#cgo noescape cbw_view_retain
#cgo nocallback cbw_view_retain
#cgo noescape cbw_view_from_bytes
#cgo nocallback cbw_view_from_bytes
#cgo noescape cbw_view_len
#cgo nocallback cbw_view_len
#cgo noescape cbw_view_segment_count
#cgo nocallback cbw_view_segment_count
#cgo noescape cbw_view_segments
#cgo nocallback cbw_view_segments
#cgo noescape cbw_view_data
#cgo nocallback cbw_view_data
#cgo noescape cbw_view_slice
#cgo nocallback cbw_view_slice
#cgo noescape cbw_view_find
#cgo nocallback cbw_view_find
#cgo noescape cbw_view_equals
#cgo nocallback cbw_view_equals
#cgo noescape cbw_view_equals_view
#cgo nocallback cbw_view_equals_view
#cgo noescape cbw_view_copy_out
#cgo nocallback cbw_view_copy_out
#cgo noescape cbw_view_concat
#cgo nocallback cbw_view_concat
#cgo noescape cbw_view_contiguous
#cgo nocallback cbw_view_contiguous
#cgo noescape cbw_view_kind
#cgo nocallback cbw_view_kind
#cgo noescape cbw_view_retag
#cgo nocallback cbw_view_retag
#cgo noescape cbw_view_tenant
#cgo nocallback cbw_view_tenant
#cgo noescape cbw_view_sharers
#cgo nocallback cbw_view_sharers
#cgo noescape cbw_view_sha256
#cgo nocallback cbw_view_sha256
#cgo noescape cbw_stream_new
#cgo nocallback cbw_stream_new
#cgo noescape cbw_stream_readable_amount
#cgo nocallback cbw_stream_readable_amount
#cgo noescape cbw_stream_at_eof
#cgo nocallback cbw_stream_at_eof
#cgo noescape cbw_stream_find
#cgo nocallback cbw_stream_find
#cgo noescape cbw_stream_tell
#cgo nocallback cbw_stream_tell
#cgo noescape cbw_stream_readiness_fd
#cgo nocallback cbw_stream_readiness_fd
#cgo noescape cbw_stream_abort_code
#cgo nocallback cbw_stream_abort_code
#include "cwrap.h"
*/
import "C"
