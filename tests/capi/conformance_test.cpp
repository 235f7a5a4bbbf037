// Runs every tests/conformance/*.json vector through the C API.
#include <gtest/gtest.h>

#include <chunkbuf.h>

#include <filesystem>
#include <fstream>
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

// A byte-valued field given as `name` (text) or `name_hex`.
std::string bytes_field(const json& step, const std::string& name) {
  if (step.contains(name + "_hex")) return unhex(step[name + "_hex"].get<std::string>());
  return step.at(name).get<std::string>();
}

const std::map<std::string, int>& error_codes() {
  static const std::map<std::string, int> m = {{"inval", CHUNKBUF_EINVAL},       {"limit", CHUNKBUF_ELIMIT},
                                               {"state", CHUNKBUF_ESTATE},       {"need_more", CHUNKBUF_ENEEDMORE},
                                               {"range", CHUNKBUF_ERANGE}};
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

size_t size_field(const json& step, const char* name, size_t dflt) {
  if (!step.contains(name) || step[name].is_null()) return dflt;
  return step[name].get<size_t>();
}

json pos_json(size_t pos) { return pos == CHUNKBUF_NPOS ? json(-1) : json(pos); }

json records_json(const chunkbuf_view* v, const chunkbuf_record* recs, size_t n) {
  json out = json::array();
  if (n == 0) return out;
  std::string all = view_bytes(v);
  for (size_t i = 0; i < n; ++i) out.push_back(all.substr(recs[i].offset, recs[i].length));
  return out;
}

class CaseRunner {
 public:
  CaseRunner(const json& c, bool linear) {
    chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
    o.linear = linear ? 1 : 0;
    if (c.contains("buffer")) {
      o.max_bytes = size_field(c["buffer"], "max_bytes", 0);
      o.min_chunk = size_field(c["buffer"], "min_chunk", 0);
    }
    EXPECT_EQ(chunkbuf_buffer_new(&o, &buf_), CHUNKBUF_OK);
  }
  ~CaseRunner() {
    for (auto& [name, v] : views_) chunkbuf_view_release(v);
    chunkbuf_buffer_free(buf_);
  }

  // Runs one step; returns the status and, on success, the result to compare.
  int run(const json& s, json* result) {
    const std::string op = s.at("op");
    int rc = CHUNKBUF_OK;
    if (op == "append") {
      std::string d = bytes_field(s, "data");
      rc = chunkbuf_buffer_append(buf_, d.data(), d.size());
    } else if (op == "append_ref") {
      auto* d = new std::string(bytes_field(s, "data"));
      rc = chunkbuf_buffer_append_ref(buf_, d->data(), d->size(), [](void* p) { delete static_cast<std::string*>(p); },
                                      d);
    } else if (op == "append_view") {
      rc = chunkbuf_buffer_append_view(buf_, views_.at(s.at("view")));
    } else if (op == "len") {
      size_t n = 0;
      rc = chunkbuf_buffer_len(buf_, &n);
      *result = n;
    } else if (op == "contents") {
      size_t n = 0, copied = 0;
      chunkbuf_buffer_len(buf_, &n);
      std::string d(n, '\0');
      rc = chunkbuf_buffer_copy_out(buf_, 0, d.data(), n, &copied);
      *result = d;
    } else if (op == "find" || op == "rfind") {
      std::string needle = bytes_field(s, "needle");
      size_t pos = 0;
      auto fn = op == "find" ? chunkbuf_buffer_find : chunkbuf_buffer_rfind;
      rc = fn(buf_, needle.data(), needle.size(), size_field(s, "start", 0), size_field(s, "end", CHUNKBUF_NPOS),
              &pos);
      *result = pos_json(pos);
    } else if (op == "equals") {
      std::string d = bytes_field(s, "data");
      int eq = 0;
      rc = chunkbuf_buffer_equals(buf_, d.data(), d.size(), &eq);
      *result = eq != 0;
    } else if (op == "copy_out") {
      size_t n = s.at("n"), copied = 0;
      std::string d(n, '\0');
      rc = chunkbuf_buffer_copy_out(buf_, s.at("offset"), d.data(), n, &copied);
      *result = d.substr(0, copied);
    } else if (op.rfind("peek_u", 0) == 0) {
      rc = peek(s, op, result);
    } else if (op == "coalesce") {
      const void* p = nullptr;
      size_t n = s.at("n");
      rc = chunkbuf_buffer_coalesce(buf_, n, &p);
      if (rc == CHUNKBUF_OK) *result = std::string(static_cast<const char*>(p), n);
    } else if (op == "advance") {
      rc = chunkbuf_buffer_advance(buf_, s.at("n"));
    } else if (op == "read") {
      size_t n = s.at("n"), got = 0;
      std::string d(n, '\0');
      rc = chunkbuf_buffer_read(buf_, d.data(), n, &got);
      *result = d.substr(0, got);
    } else if (op == "split_to") {
      chunkbuf_view* v = nullptr;
      rc = chunkbuf_buffer_split_to(buf_, s.at("n"), &v);
      if (rc == CHUNKBUF_OK) keep(s, v, result);
    } else if (op == "take_until") {
      std::string d = bytes_field(s, "delim");
      chunkbuf_view* v = nullptr;
      rc = chunkbuf_buffer_take_until(buf_, d.data(), d.size(), s.at("include").get<bool>() ? 1 : 0,
                                      size_field(s, "max_len", 0), &v);
      if (rc == CHUNKBUF_OK) keep(s, v, result);
    } else if (op == "take_line") {
      chunkbuf_view* v = nullptr;
      rc = chunkbuf_buffer_take_line(buf_, eol_of(s.at("eol")), size_field(s, "max_len", 0), &v);
      if (rc == CHUNKBUF_OK) keep(s, v, result);
    } else if (op == "take_lines" || op == "take_records") {
      size_t max = s.at("max_records");
      std::vector<chunkbuf_record> recs(max);
      size_t n = 0;
      chunkbuf_view* v = nullptr;
      if (op == "take_lines") {
        rc = chunkbuf_buffer_take_lines(buf_, eol_of(s.at("eol")), size_field(s, "max_len", 0), recs.data(), max, &n,
                                        &v);
      } else {
        std::string d = bytes_field(s, "delim");
        rc = chunkbuf_buffer_take_records(buf_, d.data(), d.size(), size_field(s, "max_len", 0), recs.data(), max,
                                          &n, &v);
      }
      if (rc == CHUNKBUF_OK) {
        *result = records_json(v, recs.data(), n);
        chunkbuf_view_release(v);
      }
    } else if (op.rfind("view_", 0) == 0) {
      rc = view_op(s, op, result);
    } else {
      ADD_FAILURE() << "unknown op " << op;
    }
    return rc;
  }

 private:
  int peek(const json& s, const std::string& op, json* result) {
    size_t off = s.at("offset");
    int order = s.value("order", "be") == "be" ? CHUNKBUF_BE : CHUNKBUF_LE;
    int rc;
    if (op == "peek_u8") {
      uint8_t v = 0;
      rc = chunkbuf_buffer_peek_u8(buf_, off, &v);
      *result = v;
    } else if (op == "peek_u16") {
      uint16_t v = 0;
      rc = chunkbuf_buffer_peek_u16(buf_, off, order, &v);
      *result = v;
    } else if (op == "peek_u32") {
      uint32_t v = 0;
      rc = chunkbuf_buffer_peek_u32(buf_, off, order, &v);
      *result = v;
    } else {
      uint64_t v = 0;
      rc = chunkbuf_buffer_peek_u64(buf_, off, order, &v);
      *result = v;
    }
    return rc;
  }

  int view_op(const json& s, const std::string& op, json* result) {
    int rc = CHUNKBUF_OK;
    if (op == "view_concat") {
      std::vector<const chunkbuf_view*> parts;
      for (const auto& name : s.at("views")) parts.push_back(views_.at(name));
      chunkbuf_view* v = nullptr;
      rc = chunkbuf_view_concat(parts.data(), parts.size(), &v);
      if (rc == CHUNKBUF_OK) keep(s, v, result);
      return rc;
    }
    chunkbuf_view* v = views_.at(s.at("view"));
    if (op == "view_bytes") {
      *result = view_bytes(v);
    } else if (op == "view_len") {
      size_t n = 0;
      rc = chunkbuf_view_len(v, &n);
      *result = n;
    } else if (op == "view_slice") {
      chunkbuf_view* sl = nullptr;
      rc = chunkbuf_view_slice(v, s.at("start"), size_field(s, "end", CHUNKBUF_NPOS), &sl);
      if (rc == CHUNKBUF_OK) keep(s, sl, result);
    } else if (op == "view_find") {
      std::string needle = bytes_field(s, "needle");
      size_t pos = 0;
      rc = chunkbuf_view_find(v, needle.data(), needle.size(), size_field(s, "start", 0),
                              size_field(s, "end", CHUNKBUF_NPOS), &pos);
      *result = pos_json(pos);
    } else if (op == "view_equals") {
      std::string d = bytes_field(s, "data");
      int eq = 0;
      rc = chunkbuf_view_equals(v, d.data(), d.size(), &eq);
      *result = eq != 0;
    } else if (op == "view_release") {
      chunkbuf_view_release(v);
      views_.erase(s.at("view").get<std::string>());
    } else {
      ADD_FAILURE() << "unknown op " << op;
    }
    return rc;
  }

  // Stores a new view under "as" (or releases it) and reports its bytes.
  void keep(const json& s, chunkbuf_view* v, json* result) {
    *result = view_bytes(v);
    if (s.contains("as")) {
      auto it = views_.find(s["as"]);
      if (it != views_.end()) chunkbuf_view_release(it->second);
      views_[s["as"]] = v;
    } else {
      chunkbuf_view_release(v);
    }
  }

  chunkbuf_buffer* buf_ = nullptr;
  std::map<std::string, chunkbuf_view*> views_;
};

json expected_value(const json& s) {
  if (s.contains("expect_hex")) return unhex(s["expect_hex"].get<std::string>());
  return s["expect"];
}

}  // namespace

