/* Every chunkbuf entry point the Go binding calls that can fail, as
 * CBW(name, (call arguments), parameters...). cwrap.h turns each line into
 * the declaration and cwrap.c into the definition of
 *   int cbw_<name>(parameters..., char **err)
 * which calls chunkbuf_<name> and, on failure, copies chunkbuf_last_error()
 * into *err (malloc'd; the caller frees it) before returning: the message is
 * read on the same OS thread in the same cgo call, so a goroutine moving to
 * another thread cannot pick up a stale or foreign message.
 *
 * The calls on the hot paths (stream reads and writes, buffer appends,
 * reads and advances, the batch calls) are not listed here: cwrap.h has
 * by-value helpers for them, which return their results instead of
 * writing them through pointers to Go variables. */

/* pool and kinds */
CBW(pool_new, (o, out), const chunkbuf_pool_options *o, chunkbuf_pool **out)
CBW(pool_stats_get, (p, s), chunkbuf_pool *p, chunkbuf_pool_stats *s)
CBW(pool_trim, (p), chunkbuf_pool *p)
CBW(pool_set_tenant_quota, (p, t, q), chunkbuf_pool *p, uint32_t t, size_t q)
CBW(pool_tenant_usage, (p, t, live), chunkbuf_pool *p, uint32_t t, size_t *live)
CBW(kind_register, (name, kind), const char *name, uint32_t *kind)
CBW(kind_name, (kind, name), uint32_t kind, const char **name)
CBW(kind_lookup, (name, kind), const char *name, uint32_t *kind)
CBW(tenant_register, (name, t), const char *name, uint32_t *t)
CBW(tenant_name, (t, name), uint32_t t, const char **name)
CBW(pool_prewarm, (p, sz, n), chunkbuf_pool *p, size_t sz, size_t n)
CBW(pool_get, (p, sz, out), chunkbuf_pool *p, size_t sz, chunkbuf_buffer **out)
CBW(optimal_buffer_size, (total, lo, hi, out), uint64_t total, size_t lo, size_t hi, size_t *out)

/* buffer */
CBW(buffer_new, (o, out), const chunkbuf_buffer_options *o, chunkbuf_buffer **out)
CBW(buffer_len, (b, n), const chunkbuf_buffer *b, size_t *n)
CBW(buffer_capacity, (b, n), const chunkbuf_buffer *b, size_t *n)
CBW(buffer_ensure_capacity, (b, n), chunkbuf_buffer *b, size_t n)
CBW(buffer_freeze, (b, k, out), chunkbuf_buffer *b, uint32_t k, chunkbuf_view **out)
CBW(buffer_append_view, (b, v), chunkbuf_buffer *b, const chunkbuf_view *v)
CBW(buffer_prepend, (b, d, n), chunkbuf_buffer *b, const unsigned char *d, size_t n)
CBW(buffer_prepend_view, (b, v), chunkbuf_buffer *b, const chunkbuf_view *v)
CBW(buffer_read_policy, (b, d, n, p, got), chunkbuf_buffer *b, unsigned char *d, size_t n, int p, size_t *got)
CBW(buffer_reserve, (b, n, iov, max, cnt), chunkbuf_buffer *b, size_t n, struct iovec *iov, size_t max, size_t *cnt)
CBW(buffer_commit, (b, n), chunkbuf_buffer *b, size_t n)
CBW(buffer_read_from_fd, (b, fd, max, n), chunkbuf_buffer *b, int fd, size_t max, size_t *n)
CBW(buffer_find, (b, nd, nl, s, e, pos), const chunkbuf_buffer *b, const unsigned char *nd, size_t nl, size_t s, size_t e, size_t *pos)
CBW(buffer_rfind, (b, nd, nl, s, e, pos), const chunkbuf_buffer *b, const unsigned char *nd, size_t nl, size_t s, size_t e, size_t *pos)
CBW(buffer_peek, (b, n, iov, max, cnt), const chunkbuf_buffer *b, size_t n, struct iovec *iov, size_t max, size_t *cnt)
CBW(buffer_segment_count, (b, n), const chunkbuf_buffer *b, size_t *n)
CBW(buffer_coalesce, (b, n, d), chunkbuf_buffer *b, size_t n, const void **d)
CBW(buffer_equals, (b, d, n, eq), const chunkbuf_buffer *b, const unsigned char *d, size_t n, int *eq)
CBW(buffer_copy_out, (b, off, d, n, c), const chunkbuf_buffer *b, size_t off, unsigned char *d, size_t n, size_t *c)
CBW(buffer_peek_u8, (b, off, v), const chunkbuf_buffer *b, size_t off, uint8_t *v)
CBW(buffer_peek_u16, (b, off, o, v), const chunkbuf_buffer *b, size_t off, int o, uint16_t *v)
CBW(buffer_peek_u32, (b, off, o, v), const chunkbuf_buffer *b, size_t off, int o, uint32_t *v)
CBW(buffer_peek_u64, (b, off, o, v), const chunkbuf_buffer *b, size_t off, int o, uint64_t *v)
CBW(buffer_split_to, (b, n, out), chunkbuf_buffer *b, size_t n, chunkbuf_view **out)
CBW(buffer_take_until, (b, d, dl, inc, max, out), chunkbuf_buffer *b, const unsigned char *d, size_t dl, int inc, size_t max, chunkbuf_view **out)
CBW(buffer_take_line, (b, eol, max, out), chunkbuf_buffer *b, chunkbuf_eol eol, size_t max, chunkbuf_view **out)
CBW(buffer_write_to_fd, (b, fd, max, n), chunkbuf_buffer *b, int fd, size_t max, size_t *n)

