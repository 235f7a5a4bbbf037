/* Out-of-tree consumer of an installed chunkbuf: built by the install test
 * with nothing but `pkg-config --cflags --libs chunkbuf`. A writer thread
 * feeds a Stream in uneven pieces; the main thread blocks in readline until
 * each line is there, then takes the lines of a Buffer back out. */
#include <chunkbuf.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define LINES 1000

#define CHECK(expr)                                                                      \
  do {                                                                                   \
    int rc_ = (expr);                                                                    \
    if (rc_ != CHUNKBUF_OK) {                                                            \
      fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, #expr,                 \
              chunkbuf_strerror(rc_), chunkbuf_last_error());                            \
      return 1;                                                                          \
    }                                                                                    \
  } while (0)

static void *writer(void *arg) {
  chunkbuf_stream *s = arg;
  char text[32];
  for (int i = 0; i < LINES; i++) {
    int n = snprintf(text, sizeof text, "line %d\n", i);
    /* two writes per line, so readers see partial lines */
    if (chunkbuf_stream_write(s, text, 3, -1) != CHUNKBUF_OK ||
        chunkbuf_stream_write(s, text + 3, (size_t)n - 3, -1) != CHUNKBUF_OK) {
      chunkbuf_stream_abort(s, 1);
      return NULL;
    }
  }
  chunkbuf_stream_close(s);
  return NULL;
}

int main(void) {
  if (chunkbuf_version() != CHUNKBUF_VERSION_NUMBER) {
    fprintf(stderr, "header %d, library %u\n", CHUNKBUF_VERSION_NUMBER, chunkbuf_version());
    return 1;
  }
  chunkbuf_stream_options so = CHUNKBUF_STREAM_OPTIONS_INIT;
  so.high_water = 256; /* the writer waits for the reader */
  chunkbuf_stream *s;
  CHECK(chunkbuf_stream_new(&so, &s));
  pthread_t t;
  if (pthread_create(&t, NULL, writer, s) != 0) return 1;

  int lines = 0;
  for (;;) {
    chunkbuf_view *v;
    CHECK(chunkbuf_stream_readline(s, 0, 10000, &v));
    size_t n;
    CHECK(chunkbuf_view_len(v, &n));
    if (n == 0) { /* EOF */
      chunkbuf_view_release(v);
      break;
    }
    char want[32], got[32];
    int wn = snprintf(want, sizeof want, "line %d\n", lines);
    size_t copied;
    CHECK(chunkbuf_view_copy_out(v, 0, got, sizeof got, &copied));
    chunkbuf_view_release(v);
    if (copied != (size_t)wn || memcmp(got, want, copied) != 0) {
      fprintf(stderr, "line %d: got %.*s", lines, (int)copied, got);
      return 1;
    }
    lines++;
  }
  pthread_join(t, NULL);
  chunkbuf_stream_free(s);

  chunkbuf_buffer *buf;
  CHECK(chunkbuf_buffer_new(NULL, &buf));
  CHECK(chunkbuf_buffer_append(buf, "GET / HTTP/1.1\r\nHo", 18));
  CHECK(chunkbuf_buffer_append(buf, "st: x\r\n\r\n", 9));
  static const char *const expect[] = {"GET / HTTP/1.1", "Host: x", ""};
  chunkbuf_view *line;
  int headers = 0;
  while (headers < 3 && chunkbuf_buffer_take_line(buf, CHUNKBUF_EOL_CRLF, 8192, &line) == CHUNKBUF_OK) {
    int eq = 0;
    CHECK(chunkbuf_view_equals(line, expect[headers], strlen(expect[headers]), &eq));
    chunkbuf_view_release(line);
    if (!eq) {
      fprintf(stderr, "header line %d differs\n", headers);
      return 1;
    }
    headers++;
  }
  chunkbuf_buffer_free(buf);
  if (lines != LINES || headers != 3) {
    fprintf(stderr, "lines %d headers %d\n", lines, headers);
    return 1;
  }
  printf("c consumer: chunkbuf %s, %d lines through a stream, %d through a buffer\n",
         chunkbuf_version_string(), lines, headers);
  return 0;
}
