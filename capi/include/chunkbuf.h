/*
 * chunkbuf.h — the one public header of chunkbuf, and its manual.
 *
 * chunkbuf is a library of pooled chunked byte buffers, zero-copy views and
 * blocking cross-thread streams, behind a stable C ABI.
 *
 *   chunkbuf_pool    size-classed, refcounted memory blocks (thread-safe)
 *   chunkbuf_buffer  a growable chain of segments: the bytes being parsed
 *                    or built (one thread at a time, like a std::vector)
 *   chunkbuf_view    an immutable, refcounted list of segments cut from a
 *                    buffer; valid until released, never sees later writes,
 *                    shareable across threads
 *   chunkbuf_stream  a thread-safe buffer with a writer side and a blocking
 *                    reader side
 *   chunkbuf_framer  a decoder that cuts messages out of a buffer as views:
 *                    by delimiter or by length prefix (it keeps only its
 *                    configuration)
 *   chunkbuf_ring    a fixed-capacity byte ring for bounded copying
 *
 * Rules that hold for every function below
 * ----------------------------------------
 *  Status. A function that can fail returns an int: CHUNKBUF_OK (0) or a
 *    negative CHUNKBUF_E* code. Results go through out-parameters, which are
 *    written only on success unless the function says otherwise. Every
 *    function that takes a handle returns CHUNKBUF_EHANDLE for a NULL handle,
 *    a handle of another kind, or one already freed (see "Stale handles"),
 *    and CHUNKBUF_EINVAL when a required pointer is NULL (a data pointer may
 *    be NULL when its length is 0); the "Returns:" line of each function
 *    lists its other codes. chunkbuf_strerror(code) names a code;
 *    chunkbuf_last_error() returns a thread-local message describing the
 *    most recent failure on the calling thread.
 *  Atomicity. A failed call leaves every byte where it was: no partial
 *    append, no partial consume. Out of memory is CHUNKBUF_ENOMEM; chunkbuf
 *    never aborts the host.
 *  Ownership. "Out: a new reference" means the caller owns what *out points
 *    to and must give it back exactly once: chunkbuf_view_release for views,
 *    the matching _free for other handles. "Out: borrowed until X" means the
 *    memory belongs to chunkbuf; do not free it, and do not use it after X.
 *    Nothing else is handed over: chunkbuf copies what it needs from the
 *    caller's arguments before it returns (except memory adopted with a
 *    free_fn, see below).
 *  Threads. A pool, a view and a stream may be used from any number of
 *    threads at once (chunkbuf_stream_free excepted). A buffer, a framer and
 *    a ring belong to one thread at a time: calls on one of them must not
 *    overlap, but the object may move between threads, and distinct objects
 *    are independent even when they share blocks or views. Each section says
 *    the same for its object; a function names its thread rule only when it
 *    differs.
 *  free_fn. Memory adopted by reference (append_ref, write_ref) carries a
 *    chunkbuf_free_fn that runs exactly once, when no buffer, view or stream
 *    refers to the bytes any longer. It runs synchronously, on the thread of
 *    the call that dropped the last reference, before that call returns:
 *    functions that can drop references say "free_fn: may run one" (others
 *    never do). It runs once that call has finished with its object, and
 *    never under a chunkbuf lock, so it may call any chunkbuf function,
 *    including freeing the buffer or stream whose call ran it. It must not
 *    unwind (longjmp, a C++ exception) through chunkbuf and should be quick;
 *    several queued by one call run in an unspecified order.
 *  Sizes. Every size computation is overflow-checked. No block is larger
 *    than 1 TiB: a call that would need one (a reservation, append, read,
 *    coalesce of more) fails with CHUNKBUF_ELIMIT before allocating or
 *    reading anything, as does a sum of lengths beyond SIZE_MAX.
 *  fork(). Handlers registered with pthread_atfork take every lock of the
 *    pools and registries around a fork, so a child never inherits one held
 *    by a thread it does not have; the child starts with fresh per-thread
 *    caches. A child may use every pool and create and use new objects; it
 *    must not use a stream another thread was using at the fork.
 *  Stale handles. chunkbuf_*_free(NULL) and chunkbuf_view_release(NULL) are
 *    no-ops. A freed handle's memory is quarantined: a later call with it is
 *    CHUNKBUF_EHANDLE ("already freed"), and a second free is ignored, until
 *    the thread that freed it has freed 4096 more views (1024 more buffers or
 *    streams; 256 more pools, framers or rings), or has exited. After that
 *    its memory may serve a new handle or go back to the system, so
 *    detection is a safety net, not a license.
 *  Options. Options structs start with `struct_size`; initialise them with
 *    the matching *_INIT macro. A struct only grows at its end: a caller
 *    built against an older header passes its smaller struct_size and the
 *    fields it does not know take their defaults; a size below the first
 *    release's or above this library's is CHUNKBUF_EVERSION.
 *  Versions. Each function says "Since X.Y.", the version that added it.
 *    Adding functions bumps the minor version; a program built against
 *    header X.Y runs with any library X'.Y' where X' = X and Y' >= Y
 *    (chunkbuf_version() tells). Symbols carry version nodes (CHUNKBUF_1.0
 *    for 0.1, CHUNKBUF_1.2 for 0.2), so the dynamic linker refuses a library
 *    that lacks one the program uses.
 *  Offsets and lengths are byte counts (size_t). "Not found" is reported
 *    as CHUNKBUF_NPOS in the position out-parameter, with status CHUNKBUF_OK.
 *
 * Vocabulary: one word, one meaning, on every object and in every binding
 * -----------------------------------------------------------------------
 *  new / free        create and destroy a handle. Views are refcounted
 *                    instead: retain / release. Bindings spell free in
 *                    their language's idiom (Go Close/Release, Python
 *                    close() and `with`, Lua __gc) except on a stream.
 *  close             end of writing (EOF) on a stream, in C and in every
 *                    binding; never "free".
 *  len               the bytes a buffer or view holds.
 *  readable_amount   the bytes waiting to be read (stream, ring);
 *  writable_amount   the bytes a write would take now (ring).
 *  read              copy bytes out and consume them (buffer, stream, ring).
 *  peek              look without consuming (bytes, typed values, records).
 *  take              consume and hand out as a view, without the
 *                    delimiter unless asked (take_until, take_line, ...);
 *                    the stream's readline keeps its "\n", as Python's does.
 *  split_to          take exactly n bytes as a view.
 *  advance           drop bytes without looking.
 *  max_len, max      a limit on bytes; 0 means no limit. The one exception
 *                    is chunkbuf_buffer_read_from_fd, where one readv(2)
 *                    needs a size: 0 reads up to CHUNKBUF_FD_READ_DEFAULT.
 *  max_records       the room in a caller's record array (>= 1).
 *  _get              fills a caller's struct (pool_stats_get: the name
 *                    pool_stats is the struct's); a query of one value is
 *                    a noun (buffer_len, pool_tenant_usage, stream_tell).
 *  0.1 names replaced in 0.2 stay exported and declared, marked
 *  CHUNKBUF_DEPRECATED: chunkbuf_ring_available (-> ring_readable_amount)
 *  and chunkbuf_ring_remaining (-> ring_writable_amount).
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

/* ---------------------------------------------------------------- version
 * Any thread; no handle; never fails.
 */

#define CHUNKBUF_VERSION_MAJOR 0
#define CHUNKBUF_VERSION_MINOR 5
#define CHUNKBUF_VERSION_PATCH 0
#define CHUNKBUF_VERSION_NUMBER \
  (CHUNKBUF_VERSION_MAJOR * 10000 + CHUNKBUF_VERSION_MINOR * 100 + CHUNKBUF_VERSION_PATCH)

/* Returns the CHUNKBUF_VERSION_NUMBER the library was built with. A binding
 * built against this header accepts a library of the same major version
 * whose number is at least the header's. Since 0.1. */
CHUNKBUF_API unsigned chunkbuf_version(void);
/* Returns the version as a string, e.g. "0.5.0": static, never NULL.
 * Since 0.1. */
CHUNKBUF_API const char *chunkbuf_version_string(void);

/* Optional features compiled into this library (bit mask). */
#define CHUNKBUF_FEATURE_SHA256 0x1u /* chunkbuf_view_sha256 works */
/* Returns the CHUNKBUF_FEATURE_* bits of this library. Since 0.1. */
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
/* Since 0.3: a frame longer than a framer's max_frame (0.2 said ELIMIT,
 * which now means a limit on the bytes held: max_bytes, quota, ...). */
#define CHUNKBUF_EFRAMELIMIT (-16)
/* Since 0.3: commit without an open reservation (0.2 said ESTATE, which on
 * a buffer now always means "a reservation is open"). */
#define CHUNKBUF_ENORESERVE (-17)

/* Returns a static name for code ("invalid argument", ...; "unknown error"
 * for a number that is no code): never NULL. Any thread. Since 0.1. */
CHUNKBUF_API const char *chunkbuf_strerror(int code);
/* Returns the detail message of the most recent failure on the calling
 * thread: advisory, never NULL ("" before any failure). Borrowed until the
 * next chunkbuf call on this thread. A goroutine or green thread that may
 * change OS threads between two calls must not rely on it. Since 0.1. */
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

