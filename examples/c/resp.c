/* Redis RESP values parsed incrementally with chunkbuf. A value is consumed
 * only once it is complete (nested arrays included): the parser measures it
 * with non-consuming find/copy_out first. Run with no arguments it parses a
 * sample stream fed in two pieces cut at every possible point and compares
 * every rendering with the one-shot parse; non-zero exit on a difference. */
#include <chunkbuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads the line starting at off (without CRLF) into line; returns the
 * offset after its CRLF, or 0 when the line is not complete yet. */
static size_t line_at(const chunkbuf_buffer *in, size_t off, char *line, size_t cap) {
  size_t pos = 0, n = 0;
  if (chunkbuf_buffer_find(in, "\r\n", 2, off, CHUNKBUF_NPOS, &pos) != CHUNKBUF_OK || pos == CHUNKBUF_NPOS) return 0;
  if (pos - off >= cap) return 0;
  chunkbuf_buffer_copy_out(in, off, line, pos - off, &n);
  line[n] = '\0';
  return pos + 2;
}

/* Renders the value at off into out (appending) and returns the offset
 * after it; 0 when incomplete, (size_t)-1 when malformed. */
static size_t value_at(const chunkbuf_buffer *in, size_t off, char *out, size_t cap) {
  char line[128];
  size_t next = line_at(in, off, line, sizeof line);
  if (next == 0) return 0;
  size_t used = strlen(out);
  char *end = NULL;
  switch (line[0]) {
    case '+':
    case '-':
    case ':':
      snprintf(out + used, cap - used, "%c(%s)", line[0], line + 1);
      return next;
    case '$': {
      long n = strtol(line + 1, &end, 10);
      if (*end || n < -1) return (size_t)-1;
      if (n == -1) {
        snprintf(out + used, cap - used, "nil");
        return next;
      }
      size_t have = 0, copied = 0;
      chunkbuf_buffer_len(in, &have);
      if (have < next + (size_t)n + 2) return 0;
      char data[128];
      if ((size_t)n >= sizeof data) return (size_t)-1;
      chunkbuf_buffer_copy_out(in, next, data, (size_t)n, &copied);
      snprintf(out + used, cap - used, "$(%.*s)", (int)n, data);
      return next + (size_t)n + 2;
    }
    case '*': {
      long n = strtol(line + 1, &end, 10);
      if (*end || n < 0) return (size_t)-1;
      snprintf(out + used, cap - used, "[");
      for (long i = 0; i < n; ++i) {
        next = value_at(in, next, out, cap);
        if (next == 0 || next == (size_t)-1) return next;
      }
      used = strlen(out);
      snprintf(out + used, cap - used, "]");
      return next;
    }
    default:
      return (size_t)-1;
  }
}

/* Parses every complete value, consuming each; appends renderings. */
static int parse(chunkbuf_buffer *in, char *out, size_t cap) {
  for (;;) {
    size_t mark = strlen(out);
    size_t end = value_at(in, 0, out, cap);
    if (end == (size_t)-1) return -1;
    if (end == 0) {
      out[mark] = '\0'; /* drop a partial rendering */
      return 0;
    }
    chunkbuf_buffer_advance(in, end);
    strncat(out, " ", cap - strlen(out) - 1);
  }
}

int main(void) {
  static const char wire[] =
      "+OK\r\n"
      "-ERR wrong type\r\n"
      ":1000\r\n"
      "$5\r\nhello\r\n"
      "$-1\r\n"
      "$0\r\n\r\n"
      "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"
      "*3\r\n:1\r\n*1\r\n+nested\r\n$4\r\nbulk\r\n";
  size_t len = sizeof wire - 1;
  char whole[1024] = "";
  chunkbuf_buffer *in = NULL;
  chunkbuf_buffer_new(NULL, &in);
  chunkbuf_buffer_append(in, wire, len);
  int failures = parse(in, whole, sizeof whole) != 0;
  chunkbuf_buffer_free(in);
  const char *expect = "+(OK) -(ERR wrong type) :(1000) $(hello) nil $() [$(GET)$(key)] [:(1)[+(nested)]$(bulk)] ";
  failures += strcmp(whole, expect) != 0;

  for (size_t cut = 0; cut <= len; ++cut) {
    char got[1024] = "";
    chunkbuf_buffer_new(NULL, &in);
    int bad = chunkbuf_buffer_append(in, wire, cut) != CHUNKBUF_OK || parse(in, got, sizeof got) != 0 ||
              chunkbuf_buffer_append(in, wire + cut, len - cut) != CHUNKBUF_OK || parse(in, got, sizeof got) != 0;
    size_t left = 1;
    chunkbuf_buffer_len(in, &left);
    chunkbuf_buffer_free(in);
    if (bad || left != 0 || strcmp(got, whole) != 0) {
      fprintf(stderr, "cut at %zu: '%s'\n", cut, got);
      ++failures;
    }
  }
  printf("resp: %zu split points, values: %s: %s\n", len + 1, whole, failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
