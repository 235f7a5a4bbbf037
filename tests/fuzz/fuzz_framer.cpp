// libFuzzer target: both framers on random input, fed in random pieces and
// drained after each, must produce exactly what an independent one-shot
// reference parse over the whole input produces.
#include <chunkbuf.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_input.h"

namespace {

const std::vector<std::vector<std::string>> kDelimSets = {
    {"\n"}, {"\r", "\n", "\r\n"}, {"ab", "abc", "b"}, {"--", "-->", ">"}, {std::string("\0\0", 2)}};

// Reference delimiter framing: earliest match, longest delimiter there; the
// rest after the last delimiter is the final frame.
std::vector<std::string> ref_delimited(const std::string& s, const std::vector<std::string>& delims) {
  std::vector<std::string> out;
  size_t from = 0;
  while (from < s.size()) {
    size_t best = std::string::npos, blen = 0;
    for (size_t q = from; q < s.size() && best == std::string::npos; ++q)
      for (const auto& d : delims)
        if (s.compare(q, d.size(), d) == 0 && d.size() > blen) best = q, blen = d.size();
    if (best == std::string::npos) {
      out.push_back(s.substr(from));
      break;
    }
    out.push_back(s.substr(from, best - from));
    from = best + blen;
  }
  return out;
}

// Reference length framing: 2-byte big-endian length, payload follows.
std::vector<std::string> ref_length(const std::string& s, size_t* consumed) {
  std::vector<std::string> out;
  size_t from = 0;
  while (s.size() - from >= 2) {
    size_t n = static_cast<uint8_t>(s[from]) << 8 | static_cast<uint8_t>(s[from + 1]);
    if (s.size() - from - 2 < n) break;
    out.push_back(s.substr(from + 2, n));
    from += 2 + n;
  }
  *consumed = from;
  return out;
}

std::string bytes_of(chunkbuf_view* v) {
  size_t len = 0, n = 0;
  chunkbuf_view_len(v, &len);
  std::string s(len, '\0');
  chunkbuf_view_copy_out(v, 0, s.data(), len, &n);
  return s;
}

// Drains every frame; batch or one at a time.
void drain(chunkbuf_framer* f, chunkbuf_buffer* b, int final, bool batch, std::vector<std::string>* out) {
  for (;;) {
    if (batch) {
      chunkbuf_record recs[3];
      size_t n = 0;
      chunkbuf_view* v = nullptr;
      int rc = chunkbuf_framer_next_batch(f, b, final, recs, 3, &n, &v);
      if (rc != CHUNKBUF_OK || n == 0) return;
      std::string all = bytes_of(v);
      for (size_t i = 0; i < n; ++i) out->push_back(all.substr(recs[i].offset, recs[i].length));
      chunkbuf_view_release(v);
    } else {
      chunkbuf_view* v = nullptr;
      if (chunkbuf_framer_next(f, b, final, &v) != CHUNKBUF_OK) return;
      out->push_back(bytes_of(v));
      chunkbuf_view_release(v);
    }
  }
}

// Length fields from the whole 64-bit range, with an adjustment either
// way: a frame length near 2^64 fails cleanly instead of wrapping, and so
// does encoding a payload whose length plus the adjustment overflows.
void huge_lengths(FuzzInput& in) {
  chunkbuf_length_framer_options o = CHUNKBUF_LENGTH_FRAMER_OPTIONS_INIT;
  o.length_width = 8;
  o.length_adjust = static_cast<int8_t>(in.byte());
  chunkbuf_framer* f = nullptr;
  CHECK(chunkbuf_framer_new_length(&o, &f) == CHUNKBUF_OK);
  uint64_t value = in.byte() & 1 ? UINT64_MAX - in.byte() : uint64_t{1} << (in.byte() % 64);
  unsigned char hdr[8];
  for (int i = 0; i < 8; ++i) hdr[i] = static_cast<unsigned char>(value >> (56 - 8 * i));
  chunkbuf_buffer* b = nullptr;
  CHECK(chunkbuf_buffer_new(nullptr, &b) == CHUNKBUF_OK);
  CHECK(chunkbuf_buffer_append(b, hdr, 8) == CHUNKBUF_OK);
  CHECK(chunkbuf_buffer_append(b, "payload", 7) == CHUNKBUF_OK);
  chunkbuf_view* v = nullptr;
  int rc = chunkbuf_framer_next(f, b, in.byte() & 1, &v);
  CHECK(rc == CHUNKBUF_OK || rc == CHUNKBUF_ENEEDMORE || rc == CHUNKBUF_EINVAL || rc == CHUNKBUF_EFRAMELIMIT);
  if (rc == CHUNKBUF_OK) chunkbuf_view_release(v);
  size_t left = 0;
  CHECK(chunkbuf_buffer_len(b, &left) == CHUNKBUF_OK && (rc == CHUNKBUF_OK || left == 15));
  // A payload of SIZE_MAX - k bytes (adopted, never read) to encode.
  static const char src[1] = {'p'};
  chunkbuf_buffer* big = nullptr;
  CHECK(chunkbuf_buffer_new(nullptr, &big) == CHUNKBUF_OK);
  size_t n = SIZE_MAX / 2 + in.byte();
  CHECK(chunkbuf_buffer_append_ref(big, src, n, nullptr, nullptr) == CHUNKBUF_OK);
  rc = chunkbuf_buffer_append_ref(big, src, SIZE_MAX / 2 - in.byte() + in.byte(), nullptr, nullptr);
  CHECK(rc == CHUNKBUF_OK || rc == CHUNKBUF_ELIMIT);  // ELIMIT: the two lengths pass SIZE_MAX
  size_t total = 0;
  CHECK(chunkbuf_buffer_len(big, &total) == CHUNKBUF_OK);
  chunkbuf_view* payload = nullptr;
  CHECK(chunkbuf_buffer_split_to(big, total, &payload) == CHUNKBUF_OK);
  chunkbuf_buffer* out = nullptr;
  CHECK(chunkbuf_buffer_new(nullptr, &out) == CHUNKBUF_OK);
  rc = chunkbuf_framer_encode(f, out, payload);
  CHECK(rc == CHUNKBUF_OK || rc == CHUNKBUF_ELIMIT || rc == CHUNKBUF_EFRAMELIMIT || rc == CHUNKBUF_EINVAL);
  size_t outlen = 0;
  CHECK(chunkbuf_buffer_len(out, &outlen) == CHUNKBUF_OK && outlen == (rc == CHUNKBUF_OK ? total + 8 : 0));
  chunkbuf_buffer_free(out);
  chunkbuf_view_release(payload);
  chunkbuf_buffer_free(big);
  chunkbuf_buffer_free(b);
  chunkbuf_framer_free(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  uint8_t cfg = in.byte();
  bool length = cfg & 1, batch = cfg & 2;
  const auto& delims = kDelimSets[(cfg >> 2) % kDelimSets.size()];
  size_t pieces = 1 + in.below(8);
  std::vector<size_t> cuts;
  for (size_t i = 0; i < pieces; ++i) cuts.push_back(in.below(64));
  std::string input = in.bytes(4096);

  chunkbuf_framer* f = nullptr;
  std::vector<std::string> expect;
  size_t consumed = input.size();
  if (length) {
    chunkbuf_length_framer_options o = CHUNKBUF_LENGTH_FRAMER_OPTIONS_INIT;
    o.length_width = 2;
    o.strip = 2;
    CHECK(chunkbuf_framer_new_length(&o, &f) == CHUNKBUF_OK);
    expect = ref_length(input, &consumed);
  } else {
    std::vector<struct iovec> iov;
    for (const auto& d : delims) iov.push_back({const_cast<char*>(d.data()), d.size()});
    chunkbuf_delimiter_framer_options o = CHUNKBUF_DELIMITER_FRAMER_OPTIONS_INIT;
    o.delimiters = iov.data();
    o.n_delimiters = iov.size();
    CHECK(chunkbuf_framer_new_delimiter(&o, &f) == CHUNKBUF_OK);
    expect = ref_delimited(input, delims);
  }

  chunkbuf_buffer* b = nullptr;
  CHECK(chunkbuf_buffer_new(nullptr, &b) == CHUNKBUF_OK);
  std::vector<std::string> got;
  size_t pos = 0;
  for (size_t cut : cuts) {
    size_t n = std::min(cut, input.size() - pos);
    CHECK(chunkbuf_buffer_append(b, input.data() + pos, n) == CHUNKBUF_OK);
    pos += n;
    drain(f, b, 0, batch, &got);
  }
  CHECK(chunkbuf_buffer_append(b, input.data() + pos, input.size() - pos) == CHUNKBUF_OK);
  drain(f, b, 0, batch, &got);
  if (!length) drain(f, b, 1, batch, &got);  // EOF flush
  CHECK(got == expect);
  size_t left = 0;
  chunkbuf_buffer_len(b, &left);
  CHECK(left == input.size() - consumed);
  chunkbuf_buffer_free(b);
  chunkbuf_framer_free(f);
  huge_lengths(in);
  return 0;
}
