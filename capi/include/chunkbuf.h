/*
 * chunkbuf.h — the one public header of chunkbuf, and its manual.
 *
 * chunkbuf is a library of pooled chunked byte buffers, zero-copy views and
 * blocking cross-thread streams, behind a stable C ABI.
 *
 *   chunkbuf_pool    size-classed, refcounted memory blocks (thread-safe)
 *   chunkbuf_buffer  a growable chain of segments: the stream being parsed
 *                    or built (one owner at a time, like a std::vector)
 *   chunkbuf_view    an immutable, refcounted list of segments cut from a
 *                    buffer; valid until released, never sees later writes,
 *                    shareable across threads
 *   chunkbuf_stream  a thread-safe buffer with a writer side and a blocking
 *                    reader side
 *
 * Rules that hold for every function below
 * ----------------------------------------
 *  - A function that can fail returns an int status: CHUNKBUF_OK (0) or a
 *    negative CHUNKBUF_E* code. Results go through out-parameters, which are
 *    written only on success unless the function says otherwise.
 *  - chunkbuf_strerror(code) names a code; chunkbuf_last_error() returns a
 *    thread-local message describing the most recent failure on this thread.
 *  - Every handle is checked on entry. NULL, a handle of another kind, or a
 *    handle already freed/released (while its memory is still quarantined)
 *    yields CHUNKBUF_EHANDLE, never a crash.
 *  - chunkbuf_*_free(NULL) and chunkbuf_view_release(NULL) are no-ops.
 *  - A failed call leaves every byte where it was: no partial append, no
 *    partial consume.
 *  - Out of memory is CHUNKBUF_ENOMEM; chunkbuf never aborts the host.
 *  - Options structs start with `struct_size`; initialise them with the
 *    matching *_INIT macro. A size chunkbuf does not know is CHUNKBUF_EVERSION.
 *  - Offsets and lengths are byte counts (size_t). "Not found" is reported
 *    as CHUNKBUF_NPOS in the position out-parameter, with status CHUNKBUF_OK.
 *
 * The header compiles as C99 and as C++.
 */
#ifndef CHUNKBUF_H
#define CHUNKBUF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h> /* struct iovec */