/* Called once when chunkbuf no longer needs memory adopted by reference
 * (see "free_fn" above for when and on which thread). */
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

/* Creates a pool. opts may be NULL for defaults.
 * Returns: OK; EVERSION (opts->struct_size); ENOMEM.
 * Out: *out a new pool handle (chunkbuf_pool_free). Since 0.1. */
CHUNKBUF_API int chunkbuf_pool_new(const chunkbuf_pool_options *opts, chunkbuf_pool **out);
/* Frees the handle. Blocks still referenced by buffers, views and streams
 * keep the pool's memory alive until they are released; the last release
 * frees the pool. NULL and the default pool are no-ops. free_fn: never
 * (adopted memory is not pooled). Must not overlap other calls with this
 * handle. Since 0.1. */
CHUNKBUF_API void chunkbuf_pool_free(chunkbuf_pool *pool);
/* Returns the process-wide default pool: never NULL, never freed
 * (chunkbuf_pool_free on it is a no-op). Used wherever an options struct
 * leaves `pool` NULL. Since 0.1. */
CHUNKBUF_API chunkbuf_pool *chunkbuf_pool_default(void);
/* Fills *stats; set stats->struct_size first (CHUNKBUF_POOL_STATS_INIT). An
 * older, smaller struct gets the counters it has.
 * Returns: OK; EVERSION (struct_size). Since 0.1. */
CHUNKBUF_API int chunkbuf_pool_stats_get(chunkbuf_pool *pool, chunkbuf_pool_stats *stats);
/* Gives every cached free block back to the system, the per-thread caches'
 * too. Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_pool_trim(chunkbuf_pool *pool);
/* Sets a tenant's quota in bytes (tenant ids 1..UINT32_MAX; 0 means "no
 * tenant"); quota 0 = unlimited. A tenant is charged the full capacity of
 * each pool block acquired for it, and for memory its buffers adopt
 * (append_ref, stream write_ref) the adopted length plus 64 bytes per
 * region. A block acquisition or adoption that would take the tenant past
 * its quota fails with CHUNKBUF_ELIMIT.
 * Returns: OK; EINVAL (tenant 0); ENOMEM (first use of the tenant).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_pool_set_tenant_quota(chunkbuf_pool *pool, uint32_t tenant, size_t quota);
/* *live = the bytes currently charged to tenant (see set_tenant_quota).
 * Returns: OK; EINVAL (tenant 0); ENOMEM (first use of the tenant).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_pool_tenant_usage(chunkbuf_pool *pool, uint32_t tenant, size_t *live);
/* Pre-allocates count free blocks of the size class holding size bytes
 * into the pool's shared cache, so that the next acquisitions of that class
 * (chunkbuf_pool_get, buffer writes) are cache hits: cached_blocks and
 * bytes_cached grow by them at once. count 0 does nothing.
 * Returns: OK; EHANDLE (pool); EINVAL (size 0 or above 1 MiB, the largest
 * class); ELIMIT (the class's cache, max_cached_bytes_per_class, has no
 * room for count more blocks: nothing is allocated); ENOMEM (nothing is
 * kept). Any thread. Since 0.3. */
CHUNKBUF_API int chunkbuf_pool_prewarm(chunkbuf_pool *pool, size_t size, size_t count);
/* A pooled writable buffer: a new buffer of pool (NULL: the default pool)
 * that already holds one block of the size class for size bytes (one
 * acquisition, a cache hit when the class has a free block), with
 * max_bytes fixed to that block's capacity (chunkbuf_buffer_capacity). It
 * is an ordinary buffer: write, read, split views off it; freeing it gives
 * the block back to the pool unless views still share it.
 * Returns: OK; EHANDLE (pool); EINVAL (size 0 or above 1 MiB); ENOMEM.
 * Out: *out a new buffer handle (chunkbuf_buffer_free). Since 0.3. */
CHUNKBUF_API int chunkbuf_pool_get(chunkbuf_pool *pool, size_t size, chunkbuf_buffer **out);
/* The buffer-size heuristic of FASTQ parsers: *size = expected_total / 100
 * clamped to [min, max] and rounded up to a multiple of 4096 (so it may
 * exceed a max that is not one). min 0 means 8 KiB, max 0 means 64 KiB (or
 * min, if larger). Any thread.
 * Returns: OK; EINVAL (min > max, max above 1 GiB). Since 0.3. */
CHUNKBUF_API int chunkbuf_optimal_buffer_size(uint64_t expected_total, size_t min, size_t max, size_t *size);

/* ------------------------------------------------------------- content kinds
 * A view carries a content-kind tag. Kind 0 is "raw"; "pcm16", "mulaw8"
 * and "jpeg" are built in with the fixed ids below (since 0.2). New kinds
 * are registered by name at run time; registering a known name returns
 * its id. Any thread.
 */
#define CHUNKBUF_KIND_RAW 0u
#define CHUNKBUF_KIND_PCM16 1u  /* 16-bit PCM audio. Since 0.2. */
#define CHUNKBUF_KIND_MULAW8 2u /* 8-bit mu-law audio. Since 0.2. */
#define CHUNKBUF_KIND_JPEG 3u   /* a JPEG image. Since 0.2. */
/* *kind = the id of name (1..63 bytes), registering it on first use.
 * Returns: OK; EINVAL (empty or too long name); ELIMIT (no ids left);
 * ENOMEM. Since 0.1. */
CHUNKBUF_API int chunkbuf_kind_register(const char *name, uint32_t *kind);
/* *name = the name of kind. Out: borrowed for the life of the process.
 * Returns: OK; EINVAL (unregistered kind). Since 0.1. */
CHUNKBUF_API int chunkbuf_kind_name(uint32_t kind, const char **name);
/* *kind = the id of an already registered name (nothing is registered).
 * Returns: OK; EINVAL (no kind has that name; empty or too long name).
 * Since 0.3. */
CHUNKBUF_API int chunkbuf_kind_lookup(const char *name, uint32_t *kind);

/* ----------------------------------------------------------- tenant names
 * A tenant is a number (see chunkbuf_pool_set_tenant_quota); a name maps
 * to one, registered at run time like content kinds: the first name
 * registered in the process gets id 1, the next 2, and so on. Use the id
 * wherever a tenant number goes (buffer options, quotas, usage,
 * chunkbuf_view_with_tenant). A process that names tenants should take
 * every tenant id from here, so a number it picks itself cannot collide
 * with a name's. Any thread.
 */
/* *tenant = the id of name (1..63 printable bytes), registering it on
 * first use. Returns: OK; EINVAL (empty, too long or unprintable name);
 * ELIMIT (no ids left); ENOMEM. Since 0.3. */
CHUNKBUF_API int chunkbuf_tenant_register(const char *name, uint32_t *tenant);
/* *name = the name registered for tenant. Out: borrowed for the life of
 * the process. Returns: OK; EINVAL (tenant 0 or an id no name has).
 * Since 0.3. */
CHUNKBUF_API int chunkbuf_tenant_name(uint32_t tenant, const char **name);

/* ----------------------------------------------------------------- buffer */

typedef struct chunkbuf_buffer_options {
  size_t struct_size;
  chunkbuf_pool *pool; /* NULL: chunkbuf_pool_default() */
  size_t max_bytes;    /* 0: unlimited; else the most bytes held (copied,
                          committed, adopted or appended by view alike):
                          past it, appends fail with ELIMIT. It bounds the
                          segment metadata too: at most max(64, max_bytes /
                          256) segments, past which adopted memory and
                          appended views are copied in (their free_fn then
                          runs at once) */
  size_t min_chunk;    /* smallest block to allocate; 0: 4096 */
  uint32_t tenant;     /* charge blocks and adopted memory to this tenant
                          (see chunkbuf_pool_set_tenant_quota); 0: none */
  int linear;          /* 1: the linear backend. The readable bytes stay
                          contiguous in one growable block (compacted in
                          place when no view shares it), so every buffer
                          operation sees one segment; append_ref and
                          append_view copy. 0: the segmented chain. */
} chunkbuf_buffer_options;
#define CHUNKBUF_BUFFER_OPTIONS_INIT {sizeof(chunkbuf_buffer_options), NULL, 0, 0, 0, 0}

/* End-of-line styles, as libevent's evbuffer_eol_style. CHUNKBUF_EOL_ANY
 * ends a line at the run of CR and LF that is there when the line is taken,
 * as evbuffer does: on a stream, a CR and an LF that arrive in separate
 * writes can end two lines (the second one empty); use CHUNKBUF_EOL_CRLF
 * for CRLF text that arrives in pieces. */
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

/* Creates an empty buffer. opts may be NULL for defaults.
 * Returns: OK; EVERSION (opts->struct_size); EINVAL (min_chunk above
 * 1 GiB); EHANDLE (opts->pool); ENOMEM.
 * Out: *out a new buffer handle (chunkbuf_buffer_free). Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_new(const chunkbuf_buffer_options *opts, chunkbuf_buffer **out);
/* Frees the buffer and drops its references; views taken from it stay
 * valid. NULL is a no-op. With a reservation open the free is refused:
 * nothing happens, the handle stays live (its spans valid) and
 * chunkbuf_last_error() says why; commit (0 abandons) first.
 * free_fn: may run one. Since 0.1. */
