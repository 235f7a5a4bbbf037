/* HTTP/1.1 chunked transfer-encoding, decoded incrementally with chunkbuf:
 * chunk-size lines with take_line, chunk data as zero-copy views with
 * split_to. Run with no arguments it decodes a sample body fed in two
 * pieces cut at every possible point and checks each result against the
 * one-shot decode; it exits non-zero on any difference. */
#include <chunkbuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { SIZE_LINE, DATA, DATA_CRLF, TRAILERS, DONE } state_t;

typedef struct {
  state_t state;
  size_t remaining; /* bytes left in the current chunk */
  char body[4096];  /* decoded body, for the check */
  size_t body_len;
} decoder;

/* Decodes what is buffered. 0: needs more input or done; -1: malformed. */
static int decode(decoder *d, chunkbuf_buffer *in) {
  for (;;) {
    chunkbuf_view *v = NULL;
    size_t len = 0, n = 0;
    int rc;
    switch (d->state) {
      case SIZE_LINE:
      case TRAILERS: {
        rc = chunkbuf_buffer_take_line(in, CHUNKBUF_EOL_CRLF_STRICT, 1024, &v);
        if (rc == CHUNKBUF_ENEEDMORE) return 0;
        if (rc != CHUNKBUF_OK) return -1; /* e.g. ELIMIT: a line over 1 KiB */
        char line[1025];
        chunkbuf_view_copy_out(v, 0, line, sizeof line - 1, &n);
        line[n] = '\0';
        chunkbuf_view_release(v);
        if (d->state == TRAILERS) {
          if (n == 0) d->state = DONE; /* the empty line ends the message */
          break;
        }
        char *end = NULL;
        unsigned long size = strtoul(line, &end, 16);
        if (end == line || (*end != '\0' && *end != ';')) return -1; /* ';' starts extensions */
        d->remaining = size;
        d->state = size == 0 ? TRAILERS : DATA;
        break;
      }
      case DATA:
        chunkbuf_buffer_len(in, &len);
        if (len == 0) return 0;
        n = len < d->remaining ? len : d->remaining; /* hand out what is here */
        if (chunkbuf_buffer_split_to(in, n, &v) != CHUNKBUF_OK) return -1;
        if (d->body_len + n > sizeof d->body) return -1;
        chunkbuf_view_copy_out(v, 0, d->body + d->body_len, n, &n);
        d->body_len += n;
        chunkbuf_view_release(v);
        d->remaining -= n;
        if (d->remaining == 0) d->state = DATA_CRLF;
        break;
      case DATA_CRLF: {
        char crlf[2];
        chunkbuf_buffer_len(in, &len);
        if (len < 2) return 0;
        chunkbuf_buffer_read(in, crlf, 2, &n);
        if (crlf[0] != '\r' || crlf[1] != '\n') return -1;
        d->state = SIZE_LINE;
        break;
      }
      case DONE:
        return 0;
    }
  }
}

/* Feeds input in two pieces split at `cut`; returns 0 when decoding ends in
 * DONE with the expected body. */
static int run(const char *input, size_t len, size_t cut, const char *expect) {
  chunkbuf_buffer *in = NULL;
  decoder d = {SIZE_LINE, 0, {0}, 0};
  if (chunkbuf_buffer_new(NULL, &in) != CHUNKBUF_OK) return -1;
  int bad = chunkbuf_buffer_append(in, input, cut) != CHUNKBUF_OK || decode(&d, in) != 0 ||
            chunkbuf_buffer_append(in, input + cut, len - cut) != CHUNKBUF_OK || decode(&d, in) != 0;
  chunkbuf_buffer_free(in);
  if (bad || d.state != DONE || d.body_len != strlen(expect) || memcmp(d.body, expect, d.body_len) != 0) {
    fprintf(stderr, "cut at %zu: state %d, body '%.*s'\n", cut, (int)d.state, (int)d.body_len, d.body);
    return -1;
  }
  return 0;
}

int main(void) {
  static const char wire[] =
      "7\r\nMozilla\r\n"
      "11;ext=1\r\nDeveloper Network\r\n"
      "0\r\n"
      "Expires: never\r\n"
      "\r\n";
  const char *expect = "MozillaDeveloper Network";
  size_t len = sizeof wire - 1;
  int failures = 0;
  for (size_t cut = 0; cut <= len; ++cut) failures += run(wire, len, cut, expect) != 0;

  /* A malformed size line is reported, not guessed at. */
  chunkbuf_buffer *in = NULL;
  decoder d = {SIZE_LINE, 0, {0}, 0};
  chunkbuf_buffer_new(NULL, &in);
  chunkbuf_buffer_append(in, "zz\r\n", 4);
  failures += decode(&d, in) != -1;
  chunkbuf_buffer_free(in);

  printf("http_chunked: %zu split points, body \"%s\": %s\n", len + 1, expect, failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
