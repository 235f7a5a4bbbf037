/* chunkbuf.Ring: a fixed-capacity byte ring for bounded streaming. */

%{
static size_t cb_ring_readable(const cb_Ring *r) {
  size_t n = 0;
  chunkbuf_ring_readable_amount(r, &n);
  return n;
}
%}

CB_OBJECT(cb_Ring, "Ring")

%rename(Ring) cb_Ring;
%delobject cb_Ring::free;
typedef struct {} cb_Ring;

%extend cb_Ring {
  /* chunkbuf.Ring(capacity): 1 byte .. 1 GiB, allocated at once. */
  cb_Ring(size_t capacity, lua_State *L) {
    cb_Ring *r = NULL;
    int rc = chunkbuf_ring_new(capacity, &r);
    if (rc != CHUNKBUF_OK) cb_push_error(L, rc);
    return r;
  }
  ~cb_Ring() { chunkbuf_ring_free($self); }
  void free() { chunkbuf_ring_free($self); }

  /* Copies in what fits of s; returns how many bytes that was. */
  cb_status write(const void *data, size_t len, size_t *OUT) { return chunkbuf_ring_write($self, data, len, OUT); }
  /* Up to n bytes, consumed. */
  cb_status read(size_t n, cb_bytes *OUT) {
    size_t avail = cb_ring_readable($self), want = n < avail ? n : avail;
    OUT->data = (char *)malloc(want ? want : 1);
    if (!OUT->data) return CB_ENOMEM;
    return chunkbuf_ring_read($self, OUT->data, want, &OUT->len);
  }
  /* Up to n bytes, not consumed. */
  cb_status peek(size_t n, cb_bytes *OUT) {
    size_t avail = cb_ring_readable($self), want = n < avail ? n : avail;
    OUT->data = (char *)malloc(want ? want : 1);
    if (!OUT->data) return CB_ENOMEM;
    return chunkbuf_ring_peek($self, OUT->data, want, &OUT->len);
  }
  size_t readable_amount() { return cb_ring_readable($self); }
  cb_status writable_amount(size_t *OUT) { return chunkbuf_ring_writable_amount($self, OUT); }
  /* The 0.1 names of the two above. */
  size_t available() { return cb_ring_readable($self); }
  cb_status remaining(size_t *OUT) { return chunkbuf_ring_writable_amount($self, OUT); }
  size_t __len(cb_ignored) { return cb_ring_readable($self); }
  cb_status capacity(size_t *OUT) { return chunkbuf_ring_capacity($self, OUT); }
  cb_flag __eq(const cb_Ring *OTHER) { return $self == OTHER; }
  cb_pushed __tostring(lua_State *L) {
    size_t cap = 0;
    chunkbuf_ring_capacity($self, &cap);
    lua_pushfstring(L, "chunkbuf.Ring (%I of %I bytes)", (lua_Integer)cb_ring_readable($self), (lua_Integer)cap);
    return 1;
  }
}