CHUNKBUF_API void chunkbuf_buffer_free(chunkbuf_buffer *buf);
/* *len = the bytes the buffer holds (not counting an open reservation).
 * Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_len(const chunkbuf_buffer *buf, size_t *len);
/* *capacity = the bytes the buffer holds plus the bytes that can be
 * appended without taking another block (the free tail of its write
 * block). Returns: OK. Since 0.3. */
CHUNKBUF_API int chunkbuf_buffer_capacity(const chunkbuf_buffer *buf, size_t *capacity);
/* Makes room for additional more bytes to be appended into one block
 * without taking another: takes a block of at least that size now when the
 * write block's tail is shorter (Vec::reserve; a builder's
 * with_capacity). additional 0 does nothing.
 * Returns: OK; ELIMIT (beyond max_bytes, or the tenant's quota); ESTATE
 * (reservation open); ENOMEM. Nothing changes on failure. Since 0.3. */
CHUNKBUF_API int chunkbuf_buffer_ensure_capacity(chunkbuf_buffer *buf, size_t additional);
/* Freezes every byte into one view of content kind `kind` without copying
 * them (the view shares the blocks; its data pointers are the ones the
 * bytes were written to) and leaves the buffer empty; later writes never
 * touch the frozen bytes. The view's tenant is the buffer's.
 * Returns: OK; EINVAL (unregistered kind); ESTATE (reservation open);
 * ENOMEM (nothing changes). Out: *out a new view reference (an empty view
 * for an empty buffer). free_fn: never. Since 0.3. */
CHUNKBUF_API int chunkbuf_buffer_freeze(chunkbuf_buffer *buf, uint32_t kind, chunkbuf_view **out);

/* -- write side. Each fails with ESTATE while a reservation is open and with
 *    ELIMIT when max_bytes would be exceeded (nothing is appended then). */

/* Copies len bytes in. Returns: OK; ESTATE; ELIMIT; ENOMEM. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_append(chunkbuf_buffer *buf, const void *data, size_t len);
/* Adopts len bytes at data without copying: they must stay valid and
 * unchanged until free_fn(user_data) runs. free_fn (may be NULL) runs
 * exactly once, when no buffer or view refers to the bytes any longer;
 * also when the call fails, unless it fails with EHANDLE or EINVAL (then
 * the caller keeps the memory).
 * Returns: OK; ESTATE; ELIMIT; ENOMEM. free_fn: may run this one, on
 * failure. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_append_ref(chunkbuf_buffer *buf, const void *data, size_t len,
                                            chunkbuf_free_fn free_fn, void *user_data);
/* Adopts n regions at once; free_fn(user_data) runs once, after the last of
 * them is released. Same rules as chunkbuf_buffer_append_ref, plus EINVAL
 * for a region with a NULL base or lengths that overflow. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_append_refv(chunkbuf_buffer *buf, const struct iovec *iov, size_t n,
                                             chunkbuf_free_fn free_fn, void *user_data);
/* Appends a view's bytes without copying (the view stays the caller's).
 * A linear buffer copies them. Returns: OK; ESTATE; ELIMIT; ENOMEM.
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_append_view(chunkbuf_buffer *buf, const chunkbuf_view *view);
/* Copies len bytes in before the first byte (a header added once the
 * payload is known). The segmented backend puts them in one new block at
 * the front; the linear backend writes them in front of its bytes, moving
 * the bytes when it must. Same limits as append: ESTATE while a
 * reservation is open, ELIMIT past max_bytes; on failure every byte stays
 * where it was. Returns: OK; ESTATE; ELIMIT; ENOMEM. Since 0.3. */
CHUNKBUF_API int chunkbuf_buffer_prepend(chunkbuf_buffer *buf, const void *data, size_t len);
/* Puts a view's bytes before the first byte without copying: the view's
 * segments go in front of the buffer's first segment (the view stays the
 * caller's and unchanged). A linear buffer, or a bounded one at its
 * segment budget (see max_bytes), copies them. Rules and codes as
 * chunkbuf_buffer_prepend. Since 0.3. */
CHUNKBUF_API int chunkbuf_buffer_prepend_view(chunkbuf_buffer *buf, const chunkbuf_view *view);
/* Reserves at least n writable bytes at the end, as up to max_iov spans of
 * pool memory (max_iov 1 asks for one contiguous span). Only one
 * reservation may be open; commit closes it.
 * Returns: OK; ESTATE (one is open); EINVAL (max_iov 0); ELIMIT; ENOMEM.
 * Out: iov[0..*n_iov) borrowed until the commit. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_reserve(chunkbuf_buffer *buf, size_t n, struct iovec *iov, size_t max_iov,
                                         size_t *n_iov);
/* Makes the first n reserved bytes part of the buffer and closes the
 * reservation (n 0 cancels it). The spans reserve handed out may hold more
 * than the n it asked for; committing them all may pass max_bytes.
 * Returns: OK; ENORESERVE (no reservation); ERANGE (n exceeds what was
 * reserved); ELIMIT (n bytes more would pass max_bytes). On ERANGE and
 * ELIMIT nothing is committed and the reservation stays open, so a smaller
 * commit may follow. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_commit(chunkbuf_buffer *buf, size_t n);
/* The read size chunkbuf_buffer_read_from_fd uses for max 0. */
#define CHUNKBUF_FD_READ_DEFAULT 65536u
/* Calls readv(2) once for up to max bytes (0: CHUNKBUF_FD_READ_DEFAULT)
 * straight into pool memory and appends what arrived. *nread is 0 at end
 * of file. Returns: OK; EINVAL (negative fd); ESTATE; ELIMIT; ENOMEM;
 * EAGAIN (the fd would block); EIO (errno text in chunkbuf_last_error()).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_read_from_fd(chunkbuf_buffer *buf, int fd, size_t max, size_t *nread);

/* -- inspect (never changes the buffer; allowed during a reservation) */

/* *pos = the first occurrence of needle starting within [start, end) and
 * lying wholly inside [start, end); end may be CHUNKBUF_NPOS for "to the
 * end". CHUNKBUF_NPOS when absent. Linear time, correct across segment
 * boundaries. An empty needle (nlen 0; needle may be NULL) answers as
 * Python's bytes.find: start, or CHUNKBUF_NPOS when start > min(end, len)
 * (since 0.3; 0.1 and 0.2 returned EINVAL).
 * Returns: OK; ERANGE (start > len, for a needle of at least one byte).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_find(const chunkbuf_buffer *buf, const void *needle, size_t nlen, size_t start,
                                      size_t end, size_t *pos);
/* *pos = the last occurrence lying wholly inside [start, end), as
 * chunkbuf_buffer_find. An empty needle answers as bytes.rfind:
 * min(end, len), or CHUNKBUF_NPOS when start is past that (since 0.3).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_rfind(const chunkbuf_buffer *buf, const void *needle, size_t nlen, size_t start,
                                       size_t end, size_t *pos);
/* Describes the first min(n, len) bytes as up to max_iov iovecs; fewer
 * bytes than asked are described when max_iov runs out.
 * Returns: OK. Out: iov[0..*n_iov) borrowed until the next change to the
 * buffer. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_peek(const chunkbuf_buffer *buf, size_t n, struct iovec *iov, size_t max_iov,
                                      size_t *n_iov);
/* *count = the segments currently holding the buffer's bytes.
 * Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_segment_count(const chunkbuf_buffer *buf, size_t *count);
/* Makes the first n bytes contiguous (copying only when they span
 * segments) and sets *data to them.
 * Returns: OK; ERANGE (n > len); ESTATE; ENOMEM. Out: *data borrowed until
 * the next change to the buffer. free_fn: may run one (the segments it
 * copied from). Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_coalesce(chunkbuf_buffer *buf, size_t n, const void **data);
/* *equal = 1 if the buffer's bytes are exactly data[0..len), else 0.
 * Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_equals(const chunkbuf_buffer *buf, const void *data, size_t len, int *equal);
/* Copies up to n bytes starting at offset into dst without consuming them;
 * *copied = min(n, len - offset). Returns: OK; ERANGE (offset > len).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_copy_out(const chunkbuf_buffer *buf, size_t offset, void *dst, size_t n,
                                          size_t *copied);
/* *out = the unsigned integer of 1, 2, 4 or 8 bytes at offset, in order
 * CHUNKBUF_BE or CHUNKBUF_LE, without consuming it.
 * Returns: OK; ENEEDMORE (the buffer is short); EINVAL (order).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_peek_u8(const chunkbuf_buffer *buf, size_t offset, uint8_t *out);
CHUNKBUF_API int chunkbuf_buffer_peek_u16(const chunkbuf_buffer *buf, size_t offset, int order, uint16_t *out);
CHUNKBUF_API int chunkbuf_buffer_peek_u32(const chunkbuf_buffer *buf, size_t offset, int order, uint32_t *out);
CHUNKBUF_API int chunkbuf_buffer_peek_u64(const chunkbuf_buffer *buf, size_t offset, int order, uint64_t *out);

/* -- consume. Each fails with ESTATE while a reservation is open, and may
 *    run a free_fn (of bytes it drops), except split_to. */

