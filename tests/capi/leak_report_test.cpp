// A deliberate leak is reported with where it was created.
#include <gtest/gtest.h>

#include <chunkbuf.h>

#include <string>
#include <vector>

namespace {

void collect(const char* line, void* ud) { static_cast<std::vector<std::string>*>(ud)->push_back(line); }

__attribute__((noinline)) chunkbuf_view* leak_a_view(chunkbuf_pool* pool) {
  chunkbuf_view* v = nullptr;
  EXPECT_EQ(chunkbuf_view_from_bytes(pool, "forgotten", 9, &v), CHUNKBUF_OK);
  return v;
}

}  // namespace

TEST(LeakReport, ListsLiveBlocksAndViewsWithTheirCreationSite) {
  ASSERT_EQ(chunkbuf_debug_track(1), CHUNKBUF_OK);
  chunkbuf_pool* pool = nullptr;
  ASSERT_EQ(chunkbuf_pool_new(nullptr, &pool), CHUNKBUF_OK);
  chunkbuf_view* leaked = leak_a_view(pool);
  std::vector<std::string> lines;
  size_t count = 0;
  ASSERT_EQ(chunkbuf_debug_report(pool, collect, &lines, &count), CHUNKBUF_OK);
  ASSERT_EQ(count, 2u);  // the view and its block
  ASSERT_EQ(lines.size(), 2u);
  std::string all = lines[0] + "\n" + lines[1];
  EXPECT_NE(all.find("live view"), std::string::npos) << all;
  EXPECT_NE(all.find("9 bytes in 1 segments"), std::string::npos) << all;
  EXPECT_NE(all.find("live block"), std::string::npos) << all;
  EXPECT_NE(all.find("capi_tests+0x"), std::string::npos) << all;  // the creating code is named

  testing::internal::CaptureStderr();
  chunkbuf_pool_free(pool);  // still referenced: the report goes to stderr
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("chunkbuf: live view"), std::string::npos) << err;

  chunkbuf_view_release(leaked);
  ASSERT_EQ(chunkbuf_debug_report(nullptr, nullptr, nullptr, &count), CHUNKBUF_OK);
  EXPECT_EQ(count, 0u);
  ASSERT_EQ(chunkbuf_debug_track(0), CHUNKBUF_OK);
}