/* view */
CBW(view_retain, (v), chunkbuf_view *v)
CBW(view_from_bytes, (p, d, n, out), chunkbuf_pool *p, const unsigned char *d, size_t n, chunkbuf_view **out)
CBW(view_from_bytes_kind, (p, d, n, k, out), chunkbuf_pool *p, const unsigned char *d, size_t n, uint32_t k, chunkbuf_view **out)
CBW(view_with_tenant, (v, t, out), const chunkbuf_view *v, uint32_t t, chunkbuf_view **out)
CBW(view_len, (v, n), const chunkbuf_view *v, size_t *n)
CBW(view_segment_count, (v, n), const chunkbuf_view *v, size_t *n)
CBW(view_segments, (v, first, iov, max, cnt), const chunkbuf_view *v, size_t first, struct iovec *iov, size_t max, size_t *cnt)
CBW(view_data, (v, d, n), const chunkbuf_view *v, const void **d, size_t *n)
CBW(view_slice, (v, s, e, out), const chunkbuf_view *v, size_t s, size_t e, chunkbuf_view **out)
CBW(view_find, (v, nd, nl, s, e, pos), const chunkbuf_view *v, const unsigned char *nd, size_t nl, size_t s, size_t e, size_t *pos)
CBW(view_equals, (v, d, n, eq), const chunkbuf_view *v, const unsigned char *d, size_t n, int *eq)
CBW(view_equals_view, (a, b, eq), const chunkbuf_view *a, const chunkbuf_view *b, int *eq)
CBW(view_copy_out, (v, off, d, n, c), const chunkbuf_view *v, size_t off, unsigned char *d, size_t n, size_t *c)
CBW(view_concat, (vs, n, out), const chunkbuf_view *const *vs, size_t n, chunkbuf_view **out)
CBW(view_contiguous, (v, out), const chunkbuf_view *v, chunkbuf_view **out)
CBW(view_kind, (v, k), const chunkbuf_view *v, uint32_t *k)
CBW(view_retag, (v, k, out), const chunkbuf_view *v, uint32_t k, chunkbuf_view **out)
CBW(view_tenant, (v, t), const chunkbuf_view *v, uint32_t *t)
CBW(view_sharers, (v, n), const chunkbuf_view *v, size_t *n)
CBW(view_sha256, (v, d), const chunkbuf_view *v, uint8_t *d)