/* Drops the first n bytes. Returns: OK; ERANGE (n > len; nothing dropped);
 * ESTATE. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_advance(chunkbuf_buffer *buf, size_t n);
/* Consuming binary readers: each takes exactly what it reads from the
 * front, or, when fewer bytes are buffered, fails with ENEEDMORE and takes
 * nothing (retry after the next append). Thread rules as for any buffer
 * call; free_fn: may run one, of bytes it drops, on the calling thread. */
/* Reads a width-byte (1, 2, 4 or 8) unsigned integer in order (CHUNKBUF_BE
 * or CHUNKBUF_LE) and consumes it.
 * Returns: OK; ENEEDMORE (fewer than width bytes); EINVAL (width, order);
 * ESTATE. Out: *out written on success only. Since 0.2. */
CHUNKBUF_API int chunkbuf_buffer_read_uint(chunkbuf_buffer *buf, size_t width, int order, uint64_t *out);
/* Copies exactly n bytes into dst and consumes them.
 * Returns: OK; ENEEDMORE (fewer than n bytes; nothing copied); ESTATE.
 * Since 0.2. */
CHUNKBUF_API int chunkbuf_buffer_read_exact(chunkbuf_buffer *buf, void *dst, size_t n);
/* Copies exactly n bytes into dst without consuming them (allowed while a
 * reservation is open; never runs a free_fn).
 * Returns: OK; ENEEDMORE (fewer than n bytes; nothing copied). Since 0.2. */
CHUNKBUF_API int chunkbuf_buffer_peek_exact(const chunkbuf_buffer *buf, void *dst, size_t n);
/* Read policies of the file-like adapters: what a read of n bytes does when
 * fewer are there (chunkbuf_buffer_read_policy, chunkbuf_stream_read_policy).
 * Since 0.3. */
#define CHUNKBUF_SHORT_RAISE 0   /* ENEEDMORE, nothing consumed */
#define CHUNKBUF_SHORT_PARTIAL 1 /* what is there, without waiting */
#define CHUNKBUF_SHORT_BLOCK 2   /* wait for n bytes or EOF (streams only) */
/* Copies up to n bytes into dst and consumes them; with fewer than n
 * buffered, CHUNKBUF_SHORT_RAISE fails with ENEEDMORE (nothing copied) and
 * CHUNKBUF_SHORT_PARTIAL copies what is there (*nread 0 when empty).
 * Returns: OK; ENEEDMORE; ESTATE; EINVAL (CHUNKBUF_SHORT_BLOCK: a buffer
 * has no writer to wait for, or an unknown policy). Out: *nread on success.
 * free_fn: may run one. Since 0.3. */
CHUNKBUF_API int chunkbuf_buffer_read_policy(chunkbuf_buffer *buf, void *dst, size_t n, int policy, size_t *nread);
/* Copies up to n bytes out and consumes them; *nread = min(n, len).
 * Returns: OK; ESTATE. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_read(chunkbuf_buffer *buf, void *dst, size_t n, size_t *nread);
/* Moves the first n bytes into a view (zero copy).
 * Returns: OK; ERANGE (n > len); ESTATE; ENOMEM.
 * Out: *out a new view reference. free_fn: never. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_split_to(chunkbuf_buffer *buf, size_t n, chunkbuf_view **out);
/* Takes the bytes before the first occurrence of delim (dlen >= 1) as a
 * view and consumes them and the delimiter; include != 0 keeps the
 * delimiter in the view.
 * Returns: OK; ENEEDMORE (delim absent); ELIMIT (max_len != 0 and no
 * delimiter starts within the first max_len bytes); EINVAL (dlen 0);
 * ESTATE; ENOMEM. Nothing is consumed on failure.
 * Out: *out a new view reference. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_take_until(chunkbuf_buffer *buf, const void *delim, size_t dlen, int include,
                                            size_t max_len, chunkbuf_view **out);
/* Takes one line, without its end-of-line bytes, as a view.
 * Returns: OK; ENEEDMORE (no complete line buffered); ELIMIT (max_len != 0
 * and the line is longer); EINVAL (eol); ESTATE; ENOMEM. Nothing is
 * consumed on failure. Out: *out a new view reference. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_take_line(chunkbuf_buffer *buf, chunkbuf_eol eol, size_t max_len,
                                           chunkbuf_view **out);
/* Takes one line like chunkbuf_buffer_take_line, but copies it, without
 * its end-of-line bytes, into dst instead of handing out a view: one call
 * per line for a caller that makes its own string of each line anyway (a
 * binding's read_line). The line and its end of line are consumed.
 * Returns: OK (*len = the line's length); ERANGE (the line is longer than
 * cap: *len = its length, so the caller can retry with that much room);
 * ENEEDMORE (no complete line buffered); ELIMIT (max_len != 0 and the line
 * is longer); EINVAL (eol, dst NULL with cap > 0, len NULL); ESTATE.
 * Nothing is consumed on failure, and dst is written only on success.
 * May run a free_fn (of the bytes it drops) on the calling thread. One
 * thread at a time per buffer, as every buffer call. Since 0.3. */
CHUNKBUF_API int chunkbuf_buffer_read_line(chunkbuf_buffer *buf, chunkbuf_eol eol, size_t max_len, void *dst,
                                           size_t cap, size_t *len);
/* One line of a line hand-out. data points at length contiguous bytes: a
 * line that straddles pool blocks is copied once, every other line points
 * into the source's own blocks. eol_length end-of-line bytes follow the
 * line in its source (they are not part of data; 0 for a last line at EOF
 * that has none). Since 0.2. */
typedef struct chunkbuf_line {
  const void *data;
  size_t length;
  size_t eol_length;
} chunkbuf_line;

/* Batch: takes up to max_records complete lines in one call. All of them,
 * end-of-line bytes included, are one view (*out), and records[i] locates
 * line i inside it. *n_records = 0 and *out = NULL when no complete line is
 * buffered (status OK).
 * Returns: OK; ELIMIT (only when the first pending line is too long; a
 * too-long line after some taken ones is left for the next call); EINVAL
 * (eol); ESTATE; ENOMEM.
 * Out: *out a new view reference (or NULL); records[0..*n_records) filled.
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_take_lines(chunkbuf_buffer *buf, chunkbuf_eol eol, size_t max_len,
                                            chunkbuf_record *records, size_t max_records, size_t *n_records,
                                            chunkbuf_view **out);
/* Batch: takes up to max_lines (>= 1) complete lines in one call, like
 * take_lines, and hands each out as pointer+length: lines[i].data points at
 * lines[i].length contiguous bytes (the line without its end of line;
 * eol_length end-of-line bytes follow it in the view). Only a line that
 * straddles two segments is copied (once, into pool memory); every other
 * line points into the buffer's own blocks, so no batch is ever flattened.
 * The lines and their ends of line are consumed, and *out is a view of
 * exactly those bytes (in order, so line i starts at the sum of the
 * earlier lengths and eol_lengths); every lines[i].data stays valid while
 * *out is alive. *n_lines = 0 and *out = NULL when no complete line is
 * buffered (status OK).
 * Returns: OK; ELIMIT (only when the first pending line is longer than
 * max_len != 0; a too-long line after some taken ones is left for the next
 * call); EINVAL (eol, lines NULL or max_lines 0, n_lines or out NULL);
 * ESTATE (a reservation is open); ENOMEM (nothing consumed).
 * Out: *out a new view reference the caller releases (or NULL);
 * lines[0..*n_lines) filled, borrowed from *out.
 * May run a free_fn (of the bytes it consumes) on the calling thread. One
 * thread at a time per buffer, as every buffer call. Since 0.4. */
CHUNKBUF_API int chunkbuf_buffer_read_lines(chunkbuf_buffer *buf, chunkbuf_eol eol, size_t max_len,
                                            chunkbuf_line *lines, size_t max_lines, size_t *n_lines,
                                            chunkbuf_view **out);
/* Batch: like take_lines, with records separated by the bytes of delim
 * (EINVAL for dlen 0). Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_take_records(chunkbuf_buffer *buf, const void *delim, size_t dlen, size_t max_len,
                                              chunkbuf_record *records, size_t max_records, size_t *n_records,
                                              chunkbuf_view **out);
/* Peek: like take_lines / take_records, but nothing is consumed and no view
 * is made. records[i].offset counts from the buffer's first byte; read the
 * bytes with chunkbuf_buffer_peek or _copy_out, then consume what was used
 * with chunkbuf_buffer_advance(offset + length + delim_length of the last
 * record used). This is how a binding hands out lines one by one from a
 * batch without losing any when its caller stops early. Allowed while a
 * reservation is open; free_fn: never.
 * Returns: OK; ELIMIT as for take_lines; EINVAL (eol, dlen 0).
 * Out: records[0..*n_records) filled. Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_peek_lines(const chunkbuf_buffer *buf, chunkbuf_eol eol, size_t max_len,
                                            chunkbuf_record *records, size_t max_records, size_t *n_records);
CHUNKBUF_API int chunkbuf_buffer_peek_records(const chunkbuf_buffer *buf, const void *delim, size_t dlen,
                                              size_t max_len, chunkbuf_record *records, size_t max_records,
                                              size_t *n_records);
/* Calls writev(2) for up to max bytes (0: all) of the segments and consumes
 * what was written; *nwritten says how much. Never raises SIGPIPE: sockets
 * are written with MSG_NOSIGNAL; for a pipe the calling thread blocks
 * SIGPIPE around the write and consumes the one it raised (unless one was
 * already pending), then restores its mask. A closed reader is EIO.
 * Returns: OK; EINVAL (negative fd); ESTATE; EAGAIN (the fd would block);
 * EIO (errno text in chunkbuf_last_error(), e.g. "Broken pipe"). Since 0.1. */
