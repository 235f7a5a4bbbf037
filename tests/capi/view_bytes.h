// The bytes of a view, through the C API (test helper).
#pragma once

#include <gtest/gtest.h>

#include <chunkbuf.h>

#include <string>

inline std::string view_bytes(const chunkbuf_view* v) {
  size_t len = 0, copied = 0;
  EXPECT_EQ(chunkbuf_view_len(v, &len), CHUNKBUF_OK);
  std::string s(len, '\0');
  EXPECT_EQ(chunkbuf_view_copy_out(v, 0, s.data(), len, &copied), CHUNKBUF_OK);
  return s;
}