/* stream */
CBW(stream_new, (o, out), const chunkbuf_stream_options *o, chunkbuf_stream **out)
CBW(stream_close, (s), chunkbuf_stream *s)
CBW(stream_abort, (s, c), chunkbuf_stream *s, int c)
CBW(stream_abort_code, (s, c), const chunkbuf_stream *s, int *c)
CBW(stream_readable_amount, (s, n), const chunkbuf_stream *s, size_t *n)
CBW(stream_at_eof, (s, eof), const chunkbuf_stream *s, int *eof)
CBW(stream_find, (s, nd, nl, st, e, pos), const chunkbuf_stream *s, const unsigned char *nd, size_t nl, size_t st, size_t e, size_t *pos)
CBW(stream_seek, (s, off, wh, pos), chunkbuf_stream *s, int64_t off, int wh, uint64_t *pos)
CBW(stream_tell, (s, pos), const chunkbuf_stream *s, uint64_t *pos)
CBW(stream_readiness_fd, (s, fd), const chunkbuf_stream *s, int *fd)

/* framer */
CBW(framer_new_delimiter, (o, out), const chunkbuf_delimiter_framer_options *o, chunkbuf_framer **out)
CBW(framer_new_length, (o, out), const chunkbuf_length_framer_options *o, chunkbuf_framer **out)
CBW(framer_next, (f, b, fin, out), chunkbuf_framer *f, chunkbuf_buffer *b, int fin, chunkbuf_view **out)
CBW(framer_encode, (f, b, v), const chunkbuf_framer *f, chunkbuf_buffer *b, const chunkbuf_view *v)

/* buffer peeks of batches */
CBW(buffer_peek_lines, (b, eol, max, r, mr, n), const chunkbuf_buffer *b, chunkbuf_eol eol, size_t max, chunkbuf_record *r, size_t mr, size_t *n)
CBW(buffer_peek_records, (b, d, dl, max, r, mr, n), const chunkbuf_buffer *b, const unsigned char *d, size_t dl, size_t max, chunkbuf_record *r, size_t mr, size_t *n)

/* ring */
CBW(ring_new, (c, out), size_t c, chunkbuf_ring **out)
CBW(arena_new, (p, c, out), chunkbuf_pool *p, size_t c, chunkbuf_arena **out)
CBW(arena_alloc, (a, n, al, ptr), chunkbuf_arena *a, size_t n, size_t al, void **ptr)
CBW(arena_reset, (a), chunkbuf_arena *a)
CBW(arena_usage, (a, u, c), const chunkbuf_arena *a, size_t *u, size_t *c)
CBW(ring_write, (r, d, n, w), chunkbuf_ring *r, const unsigned char *d, size_t n, size_t *w)
CBW(ring_read, (r, d, n, got), chunkbuf_ring *r, unsigned char *d, size_t n, size_t *got)
CBW(ring_peek, (r, d, n, got), const chunkbuf_ring *r, unsigned char *d, size_t n, size_t *got)
CBW(ring_readable_amount, (r, n), const chunkbuf_ring *r, size_t *n)
CBW(ring_writable_amount, (r, n), const chunkbuf_ring *r, size_t *n)
CBW(ring_capacity, (r, n), const chunkbuf_ring *r, size_t *n)

/* debugging */
CBW(debug_track, (on), int on)

/* consuming binary readers */
CBW(buffer_read_uint, (b, w, o, v), chunkbuf_buffer *b, size_t w, int o, uint64_t *v)
CBW(buffer_read_exact, (b, d, n), chunkbuf_buffer *b, unsigned char *d, size_t n)
CBW(buffer_peek_exact, (b, d, n), const chunkbuf_buffer *b, unsigned char *d, size_t n)