CHUNKBUF_API int chunkbuf_buffer_write_to_fd(chunkbuf_buffer *buf, int fd, size_t max, size_t *nwritten);

/* ------------------------------------------------------------------- view
 * Views are immutable: every function here may be called from any number of
 * threads at once, retain and release included (they are atomic). A view's
 * bytes stay valid and unchanged until its last reference is released.
 */

/* Adds a reference: the view stays valid until one more release.
 * Returns: OK; ELIMIT (2^32 - 1 references). Since 0.1. */
CHUNKBUF_API int chunkbuf_view_retain(chunkbuf_view *view);
/* Drops a reference; the last one frees the view and the blocks only it
 * held. NULL and an already released view are no-ops. free_fn: may run
 * one. Since 0.1. */
CHUNKBUF_API void chunkbuf_view_release(chunkbuf_view *view);
/* A new view of a copy of data[0..len) in one block of pool (NULL: the
 * default pool). Returns: OK; EHANDLE (pool); ENOMEM.
 * Out: *out a new view reference. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_from_bytes(chunkbuf_pool *pool, const void *data, size_t len, chunkbuf_view **out);
/* As chunkbuf_view_from_bytes, with content kind `kind` (see
 * chunkbuf_kind_lookup to name one). Returns: OK; EHANDLE (pool); EINVAL
 * (unregistered kind); ENOMEM. Out: *out a new view reference. Since 0.3. */
CHUNKBUF_API int chunkbuf_view_from_bytes_kind(chunkbuf_pool *pool, const void *data, size_t len, uint32_t kind,
                                               chunkbuf_view **out);
/* *len = the bytes the view shows. Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_len(const chunkbuf_view *view, size_t *len);
/* *count = the view's segments (one segment is contiguous).
 * Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_segment_count(const chunkbuf_view *view, size_t *count);
/* Describes segments [first, first+max_iov) as iovecs; *n_iov gets the
 * count. Returns: OK; ERANGE (first > segment count).
 * Out: the spans are borrowed until the view is released. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_segments(const chunkbuf_view *view, size_t first, struct iovec *iov, size_t max_iov,
                                        size_t *n_iov);
/* Points *data at the bytes of a contiguous view (0 or 1 segment).
 * Returns: OK; ESTATE (several segments: see chunkbuf_view_contiguous).
 * Out: *data borrowed until the view is released. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_data(const chunkbuf_view *view, const void **data, size_t *len);
/* A view of bytes [start, end) (end may be CHUNKBUF_NPOS); zero copy;
 * inherits kind and tenant. Returns: OK; ERANGE (start > end or end > len);
 * ENOMEM. Out: *out a new view reference. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_slice(const chunkbuf_view *view, size_t start, size_t end, chunkbuf_view **out);
/* *pos = the first occurrence of needle, as chunkbuf_buffer_find (an
 * empty needle included). Returns: OK; ERANGE (start > len, nlen > 0).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_view_find(const chunkbuf_view *view, const void *needle, size_t nlen, size_t start,
                                    size_t end, size_t *pos);
/* *equal = 1 if the view's bytes are exactly data[0..len), else 0.
 * Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_equals(const chunkbuf_view *view, const void *data, size_t len, int *equal);
/* *equal = 1 if both views hold the same bytes, else 0.
 * Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_equals_view(const chunkbuf_view *a, const chunkbuf_view *b, int *equal);
/* Copies up to n bytes starting at offset into dst; *copied =
 * min(n, len - offset). Returns: OK; ERANGE (offset > len). Since 0.1. */
CHUNKBUF_API int chunkbuf_view_copy_out(const chunkbuf_view *view, size_t offset, void *dst, size_t n,
                                        size_t *copied);
/* One view of the n views' bytes in order (zero copy). Kind and tenant come
 * from views[0] (raw/none when n is 0). The n views stay the caller's.
 * Returns: OK; ELIMIT (too many views); ENOMEM.
 * Out: *out a new view reference. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_concat(const chunkbuf_view *const *views, size_t n, chunkbuf_view **out);
/* A single-segment view of the same bytes: *out is the view itself, with
 * one more reference, when it is already contiguous; otherwise one copy
 * into pool memory. Returns: OK; ELIMIT (as retain); ENOMEM.
 * Out: *out a new view reference (release it as well as view). Since 0.1. */
CHUNKBUF_API int chunkbuf_view_contiguous(const chunkbuf_view *view, chunkbuf_view **out);
/* *kind = the view's content kind. Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_kind(const chunkbuf_view *view, uint32_t *kind);
/* A new view of the same bytes with another kind; the original keeps its
 * kind. Returns: OK; EINVAL (unregistered kind); ENOMEM.
 * Out: *out a new view reference. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_retag(const chunkbuf_view *view, uint32_t kind, chunkbuf_view **out);
/* *tenant = the view's tenant tag (0: none): the tenant of the buffer it
 * was cut from (whose quota its bytes count against), or the one
 * chunkbuf_view_with_tenant set; slices and retags inherit it.
 * Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_tenant(const chunkbuf_view *view, uint32_t *tenant);
/* A new view of the same bytes (zero copy) tagged with tenant (0: none;
 * chunkbuf_tenant_register names one); the original keeps its tag. The tag
 * labels the view: the bytes stay charged to the tenant whose buffer
 * allocated them. Returns: OK; ENOMEM.
 * Out: *out a new view reference. Since 0.3. */
CHUNKBUF_API int chunkbuf_view_with_tenant(const chunkbuf_view *view, uint32_t tenant, chunkbuf_view **out);
/* *sharers = the live sharers of the view's first block: the references
 * held on it by views, buffers and streams, with each extra reference to
 * this view (chunkbuf_view_retain) counted as one more; 0 for an empty
 * view. A momentary count. Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_view_sharers(const chunkbuf_view *view, size_t *sharers);
/* SHA-256 of the visible bytes, without coalescing.
 * Returns: OK; ENOTSUP (built without a crypto library: see
 * chunkbuf_features). Since 0.1. */
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

/* Creates a stream. opts may be NULL for defaults.
 * Returns: OK; EVERSION (opts->struct_size); EINVAL (low_water not below
 * high_water); EHANDLE (opts->pool); ENOMEM; EIO (no eventfd).
 * Out: *out a new stream handle (chunkbuf_stream_free). Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_new(const chunkbuf_stream_options *opts, chunkbuf_stream **out);
/* Frees the stream and closes its readiness fd. Views read from it stay
 * valid. NULL is a no-op. Threads: must not overlap any other call on the
 * stream (no reader may be blocked in it). free_fn: may run one.
 * Since 0.1. */
CHUNKBUF_API void chunkbuf_stream_free(chunkbuf_stream *s);

/* -- writer side. A write is all or nothing. Returns: OK; ECLOSED (after
 *    close); EABORTED (after abort); ELIMIT (past content_length or
 *    max_bytes); EINVAL (timeout_ms); ENOMEM; with a high-water mark, waits
 *    up to timeout_ms for readers to catch up, then EAGAIN (timeout 0) or
 *    ETIMEDOUT. A zero-length write only reports those errors. */

/* Copies len bytes in; from 0.3 on, a reader blocked in a bulk read gets
 * them copied straight into its memory (see chunkbuf_stream_write_wait).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_write(chunkbuf_stream *s, const void *data, size_t len, int64_t timeout_ms);
/* Adopts len bytes without copying, as chunkbuf_buffer_append_ref:
 * free_fn(user_data) runs once when the bytes are no longer referenced,
 * also on failure (except EHANDLE/EINVAL). free_fn: may run this one, on
 * failure. Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_write_ref(chunkbuf_stream *s, const void *data, size_t len,
                                           chunkbuf_free_fn free_fn, void *user_data, int64_t timeout_ms);
/* Appends a view's bytes without copying (the view stays the caller's).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_write_view(chunkbuf_stream *s, const chunkbuf_view *view, int64_t timeout_ms);
/* Signals end of file: blocked readers wake, blocked writers get ECLOSED.
 * Returns: OK (also when already closed); EABORTED (after abort).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_close(chunkbuf_stream *s);
/* Fails the stream: blocked and later readers and writers get EABORTED,
 * buffered bytes are dropped. code (any int) is kept for
 * chunkbuf_stream_abort_code; a second abort changes nothing. Allowed after
 * close. Returns: OK. free_fn: may run one. Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_abort(chunkbuf_stream *s, int code);
/* *code = the abort code. Returns: OK; ESTATE (not aborted). Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_abort_code(const chunkbuf_stream *s, int *code);

/* -- reader side. Blocking calls return EINVAL for a bad timeout_ms,
 *    EAGAIN (timeout 0) or ETIMEDOUT when nothing is ready in time, and
 *    EABORTED after abort; they consume nothing then. In streaming mode the
 *    bytes read go back to the pool: free_fn: may run one, on the reading
 *    thread. */

