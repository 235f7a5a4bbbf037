// libFuzzer target: random operation sequences on a Buffer and its Views
// through the C API, checked after every step against a std::string model.
#include <chunkbuf.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_input.h"

namespace {

std::string view_bytes(const chunkbuf_view* v) {
  size_t len = 0, n = 0;
  CHECK(chunkbuf_view_len(v, &len) == CHUNKBUF_OK);
  std::string s(len, '\0');
  CHECK(chunkbuf_view_copy_out(v, 0, s.data(), len, &n) == CHUNKBUF_OK && n == len);
  return s;
}

std::string buffer_bytes(const chunkbuf_buffer* b) {
  size_t len = 0, n = 0;
  CHECK(chunkbuf_buffer_len(b, &len) == CHUNKBUF_OK);
  std::string s(len, '\0');
  CHECK(chunkbuf_buffer_copy_out(b, 0, s.data(), len, &n) == CHUNKBUF_OK);
  return s;
}

size_t model_find(const std::string& m, const std::string& needle, size_t start) {
  size_t p = m.find(needle, start);
  return p == std::string::npos ? CHUNKBUF_NPOS : p;
}

struct Held {
  chunkbuf_view* view;
  std::string bytes;
};

// The line model of CHUNKBUF_EOL_LF / CRLF: (line end, eol length) or npos.
size_t model_eol(const std::string& m, bool crlf, size_t* eol_len) {
  size_t q = m.find('\n');
  if (q == std::string::npos) return CHUNKBUF_NPOS;
  *eol_len = 1;
  if (crlf && q > 0 && m[q - 1] == '\r') {
    --q;
    *eol_len = 2;
  }
  return q;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  uint8_t cfg = in.byte();
  o.linear = cfg & 1;
  o.max_bytes = (cfg & 2) ? 64 + in.below(512) : 0;
  o.min_chunk = (cfg & 4) ? 1 + in.below(64) : 0;
  chunkbuf_buffer* b = nullptr;
  CHECK(chunkbuf_buffer_new(&o, &b) == CHUNKBUF_OK);
  std::string model;
  std::vector<Held> held;

  while (!in.empty()) {
    uint8_t op = in.byte() % 15;
    int rc;
    switch (op) {
      case 0: {  // append
        std::string d = in.bytes(in.below(300));
        rc = chunkbuf_buffer_append(b, d.data(), d.size());
        bool fits = !o.max_bytes || model.size() + d.size() <= o.max_bytes;
        CHECK(rc == (fits ? CHUNKBUF_OK : CHUNKBUF_ELIMIT));
        if (fits) model += d;
        break;
      }
      case 1: {  // append_ref of a heap copy
        auto* d = new std::string(in.bytes(in.below(64)));
        std::string copy = *d;
        rc = chunkbuf_buffer_append_ref(b, d->data(), d->size(), [](void* p) { delete static_cast<std::string*>(p); }, d);
        bool fits = !o.max_bytes || model.size() + copy.size() <= o.max_bytes;
        CHECK(rc == (fits ? CHUNKBUF_OK : CHUNKBUF_ELIMIT));
        if (fits) model += copy;
        break;
      }
      case 2: {  // advance
        size_t n = in.below(model.size() + 3);
        rc = chunkbuf_buffer_advance(b, n);
        CHECK(rc == (n <= model.size() ? CHUNKBUF_OK : CHUNKBUF_ERANGE));
        if (rc == CHUNKBUF_OK) model.erase(0, n);
        break;
      }
      case 3: {  // split_to, keep the view
        size_t n = in.below(model.size() + 2);
        chunkbuf_view* v = nullptr;
        rc = chunkbuf_buffer_split_to(b, n, &v);
        CHECK(rc == (n <= model.size() ? CHUNKBUF_OK : CHUNKBUF_ERANGE));
        if (rc == CHUNKBUF_OK) {
          held.push_back({v, model.substr(0, n)});
          model.erase(0, n);
        }
        break;
      }
      case 4:
      case 5: {  // find / rfind
        std::string needle = in.bytes(1 + in.below(4));
        if (needle.empty()) break;
        size_t start = in.below(model.size() + 1), pos = 0;
        if (op == 4) {
          CHECK(chunkbuf_buffer_find(b, needle.data(), needle.size(), start, CHUNKBUF_NPOS, &pos) == CHUNKBUF_OK);
          CHECK(pos == model_find(model, needle, start));
        } else {
          CHECK(chunkbuf_buffer_rfind(b, needle.data(), needle.size(), start, CHUNKBUF_NPOS, &pos) == CHUNKBUF_OK);
          size_t r = model.size() >= start ? model.substr(start).rfind(needle) : std::string::npos;
          CHECK(pos == (r == std::string::npos ? CHUNKBUF_NPOS : r + start));
        }
        break;
      }
      case 6: {  // take_line, LF or CRLF
        bool crlf = in.byte() & 1;
        chunkbuf_view* v = nullptr;
        rc = chunkbuf_buffer_take_line(b, crlf ? CHUNKBUF_EOL_CRLF : CHUNKBUF_EOL_LF, 0, &v);
        size_t elen = 0, q = model_eol(model, crlf, &elen);
        if (q == CHUNKBUF_NPOS) {
          CHECK(rc == CHUNKBUF_ENEEDMORE);
        } else {
          CHECK(rc == CHUNKBUF_OK && view_bytes(v) == model.substr(0, q));
          chunkbuf_view_release(v);
          model.erase(0, q + elen);
        }
        break;
      }
      case 7: {  // take_until, max_len
        std::string delim = in.bytes(1 + in.below(3));
        if (delim.empty()) break;
        size_t max_len = in.below(40);
        bool include = in.byte() & 1;
        chunkbuf_view* v = nullptr;
        rc = chunkbuf_buffer_take_until(b, delim.data(), delim.size(), include, max_len, &v);
        size_t q = model.find(delim);
        if (q != std::string::npos && (!max_len || q <= max_len)) {
          CHECK(rc == CHUNKBUF_OK && view_bytes(v) == model.substr(0, include ? q + delim.size() : q));
          chunkbuf_view_release(v);
          model.erase(0, q + delim.size());
        } else {
          CHECK(rc == CHUNKBUF_ENEEDMORE || rc == CHUNKBUF_ELIMIT);
        }
        break;
      }
      case 8: {  // coalesce
        size_t n = in.below(model.size() + 2);
        const void* p = nullptr;
        rc = chunkbuf_buffer_coalesce(b, n, &p);
        CHECK(rc == (n <= model.size() ? CHUNKBUF_OK : CHUNKBUF_ERANGE));
        if (rc == CHUNKBUF_OK && n) CHECK(std::memcmp(p, model.data(), n) == 0);
        break;
      }
      case 9: {  // typed read
        size_t off = in.below(model.size() + 4);
        uint32_t v = 0;
        rc = chunkbuf_buffer_peek_u32(b, off, CHUNKBUF_LE, &v);
        if (off + 4 <= model.size()) {
          uint32_t want = 0;
          std::memcpy(&want, model.data() + off, 4);  // x86-64 is little endian
          CHECK(rc == CHUNKBUF_OK && v == want);
        } else {
          CHECK(rc == CHUNKBUF_ENEEDMORE);
        }
        break;
      }
      case 10: {  // reserve + partial commit
        size_t n = 1 + in.below(200);
        struct iovec iov[2];
        size_t cnt = 0;
        rc = chunkbuf_buffer_reserve(b, n, iov, 1 + (in.byte() & 1), &cnt);
        if (rc == CHUNKBUF_ELIMIT) break;
        CHECK(rc == CHUNKBUF_OK);
        CHECK(chunkbuf_buffer_append(b, "x", 1) == CHUNKBUF_ESTATE);
        size_t commit = in.below(n + 1), done = 0;
        std::string d(commit, '\0');
        for (char& c : d) c = static_cast<char>(in.byte());
        for (size_t i = 0; i < cnt && done < commit; ++i) {
          size_t k = std::min(iov[i].iov_len, commit - done);
          std::memcpy(iov[i].iov_base, d.data() + done, k);
          done += k;
        }
        CHECK(chunkbuf_buffer_commit(b, commit) == CHUNKBUF_OK);
        model += d;
        break;
      }
      case 11: {  // batch lines
        chunkbuf_record recs[8];
        size_t n = 0;
        chunkbuf_view* v = nullptr;
        CHECK(chunkbuf_buffer_take_lines(b, CHUNKBUF_EOL_LF, 0, recs, 8, &n, &v) == CHUNKBUF_OK);
        std::string all = n ? view_bytes(v) : "";
        for (size_t i = 0; i < n; ++i) {
          size_t elen = 0, q = model_eol(model, false, &elen);
          CHECK(q != CHUNKBUF_NPOS && all.substr(recs[i].offset, recs[i].length) == model.substr(0, q));
          model.erase(0, q + elen);
        }
        if (n < 8) {
          size_t elen = 0;
          CHECK(model_eol(model, false, &elen) == CHUNKBUF_NPOS);
        }
        if (v) chunkbuf_view_release(v);
        break;
      }
      case 13: {  // sizes from the whole size_t range: fail cleanly or work, never corrupt
        // Sizes between 4 MiB and the largest block (1 TiB) would really be
        // allocated (libFuzzer's malloc limit reports those), so the probes
        // that allocate take only the sizes below and above that band.
        constexpr size_t kMaxBlock = size_t{1} << 40;
        size_t n = in.any_size();
        bool allocates = n > (size_t{4} << 20) && n <= kMaxBlock;
        struct iovec iov[2];
        size_t cnt = 0;
        rc = allocates ? CHUNKBUF_ELIMIT : chunkbuf_buffer_reserve(b, n, iov, 1 + (in.byte() & 1), &cnt);
        if (rc == CHUNKBUF_OK) {
          size_t total = 0;
          for (size_t i = 0; i < cnt; ++i) total += iov[i].iov_len;
          CHECK(total >= n);
          if (n > 0) static_cast<char*>(iov[cnt - 1].iov_base)[iov[cnt - 1].iov_len - 1] = 'e';  // the last byte is ours
          CHECK(chunkbuf_buffer_commit(b, 0) == CHUNKBUF_OK);
        } else {
          CHECK(rc == CHUNKBUF_ELIMIT || rc == CHUNKBUF_ENOMEM);
          CHECK(n > (size_t{4} << 20) || o.max_bytes);  // everything up to 4 MiB fits in memory
        }
        static const char src[1] = {'h'};
        if (n > kMaxBlock) CHECK(chunkbuf_buffer_append(b, src, n) == CHUNKBUF_ELIMIT);  // refused before reading src
        if (n > model.size()) {
          CHECK(chunkbuf_buffer_advance(b, n) == CHUNKBUF_ERANGE);
          chunkbuf_view* v = nullptr;
          CHECK(chunkbuf_buffer_split_to(b, n, &v) == CHUNKBUF_ERANGE);
          size_t got = 0;
          CHECK(chunkbuf_buffer_copy_out(b, n, nullptr, 0, &got) == CHUNKBUF_ERANGE);
        }
        chunkbuf_buffer_options ho = CHUNKBUF_BUFFER_OPTIONS_INIT;  // adoption only counts: a huge length is fine
        ho.max_bytes = in.byte() & 1 ? 1 << 20 : 0;
        chunkbuf_buffer* h = nullptr;
        CHECK(chunkbuf_buffer_new(&ho, &h) == CHUNKBUF_OK);
        int first = chunkbuf_buffer_append_ref(h, src, n, nullptr, nullptr);
        int second = chunkbuf_buffer_append_ref(h, src, n, nullptr, nullptr);
        size_t hl = 0;
        CHECK(chunkbuf_buffer_len(h, &hl) == CHUNKBUF_OK);
        CHECK(hl == (first == CHUNKBUF_OK ? n : 0) + (second == CHUNKBUF_OK ? n : 0));  // never wrapped
        CHECK(first == CHUNKBUF_OK || first == CHUNKBUF_ELIMIT);
        chunkbuf_buffer_free(h);
        break;
      }
      case 14: {  // a large append (past 64 KiB), then peek_lines over it
        size_t n = 65536 + in.below(1 << 16) * 4;
        std::string d(n, '\0');
        uint8_t seed = in.byte();
        for (size_t i = 0; i < n; ++i) d[i] = (i % 97 == 96) ? '\n' : static_cast<char>('a' + (seed + i) % 26);
        rc = chunkbuf_buffer_append(b, d.data(), d.size());
        bool fits = !o.max_bytes || model.size() + d.size() <= o.max_bytes;
        CHECK(rc == (fits ? CHUNKBUF_OK : CHUNKBUF_ELIMIT));
        if (fits) model += d;
        chunkbuf_record recs[16];
        size_t got = 0;
        CHECK(chunkbuf_buffer_peek_lines(b, CHUNKBUF_EOL_LF, 0, recs, 16, &got) == CHUNKBUF_OK);
        size_t from = 0;
        for (size_t i = 0; i < got; ++i) {
          size_t q = model.find('\n', from);
          CHECK(q != std::string::npos && recs[i].offset == from && recs[i].length == q - from);
          from = q + 1;
        }
        break;
      }
      case 12: {  // views: slice, concat, append back
        if (held.empty()) break;
        Held& h = held[in.below(held.size())];
        size_t s = in.below(h.bytes.size() + 1), e = s + in.below(h.bytes.size() - s + 1);
        chunkbuf_view* sl = nullptr;
        CHECK(chunkbuf_view_slice(h.view, s, e, &sl) == CHUNKBUF_OK);
        CHECK(view_bytes(sl) == h.bytes.substr(s, e - s));
        const chunkbuf_view* parts[2] = {sl, held.back().view};
        chunkbuf_view* cat = nullptr;
        CHECK(chunkbuf_view_concat(parts, 2, &cat) == CHUNKBUF_OK);
        CHECK(view_bytes(cat) == h.bytes.substr(s, e - s) + held.back().bytes);
        rc = chunkbuf_buffer_append_view(b, cat);
        if (rc == CHUNKBUF_OK) model += view_bytes(cat);
        else CHECK(rc == CHUNKBUF_ELIMIT);
        chunkbuf_view_release(sl);
        chunkbuf_view_release(cat);
        break;
      }
    }
    CHECK(buffer_bytes(b) == model);
    if (held.size() > 8) {
      chunkbuf_view_release(held.front().view);
      held.erase(held.begin());
    }
  }
  chunkbuf_buffer_free(b);  // views outlive the buffer
  for (Held& h : held) {
    CHECK(view_bytes(h.view) == h.bytes);
    chunkbuf_view_release(h.view);
  }
  return 0;
}
