/* A tour of chunkbuf's C API: parse lines out of chunks as they arrive,
 * hand a body out as a zero-copy view, and look at the pool afterwards. */
#include <chunkbuf.h>
#include <stdio.h>
#include <string.h>

#define CHECK(call)                                                                  \
  do {                                                                               \
    int rc_ = (call);                                                                \
    if (rc_ != CHUNKBUF_OK) {                                                        \
      fprintf(stderr, "%s failed: %s (%s)\n", #call, chunkbuf_strerror(rc_), chunkbuf_last_error()); \
      return 1;                                                                      \
    }                                                                                \
  } while (0)

int main(void) {
  printf("chunkbuf %s\n", chunkbuf_version_string());

  chunkbuf_pool *pool = NULL;
  CHECK(chunkbuf_pool_new(NULL, &pool));
  chunkbuf_buffer_options opts = CHUNKBUF_BUFFER_OPTIONS_INIT;
  opts.pool = pool;
  opts.max_bytes = 1 << 20;
  chunkbuf_buffer *buf = NULL;
  CHECK(chunkbuf_buffer_new(&opts, &buf));

  /* An HTTP request arriving in awkward pieces. */
  const char *pieces[] = {"GET /hello HT", "TP/1.1\r\nHost: exa", "mple.org\r\nContent-Length: 11\r\n",
                          "\r\nhello", " world"};
  for (size_t i = 0; i < sizeof pieces / sizeof *pieces; ++i)
    CHECK(chunkbuf_buffer_append(buf, pieces[i], strlen(pieces[i])));

  for (;;) {
    chunkbuf_view *line = NULL;
    int rc = chunkbuf_buffer_take_line(buf, CHUNKBUF_EOL_CRLF, 8192, &line);
    if (rc == CHUNKBUF_ENEEDMORE) break;
    CHECK(rc);
    size_t len = 0;
    CHECK(chunkbuf_view_len(line, &len));
    char text[256];
    size_t copied = 0;
    CHECK(chunkbuf_view_copy_out(line, 0, text, sizeof text - 1, &copied));
    text[copied] = '\0';
    chunkbuf_view_release(line);
    if (len == 0) break; /* end of headers */
    printf("header line: %s\n", text);
  }

  size_t body_len = 0;
  CHECK(chunkbuf_buffer_len(buf, &body_len));
  chunkbuf_view *body = NULL;
  CHECK(chunkbuf_buffer_split_to(buf, body_len, &body)); /* zero copy */
  chunkbuf_buffer_free(buf);                            /* the view stays valid */

  size_t nseg = 0;
  CHECK(chunkbuf_view_segment_count(body, &nseg));
  int equal = 0;
  CHECK(chunkbuf_view_equals(body, "hello world", 11, &equal));
  printf("body: %zu bytes in %zu segment(s), equals \"hello world\": %s\n", body_len, nseg, equal ? "yes" : "no");

  if (chunkbuf_features() & CHUNKBUF_FEATURE_SHA256) {
    uint8_t digest[32];
    CHECK(chunkbuf_view_sha256(body, digest));
    printf("sha256: ");
    for (int i = 0; i < 32; ++i) printf("%02x", digest[i]);
    printf("\n");
  }
  chunkbuf_view_release(body);

  chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
  CHECK(chunkbuf_pool_stats_get(pool, &st));
  printf("pool: %llu acquisitions, %llu releases, %llu bytes in use, %llu bytes cached\n",
         (unsigned long long)st.acquisitions, (unsigned long long)st.releases,
         (unsigned long long)st.bytes_in_use, (unsigned long long)st.bytes_cached);
  chunkbuf_pool_free(pool);
  return equal ? 0 : 1;
}