/* Waits until n bytes are unread or EOF, then copies min(n, unread) out.
 * *nread < n only at EOF; *nread = 0 means end of file (or n = 0).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_read(chunkbuf_stream *s, void *dst, size_t n, int64_t timeout_ms, size_t *nread);
/* Waits until at least one byte is unread or EOF, then copies up to n.
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_read1(chunkbuf_stream *s, void *dst, size_t n, int64_t timeout_ms, size_t *nread);
/* Copies what is there, up to n, without waiting. Returns: OK (*nread = 0
 * at EOF); EAGAIN (nothing unread and no EOF yet); EABORTED. Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_read_nonblock(chunkbuf_stream *s, void *dst, size_t n, size_t *nread);
/* Like chunkbuf_stream_read, handing the bytes out as a zero-copy view;
 * n = CHUNKBUF_NPOS reads until EOF. Also ENOMEM.
 * Out: *out a new view reference (empty at EOF). Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_read_view(chunkbuf_stream *s, size_t n, int64_t timeout_ms, chunkbuf_view **out);
/* Reads one line including its "\n", or max_len bytes (0: no limit), or
 * the rest before EOF (the last line may lack "\n"); waits (up to
 * timeout_ms) until one of those is there. Also ENOMEM.
 * Out: *out a new view reference; an empty view means EOF. Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_readline(chunkbuf_stream *s, size_t max_len, int64_t timeout_ms,
                                          chunkbuf_view **out);
/* Batch: waits for at least one complete line (or EOF), then takes up to
 * max_records (>= 1, else EINVAL) complete lines at once (the last line at
 * EOF may lack "\n"), as one view with records locating each line ("\n"
 * is the delimiter counted in delim_length, 0 for such a last line).
 * Also ENOMEM. Out: *out a new view reference and records[0..*n_records);
 * *n_records = 0 and *out = NULL at EOF. Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_readlines(chunkbuf_stream *s, chunkbuf_record *records, size_t max_records,
                                           int64_t timeout_ms, size_t *n_records, chunkbuf_view **out);
/* *n = the unread bytes buffered now (0 after abort). Never waits.
 * Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_readable_amount(const chunkbuf_stream *s, size_t *n);
/* *eof = 1 when EOF was signalled and nothing is unread (0 after abort).
 * Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_at_eof(const chunkbuf_stream *s, int *eof);
/* *pos = the first occurrence of needle wholly inside [start, end) of the
 * unread bytes (end may be CHUNKBUF_NPOS), relative to the read position;
 * CHUNKBUF_NPOS when absent; an empty needle as chunkbuf_buffer_find.
 * Never waits. Returns: OK; ERANGE (start > unread bytes, nlen > 0);
 * EABORTED.
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_find(const chunkbuf_stream *s, const void *needle, size_t nlen, size_t start,
                                      size_t end, size_t *pos);
/* Moves the read position of a retained stream. whence: SEEK_SET,
 * SEEK_CUR, or SEEK_END (only after EOF). *pos (may be NULL) receives the
 * new position. Returns: OK; ESTATE (streaming mode, or SEEK_END before
 * EOF); EINVAL (whence); ERANGE (before 0 or past the bytes written; the
 * position stays); EABORTED. Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_seek(chunkbuf_stream *s, int64_t offset, int whence, uint64_t *pos);
/* *pos = the absolute read position: bytes read so far, or where seek put
 * it. Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_stream_tell(const chunkbuf_stream *s, uint64_t *pos);
/* *fd = a file descriptor (eventfd) that is readable exactly while data or
 * EOF (or abort) is available to read: read1 and read_nonblock return at
 * once then (a line or n bytes may still be incomplete). The stream keeps
 * the fd in step from the first call of this function on; until then it
 * makes no eventfd system calls (the hand-off path stays free of them).
 * Returns: OK. Out: *fd borrowed until chunkbuf_stream_free; do not read,
 * write or close it. Since 0.1. */
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
/* Un-fire the token so it can serve new calls. A call that a fire came
 * to while it was using the token still fails with ECANCELED, even when it
 * wakes after this reset. Since 0.2. */
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
/* A read of up to n bytes with a file-like adapter's policy for fewer:
 * CHUNKBUF_SHORT_BLOCK waits (under w: timeout, cancel) for n bytes or
 * EOF, as chunkbuf_stream_read_into with min = n; CHUNKBUF_SHORT_PARTIAL
 * copies what is there without waiting (EAGAIN when nothing is, before
 * EOF); CHUNKBUF_SHORT_RAISE copies n bytes if they are there now, what is
 * left at EOF, and otherwise fails with ENEEDMORE without waiting. *nread
 * = 0 means end of file (or n = 0). Every failure consumes nothing.
 * Returns: OK; ENEEDMORE; EAGAIN; ETIMEDOUT; ECANCELED; EABORTED; EINVAL
 * (unknown policy, bad timeout); EVERSION (w->struct_size); EHANDLE (also
 * released while waiting). w may be NULL. Any number of threads.
 * free_fn: may run one. Since 0.3. */
CHUNKBUF_API int chunkbuf_stream_read_policy(chunkbuf_stream *s, void *dst, size_t n, int policy,
                                             const chunkbuf_wait *w, size_t *nread);
/* An armed chunkbuf_stream_read_start, and the callback that says it may
 * finish. Since 0.4. */
typedef struct chunkbuf_read_op chunkbuf_read_op;
typedef void (*chunkbuf_ready_fn)(void *arg);
/* A read that waits without blocking its thread, for a runtime that parks
 * its own tasks (goroutines, coroutines, an event loop) and wakes them
 * itself.
 *
 * chunkbuf_stream_read_start copies what chunkbuf_stream_read_into(s, dst,
 * n, min) would when that need not wait: it returns OK with *op = NULL and
 * *nread bytes (0: end of file, or n = 0). Otherwise it arms a read and
 * returns OK with *op set and *nread = 0. An armed read waits exactly as a
 * blocked read_into does (other readers and writers see a waiting reader;
 * a writer may copy straight into dst, once), but no thread waits: fn(arg)
 * runs once the read may finish (min bytes filled or buffered, end of
 * file, abort), on the thread that made it ready (a writer, closer or
 * aborter), with the stream's lock held. fn must be short and must not
 * call chunkbuf (wake a task, post to a queue, write an eventfd): a stream
 * call, chunkbuf_read_op_finish or chunkbuf_cancel_fire made from fn
 * returns ESTATE and does nothing (retain and release are allowed; the op
 * holds its own reference). Then call chunkbuf_read_op_finish. min is
 * clamped to [1, n].
 *
 * While the read is armed, dst[0..n) belongs to the stream (do not read or
 * free it) and *op holds a reference to s: releasing s does not free the
 * stream under the read. Every armed read must be finished.
 *
 * Returns: OK; EABORTED; EINVAL (NULL dst with n > 0, NULL fn, op or
 * nread); EHANDLE; ENOMEM (no memory for *op). err (may be NULL) gets the
 * status and its detail. Any number of threads. Since 0.4. */
CHUNKBUF_API int chunkbuf_stream_read_start(chunkbuf_stream *s, void *dst, size_t n, size_t min,
                                            chunkbuf_ready_fn fn, void *arg, chunkbuf_read_op **op,
                                            size_t *nread, chunkbuf_error *err);
/* A wait that consumes nothing, for the same runtimes: a binding that takes
 * lines or records with a call that does not wait (it fails with EAGAIN
 * while what it takes is incomplete) waits with this for more bytes than it
 * saw, then takes again. Returns OK with *op = NULL when at least min (>= 1)
 * bytes are unread or at end of file; otherwise it arms a wait and returns
 * OK with *op set. An armed wait counts as a waiting reader, and as a
 * starved one for back-pressure (a writer held at the high-water mark may
 * pass it, as for a blocked reader that needs more); it takes no direct
 * fills. fn(arg) runs as for chunkbuf_stream_read_start once min bytes are
 * unread, or once the stream's end passes the offset where min bytes would
 * have been unread when the wait was armed (so a wait for more than the
 * caller saw ends when more arrives, even if other readers took some of
 * what it saw), at end of file or abort;
 * chunkbuf_read_op_finish then returns OK with *nread = 0 (or EAGAIN:
 * another reader took the bytes first; the wait stays armed). *op holds a reference to s until it is finished.
 * Returns: OK; EABORTED; EINVAL (NULL fn or op); EHANDLE; ENOMEM. err (may
 * be NULL) gets the status and its detail. Any number of threads.
 * Since 0.4. */
CHUNKBUF_API int chunkbuf_stream_wait_start(chunkbuf_stream *s, size_t min, chunkbuf_ready_fn fn, void *arg,
                                            chunkbuf_read_op **op, chunkbuf_error *err);