#ifdef __cplusplus
extern "C" {
#endif

#if defined(CHUNKBUF_BUILDING) && defined(__GNUC__)
#define CHUNKBUF_API __attribute__((visibility("default")))
#else
#define CHUNKBUF_API
#endif

/* Marks a 0.1 name kept for old callers (the library still exports it);
 * define CHUNKBUF_NO_DEPRECATION_WARNINGS to silence the warning. */
#if defined(__GNUC__) && !defined(CHUNKBUF_BUILDING) && !defined(CHUNKBUF_NO_DEPRECATION_WARNINGS)
#define CHUNKBUF_DEPRECATED __attribute__((deprecated))
#else
#define CHUNKBUF_DEPRECATED
#endif

/* ---------------------------------------------------------------- version */

#define CHUNKBUF_VERSION_MAJOR 0
#define CHUNKBUF_VERSION_MINOR 2
#define CHUNKBUF_VERSION_PATCH 0
#define CHUNKBUF_VERSION_NUMBER \
  (CHUNKBUF_VERSION_MAJOR * 10000 + CHUNKBUF_VERSION_MINOR * 100 + CHUNKBUF_VERSION_PATCH)

/* The CHUNKBUF_VERSION_NUMBER the library was built with. Bindings compare it
 * with the number of the header they were built against. */
CHUNKBUF_API unsigned chunkbuf_version(void);
/* The version as a string, e.g. "0.1.0". Never NULL. */
CHUNKBUF_API const char *chunkbuf_version_string(void);

/* Optional features compiled into this library (bit mask). */
#define CHUNKBUF_FEATURE_SHA256 0x1u /* chunkbuf_view_sha256 works */
CHUNKBUF_API unsigned chunkbuf_features(void);

/* ----------------------------------------------------------------- errors */

#define CHUNKBUF_OK 0
#define CHUNKBUF_EINVAL (-1)    /* an argument is out of range or malformed */
#define CHUNKBUF_EHANDLE (-2)   /* NULL, wrong-kind or already freed handle */
#define CHUNKBUF_ENOMEM (-3)    /* out of memory; nothing changed */
#define CHUNKBUF_ELIMIT (-4)    /* a limit (max_bytes, quota, max length) */
#define CHUNKBUF_ESTATE (-5)    /* not allowed now (e.g. reservation open) */
#define CHUNKBUF_ENEEDMORE (-6) /* more bytes are needed; nothing consumed */
#define CHUNKBUF_ECLOSED (-7)   /* the stream is closed for writing */
#define CHUNKBUF_EAGAIN (-8)    /* would block (non-blocking call) */
#define CHUNKBUF_ETIMEDOUT (-9) /* a blocking call's timeout passed */
#define CHUNKBUF_EABORTED (-10) /* the stream was aborted by its writer */
#define CHUNKBUF_ERANGE (-11)   /* an offset or count beyond the data */
#define CHUNKBUF_EIO (-12)      /* a read/write on a file descriptor failed */
#define CHUNKBUF_ENOTSUP (-13)  /* feature not compiled in */
#define CHUNKBUF_EVERSION (-14) /* unknown options struct size */
#define CHUNKBUF_ECANCELED (-15) /* a blocking call's cancel token fired */

/* A static name for a code ("invalid argument", ...). Never NULL. */
CHUNKBUF_API const char *chunkbuf_strerror(int code);
/* The detail message of the most recent failure on the calling thread.
 * Advisory; never NULL ("" before any failure). Valid until the next
 * chunkbuf call on this thread. */
CHUNKBUF_API const char *chunkbuf_last_error(void);

#define CHUNKBUF_NPOS ((size_t)-1)

/* Error detail handed back by the failing call itself. Entry points that
 * take a chunkbuf_error * (directly or in chunkbuf_wait) set code to the
 * status they return and message to the detail (the same text as
 * chunkbuf_last_error, "" on success), so a caller that may run on another
 * OS thread by its next call (a goroutine) needs no second call. Set
 * struct_size (use CHUNKBUF_ERROR_INIT); a smaller, older struct gets the
 * fields it has, the message cut to fit. Since 0.2. */
typedef struct chunkbuf_error {
  size_t struct_size;
  int code;
  char message[256];
} chunkbuf_error;
#define CHUNKBUF_ERROR_INIT {sizeof(chunkbuf_error), 0, {0}}

/* ---------------------------------------------------------------- handles */

typedef struct chunkbuf_pool chunkbuf_pool;
typedef struct chunkbuf_buffer chunkbuf_buffer;
typedef struct chunkbuf_view chunkbuf_view;
typedef struct chunkbuf_stream chunkbuf_stream;

/* Called once when chunkbuf no longer needs memory adopted by reference. */
typedef void (*chunkbuf_free_fn)(void *user_data);

/* ------------------------------------------------------------------- pool
 *
 * Blocks come in CHUNKBUF_POOL_CLASSES size classes of 4 KiB << i
 * (4 KiB .. 1 MiB). Larger requests are allocated directly and counted as
 * direct allocations. Each class keeps a bounded cache of free blocks, and
 * each thread using the pool a small cache of its own (at most 16 blocks
 * and 256 KiB per class; none for 512 KiB and 1 MiB blocks). A thread's
 * cache goes back to the pool when the thread exits, and is emptied by
 * chunkbuf_pool_trim and when the pool is freed, even while that thread
 * runs. Blocks of a buffer with a tenant bypass the per-thread caches.
 * A pool is thread-safe; acquire and release take no global lock.
 * A pool lives until its handle is freed and the last block it handed out
 * is released, so buffers and views may outlive the pool handle.
 */

#define CHUNKBUF_POOL_CLASSES 9
#define CHUNKBUF_POOL_MIN_BLOCK 4096u

typedef struct chunkbuf_pool_options {
  size_t struct_size;
  /* Bytes each class may keep in the shared cache (per-thread caches hold
   * at most 1/8 of it more per thread); 0 = default (4 MiB). */
  size_t max_cached_bytes_per_class;
} chunkbuf_pool_options;
#define CHUNKBUF_POOL_OPTIONS_INIT {sizeof(chunkbuf_pool_options), 0}

typedef struct chunkbuf_pool_stats {
  size_t struct_size;
  uint64_t acquisitions;       /* blocks handed out (all kinds) */
  uint64_t releases;           /* blocks given back (all kinds) */
  uint64_t hits[CHUNKBUF_POOL_CLASSES];   /* acquisitions served by the cache */
  uint64_t misses[CHUNKBUF_POOL_CLASSES]; /* acquisitions that allocated */
  uint64_t cached_blocks[CHUNKBUF_POOL_CLASSES]; /* free blocks in the caches
                                                    (shared and per-thread) now */
  uint64_t direct_allocations; /* oversize blocks allocated directly */
  uint64_t bytes_in_use;       /* capacity of blocks handed out, not released */
  uint64_t peak_bytes_in_use;  /* high-water mark of bytes_in_use plus what the
                                  per-thread caches held at that moment: never
                                  below the true peak, above it by at most
                                  those caches */
  uint64_t bytes_cached;       /* capacity of blocks held in the caches */
  uint64_t external_blocks;    /* live blocks adopted by reference */
} chunkbuf_pool_stats;
/* The counters are exact when no block is acquired or released while they
 * are read; meanwhile they are a momentary estimate. */
#define CHUNKBUF_POOL_STATS_INIT {sizeof(chunkbuf_pool_stats), 0, 0, {0}, {0}, {0}, 0, 0, 0, 0, 0}

/* Create a pool. opts may be NULL for defaults. */
CHUNKBUF_API int chunkbuf_pool_new(const chunkbuf_pool_options *opts, chunkbuf_pool **out);
/* Drop the handle. Blocks still referenced keep the pool's memory alive. */
CHUNKBUF_API void chunkbuf_pool_free(chunkbuf_pool *pool);
/* The process-wide default pool (never freed; chunkbuf_pool_free on it is
 * a no-op). Used wherever an options struct leaves `pool` NULL. */
CHUNKBUF_API chunkbuf_pool *chunkbuf_pool_default(void);
/* Fill *stats (stats->struct_size must be set, see _INIT). */
CHUNKBUF_API int chunkbuf_pool_stats_get(chunkbuf_pool *pool, chunkbuf_pool_stats *stats);
/* Give every cached free block back to the system. */
CHUNKBUF_API int chunkbuf_pool_trim(chunkbuf_pool *pool);
/* Tenants (ids 1..UINT32_MAX; 0 means "no tenant"). quota 0 = unlimited.
 * A block acquisition that would take a tenant past its quota fails with
 * CHUNKBUF_ELIMIT. */
CHUNKBUF_API int chunkbuf_pool_set_tenant_quota(chunkbuf_pool *pool, uint32_t tenant, size_t quota);
/* Bytes of pool blocks currently held on behalf of tenant. */
CHUNKBUF_API int chunkbuf_pool_tenant_usage(chunkbuf_pool *pool, uint32_t tenant, size_t *live);

/* ------------------------------------------------------------- content kinds
 * A view carries a content-kind tag. Kind 0 is "raw". New kinds are
 * registered by name at run time; registering a known name returns its id.
 */
#define CHUNKBUF_KIND_RAW 0u
CHUNKBUF_API int chunkbuf_kind_register(const char *name, uint32_t *kind);
/* *name points to static storage valid for the life of the process. */
CHUNKBUF_API int chunkbuf_kind_name(uint32_t kind, const char **name);

/* ----------------------------------------------------------------- buffer */

typedef struct chunkbuf_buffer_options {
  size_t struct_size;
  chunkbuf_pool *pool; /* NULL: chunkbuf_pool_default() */
  size_t max_bytes;    /* 0: unlimited; appends past it fail with ELIMIT */
  size_t min_chunk;    /* smallest block to allocate; 0: 4096 */
  uint32_t tenant;     /* account blocks to this tenant; 0: none */
  int linear;          /* 1: the linear backend. The readable bytes stay
                          contiguous in one growable block (compacted in
                          place when no view shares it), so every buffer
                          operation sees one segment; append_ref and
                          append_view copy. 0: the segmented chain. */
} chunkbuf_buffer_options;
#define CHUNKBUF_BUFFER_OPTIONS_INIT {sizeof(chunkbuf_buffer_options), NULL, 0, 0, 0, 0}

/* End-of-line styles, as libevent's evbuffer_eol_style. */
typedef enum chunkbuf_eol {
  CHUNKBUF_EOL_ANY = 0,         /* any run of CR and LF characters */
  CHUNKBUF_EOL_CRLF = 1,        /* LF, optionally preceded by CR */
  CHUNKBUF_EOL_CRLF_STRICT = 2, /* exactly CR LF */
  CHUNKBUF_EOL_LF = 3,          /* exactly LF */
  CHUNKBUF_EOL_NUL = 4          /* a NUL byte */
} chunkbuf_eol;

/* Byte order for typed reads. */
#define CHUNKBUF_BE 0
#define CHUNKBUF_LE 1

/* One record of a batch take: bytes [offset, offset+length) of the returned
 * view are the record, followed by delim_length delimiter bytes. */
typedef struct chunkbuf_record {
  size_t offset;
  size_t length;
  size_t delim_length;
} chunkbuf_record;

CHUNKBUF_API int chunkbuf_buffer_new(const chunkbuf_buffer_options *opts, chunkbuf_buffer **out);
CHUNKBUF_API void chunkbuf_buffer_free(chunkbuf_buffer *buf);
CHUNKBUF_API int chunkbuf_buffer_len(const chunkbuf_buffer *buf, size_t *len);

/* -- write side. Each fails with ESTATE while a reservation is open and with
 *    ELIMIT when max_bytes would be exceeded (nothing is appended then). */

/* Copy len bytes in. */
CHUNKBUF_API int chunkbuf_buffer_append(chunkbuf_buffer *buf, const void *data, size_t len);
/* Adopt len bytes at data without copying. free_fn(user_data) is called
 * exactly once, when no buffer or view refers to the bytes any longer
 * (also when the call fails, unless it fails with EHANDLE or EINVAL).
 * free_fn may be NULL. */
CHUNKBUF_API int chunkbuf_buffer_append_ref(chunkbuf_buffer *buf, const void *data, size_t len,
                                            chunkbuf_free_fn free_fn, void *user_data);
/* Adopt n regions at once; free_fn(user_data) runs once, after the last of
 * them is released. Same failure rules as chunkbuf_buffer_append_ref. */
CHUNKBUF_API int chunkbuf_buffer_append_refv(chunkbuf_buffer *buf, const struct iovec *iov, size_t n,
                                             chunkbuf_free_fn free_fn, void *user_data);
/* Append a view's bytes without copying (the view stays valid). */
CHUNKBUF_API int chunkbuf_buffer_append_view(chunkbuf_buffer *buf, const chunkbuf_view *view);
/* Reserve at least n writable bytes at the end, as up to max_iov spans of
 * pool memory (max_iov 1 asks for one contiguous span). *n_iov receives the
 * number of spans. Only one reservation may be open. */
CHUNKBUF_API int chunkbuf_buffer_reserve(chunkbuf_buffer *buf, size_t n, struct iovec *iov, size_t max_iov,
                                         size_t *n_iov);
/* Make the first n reserved bytes part of the buffer and close the
 * reservation (n 0 cancels it). ESTATE without a reservation, ERANGE if n
 * exceeds what was reserved (the reservation stays open then). */
CHUNKBUF_API int chunkbuf_buffer_commit(chunkbuf_buffer *buf, size_t n);
/* readv(2) up to max bytes (0: up to 64 KiB) straight into pool memory.
 * *nread is 0 at end of file. EAGAIN when the fd would block; EIO with the
 * errno text in chunkbuf_last_error() on other errors. */
CHUNKBUF_API int chunkbuf_buffer_read_from_fd(chunkbuf_buffer *buf, int fd, size_t max, size_t *nread);

/* -- inspect (never changes the buffer; allowed during a reservation) */

/* First occurrence of needle (nlen >= 1 bytes) starting within [start, end)
 * and lying wholly inside [start, end); end may be CHUNKBUF_NPOS for "to the
 * end". Linear time, correct across segment boundaries. *pos = CHUNKBUF_NPOS
 * when absent. ERANGE if start > len. */
CHUNKBUF_API int chunkbuf_buffer_find(const chunkbuf_buffer *buf, const void *needle, size_t nlen, size_t start,
                                      size_t end, size_t *pos);
/* Last occurrence lying wholly inside [start, end). */
CHUNKBUF_API int chunkbuf_buffer_rfind(const chunkbuf_buffer *buf, const void *needle, size_t nlen, size_t start,
                                       size_t end, size_t *pos);
/* Describe the first min(n, len) bytes as up to max_iov iovecs. The spans
 * are valid until the next change to the buffer. *n_iov gets the count;
 * fewer bytes than asked are described when max_iov runs out. */
CHUNKBUF_API int chunkbuf_buffer_peek(const chunkbuf_buffer *buf, size_t n, struct iovec *iov, size_t max_iov,
                                      size_t *n_iov);
/* Number of segments currently holding the buffer's bytes. */
CHUNKBUF_API int chunkbuf_buffer_segment_count(const chunkbuf_buffer *buf, size_t *count);
/* Make the first n bytes contiguous (copying only when they span segments)
 * and set *data to them. Valid until the next change. ERANGE if n > len. */
CHUNKBUF_API int chunkbuf_buffer_coalesce(chunkbuf_buffer *buf, size_t n, const void **data);
/* *equal = 1 if the buffer's bytes are exactly data[0..len), else 0. */
CHUNKBUF_API int chunkbuf_buffer_equals(const chunkbuf_buffer *buf, const void *data, size_t len, int *equal);
/* Copy up to n bytes starting at offset into dst without consuming them.
 * *copied = min(n, len - offset). ERANGE if offset > len. */
CHUNKBUF_API int chunkbuf_buffer_copy_out(const chunkbuf_buffer *buf, size_t offset, void *dst, size_t n,
                                          size_t *copied);
/* Non-consuming typed reads at offset. ENEEDMORE if the buffer is short. */
CHUNKBUF_API int chunkbuf_buffer_peek_u8(const chunkbuf_buffer *buf, size_t offset, uint8_t *out);
CHUNKBUF_API int chunkbuf_buffer_peek_u16(const chunkbuf_buffer *buf, size_t offset, int order, uint16_t *out);
CHUNKBUF_API int chunkbuf_buffer_peek_u32(const chunkbuf_buffer *buf, size_t offset, int order, uint32_t *out);
CHUNKBUF_API int chunkbuf_buffer_peek_u64(const chunkbuf_buffer *buf, size_t offset, int order, uint64_t *out);

/* -- consume. Each fails with ESTATE while a reservation is open. */

/* Drop the first n bytes. ERANGE if n > len (nothing dropped). */
CHUNKBUF_API int chunkbuf_buffer_advance(chunkbuf_buffer *buf, size_t n);
/* Copy up to n bytes out and consume them; *nread = min(n, len). */
CHUNKBUF_API int chunkbuf_buffer_read(chunkbuf_buffer *buf, void *dst, size_t n, size_t *nread);
/* Move the first n bytes into a new view (zero copy). ERANGE if n > len. */
CHUNKBUF_API int chunkbuf_buffer_split_to(chunkbuf_buffer *buf, size_t n, chunkbuf_view **out);
/* Take the bytes before the first occurrence of delim (dlen >= 1) as a view
 * and consume them and the delimiter; include != 0 keeps the delimiter in
 * the view. ENEEDMORE when delim is absent; ELIMIT when max_len != 0 and no
 * delimiter starts within the first max_len bytes (nothing consumed). */
CHUNKBUF_API int chunkbuf_buffer_take_until(chunkbuf_buffer *buf, const void *delim, size_t dlen, int include,
                                            size_t max_len, chunkbuf_view **out);
/* Take one line (without its end-of-line bytes) as a view. ENEEDMORE when no
 * complete line is buffered; ELIMIT when max_len != 0 and the line is longer
 * than max_len (nothing consumed). */
CHUNKBUF_API int chunkbuf_buffer_take_line(chunkbuf_buffer *buf, chunkbuf_eol eol, size_t max_len,
                                           chunkbuf_view **out);
/* Batch: take up to max_records complete lines in one call. All of them,
 * end-of-line bytes included, are returned as one view (*out), and
 * records[i] locates line i inside it. *n_records = 0 and *out = NULL when
 * no complete line is buffered (status OK). ELIMIT only when the first
 * pending line is too long; a too-long line after some taken ones is left
 * for the next call. */
CHUNKBUF_API int chunkbuf_buffer_take_lines(chunkbuf_buffer *buf, chunkbuf_eol eol, size_t max_len,
                                            chunkbuf_record *records, size_t max_records, size_t *n_records,
                                            chunkbuf_view **out);
/* Batch: like take_lines, with records separated by the bytes of delim. */
CHUNKBUF_API int chunkbuf_buffer_take_records(chunkbuf_buffer *buf, const void *delim, size_t dlen, size_t max_len,
                                              chunkbuf_record *records, size_t max_records, size_t *n_records,
                                              chunkbuf_view **out);
/* Peek: like take_lines / take_records, but nothing is consumed and no view
 * is made. records[i].offset counts from the buffer's first byte; read the
 * bytes with chunkbuf_buffer_peek or _copy_out, then consume what was used
 * with chunkbuf_buffer_advance(offset + length + delim_length of the last
 * record used). This is how a binding hands out lines one by one from a
 * batch without losing any when its caller stops early. Allowed while a
 * reservation is open. ELIMIT as for take_lines. */
CHUNKBUF_API int chunkbuf_buffer_peek_lines(const chunkbuf_buffer *buf, chunkbuf_eol eol, size_t max_len,
                                            chunkbuf_record *records, size_t max_records, size_t *n_records);
CHUNKBUF_API int chunkbuf_buffer_peek_records(const chunkbuf_buffer *buf, const void *delim, size_t dlen,
                                              size_t max_len, chunkbuf_record *records, size_t max_records,
                                              size_t *n_records);
/* writev(2) up to max bytes (0: all) of the segments and consume what was
 * written. EAGAIN when the fd would block; EIO on other errors. */
CHUNKBUF_API int chunkbuf_buffer_write_to_fd(chunkbuf_buffer *buf, int fd, size_t max, size_t *nwritten);

/* ------------------------------------------------------------------- view
 * Views are immutable and may be used from several threads at once.
 * Retain and release are atomic.
 */

CHUNKBUF_API int chunkbuf_view_retain(chunkbuf_view *view);
CHUNKBUF_API void chunkbuf_view_release(chunkbuf_view *view);
/* A new view of the given bytes (copied once into pool memory). pool may be
 * NULL for the default pool. */
CHUNKBUF_API int chunkbuf_view_from_bytes(chunkbuf_pool *pool, const void *data, size_t len, chunkbuf_view **out);
CHUNKBUF_API int chunkbuf_view_len(const chunkbuf_view *view, size_t *len);
/* Number of segments (a view of one segment is contiguous). */
CHUNKBUF_API int chunkbuf_view_segment_count(const chunkbuf_view *view, size_t *count);
/* Describe segments [first, first+max_iov) as iovecs. The memory is valid as
 * long as the view is. *n_iov gets the count. */
CHUNKBUF_API int chunkbuf_view_segments(const chunkbuf_view *view, size_t first, struct iovec *iov, size_t max_iov,
                                        size_t *n_iov);
/* Pointer to the bytes of a contiguous view (0 or 1 segment); ESTATE if the
 * view has several segments (see chunkbuf_view_contiguous). */
CHUNKBUF_API int chunkbuf_view_data(const chunkbuf_view *view, const void **data, size_t *len);
/* A view of bytes [start, end) (end may be CHUNKBUF_NPOS). ERANGE when
 * start > end or end > len. Zero copy; inherits kind and tenant. */
CHUNKBUF_API int chunkbuf_view_slice(const chunkbuf_view *view, size_t start, size_t end, chunkbuf_view **out);
CHUNKBUF_API int chunkbuf_view_find(const chunkbuf_view *view, const void *needle, size_t nlen, size_t start,
                                    size_t end, size_t *pos);
CHUNKBUF_API int chunkbuf_view_equals(const chunkbuf_view *view, const void *data, size_t len, int *equal);
/* *equal = 1 if both views hold the same bytes. */
CHUNKBUF_API int chunkbuf_view_equals_view(const chunkbuf_view *a, const chunkbuf_view *b, int *equal);
CHUNKBUF_API int chunkbuf_view_copy_out(const chunkbuf_view *view, size_t offset, void *dst, size_t n,
                                        size_t *copied);
/* One view of the n views' bytes in order (zero copy). Kind and tenant come
 * from views[0] (raw/none when n is 0). */
CHUNKBUF_API int chunkbuf_view_concat(const chunkbuf_view *const *views, size_t n, chunkbuf_view **out);
/* A single-segment view of the same bytes: *out is the view itself
 * (retained) when already contiguous, otherwise one copy into pool memory. */
CHUNKBUF_API int chunkbuf_view_contiguous(const chunkbuf_view *view, chunkbuf_view **out);
CHUNKBUF_API int chunkbuf_view_kind(const chunkbuf_view *view, uint32_t *kind);
/* A new view of the same bytes with another kind (EINVAL for an
 * unregistered kind). The original keeps its kind. */
CHUNKBUF_API int chunkbuf_view_retag(const chunkbuf_view *view, uint32_t kind, chunkbuf_view **out);
CHUNKBUF_API int chunkbuf_view_tenant(const chunkbuf_view *view, uint32_t *tenant);
/* References currently held on the view's first block (by views, buffers
 * and streams); 0 for an empty view. */
CHUNKBUF_API int chunkbuf_view_sharers(const chunkbuf_view *view, size_t *sharers);
/* SHA-256 of the visible bytes, without coalescing. ENOTSUP when built
 * without a crypto library (see chunkbuf_features). */
CHUNKBUF_API int chunkbuf_view_sha256(const chunkbuf_view *view, uint8_t digest[32]);


/* ----------------------------------------------------------------- stream
 * A thread-safe byte stream: any number of writer threads, any number of
 * reader threads. Blocking calls take timeout_ms: -1 waits forever, 0 does
 * not wait (the call fails with EAGAIN instead of blocking), > 0 waits
 * that many milliseconds at most (then ETIMEDOUT); any other negative
 * value is EINVAL. Blocked readers wake on data, close and abort. No
 * language lock is touched: bindings release theirs around the call.
 *
 * After close (EOF) reads drain what is left and then report end of file
 * (0 bytes, status OK), exactly like read(2) on a regular file. After
 * abort, every blocked and later read, find, seek, write and close fails
 * with EABORTED, and the buffered bytes are dropped.
 *
 * Each read takes its bytes in one step: a read that fails (EAGAIN,
 * ETIMEDOUT, EABORTED) consumes nothing, and concurrent readers never get
 * interleaved pieces of one another's request. Each write is appended in
 * one step too, so the bytes of one write stay together.
 */

#define CHUNKBUF_UNKNOWN_LENGTH UINT64_MAX

typedef struct chunkbuf_stream_options {
  size_t struct_size;
  chunkbuf_pool *pool;     /* NULL: chunkbuf_pool_default() */
  uint64_t content_length; /* CHUNKBUF_UNKNOWN_LENGTH, or the EOF point:
                              the first copying write allocates one block
                              for it (up to 1 MiB streaming, 64 MiB
                              retained), and the stream closes itself
                              once that many bytes were written; writing
                              past it is ELIMIT (nothing written) */
  int retain;              /* nonzero: keep read bytes (seek works);
                              0: streaming, read bytes go back to the pool */
  size_t high_water;       /* 0: none; else a write waits while this many
                              unread bytes are buffered, unless a reader
                              is waiting for more than is buffered (so a
                              large read cannot deadlock). Waiting writers
                              are woken once reads bring the unread bytes
                              down to low_water, or when a reader waits
                              for more. */
  size_t max_bytes;        /* 0: unlimited; else the most bytes held at
                              once (unread ones; retained: all written);
                              a write past it is ELIMIT */
  uint32_t tenant;         /* pool tenant for accounting; 0: none */
  /* Since 0.2 (a 0.1 caller's smaller struct leaves it at 0): */
  size_t low_water;        /* writers waiting at high_water resume once
                              reads bring the unread bytes down to this
                              (must be below high_water, else EINVAL);
                              0: high_water / 2 */
} chunkbuf_stream_options;
#define CHUNKBUF_STREAM_OPTIONS_INIT {sizeof(chunkbuf_stream_options), NULL, CHUNKBUF_UNKNOWN_LENGTH, 0, 0, 0, 0, 0}

CHUNKBUF_API int chunkbuf_stream_new(const chunkbuf_stream_options *opts, chunkbuf_stream **out);
/* Free the stream and close its readiness fd. Views read from it stay
 * valid. Must not race with calls on it from other threads. */
CHUNKBUF_API void chunkbuf_stream_free(chunkbuf_stream *s);

/* -- writer side. ECLOSED after close, EABORTED after abort, ELIMIT past
 *    content_length or max_bytes; with a high-water mark, waits up to
 *    timeout_ms for readers to catch up (0: EAGAIN at once). A write is
 *    all or nothing. A zero-length write only reports those errors. */
CHUNKBUF_API int chunkbuf_stream_write(chunkbuf_stream *s, const void *data, size_t len, int64_t timeout_ms);
/* Zero copy; free_fn(user_data) runs once when the bytes are no longer
 * referenced (also on failure, except EHANDLE/EINVAL). */
CHUNKBUF_API int chunkbuf_stream_write_ref(chunkbuf_stream *s, const void *data, size_t len,
                                           chunkbuf_free_fn free_fn, void *user_data, int64_t timeout_ms);
CHUNKBUF_API int chunkbuf_stream_write_view(chunkbuf_stream *s, const chunkbuf_view *view, int64_t timeout_ms);
/* Signal end of file: blocked readers wake, blocked writers get ECLOSED.
 * Idempotent; EABORTED after abort. */
CHUNKBUF_API int chunkbuf_stream_close(chunkbuf_stream *s);
/* Fail the stream: blocked and later readers and writers get EABORTED,
 * buffered bytes are dropped. code (any int) is kept for
 * chunkbuf_stream_abort_code; a second abort changes nothing (still OK).
 * Allowed after close. */
CHUNKBUF_API int chunkbuf_stream_abort(chunkbuf_stream *s, int code);
/* *code = the abort code; ESTATE if the stream was not aborted. */
CHUNKBUF_API int chunkbuf_stream_abort_code(const chunkbuf_stream *s, int *code);

/* -- reader side */

/* Wait until n bytes are unread or EOF, then copy min(n, unread) out.
 * *nread < n only at EOF; *nread = 0 means end of file (or n = 0). */
CHUNKBUF_API int chunkbuf_stream_read(chunkbuf_stream *s, void *dst, size_t n, int64_t timeout_ms, size_t *nread);
/* Wait until at least one byte is unread or EOF, then copy up to n. */
CHUNKBUF_API int chunkbuf_stream_read1(chunkbuf_stream *s, void *dst, size_t n, int64_t timeout_ms, size_t *nread);
/* Copy what is there, up to n, without waiting. EAGAIN when nothing is
 * unread and EOF has not come; *nread = 0 at EOF. */
CHUNKBUF_API int chunkbuf_stream_read_nonblock(chunkbuf_stream *s, void *dst, size_t n, size_t *nread);
/* Like chunkbuf_stream_read, handing the bytes out as a zero-copy view.
 * n = CHUNKBUF_NPOS reads until EOF. */
CHUNKBUF_API int chunkbuf_stream_read_view(chunkbuf_stream *s, size_t n, int64_t timeout_ms, chunkbuf_view **out);
/* Read one line including its "\n", or max bytes (max 0: no limit), or the
 * rest before EOF (the last line may lack "\n"). An empty view means EOF.
 * Waits (up to timeout_ms) until one of those is there. */
CHUNKBUF_API int chunkbuf_stream_readline(chunkbuf_stream *s, size_t max, int64_t timeout_ms, chunkbuf_view **out);
/* Batch: wait for at least one complete line (or EOF), then take up to
 * max_records (>= 1, else EINVAL) complete lines at once (the last line at
 * EOF may lack "\n"), as one view with records locating each line ("\n"
 * is the delimiter counted in delim_length, 0 for such a last line).
 * *n_records = 0 and *out = NULL at EOF. */
CHUNKBUF_API int chunkbuf_stream_readlines(chunkbuf_stream *s, chunkbuf_record *records, size_t max_records,
                                           int64_t timeout_ms, size_t *n_records, chunkbuf_view **out);
/* Unread bytes buffered now (0 after abort). */
CHUNKBUF_API int chunkbuf_stream_readable_amount(const chunkbuf_stream *s, size_t *n);
/* *eof = 1 when EOF was signalled and nothing is unread (0 after abort). */
CHUNKBUF_API int chunkbuf_stream_at_eof(const chunkbuf_stream *s, int *eof);
/* Find needle (nlen >= 1) wholly inside [start, end) of the unread bytes
 * (end may be CHUNKBUF_NPOS); positions are relative to the read position,
 * *pos = CHUNKBUF_NPOS when absent. ERANGE if start > unread bytes. Does
 * not wait. */
CHUNKBUF_API int chunkbuf_stream_find(const chunkbuf_stream *s, const void *needle, size_t nlen, size_t start,
                                      size_t end, size_t *pos);
/* Retained mode only (ESTATE otherwise). whence: SEEK_SET, SEEK_CUR, or
 * SEEK_END (only after EOF, else ESTATE); another value is EINVAL. ERANGE
 * for a position before 0 or past the bytes written (the position stays).
 * *pos (may be NULL) receives the new position. */
CHUNKBUF_API int chunkbuf_stream_seek(chunkbuf_stream *s, int64_t offset, int whence, uint64_t *pos);
/* The absolute read position: bytes read so far, or where seek put it. */
CHUNKBUF_API int chunkbuf_stream_tell(const chunkbuf_stream *s, uint64_t *pos);
/* A file descriptor (eventfd) that is readable exactly while data or EOF
 * (or abort) is available to read: read1 and read_nonblock return at
 * once then (a line or n bytes may still be incomplete).
 * Owned by the stream; do not read, write or close it. The stream keeps the
 * fd in step from the first call of this function on; until then it makes
 * no eventfd system calls (the hand-off path stays free of them). */
CHUNKBUF_API int chunkbuf_stream_readiness_fd(const chunkbuf_stream *s, int *fd);

/* -- shared ownership (since 0.2). chunkbuf_stream_new returns a stream
 *    holding one reference for its creator; a writer, readers and a host
 *    may each hold one more. chunkbuf_stream_free is the same as
 *    chunkbuf_stream_release. */

/* Add a reference. EHANDLE for a NULL, wrong-kind or released stream.
 * Thread-safe. Since 0.2. */
CHUNKBUF_API int chunkbuf_stream_retain(chunkbuf_stream *s);
/* Drop a reference; NULL is a no-op. When it was the last one, every call
 * still blocked on the stream wakes and fails with EHANDLE ("released while
 * this call waited"), this function waits until those calls have left the
 * stream, and then frees it: buffered bytes are released, which may run
 * write_ref free_fn callbacks on the calling thread. Releasing never races
 * with a blocked call. A call that starts after the last release is a
 * caller error (reported as EHANDLE while the freed handle is quarantined).
 * Thread-safe. Since 0.2. */
CHUNKBUF_API void chunkbuf_stream_release(chunkbuf_stream *s);
/* How many calls are blocked on the stream right now: *readers waiting for
 * data, EOF or a line, *writers held back by the high-water mark (either
 * may be NULL). A test waits for this instead of sleeping. Thread-safe.
 * Since 0.2. */
CHUNKBUF_API int chunkbuf_stream_waiting(const chunkbuf_stream *s, size_t *readers, size_t *writers);

/* -- cancel tokens (since 0.2). A token wakes the blocking calls that were
 *    given it (through chunkbuf_wait.cancel) without aborting the stream:
 *    they fail with ECANCELED and consume nothing. Firing is sticky: a call
 *    made with a fired token fails at once, until chunkbuf_cancel_reset.
 *    One token may serve any number of calls on any streams at once. */

typedef struct chunkbuf_cancel chunkbuf_cancel;

/* A new token, not fired; *out is a new reference the caller frees with
 * chunkbuf_cancel_free. Since 0.2. */
CHUNKBUF_API int chunkbuf_cancel_new(chunkbuf_cancel **out);
/* Drop the caller's reference; NULL is a no-op. A call still using the
 * token keeps it alive until that call returns. Since 0.2. */
CHUNKBUF_API void chunkbuf_cancel_free(chunkbuf_cancel *c);
/* Fire: every call using the token now returns ECANCELED promptly (it is
 * notified, not polled), and later calls with it fail at once. Idempotent.
 * Thread-safe; it takes locks, so call it from a thread (a Go context
 * goroutine, a signal-handling thread, Python's signal handler), not from
 * an asynchronous signal handler. Since 0.2. */
CHUNKBUF_API int chunkbuf_cancel_fire(chunkbuf_cancel *c);
/* Un-fire the token so it can serve new calls. Since 0.2. */
CHUNKBUF_API int chunkbuf_cancel_reset(chunkbuf_cancel *c);
/* *fired = 1 once fired (until reset), else 0. Since 0.2. */
CHUNKBUF_API int chunkbuf_cancel_fired(const chunkbuf_cancel *c, int *fired);

/* How one blocking call may wait, passed to the stream calls below (NULL:
 * wait forever, no token, no error struct). Since 0.2.
 *   timeout_ms  -1 forever, 0 never wait (EAGAIN), > 0 at most that long
 *               (ETIMEDOUT); other negative values are EINVAL
 *   cancel      a token that wakes this call with ECANCELED, or NULL; the
 *               call holds its own reference while it runs
 *   error       filled with the call's status and detail, or NULL
 * A smaller (older) struct_size is accepted: missing fields take the
 * defaults above. */
typedef struct chunkbuf_wait {
  size_t struct_size;
  int64_t timeout_ms;
  chunkbuf_cancel *cancel;
  chunkbuf_error *error;
} chunkbuf_wait;
#define CHUNKBUF_WAIT_INIT {sizeof(chunkbuf_wait), -1, NULL, NULL}

/* What a peek handed out: filled by chunkbuf_stream_peek and
 * chunkbuf_stream_peek_lines, updated by chunkbuf_stream_consume. position
 * is the stream position of the first byte handed out, length how many
 * bytes from there may still be consumed against it. Since 0.2. */
typedef struct chunkbuf_handout {
  uint64_t position;
  size_t length;
} chunkbuf_handout;

/* Wait until min(min, n) bytes are unread or EOF, then copy up to n of them
 * into dst and consume them: min = n reads fully (as chunkbuf_stream_read),
 * min = 1 returns what is there (as read1, io.Reader), min = 0 never waits
 * (EAGAIN when nothing is unread before EOF). *nread = 0 means end of file
 * (or n = 0). Fails with EAGAIN, ETIMEDOUT, ECANCELED, EABORTED or EHANDLE
 * (released while waiting) consuming nothing. Concurrent readers never get
 * interleaved pieces. w may be NULL. Any number of threads. Since 0.2. */
CHUNKBUF_API int chunkbuf_stream_read_into(chunkbuf_stream *s, void *dst, size_t n, size_t min,
                                           const chunkbuf_wait *w, size_t *nread);
/* Non-consuming look: wait until min unread bytes or EOF (min 0: do not
 * wait), then hand out up to max of the unread bytes (CHUNKBUF_NPOS: all)
 * as *out, a new view the caller releases (read its bytes with
 * chunkbuf_view_segments; an empty view at EOF), and fill *h. Nothing is
 * consumed: use chunkbuf_stream_consume. Errors as read_into. Since 0.2. */
CHUNKBUF_API int chunkbuf_stream_peek(chunkbuf_stream *s, size_t min, size_t max, const chunkbuf_wait *w,
                                      chunkbuf_view **out, chunkbuf_handout *h);
/* Consume the first n bytes of hand-out *h and advance *h past them, so a
 * caller can consume a hand-out piece by piece (a line at a time). ESTATE
 * when the stream's read position is no longer h->position (another reader
 * consumed, or a seek moved it: the caller must peek again and must not
 * hand out what it saw); ERANGE when n > h->length; EABORTED after abort.
 * Nothing is consumed on failure. Releasing the consumed bytes may run
 * write_ref free_fn callbacks on this thread (never under the stream's
 * lock). err may be NULL. Since 0.2. */
CHUNKBUF_API int chunkbuf_stream_consume(chunkbuf_stream *s, chunkbuf_handout *h, size_t n, chunkbuf_error *err);

/* ----------------------------------------------------------------- framer
 * Framers cut messages out of a buffer as zero-copy views. A framer holds
 * only its configuration: it may serve any number of buffers, one call at a
 * time. When no complete frame is buffered the result is CHUNKBUF_ENEEDMORE
 * and nothing is consumed; a frame longer than max_frame is CHUNKBUF_ELIMIT
 * and nothing is consumed.
 */

typedef struct chunkbuf_framer chunkbuf_framer;

typedef struct chunkbuf_delimiter_framer_options {
  size_t struct_size;
  const struct iovec *delimiters; /* 1..16 delimiters of 1..64 bytes, copied */
  size_t n_delimiters;
  size_t max_frame;      /* largest frame (without delimiter); 0: unlimited */
  int include_delimiter; /* chunkbuf_framer_next: keep the delimiter in the view */
} chunkbuf_delimiter_framer_options;
#define CHUNKBUF_DELIMITER_FRAMER_OPTIONS_INIT {sizeof(chunkbuf_delimiter_framer_options), NULL, 0, 0, 0}

/* Delimiter framing: a frame ends at the earliest delimiter; where several
 * delimiters match there the longest wins (e.g. "\r\n" over "\r"). Before
 * EOF a frame is held back while a longer delimiter could still complete
 * with bytes not yet arrived, so the result never depends on how the input
 * was cut. With final != 0 (EOF) the trailing bytes become the last frame. */
CHUNKBUF_API int chunkbuf_framer_new_delimiter(const chunkbuf_delimiter_framer_options *opts,
                                               chunkbuf_framer **out);

typedef struct chunkbuf_length_framer_options {
  size_t struct_size;
  size_t length_offset; /* header bytes before the length field (0..1 MiB) */
  size_t length_width;  /* 1, 2, 4 or 8 */
  int order;            /* CHUNKBUF_BE or CHUNKBUF_LE */
  int64_t length_adjust; /* payload bytes after the field = value + adjust,
                            e.g. -4 when a 4-byte value counts itself */
  size_t strip;          /* leading frame bytes left out of the view
                            (0..length_offset+length_width) */
  size_t max_frame;      /* largest payload; 0: unlimited */
} chunkbuf_length_framer_options;
#define CHUNKBUF_LENGTH_FRAMER_OPTIONS_INIT \
  {sizeof(chunkbuf_length_framer_options), 0, 4, CHUNKBUF_BE, 0, 4, 0}

/* Length-prefixed framing (as Netty's LengthFieldBasedFrameDecoder). A
 * header whose length cannot be right (overflow, below the adjustment) is
 * CHUNKBUF_EINVAL; with final != 0 a truncated frame is CHUNKBUF_EINVAL. */
CHUNKBUF_API int chunkbuf_framer_new_length(const chunkbuf_length_framer_options *opts, chunkbuf_framer **out);
CHUNKBUF_API void chunkbuf_framer_free(chunkbuf_framer *framer);
/* Take the next frame from buf as a view. */
CHUNKBUF_API int chunkbuf_framer_next(chunkbuf_framer *framer, chunkbuf_buffer *buf, int final, chunkbuf_view **out);
/* Take up to max_records frames as one view (headers and delimiters
 * included) with records locating each payload. *n_records = 0 and *out =
 * NULL when no frame is complete (status OK). An error after some frames
 * is reported by the next call. */
CHUNKBUF_API int chunkbuf_framer_next_batch(chunkbuf_framer *framer, chunkbuf_buffer *buf, int final,
                                            chunkbuf_record *records, size_t max_records, size_t *n_records,
                                            chunkbuf_view **out);
/* Append payload to out framed for this framer: the length prefix (copied)
 * then the payload (zero copy), or the payload then the first delimiter.
 * EINVAL when a delimiter occurs inside the payload or the length framer
 * has a length_offset; ELIMIT past max_frame or the field width. */
CHUNKBUF_API int chunkbuf_framer_encode(const chunkbuf_framer *framer, chunkbuf_buffer *out,
                                        const chunkbuf_view *payload);

/* ------------------------------------------------------------------- ring
 * A fixed-capacity byte ring for bounded streaming. One owner at a time.
 */

typedef struct chunkbuf_ring chunkbuf_ring;

/* capacity: 1 byte .. 1 GiB, allocated at once. */
CHUNKBUF_API int chunkbuf_ring_new(size_t capacity, chunkbuf_ring **out);
CHUNKBUF_API void chunkbuf_ring_free(chunkbuf_ring *ring);
/* Copy min(len, remaining) bytes in; *written says how many. */
CHUNKBUF_API int chunkbuf_ring_write(chunkbuf_ring *ring, const void *data, size_t len, size_t *written);
/* Copy min(n, available) bytes out and consume them. */
CHUNKBUF_API int chunkbuf_ring_read(chunkbuf_ring *ring, void *dst, size_t n, size_t *nread);
/* Copy min(n, available) bytes out without consuming them. */
CHUNKBUF_API int chunkbuf_ring_peek(const chunkbuf_ring *ring, void *dst, size_t n, size_t *copied);
/* *n = the bytes waiting to be read. */
CHUNKBUF_API int chunkbuf_ring_readable_amount(const chunkbuf_ring *ring, size_t *n);
/* *n = the bytes a write would take now (capacity - readable). */
CHUNKBUF_API int chunkbuf_ring_writable_amount(const chunkbuf_ring *ring, size_t *n);
/* Deprecated since 0.2: the 0.1 names of the two above. */
CHUNKBUF_API CHUNKBUF_DEPRECATED int chunkbuf_ring_available(
    const chunkbuf_ring *ring, size_t *n);
CHUNKBUF_API CHUNKBUF_DEPRECATED int chunkbuf_ring_remaining(
    const chunkbuf_ring *ring, size_t *n);
CHUNKBUF_API int chunkbuf_ring_capacity(const chunkbuf_ring *ring, size_t *n);

/* ------------------------------------------------------------- debugging
 * Leak tracking, as Netty's leak detector: while on, every block and view
 * created is recorded with the call stack that created it. Off by default;
 * also switched on by the environment variable CHUNKBUF_TRACK_LEAKS=1.
 * When a tracked pool's handle is freed while its blocks or views are still
 * alive, the report is written to stderr.
 */

/* Line-by-line report sink. */
typedef void (*chunkbuf_report_fn)(const char *line, void *user_data);

/* Switch tracking on (1) or off (0) for objects created from now on. */
CHUNKBUF_API int chunkbuf_debug_track(int on);
/* Report live tracked blocks and views of pool (NULL: of every pool): one
 * call of fn per object ("live view 0x...: 12 bytes in 1 segments, 1 refs,
 * created at app+0x1234 (main) <- ..."). fn may be NULL; *count (may be
 * NULL) receives the number of objects. */
CHUNKBUF_API int chunkbuf_debug_report(chunkbuf_pool *pool, chunkbuf_report_fn fn, void *user_data, size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* CHUNKBUF_H */
