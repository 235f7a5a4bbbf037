// Helpers shared by the core unit tests.
#pragma once

#include <string>
#include <vector>

#include "core/buffer.h"
#include "core/view.h"

namespace chunkbuf::test {

// Appends each piece by reference (a heap copy the buffer frees), so every
// piece becomes its own segment.
inline void append_pieces(Buffer& b, const std::vector<std::string>& pieces) {
  for (const std::string& p : pieces) {
    auto* copy = new std::string(p);
    ASSERT_EQ(b.append_ref(copy->data(), copy->size(), [](void* s) { delete static_cast<std::string*>(s); }, copy),
              Status::Ok);
  }
}

inline std::string contents(const Buffer& b) {
  std::string s(b.size(), '\0');
  size_t n = 0;
  EXPECT_EQ(b.copy_out(0, s.data(), s.size(), &n), Status::Ok);
  return s;
}

inline std::string bytes_of(const ViewRep* v) {
  std::string s(v->len, '\0');
  view_copy_out(v, 0, s.data(), s.size());
  return s;
}

}  // namespace chunkbuf::test