/* A wait for room to write, the writer's side of wait_start: a binding
 * whose write met the high-water mark (a write with timeout 0 failed with
 * EAGAIN) waits with this, then writes again. Returns OK with *op = NULL
 * when a write of n bytes would not wait now; otherwise it arms a wait and
 * returns OK with *op set. An armed wait counts as a waiting writer.
 * fn(arg) runs as for chunkbuf_stream_read_start once a write of n bytes
 * could go on (the readers brought the unread bytes down to the low-water
 * mark, or a reader waits for more than is buffered), or at close or abort;
 * chunkbuf_read_op_finish then returns OK with *nread = 0 (the write that
 * follows reports a close or an abort), or EAGAIN when another writer
 * took the room first (the wait stays armed). *op holds a reference to s
 * until it is finished.
 * Returns: OK; ECLOSED, EABORTED or ELIMIT when a write of n bytes would
 * fail now; EINVAL (NULL fn or op); EHANDLE; ENOMEM. err (may be NULL)
 * gets the status and its detail. Any number of threads. Since 0.4. */
CHUNKBUF_API int chunkbuf_stream_space_start(chunkbuf_stream *s, size_t n, chunkbuf_ready_fn fn, void *arg,
                                             chunkbuf_read_op **op, chunkbuf_error *err);
/* Finish an armed read or wait. When it is ready: OK with *nread bytes in
 * dst (0: end of file; always 0 for a wait), or EABORTED with nothing
 * consumed. When it is not (fn has not run, or another reader took the
 * bytes after it ran): with cancel = 0,
 * EAGAIN and the read stays armed (fn runs again once it is ready); with
 * cancel != 0, ECANCELED with nothing consumed. Bytes a writer already
 * copied into dst are always returned with OK, also when cancel is set, so
 * no byte is lost. Every status but EAGAIN frees op (and its reference to
 * the stream), and dst is the caller's again. EHANDLE for NULL or a
 * finished op; EINVAL for NULL nread. Releasing consumed bytes may run
 * write_ref free_fn callbacks on this thread. err may be NULL. Since 0.4. */
CHUNKBUF_API int chunkbuf_read_op_finish(chunkbuf_read_op *op, int cancel, size_t *nread, chunkbuf_error *err);

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
 * hand out what it saw); ERANGE when n > h->length or n is more than is
 * unread (a hand-out of another stream); EABORTED after abort.
 * Nothing is consumed on failure. Releasing the consumed bytes may run
 * write_ref free_fn callbacks on this thread (never under the stream's
 * lock). err may be NULL. Since 0.2. */
CHUNKBUF_API int chunkbuf_stream_consume(chunkbuf_stream *s, chunkbuf_handout *h, size_t n, chunkbuf_error *err);

/* Wait (per w; NULL: forever) until a complete line ending in eol (the same
 * styles as chunkbuf_buffer_take_line) or EOF is unread, then hand out up
 * to max_lines (>= 1, else EINVAL) lines from the read position without
 * consuming them: lines[0..*n_lines) locate them, and *out is a new view
 * the caller releases that holds exactly the bytes handed out (the lines
 * and their ends of line); every lines[i].data stays valid while *out is
 * alive, whatever other readers do. *h covers those bytes: consume line i
 * with chunkbuf_stream_consume(s, h, length + eol_length, ...), in order.
 * At EOF the last line may lack an end of line; *n_lines = 0 (and *out is
 * an empty view) once nothing is left. ELIMIT when the first line is
 * longer than max_len (0: unlimited), nothing consumed; EINVAL for an
 * unknown eol; otherwise errors as chunkbuf_stream_read_into. Runs no
 * free_fn. Any number of threads. Since 0.2. */
CHUNKBUF_API int chunkbuf_stream_peek_lines(chunkbuf_stream *s, chunkbuf_eol eol, size_t max_len,
                                            chunkbuf_line *lines, size_t max_lines, const chunkbuf_wait *w,
                                            size_t *n_lines, chunkbuf_view **out, chunkbuf_handout *h);
/* chunkbuf_stream_peek_lines that also consumes the lines it hands out (for
 * a caller that uses them all: a batch, readlines). The bytes consumed are
 * released after the stream's lock is dropped, which may run write_ref
 * free_fn callbacks on this thread. Since 0.2. */
CHUNKBUF_API int chunkbuf_stream_read_lines(chunkbuf_stream *s, chunkbuf_eol eol, size_t max_len,
                                            chunkbuf_line *lines, size_t max_lines, const chunkbuf_wait *w,
                                            size_t *n_lines, chunkbuf_view **out);
/* Waits (per w; NULL: forever) until a complete line ending in eol or EOF
 * is unread, as chunkbuf_stream_peek_lines does, then copies the first line
 * and its end of line into dst and consumes them: one call and one copy per
 * line, with no view, for a caller that makes its own string of each line
 * anyway (a binding's read_line). Out: *len the line's length without its
 * end of line, *eol_len the end of line's (dst holds *len + *eol_len
 * bytes); at EOF the last line may lack an end of line (*eol_len 0), and
 * *len = *eol_len = 0 once nothing is left.
 * Returns: OK; ERANGE (the line and its end of line take more than cap:
 * *len and *eol_len are set, so the caller can retry with that much room);
 * ELIMIT (the line is longer than max_len, 0: unlimited); EINVAL (eol, dst
 * NULL with cap > 0, len or eol_len NULL); otherwise as
 * chunkbuf_stream_read_into (EAGAIN when w->timeout_ms is 0 and no line is
 * complete yet, ETIMEDOUT, ECANCELED, EABORTED, EHANDLE when the stream's
 * last reference is released during the wait). Nothing is consumed on
 * failure, and dst is written only on success. A line is consumed whole by
 * one reader: any number of threads. Releasing the consumed bytes may run
 * write_ref free_fn callbacks on this thread (never under the stream's
 * lock). w->error (may be NULL) gets the status and its detail. Since 0.5. */
CHUNKBUF_API int chunkbuf_stream_read_line(chunkbuf_stream *s, chunkbuf_eol eol, size_t max_len, void *dst,
                                           size_t cap, const chunkbuf_wait *w, size_t *len, size_t *eol_len);

/* chunkbuf_stream_write with a chunkbuf_wait (w may be NULL: wait forever):
 * copies len bytes in, all or nothing, waiting per w while a high-water
 * mark holds the write back. Returns what chunkbuf_stream_write returns,
 * and ECANCELED when w->cancel fires (or was fired) during that wait or
 * EHANDLE when the stream's last reference is released during it; nothing
 * is written then. A reader blocked in chunkbuf_stream_read,
 * chunkbuf_stream_read1 or chunkbuf_stream_read_into of a streaming-mode
 * stream with nothing buffered gets the bytes copied straight into its
 * destination (one copy, as a pipe); what does not fit is buffered, and
 * max_bytes counts only those buffered bytes. w->error (may be NULL) gets
 * the status and its detail. Any number of threads. Runs no free_fn.
 * Since 0.3. */
CHUNKBUF_API int chunkbuf_stream_write_wait(chunkbuf_stream *s, const void *data, size_t len,
                                            const chunkbuf_wait *w);
/* chunkbuf_stream_write_view with a chunkbuf_wait (w may be NULL: wait
 * forever): appends the view's bytes without copying (the view stays the
 * caller's), waiting per w while a high-water mark holds the write back.
 * Returns what chunkbuf_stream_write_view returns, and ECANCELED when
 * w->cancel fires (or was fired) during that wait or EHANDLE when the
 * stream's last reference is released during it; nothing is written then.
 * w->error (may be NULL) gets the status and its detail. Any number of
 * threads. Runs no free_fn. Since 0.4. */
CHUNKBUF_API int chunkbuf_stream_write_view_wait(chunkbuf_stream *s, const chunkbuf_view *view,
                                                 const chunkbuf_wait *w);
/* chunkbuf_stream_write_ref with a chunkbuf_wait (w may be NULL: wait
 * forever): adopts len bytes without copying, waiting per w as
 * chunkbuf_stream_write_view_wait does, with the same returns. Unlike
 * chunkbuf_stream_write_ref, free_fn (if not NULL) runs exactly once
 * whatever this returns: when the bytes are no longer referenced after a
 * write, or before this returns when nothing was written (also for EHANDLE
 * and EINVAL), so a caller never releases the memory itself. free_fn: may
 * run this one, on this thread, on failure. Since 0.4. */
CHUNKBUF_API int chunkbuf_stream_write_ref_wait(chunkbuf_stream *s, const void *data, size_t len,
                                                chunkbuf_free_fn free_fn, void *user_data, const chunkbuf_wait *w);

