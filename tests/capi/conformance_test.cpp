// Runs every tests/conformance/*.json vector through the C API, one test per
// file and backend, and prints each file's case count. The operations are a
// table (op name -> function); the format is in tests/conformance/README.md.
#include <gtest/gtest.h>

#include <chunkbuf.h>
#include <stdio.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "view_bytes.h"

using json = nlohmann::json;

namespace {

std::string conformance_dir() {
  const char* d = std::getenv("CHUNKBUF_CONFORMANCE_DIR");
  return d ? d : "tests/conformance";
}

std::string unhex(const std::string& h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  return out;
}

std::string hex(const std::string& s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// A byte-valued field given as `name` (text) or `name_hex`.
std::string bytes_field(const json& step, const std::string& name) {
  if (step.contains(name + "_hex")) return unhex(step[name + "_hex"].get<std::string>());
  return step.at(name).get<std::string>();
}

const std::map<std::string, int>& error_codes() {
  static const std::map<std::string, int> m = {
      {"inval", CHUNKBUF_EINVAL},       {"handle", CHUNKBUF_EHANDLE},   {"nomem", CHUNKBUF_ENOMEM},
      {"limit", CHUNKBUF_ELIMIT},       {"state", CHUNKBUF_ESTATE},     {"need_more", CHUNKBUF_ENEEDMORE},
      {"closed", CHUNKBUF_ECLOSED},     {"again", CHUNKBUF_EAGAIN},     {"timedout", CHUNKBUF_ETIMEDOUT},
      {"aborted", CHUNKBUF_EABORTED},   {"range", CHUNKBUF_ERANGE},     {"io", CHUNKBUF_EIO},
      {"notsup", CHUNKBUF_ENOTSUP},     {"version", CHUNKBUF_EVERSION}};
  return m;
}

chunkbuf_eol eol_of(const std::string& s) {
  static const std::map<std::string, chunkbuf_eol> m = {{"any", CHUNKBUF_EOL_ANY},
                                                        {"crlf", CHUNKBUF_EOL_CRLF},
                                                        {"crlf_strict", CHUNKBUF_EOL_CRLF_STRICT},
                                                        {"lf", CHUNKBUF_EOL_LF},
                                                        {"nul", CHUNKBUF_EOL_NUL}};
  return m.at(s);
}

int order_of(const json& s) { return s.value("order", "be") == "be" ? CHUNKBUF_BE : CHUNKBUF_LE; }

size_t size_field(const json& step, const char* name, size_t dflt) {
  if (!step.contains(name) || step[name].is_null()) return dflt;
  return step[name].get<size_t>();
}

json pos_json(size_t pos) { return pos == CHUNKBUF_NPOS ? json(-1) : json(pos); }

json records_json(const std::string& all, const chunkbuf_record* recs, size_t n) {
  json out = json::array();
  for (size_t i = 0; i < n; ++i) out.push_back(all.substr(recs[i].offset, recs[i].length));
  return out;
}

std::string buffer_bytes(const chunkbuf_buffer* b, size_t n) {
  std::string d(n, '\0');
  size_t copied = 0;
  chunkbuf_buffer_copy_out(b, 0, d.data(), n, &copied);
  return d.substr(0, copied);
}

// Everything one case works on: its buffer (and the options to make a new
// one), named views, and the stream, ring, framer and pool it asks for.
struct Ctx {
  bool linear = false;
  chunkbuf_pool* pool = nullptr;
  chunkbuf_buffer_options opts = CHUNKBUF_BUFFER_OPTIONS_INIT;
  chunkbuf_buffer* buf = nullptr;
  std::map<std::string, chunkbuf_view*> views;
  chunkbuf_stream* stream = nullptr;
  chunkbuf_ring* ring = nullptr;
  chunkbuf_framer* framer = nullptr;
  struct iovec reserved = {nullptr, 0};

  ~Ctx() {
    for (auto& [name, v] : views) chunkbuf_view_release(v);
    chunkbuf_buffer_free(buf);
    chunkbuf_stream_free(stream);
    chunkbuf_ring_free(ring);
    chunkbuf_framer_free(framer);
    chunkbuf_pool_free(pool);
  }

  chunkbuf_view* view(const json& s, const char* key = "view") { return views.at(s.at(key).get<std::string>()); }

  // Stores a new view under "as" (or releases it) and reports its bytes.
  void keep(const json& s, chunkbuf_view* v, json* result) {
    *result = view_bytes(v);
    if (!s.contains("as")) {
      chunkbuf_view_release(v);
      return;
    }
    auto it = views.find(s["as"]);
    if (it != views.end()) chunkbuf_view_release(it->second);
    views[s["as"]] = v;
  }
};

// Builds a framer from its description (see the README).
int make_framer(const json& f, chunkbuf_framer** out) {
  if (f.at("type") == "delimiter") {
    std::vector<std::string> delims;
    for (const auto& d : f.at("delimiters")) delims.push_back(d.get<std::string>());
    std::vector<struct iovec> iov;
    for (auto& d : delims) iov.push_back({d.data(), d.size()});
    chunkbuf_delimiter_framer_options o = CHUNKBUF_DELIMITER_FRAMER_OPTIONS_INIT;
    o.delimiters = iov.data();
    o.n_delimiters = iov.size();
    o.max_frame = size_field(f, "max_frame", 0);
    o.include_delimiter = f.value("include_delimiter", false) ? 1 : 0;
    return chunkbuf_framer_new_delimiter(&o, out);
  }
  chunkbuf_length_framer_options o = CHUNKBUF_LENGTH_FRAMER_OPTIONS_INIT;
  o.length_width = size_field(f, "length_width", 4);
  o.length_offset = size_field(f, "length_offset", 0);
  o.order = order_of(f);
  o.length_adjust = f.value("length_adjust", int64_t{0});
  o.strip = size_field(f, "strip", o.length_offset + o.length_width);  // absent: strip the header
  o.max_frame = size_field(f, "max_frame", 0);
  return chunkbuf_framer_new_length(&o, out);
}

// Takes frames until the framer needs more; returns the status that ended it.
int drain(chunkbuf_framer* f, chunkbuf_buffer* b, int final, json* frames) {
  for (;;) {
    chunkbuf_view* v = nullptr;
    int rc = chunkbuf_framer_next(f, b, final, &v);
    if (rc != CHUNKBUF_OK) return rc == CHUNKBUF_ENEEDMORE ? CHUNKBUF_OK : rc;
    frames->push_back(view_bytes(v));
    chunkbuf_view_release(v);
  }
}

// frame_all_cuts: the input cut at every point gives the same frames.
int all_cuts(Ctx& c, const json& s, json* result) {
  std::string input = bytes_field(s, "input");
  int final = s.value("final", true) ? 1 : 0;
  json first;
  int first_rc = 0;
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    chunkbuf_buffer* b = nullptr;
    if (chunkbuf_buffer_new(&c.opts, &b) != CHUNKBUF_OK) return CHUNKBUF_ENOMEM;
    json frames = json::array();
    int rc = chunkbuf_buffer_append(b, input.data(), cut);
    if (rc == CHUNKBUF_OK) rc = drain(c.framer, b, 0, &frames);
    if (rc == CHUNKBUF_OK) rc = chunkbuf_buffer_append(b, input.data() + cut, input.size() - cut);
    if (rc == CHUNKBUF_OK) rc = drain(c.framer, b, 0, &frames);
    if (rc == CHUNKBUF_OK && final) rc = drain(c.framer, b, 1, &frames);
    chunkbuf_buffer_free(b);
    if (cut == 0) {
      first = frames;
      first_rc = rc;
    } else {
      EXPECT_EQ(frames, first) << "cut at " << cut;
      EXPECT_EQ(rc, first_rc) << "cut at " << cut;
    }
  }
  *result = first;
  return first_rc;
}

int batch(const json& s, int rc, chunkbuf_view* v, std::vector<chunkbuf_record>& recs, size_t n, json* result) {
  if (rc != CHUNKBUF_OK) return rc;
  *result = records_json(v ? view_bytes(v) : "", recs.data(), n);
  chunkbuf_view_release(v);
  (void)s;
  return rc;
}

int peek_batch(const chunkbuf_buffer* b, int rc, std::vector<chunkbuf_record>& recs, size_t n, json* result) {
  if (rc != CHUNKBUF_OK) return rc;
  std::string all = n ? buffer_bytes(b, recs[n - 1].offset + recs[n - 1].length + recs[n - 1].delim_length) : "";
  *result = records_json(all, recs.data(), n);
  return rc;
}

int seek_whence(const std::string& w) { return w == "set" ? SEEK_SET : w == "cur" ? SEEK_CUR : SEEK_END; }

const char* kind_name(uint32_t k) {
  const char* name = "";
  chunkbuf_kind_name(k, &name);
  return name;
}

using FindFn = int (*)(const chunkbuf_buffer*, const void*, size_t, size_t, size_t, size_t*);
int buffer_find(FindFn fn, const chunkbuf_buffer* b, const json& s, json* r) {
  std::string needle = bytes_field(s, "needle");
  size_t pos = 0;
  int rc = fn(b, needle.data(), needle.size(), size_field(s, "start", 0), size_field(s, "end", CHUNKBUF_NPOS), &pos);
  *r = pos_json(pos);
  return rc;
}

template <typename Fn>
int ring_copy(Fn fn, chunkbuf_ring* ring, const json& s, json* r) {
  size_t n = s.at("n"), got = 0;
  std::string d(n, '\0');
  int rc = fn(ring, d.data(), n, &got);
  *r = d.substr(0, got);
  return rc;
}

int ring_size(int (*fn)(const chunkbuf_ring*, size_t*), chunkbuf_ring* ring, json* r) {
  size_t n = 0;
  int rc = fn(ring, &n);
  *r = n;
  return rc;
}

int stream_copy(const std::function<int(void*, size_t, size_t*)>& fn, const json& s, json* r) {
  size_t n = s.at("n"), got = 0;
  std::string d(n, '\0');
  int rc = fn(d.data(), n, &got);
  *r = d.substr(0, got);
  return rc;
}

using Op = std::function<int(Ctx&, const json&, json*)>;

// op name -> what it does; returns the C status, the result in *r.
const std::map<std::string, Op>& ops() {
  static const std::map<std::string, Op> table = {
      // ---- buffer, write side
      {"append",
       [](Ctx& c, const json& s, json*) {
         std::string d = bytes_field(s, "data");
         return chunkbuf_buffer_append(c.buf, d.data(), d.size());
       }},
      {"append_ref",
       [](Ctx& c, const json& s, json*) {
         auto* d = new std::string(bytes_field(s, "data"));
         return chunkbuf_buffer_append_ref(c.buf, d->data(), d->size(),
                                           [](void* p) { delete static_cast<std::string*>(p); }, d);
       }},
      {"append_view", [](Ctx& c, const json& s, json*) { return chunkbuf_buffer_append_view(c.buf, c.view(s)); }},
      {"reserve",
       [](Ctx& c, const json& s, json*) {
         size_t n_iov = 0;
         struct iovec iov = {nullptr, 0};
         int rc = chunkbuf_buffer_reserve(c.buf, s.at("n"), &iov, 1, &n_iov);
         if (rc == CHUNKBUF_OK) c.reserved = iov;
         return rc;
       }},
      {"commit",
       [](Ctx& c, const json& s, json*) {
         std::string d = bytes_field(s, "data");
         if (c.reserved.iov_base && d.size() <= c.reserved.iov_len) memcpy(c.reserved.iov_base, d.data(), d.size());
         int rc = chunkbuf_buffer_commit(c.buf, d.size());
         if (rc == CHUNKBUF_OK) c.reserved = {nullptr, 0};
         return rc;
       }},
      {"commit_count",
       [](Ctx& c, const json& s, json*) {
         int rc = chunkbuf_buffer_commit(c.buf, s.at("n"));
         if (rc == CHUNKBUF_OK) c.reserved = {nullptr, 0};
         return rc;
       }},
      {"free_buffer",
       [](Ctx& c, const json&, json*) {
         chunkbuf_buffer_free(c.buf);
         c.buf = nullptr;
         return CHUNKBUF_OK;
       }},
      {"new_buffer", [](Ctx& c, const json&, json*) { return chunkbuf_buffer_new(&c.opts, &c.buf); }},
      // ---- buffer, inspect
      {"len",
       [](Ctx& c, const json&, json* r) {
         size_t n = 0;
         int rc = chunkbuf_buffer_len(c.buf, &n);
         *r = n;
         return rc;
       }},
      {"contents",
       [](Ctx& c, const json&, json* r) {
         size_t n = 0;
         int rc = chunkbuf_buffer_len(c.buf, &n);
         *r = buffer_bytes(c.buf, n);
         return rc;
       }},
      {"find", [](Ctx& c, const json& s, json* r) { return buffer_find(chunkbuf_buffer_find, c.buf, s, r); }},
      {"rfind", [](Ctx& c, const json& s, json* r) { return buffer_find(chunkbuf_buffer_rfind, c.buf, s, r); }},
      {"equals",
       [](Ctx& c, const json& s, json* r) {
         std::string d = bytes_field(s, "data");
         int eq = 0;
         int rc = chunkbuf_buffer_equals(c.buf, d.data(), d.size(), &eq);
         *r = eq != 0;
         return rc;
       }},
      {"copy_out",
       [](Ctx& c, const json& s, json* r) {
         size_t n = s.at("n"), copied = 0;
         std::string d(n, '\0');
         int rc = chunkbuf_buffer_copy_out(c.buf, s.at("offset"), d.data(), n, &copied);
         *r = d.substr(0, copied);
         return rc;
       }},
      {"peek_u8",
       [](Ctx& c, const json& s, json* r) {
         uint8_t v = 0;
         int rc = chunkbuf_buffer_peek_u8(c.buf, s.at("offset"), &v);
         *r = v;
         return rc;
       }},
      {"peek_u16",
       [](Ctx& c, const json& s, json* r) {
         uint16_t v = 0;
         int rc = chunkbuf_buffer_peek_u16(c.buf, s.at("offset"), order_of(s), &v);
         *r = v;
         return rc;
       }},
      {"peek_u32",
       [](Ctx& c, const json& s, json* r) {
         uint32_t v = 0;
         int rc = chunkbuf_buffer_peek_u32(c.buf, s.at("offset"), order_of(s), &v);
         *r = v;
         return rc;
       }},
      {"peek_u64",
       [](Ctx& c, const json& s, json* r) {
         uint64_t v = 0;
         int rc = chunkbuf_buffer_peek_u64(c.buf, s.at("offset"), order_of(s), &v);
         *r = v;
         return rc;
       }},
      {"coalesce",
       [](Ctx& c, const json& s, json* r) {
         const void* p = nullptr;
         size_t n = s.at("n");
         int rc = chunkbuf_buffer_coalesce(c.buf, n, &p);
         if (rc == CHUNKBUF_OK) *r = std::string(static_cast<const char*>(p), n);
         return rc;
       }},
      {"peek_lines",
       [](Ctx& c, const json& s, json* r) {
         std::vector<chunkbuf_record> recs(s.at("max_records").get<size_t>());
         size_t n = 0;
         int rc = chunkbuf_buffer_peek_lines(c.buf, eol_of(s.at("eol")), size_field(s, "max_len", 0), recs.data(),
                                             recs.size(), &n);
         return peek_batch(c.buf, rc, recs, n, r);
       }},
      {"peek_records",
       [](Ctx& c, const json& s, json* r) {
         std::vector<chunkbuf_record> recs(s.at("max_records").get<size_t>());
         std::string d = bytes_field(s, "delim");
         size_t n = 0;
         int rc = chunkbuf_buffer_peek_records(c.buf, d.data(), d.size(), size_field(s, "max_len", 0), recs.data(),
                                               recs.size(), &n);
         return peek_batch(c.buf, rc, recs, n, r);
       }},
      // ---- buffer, consume
      {"advance", [](Ctx& c, const json& s, json*) { return chunkbuf_buffer_advance(c.buf, s.at("n")); }},
      {"read_uint",
       [](Ctx& c, const json& s, json* r) {
         uint64_t v = 0;
         int rc = chunkbuf_buffer_read_uint(c.buf, s.at("width"), order_of(s), &v);
         *r = v;
         return rc;
       }},
      {"read_exact",
       [](Ctx& c, const json& s, json* r) {
         std::string d(s.at("n").get<size_t>(), '\0');
         int rc = chunkbuf_buffer_read_exact(c.buf, d.data(), d.size());
         *r = d;
         return rc;
       }},
      {"peek_exact",
       [](Ctx& c, const json& s, json* r) {
         std::string d(s.at("n").get<size_t>(), '\0');
         int rc = chunkbuf_buffer_peek_exact(c.buf, d.data(), d.size());
         *r = d;
         return rc;
       }},
      {"read",
       [](Ctx& c, const json& s, json* r) {
         size_t n = s.at("n"), got = 0;
         std::string d(n, '\0');
         int rc = chunkbuf_buffer_read(c.buf, d.data(), n, &got);
         *r = d.substr(0, got);
         return rc;
       }},
      {"split_to",
       [](Ctx& c, const json& s, json* r) {
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_buffer_split_to(c.buf, s.at("n"), &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"take_until",
       [](Ctx& c, const json& s, json* r) {
         std::string d = bytes_field(s, "delim");
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_buffer_take_until(c.buf, d.data(), d.size(), s.at("include").get<bool>() ? 1 : 0,
                                             size_field(s, "max_len", 0), &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"take_line",
       [](Ctx& c, const json& s, json* r) {
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_buffer_take_line(c.buf, eol_of(s.at("eol")), size_field(s, "max_len", 0), &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"take_lines",
       [](Ctx& c, const json& s, json* r) {
         std::vector<chunkbuf_record> recs(s.at("max_records").get<size_t>());
         size_t n = 0;
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_buffer_take_lines(c.buf, eol_of(s.at("eol")), size_field(s, "max_len", 0), recs.data(),
                                             recs.size(), &n, &v);
         return batch(s, rc, v, recs, n, r);
       }},
      {"take_records",
       [](Ctx& c, const json& s, json* r) {
         std::vector<chunkbuf_record> recs(s.at("max_records").get<size_t>());
         std::string d = bytes_field(s, "delim");
         size_t n = 0;
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_buffer_take_records(c.buf, d.data(), d.size(), size_field(s, "max_len", 0), recs.data(),
                                               recs.size(), &n, &v);
         return batch(s, rc, v, recs, n, r);
       }},
      {"capacity",
       [](Ctx& c, const json&, json* r) {
         size_t n = 0;
         int rc = chunkbuf_buffer_capacity(c.buf, &n);
         *r = n;
         return rc;
       }},
      {"ensure_capacity", [](Ctx& c, const json& s, json*) { return chunkbuf_buffer_ensure_capacity(c.buf, s.at("n")); }},
      {"freeze",
       [](Ctx& c, const json& s, json* r) {
         uint32_t k = 0;
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_kind_lookup(s.at("kind").get<std::string>().c_str(), &k);
         if (rc == CHUNKBUF_OK) rc = chunkbuf_buffer_freeze(c.buf, k, &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      // ---- views
      {"view_from_bytes_kind",
       [](Ctx& c, const json& s, json* r) {
         std::string d = bytes_field(s, "data");
         uint32_t k = 0;
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_kind_lookup(s.at("kind").get<std::string>().c_str(), &k);
         if (rc == CHUNKBUF_OK)
           rc = chunkbuf_view_from_bytes_kind(s.value("pool", false) ? c.pool : nullptr, d.data(), d.size(), k, &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"view_with_tenant",
       [](Ctx& c, const json& s, json* r) {
         uint32_t t = 0;
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_tenant_register(s.at("tenant").get<std::string>().c_str(), &t);
         if (rc == CHUNKBUF_OK) rc = chunkbuf_view_with_tenant(c.view(s), t, &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"view_tenant_name",
       [](Ctx& c, const json& s, json* r) {
         uint32_t t = 0;
         const char* name = nullptr;
         int rc = chunkbuf_view_tenant(c.view(s), &t);
         *r = rc == CHUNKBUF_OK && chunkbuf_tenant_name(t, &name) == CHUNKBUF_OK ? name : "";
         return rc;
       }},
      {"view_from_bytes",
       [](Ctx& c, const json& s, json* r) {
         std::string d = bytes_field(s, "data");
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_view_from_bytes(s.value("pool", false) ? c.pool : nullptr, d.data(), d.size(), &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"view_bytes",
       [](Ctx& c, const json& s, json* r) {
         *r = view_bytes(c.view(s));
         return CHUNKBUF_OK;
       }},
      {"view_len",
       [](Ctx& c, const json& s, json* r) {
         size_t n = 0;
         int rc = chunkbuf_view_len(c.view(s), &n);
         *r = n;
         return rc;
       }},
      {"view_slice",
       [](Ctx& c, const json& s, json* r) {
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_view_slice(c.view(s), s.at("start"), size_field(s, "end", CHUNKBUF_NPOS), &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"view_find",
       [](Ctx& c, const json& s, json* r) {
         std::string needle = bytes_field(s, "needle");
         size_t pos = 0;
         int rc = chunkbuf_view_find(c.view(s), needle.data(), needle.size(), size_field(s, "start", 0),
                                     size_field(s, "end", CHUNKBUF_NPOS), &pos);
         *r = pos_json(pos);
         return rc;
       }},
      {"view_equals",
       [](Ctx& c, const json& s, json* r) {
         std::string d = bytes_field(s, "data");
         int eq = 0;
         int rc = chunkbuf_view_equals(c.view(s), d.data(), d.size(), &eq);
         *r = eq != 0;
         return rc;
       }},
      {"view_equals_view",
       [](Ctx& c, const json& s, json* r) {
         int eq = 0;
         int rc = chunkbuf_view_equals_view(c.view(s), c.view(s, "other"), &eq);
         *r = eq != 0;
         return rc;
       }},
      {"view_copy_out",
       [](Ctx& c, const json& s, json* r) {
         size_t n = s.at("n"), copied = 0;
         std::string d(n, '\0');
         int rc = chunkbuf_view_copy_out(c.view(s), s.at("offset"), d.data(), n, &copied);
         *r = d.substr(0, copied);
         return rc;
       }},
      {"view_concat",
       [](Ctx& c, const json& s, json* r) {
         std::vector<const chunkbuf_view*> parts;
         for (const auto& name : s.at("views")) parts.push_back(c.views.at(name));
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_view_concat(parts.data(), parts.size(), &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"view_contiguous",
       [](Ctx& c, const json& s, json* r) {
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_view_contiguous(c.view(s), &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"view_segment_count",
       [](Ctx& c, const json& s, json* r) {
         size_t n = 0;
         int rc = chunkbuf_view_segment_count(c.view(s), &n);
         *r = n;
         return rc;
       }},
      {"view_retag",
       [](Ctx& c, const json& s, json* r) {
         uint32_t kind = 0;
         int rc = CHUNKBUF_OK;
         if (s.contains("kind_id")) {
           kind = s["kind_id"];
         } else {
           rc = chunkbuf_kind_register(s.at("kind").get<std::string>().c_str(), &kind);
         }
         chunkbuf_view* v = nullptr;
         if (rc == CHUNKBUF_OK) rc = chunkbuf_view_retag(c.view(s), kind, &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"view_kind",
       [](Ctx& c, const json& s, json* r) {
         uint32_t k = 0;
         int rc = chunkbuf_view_kind(c.view(s), &k);
         *r = kind_name(k);
         return rc;
       }},
      {"view_tenant",
       [](Ctx& c, const json& s, json* r) {
         uint32_t t = 0;
         int rc = chunkbuf_view_tenant(c.view(s), &t);
         *r = t;
         return rc;
       }},
      {"view_clone",
       [](Ctx& c, const json& s, json* r) {
         chunkbuf_view* v = c.view(s);
         int rc = chunkbuf_view_retain(v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"view_sharers",
       [](Ctx& c, const json& s, json* r) {
         size_t n = 0;
         int rc = chunkbuf_view_sharers(c.view(s), &n);
         *r = n;
         return rc;
       }},
      {"view_sha256",
       [](Ctx& c, const json& s, json* r) {
         uint8_t d[32];
         int rc = chunkbuf_view_sha256(c.view(s), d);
         *r = std::string(reinterpret_cast<char*>(d), 32);
         return rc;
       }},
      {"view_release",
       [](Ctx& c, const json& s, json*) {
         chunkbuf_view_release(c.view(s));
         c.views.erase(s.at("view").get<std::string>());
         return CHUNKBUF_OK;
       }},
      // ---- framers
      {"framer_new",
       [](Ctx&, const json& s, json*) {
         chunkbuf_framer* f = nullptr;
         int rc = make_framer(s.at("framer"), &f);
         chunkbuf_framer_free(f);
         return rc;
       }},
      {"frame_all_cuts", all_cuts},
      {"frame_next",
       [](Ctx& c, const json& s, json* r) {
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_framer_next(c.framer, c.buf, s.value("final", false) ? 1 : 0, &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"frame_batch",
       [](Ctx& c, const json& s, json* r) {
         std::vector<chunkbuf_record> recs(s.at("max_records").get<size_t>());
         size_t n = 0;
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_framer_next_batch(c.framer, c.buf, s.value("final", false) ? 1 : 0, recs.data(),
                                             recs.size(), &n, &v);
         return batch(s, rc, v, recs, n, r);
       }},
      {"frame_encode",
       [](Ctx& c, const json& s, json*) {
         std::string d = bytes_field(s, "data");
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_view_from_bytes(nullptr, d.data(), d.size(), &v);
         if (rc == CHUNKBUF_OK) rc = chunkbuf_framer_encode(c.framer, c.buf, v);
         chunkbuf_view_release(v);
         return rc;
       }},
      // ---- ring
      {"ring_new",
       [](Ctx&, const json& s, json*) {
         chunkbuf_ring* ring = nullptr;
         int rc = chunkbuf_ring_new(s.at("capacity"), &ring);
         chunkbuf_ring_free(ring);
         return rc;
       }},
      {"ring_write",
       [](Ctx& c, const json& s, json* r) {
         std::string d = bytes_field(s, "data");
         size_t n = 0;
         int rc = chunkbuf_ring_write(c.ring, d.data(), d.size(), &n);
         *r = n;
         return rc;
       }},
      {"ring_read", [](Ctx& c, const json& s, json* r) { return ring_copy(chunkbuf_ring_read, c.ring, s, r); }},
      {"ring_peek", [](Ctx& c, const json& s, json* r) { return ring_copy(chunkbuf_ring_peek, c.ring, s, r); }},
      {"ring_available",
       [](Ctx& c, const json&, json* r) { return ring_size(chunkbuf_ring_readable_amount, c.ring, r); }},
      {"ring_remaining",
       [](Ctx& c, const json&, json* r) { return ring_size(chunkbuf_ring_writable_amount, c.ring, r); }},
      {"ring_capacity", [](Ctx& c, const json&, json* r) { return ring_size(chunkbuf_ring_capacity, c.ring, r); }},
      // ---- pool
      {"pool_stats",
       [](Ctx& c, const json& s, json* r) {
         chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
         int rc = chunkbuf_pool_stats_get(c.pool, &st);
         json all = {{"acquisitions", st.acquisitions},
                     {"releases", st.releases},
                     {"direct_allocations", st.direct_allocations},
                     {"bytes_in_use", st.bytes_in_use},
                     {"peak_bytes_in_use", st.peak_bytes_in_use},
                     {"bytes_cached", st.bytes_cached},
                     {"external_blocks", st.external_blocks},
                     {"hits", std::vector<uint64_t>(st.hits, st.hits + CHUNKBUF_POOL_CLASSES)},
                     {"misses", std::vector<uint64_t>(st.misses, st.misses + CHUNKBUF_POOL_CLASSES)},
                     {"cached_blocks",
                      std::vector<uint64_t>(st.cached_blocks, st.cached_blocks + CHUNKBUF_POOL_CLASSES)}};
         // the vector names the counters it checks
         *r = json::object();
         for (const auto& [k, v] : s.at("expect").items()) (*r)[k] = all.at(k);
         return rc;
       }},
      {"pool_trim", [](Ctx& c, const json&, json*) { return chunkbuf_pool_trim(c.pool); }},
      {"pool_tenant_usage",
       [](Ctx& c, const json& s, json* r) {
         size_t n = 0;
         int rc = chunkbuf_pool_tenant_usage(c.pool, s.at("tenant"), &n);
         *r = n;
         return rc;
       }},
      {"pool_get",
       [](Ctx& c, const json& s, json*) {
         chunkbuf_buffer* b = nullptr;
         int rc = chunkbuf_pool_get(c.pool, s.at("size"), &b);
         if (rc == CHUNKBUF_OK) {
           chunkbuf_buffer_free(c.buf);
           c.buf = b;
         }
         return rc;
       }},
      {"pool_prewarm",
       [](Ctx& c, const json& s, json*) { return chunkbuf_pool_prewarm(c.pool, s.at("size"), s.at("count")); }},
      {"optimal_buffer_size",
       [](Ctx&, const json& s, json* r) {
         size_t n = 0;
         int rc = chunkbuf_optimal_buffer_size(s.at("total"), s.at("min"), s.at("max"), &n);
         *r = n;
         return rc;
       }},
      // ---- stream (no call in a vector ever waits)
      {"stream_write",
       [](Ctx& c, const json& s, json*) {
         std::string d = bytes_field(s, "data");
         return chunkbuf_stream_write(c.stream, d.data(), d.size(), 0);
       }},
      {"stream_write_eof", [](Ctx& c, const json&, json*) { return chunkbuf_stream_close(c.stream); }},
      {"stream_abort", [](Ctx& c, const json& s, json*) { return chunkbuf_stream_abort(c.stream, s.at("code")); }},
      {"stream_read",
       [](Ctx& c, const json& s, json* r) {
         return stream_copy([&](void* d, size_t n, size_t* got) { return chunkbuf_stream_read(c.stream, d, n, 0, got); },
                            s, r);
       }},
      {"stream_read1",
       [](Ctx& c, const json& s, json* r) {
         return stream_copy(
             [&](void* d, size_t n, size_t* got) { return chunkbuf_stream_read1(c.stream, d, n, 0, got); }, s, r);
       }},
      {"stream_read_nonblock",
       [](Ctx& c, const json& s, json* r) {
         return stream_copy(
             [&](void* d, size_t n, size_t* got) { return chunkbuf_stream_read_nonblock(c.stream, d, n, got); }, s, r);
       }},
      {"stream_readline",
       [](Ctx& c, const json& s, json* r) {
         chunkbuf_view* v = nullptr;
         int rc = chunkbuf_stream_readline(c.stream, size_field(s, "max", 0), 0, &v);
         if (rc == CHUNKBUF_OK) c.keep(s, v, r);
         return rc;
       }},
      {"stream_readable_amount",
       [](Ctx& c, const json&, json* r) {
         size_t n = 0;
         int rc = chunkbuf_stream_readable_amount(c.stream, &n);
         *r = n;
         return rc;
       }},
      {"stream_at_eof",
       [](Ctx& c, const json&, json* r) {
         int eof = 0;
         int rc = chunkbuf_stream_at_eof(c.stream, &eof);
         *r = eof != 0;
         return rc;
       }},
      {"stream_find",
       [](Ctx& c, const json& s, json* r) {
         std::string needle = bytes_field(s, "needle");
         size_t pos = 0;
         int rc = chunkbuf_stream_find(c.stream, needle.data(), needle.size(), size_field(s, "start", 0),
                                       size_field(s, "end", CHUNKBUF_NPOS), &pos);
         *r = pos_json(pos);
         return rc;
       }},
      {"stream_seek",
       [](Ctx& c, const json& s, json* r) {
         uint64_t pos = 0;
         int rc = chunkbuf_stream_seek(c.stream, s.at("offset").get<int64_t>(), seek_whence(s.at("whence")), &pos);
         *r = pos;
         return rc;
       }},
      {"stream_tell",
       [](Ctx& c, const json&, json* r) {
         uint64_t pos = 0;
         int rc = chunkbuf_stream_tell(c.stream, &pos);
         *r = pos;
         return rc;
       }},
      // ---- errors
      {"raise_code", [](Ctx&, const json& s, json*) { return s.at("code").get<int>(); }},
  };
  return table;
}




json expected_value(const json& s) {
  if (s.contains("expect_hex")) return unhex(s["expect_hex"].get<std::string>());
  return s["expect"];
}

// Sets up what the case asks for; false (with a failure) when it cannot.
bool set_up(Ctx& c, const json& cs) {
  if (cs.contains("pool")) {
    chunkbuf_pool_options po = CHUNKBUF_POOL_OPTIONS_INIT;
    po.max_cached_bytes_per_class = size_field(cs["pool"], "max_cached_bytes_per_class", 0);
    if (chunkbuf_pool_new(&po, &c.pool) != CHUNKBUF_OK) return false;
    if (cs["pool"].contains("tenant_quota")) {
      const json& q = cs["pool"]["tenant_quota"];
      if (chunkbuf_pool_set_tenant_quota(c.pool, q[0], q[1]) != CHUNKBUF_OK) return false;
    }
  }
  c.opts.pool = c.pool;
  c.opts.linear = c.linear ? 1 : 0;
  if (cs.contains("buffer")) {
    c.opts.max_bytes = size_field(cs["buffer"], "max_bytes", 0);
    c.opts.min_chunk = size_field(cs["buffer"], "min_chunk", 0);
    const json& tenant = cs["buffer"].value("tenant", json(0));
    if (tenant.is_string()) {  // a tenant name
      if (chunkbuf_tenant_register(tenant.get<std::string>().c_str(), &c.opts.tenant) != CHUNKBUF_OK) return false;
    } else {
      c.opts.tenant = tenant.get<uint32_t>();
    }
  }
  if (chunkbuf_buffer_new(&c.opts, &c.buf) != CHUNKBUF_OK) return false;
  if (cs.contains("stream")) {
    const json& so = cs["stream"];
    chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
    o.pool = c.pool;
    o.content_length = so.contains("content_length") ? so["content_length"].get<uint64_t>() : CHUNKBUF_UNKNOWN_LENGTH;
    o.retain = so.value("retain", false) ? 1 : 0;
    o.max_bytes = size_field(so, "max_bytes", 0);
    if (chunkbuf_stream_new(&o, &c.stream) != CHUNKBUF_OK) return false;
  }
  if (cs.contains("ring") && chunkbuf_ring_new(cs["ring"].at("capacity"), &c.ring) != CHUNKBUF_OK) return false;
  if (cs.contains("framer") && make_framer(cs["framer"], &c.framer) != CHUNKBUF_OK) return false;
  return true;
}

// Runs one case; returns the number of failed steps.
int run_case(const std::string& file, const json& cs, bool linear) {
  SCOPED_TRACE(file + ": " + cs.at("name").get<std::string>());
  Ctx c;
  c.linear = linear;
  if (!set_up(c, cs)) {
    ADD_FAILURE() << "cannot set up the case: " << chunkbuf_last_error();
    return 1;
  }
  size_t i = 0;
  for (const json& s : cs.at("steps")) {
    SCOPED_TRACE("step " + std::to_string(i++) + " " + s.dump());
    auto op = ops().find(s.at("op").get<std::string>());
    if (op == ops().end()) {
      ADD_FAILURE() << "the C++ runner has no operation " << s.at("op");
      return 1;
    }
    json result;
    int rc = op->second(c, s, &result);
    if (s.contains("expect_error")) {
      const json& want = s["expect_error"];
      if (!error_codes().count(want)) {
        ADD_FAILURE() << "unknown error class " << want;
        return 1;
      }
      if (rc != error_codes().at(want)) {
        ADD_FAILURE() << "want error " << want << ", got " << chunkbuf_strerror(rc) << " result " << result.dump();
        return 1;
      }
      if (s.contains("expect") && result != s["expect"]) {  // what came before the error
        ADD_FAILURE() << "got " << result.dump();
        return 1;
      }
    } else if (rc != CHUNKBUF_OK) {
      ADD_FAILURE() << chunkbuf_strerror(rc) << ": " << chunkbuf_last_error();
      return 1;
    } else if ((s.contains("expect") || s.contains("expect_hex")) && result != expected_value(s)) {
      ADD_FAILURE() << "got " << result.dump() << (result.is_string() ? " hex " + hex(result) : "");
      return 1;
    }
  }
  return 0;
}

struct FileParam {
  std::string path;
  bool linear;
};

void PrintTo(const FileParam& p, std::ostream* os) { *os << p.path << (p.linear ? " (linear)" : " (segmented)"); }

std::vector<FileParam> vector_files() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(conformance_dir()))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<FileParam> out;
  for (const auto& f : files)
    for (bool linear : {false, true}) out.push_back({f, linear});
  return out;
}

}  // namespace

class Conformance : public ::testing::TestWithParam<FileParam> {};

// Every file runs against both backends: segmented and linear.
TEST_P(Conformance, File) {
  const FileParam& p = GetParam();
  json doc = json::parse(std::ifstream(p.path));
  std::string file = std::filesystem::path(p.path).filename().string();
  if (doc.contains("codes")) {  // the status code table: each code's class name
    for (const json& row : doc["codes"]) EXPECT_EQ(error_codes().at(row.at("class")), row.at("code").get<int>());
  }
  size_t cases = 0, failed = 0;
  for (const json& cs : doc.at("cases")) {
    ++cases;
    if (run_case(file, cs, p.linear)) ++failed;
  }
  std::cout << "conformance " << file << " (" << (p.linear ? "linear" : "segmented") << "): " << cases - failed
            << " passed, " << failed << " failed\n";
  EXPECT_GT(cases, 0u);
}

TEST(ConformanceFiles, EnoughVectors) {
  size_t cases = 0;
  for (const auto& p : vector_files())
    if (!p.linear) cases += json::parse(std::ifstream(p.path)).at("cases").size();
  EXPECT_GE(cases, 300u);
}

INSTANTIATE_TEST_SUITE_P(Vectors, Conformance, ::testing::ValuesIn(vector_files()), [](const auto& info) {
  std::string name = std::filesystem::path(info.param.path).stem().string() + (info.param.linear ? "_linear" : "_segmented");
  for (char& ch : name)
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
});