class Conformance : public ::testing::TestWithParam<bool> {};

// Every vector runs against both backends: segmented and linear.
TEST_P(Conformance, AllVectors) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(conformance_dir()))
    if (e.path().extension() == ".json") files.push_back(e.path());
  ASSERT_FALSE(files.empty()) << "no vectors in " << conformance_dir();
  size_t steps = 0;
  for (const auto& f : files) {
    json doc = json::parse(std::ifstream(f));
    for (const json& c : doc.at("cases")) {
      SCOPED_TRACE(f.filename().string() + ": " + c.at("name").get<std::string>());
      CaseRunner runner(c, GetParam());
      size_t i = 0;
      for (const json& s : c.at("steps")) {
        SCOPED_TRACE("step " + std::to_string(i++) + " " + s.dump());
        json result;
        int rc = runner.run(s, &result);
        ++steps;
        if (s.contains("expect_error")) {
          EXPECT_EQ(rc, error_codes().at(s["expect_error"])) << chunkbuf_last_error();
        } else {
          ASSERT_EQ(rc, CHUNKBUF_OK) << chunkbuf_strerror(rc) << ": " << chunkbuf_last_error();
          if (s.contains("expect") || s.contains("expect_hex")) {
            EXPECT_EQ(result, expected_value(s));
          }
        }
      }
    }
  }
  EXPECT_GT(steps, 50u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Conformance, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "linear" : "segmented"; });