/* ----------------------------------------------------------------- framer
 * Framers cut messages out of a buffer as zero-copy views. A framer holds
 * only its configuration: it may serve any number of buffers, one call at a
 * time (the buffer's own rule applies too). When no complete frame is
 * buffered the result is CHUNKBUF_ENEEDMORE and nothing is consumed; a
 * frame longer than max_frame is CHUNKBUF_EFRAMELIMIT (ELIMIT before 0.3)
 * and nothing is consumed;
 * ESTATE while the buffer has a reservation open.
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

/* Creates a delimiter framer: a frame ends at the earliest delimiter; where
 * several delimiters match there the longest wins (e.g. "\r\n" over "\r").
 * Before EOF a frame is held back while a longer delimiter could still
 * complete with bytes not yet arrived, so the result never depends on how
 * the input was cut. With final != 0 (EOF) the trailing bytes become the
 * last frame. opts is required (it names the delimiters).
 * Returns: OK; EVERSION (opts->struct_size); EINVAL (no delimiters, more
 * than 16, or one of 0 or more than 64 bytes); ENOMEM.
 * Out: *out a new framer handle (chunkbuf_framer_free). Since 0.1. */
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

/* Creates a length-prefixed framer (as Netty's
 * LengthFieldBasedFrameDecoder). opts may be NULL for defaults (a 4-byte
 * big-endian length, stripped). When decoding, a header whose length cannot
 * be right (overflow, below the adjustment) is CHUNKBUF_EINVAL; with
 * final != 0 a truncated frame is CHUNKBUF_EINVAL.
 * Returns: OK; EVERSION (opts->struct_size); EINVAL (width, order, offset
 * above 1 MiB, strip beyond the header); ENOMEM.
 * Out: *out a new framer handle (chunkbuf_framer_free). Since 0.1. */
CHUNKBUF_API int chunkbuf_framer_new_length(const chunkbuf_length_framer_options *opts, chunkbuf_framer **out);
/* Frees the framer; buffers and views it produced are unaffected. NULL is a
 * no-op. Since 0.1. */
CHUNKBUF_API void chunkbuf_framer_free(chunkbuf_framer *framer);
/* Takes the next frame from buf as a view (payload only, or with the
 * delimiter when include_delimiter).
 * Returns: OK; ENEEDMORE; EFRAMELIMIT; EINVAL (a bad length header, or a
 * truncated frame at final); ESTATE; ENOMEM.
 * Out: *out a new view reference. free_fn: may run one (the bytes of a
 * header or delimiter left out). Since 0.1. */
CHUNKBUF_API int chunkbuf_framer_next(chunkbuf_framer *framer, chunkbuf_buffer *buf, int final, chunkbuf_view **out);
/* Takes up to max_records frames as one view (headers and delimiters
 * included) with records locating each payload. *n_records = 0 and *out =
 * NULL when no frame is complete (status OK). An error after some frames
 * is reported by the next call.
 * Returns: as chunkbuf_framer_next, except ENEEDMORE.
 * Out: *out a new view reference (or NULL) and records[0..*n_records).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_framer_next_batch(chunkbuf_framer *framer, chunkbuf_buffer *buf, int final,
                                            chunkbuf_record *records, size_t max_records, size_t *n_records,
                                            chunkbuf_view **out);
/* Appends payload to out framed for this framer: the length prefix
 * (copied) then the payload (zero copy), or the payload then the first
 * delimiter. The framer is not changed, so encode may overlap other calls
 * on the same framer.
 * Returns: OK; EINVAL (a delimiter inside the payload, or a length framer
 * with a length_offset); EFRAMELIMIT (past max_frame or the field width);
 * ELIMIT (past out's max_bytes); ESTATE (out has a reservation open); ENOMEM. Since 0.1. */
CHUNKBUF_API int chunkbuf_framer_encode(const chunkbuf_framer *framer, chunkbuf_buffer *out,
                                        const chunkbuf_view *payload);

/* ------------------------------------------------------------------- ring
 * A fixed-capacity byte ring for bounded copying: writes copy in what fits,
 * reads copy out. One thread at a time. No free_fn ever runs.
 */

typedef struct chunkbuf_ring chunkbuf_ring;

/* Creates a ring of capacity bytes (1 byte .. 1 GiB), allocated at once.
 * Returns: OK; EINVAL (capacity); ENOMEM.
 * Out: *out a new ring handle (chunkbuf_ring_free). Since 0.1. */
CHUNKBUF_API int chunkbuf_ring_new(size_t capacity, chunkbuf_ring **out);
/* Frees the ring and its bytes. NULL is a no-op. Since 0.1. */
CHUNKBUF_API void chunkbuf_ring_free(chunkbuf_ring *ring);
/* Copies min(len, writable amount) bytes in; *written says how many.
 * Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_ring_write(chunkbuf_ring *ring, const void *data, size_t len, size_t *written);
/* Copies min(n, readable amount) bytes out and consumes them; *nread says
 * how many. Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_ring_read(chunkbuf_ring *ring, void *dst, size_t n, size_t *nread);
/* Copies min(n, readable amount) bytes out without consuming them.
 * Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_ring_peek(const chunkbuf_ring *ring, void *dst, size_t n, size_t *copied);
/* *n = the bytes waiting to be read. Returns: OK. Since 0.2. */
CHUNKBUF_API int chunkbuf_ring_readable_amount(const chunkbuf_ring *ring, size_t *n);
/* *n = the bytes a write would take now (capacity - readable amount).
 * Returns: OK. Since 0.2. */
CHUNKBUF_API int chunkbuf_ring_writable_amount(const chunkbuf_ring *ring, size_t *n);
/* *n = the ring's capacity. Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_ring_capacity(const chunkbuf_ring *ring, size_t *n);
/* Deprecated: the 0.1 names of chunkbuf_ring_readable_amount and
 * chunkbuf_ring_writable_amount, kept for binaries built against 0.1.
 * Since 0.1. */
CHUNKBUF_API CHUNKBUF_DEPRECATED int chunkbuf_ring_available(const chunkbuf_ring *ring, size_t *n);
CHUNKBUF_API CHUNKBUF_DEPRECATED int chunkbuf_ring_remaining(const chunkbuf_ring *ring, size_t *n);

/* ------------------------------------------------------------------ arena
 * Scratch memory: allocations bump an offset in one pool block of the
 * arena's capacity and are all reclaimed at once by chunkbuf_arena_reset.
 * Bounded: an allocation that does not fit fails. One thread at a time.
 * No free_fn ever runs. Since 0.3.
 */

typedef struct chunkbuf_arena chunkbuf_arena;

/* Creates an arena of capacity bytes (1 byte .. 1 GiB), taking one block
 * of pool (NULL: the default pool) at once.
 * Returns: OK; EHANDLE (pool); EINVAL (capacity); ENOMEM.
 * Out: *out a new arena handle (chunkbuf_arena_free). Since 0.3. */
CHUNKBUF_API int chunkbuf_arena_new(chunkbuf_pool *pool, size_t capacity, chunkbuf_arena **out);
/* Frees the arena and gives its block back to the pool: memory it handed
 * out is invalid from then on. NULL is a no-op. Since 0.3. */
CHUNKBUF_API void chunkbuf_arena_free(chunkbuf_arena *arena);
/* *ptr = n writable bytes (n >= 1) aligned to align (a power of two up to
 * 4096; 0 means 1), uninitialised. Out: *ptr borrowed until the next
 * chunkbuf_arena_reset or chunkbuf_arena_free.
 * Returns: OK; EINVAL (n 0, align); ELIMIT (they do not fit in what is
 * left: nothing changes). Since 0.3. */
CHUNKBUF_API int chunkbuf_arena_alloc(chunkbuf_arena *arena, size_t n, size_t align, void **ptr);
/* Reclaims every allocation at once: the memory they returned is reused by
 * the next allocations. Returns: OK. Since 0.3. */
CHUNKBUF_API int chunkbuf_arena_reset(chunkbuf_arena *arena);
/* *used = the bytes handed out since the last reset (alignment padding
 * included), *capacity = the arena's capacity; either may be NULL.
 * Returns: OK. Since 0.3. */
CHUNKBUF_API int chunkbuf_arena_usage(const chunkbuf_arena *arena, size_t *used, size_t *capacity);

/* ------------------------------------------------------------- debugging
 * Leak tracking, as Netty's leak detector: while on, every block and view
 * created is recorded with the call stack that created it. Off by default;
 * also switched on by the environment variable CHUNKBUF_TRACK_LEAKS=1.
 * When a tracked pool's handle is freed while its blocks or views are still
 * alive, the report is written to stderr.
 */

/* Line-by-line report sink. */
typedef void (*chunkbuf_report_fn)(const char *line, void *user_data);

/* Switches tracking on (on != 0) or off for objects created from now on.
 * Any thread. Returns: OK. Since 0.1. */
CHUNKBUF_API int chunkbuf_debug_track(int on);
/* Reports live tracked blocks and views of pool (NULL: of every pool): one
 * call of fn per object, on the calling thread ("live view 0x...: 12 bytes
 * in 1 segments, 1 refs, created at app+0x1234 (main) <- ..."). Each line
 * is borrowed for the duration of its fn call. fn may be NULL; *count (may
 * be NULL) receives the number of objects. Any thread. The lines are
 * collected first and fn runs without any chunkbuf lock held, so fn may
 * call chunkbuf (release views, free buffers, report again).
 * Returns: OK; EHANDLE (a non-NULL pool that is not a live pool).
 * Since 0.1. */
CHUNKBUF_API int chunkbuf_debug_report(chunkbuf_pool *pool, chunkbuf_report_fn fn, void *user_data, size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* CHUNKBUF_H */
