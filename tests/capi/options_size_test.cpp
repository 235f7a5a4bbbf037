// Options structs grow at their end: a caller built against an older
// header passes its smaller struct_size and gets the defaults for the fields
// it does not know; a size this library does not know is EVERSION.
#include <gtest/gtest.h>

#include <chunkbuf.h>

#include <cstddef>
#include <cstring>

namespace {

// chunkbuf_stream_options as 0.1 shipped it: low_water came in 0.2.
constexpr size_t kStreamOptions01 = offsetof(chunkbuf_stream_options, low_water);

TEST(OptionsSize, AnOlderStreamOptionsStructTakesTheDefaultsForNewFields) {
  static_assert(kStreamOptions01 < sizeof(chunkbuf_stream_options));
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.high_water = 64;
  // What lies beyond an old caller's struct is not its own: a low_water
  // read from there (above high_water) would make stream_new fail.
  o.low_water = 1000;
  chunkbuf_stream* s = nullptr;
  EXPECT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_EINVAL) << "the full-size struct's low_water is read";
  o.struct_size = kStreamOptions01;
  ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK) << chunkbuf_last_error();
  // The fields the old struct has still count: high_water 64 holds a write.
  char data[64] = {};
  ASSERT_EQ(chunkbuf_stream_write(s, data, sizeof data, 0), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_stream_write(s, "x", 1, 0), CHUNKBUF_EAGAIN);
  chunkbuf_stream_free(s);
}

TEST(OptionsSize, UnknownSizesAreVersionErrors) {
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  chunkbuf_stream* s = nullptr;
  o.struct_size = sizeof o + 8;  // from a newer header
  EXPECT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_EVERSION);
  EXPECT_NE(std::strstr(chunkbuf_last_error(), "struct_size"), nullptr) << chunkbuf_last_error();
  o.struct_size = kStreamOptions01 - 1;  // older than the first release
  EXPECT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_EVERSION);
  o.struct_size = 0;
  EXPECT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_EVERSION);

  chunkbuf_buffer_options b = CHUNKBUF_BUFFER_OPTIONS_INIT;
  chunkbuf_buffer* buf = nullptr;
  b.struct_size = sizeof b + 1;
  EXPECT_EQ(chunkbuf_buffer_new(&b, &buf), CHUNKBUF_EVERSION);
  chunkbuf_pool_options p = CHUNKBUF_POOL_OPTIONS_INIT;
  chunkbuf_pool* pool = nullptr;
  p.struct_size = sizeof p - 1;
  EXPECT_EQ(chunkbuf_pool_new(&p, &pool), CHUNKBUF_EVERSION);

  chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
  st.struct_size = sizeof st + 8;
  EXPECT_EQ(chunkbuf_pool_stats_get(chunkbuf_pool_default(), &st), CHUNKBUF_EVERSION);
  st.struct_size = sizeof st;
  EXPECT_EQ(chunkbuf_pool_stats_get(chunkbuf_pool_default(), &st), CHUNKBUF_OK);
  EXPECT_EQ(st.struct_size, sizeof st);
}

TEST(OptionsSize, LowWaterWakesWritersAtItsMark) {
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.high_water = 8;
  o.low_water = 8;
  chunkbuf_stream* s = nullptr;
  EXPECT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_EINVAL);  // must lie below high_water
  o.low_water = 7;
  ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
  chunkbuf_stream_free(s);
}

}  // namespace
