// The C API end to end: what the core tests cover, through the handles.
#include <gtest/gtest.h>

#include <chunkbuf.h>

#include "view_bytes.h"

#include <cstring>
#include <string>

TEST(Api, PoolStatsAndTenantsThroughHandles) {
  chunkbuf_pool* pool = nullptr;
  chunkbuf_pool_options po = CHUNKBUF_POOL_OPTIONS_INIT;
  ASSERT_EQ(chunkbuf_pool_new(&po, &pool), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_pool_set_tenant_quota(pool, 5, 4096), CHUNKBUF_OK);
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  o.pool = pool;
  o.tenant = 5;
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(&o, &buf), CHUNKBUF_OK);
  std::string page(4096, 'p');
  ASSERT_EQ(chunkbuf_buffer_append(buf, page.data(), page.size()), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_buffer_append(buf, "x", 1), CHUNKBUF_ELIMIT);
  EXPECT_NE(std::strstr(chunkbuf_last_error(), "quota"), nullptr) << chunkbuf_last_error();
  size_t live = 0;
  ASSERT_EQ(chunkbuf_pool_tenant_usage(pool, 5, &live), CHUNKBUF_OK);
  EXPECT_EQ(live, 4096u);
  chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
  ASSERT_EQ(chunkbuf_pool_stats_get(pool, &st), CHUNKBUF_OK);
  EXPECT_EQ(st.bytes_in_use, 4096u);
  EXPECT_EQ(st.misses[0], 1u);
  chunkbuf_view* v = nullptr;
  ASSERT_EQ(chunkbuf_buffer_split_to(buf, 100, &v), CHUNKBUF_OK);
  uint32_t tenant = 0;
  ASSERT_EQ(chunkbuf_view_tenant(v, &tenant), CHUNKBUF_OK);
  EXPECT_EQ(tenant, 5u);
  chunkbuf_buffer_free(buf);
  chunkbuf_pool_free(pool);  // the view keeps the pool's memory alive
  EXPECT_EQ(view_bytes(v), std::string(100, 'p'));
  chunkbuf_view_release(v);
}

TEST(Api, TrimGivesCachedBlocksBack) {
  chunkbuf_pool* pool = nullptr;
  ASSERT_EQ(chunkbuf_pool_new(nullptr, &pool), CHUNKBUF_OK);
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  o.pool = pool;
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(&o, &buf), CHUNKBUF_OK);
  std::string s(100000, 's');
  ASSERT_EQ(chunkbuf_buffer_append(buf, s.data(), s.size()), CHUNKBUF_OK);
  chunkbuf_buffer_free(buf);
  chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
  ASSERT_EQ(chunkbuf_pool_stats_get(pool, &st), CHUNKBUF_OK);
  EXPECT_GT(st.bytes_cached, 0u);
  EXPECT_EQ(st.bytes_in_use, 0u);
  ASSERT_EQ(chunkbuf_pool_trim(pool), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_pool_stats_get(pool, &st), CHUNKBUF_OK);
  EXPECT_EQ(st.bytes_cached, 0u);
  chunkbuf_pool_free(pool);
}

TEST(Api, DefaultPoolIsNeverFreed) {
  chunkbuf_pool* d = chunkbuf_pool_default();
  chunkbuf_pool_free(d);
  chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
  EXPECT_EQ(chunkbuf_pool_stats_get(d, &st), CHUNKBUF_OK);
}

TEST(Api, ViewDataSegmentsAndContiguous) {
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &buf), CHUNKBUF_OK);
  static const char a[] = "zero", b[] = "copy";
  ASSERT_EQ(chunkbuf_buffer_append_ref(buf, a, 4, nullptr, nullptr), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append_ref(buf, b, 4, nullptr, nullptr), CHUNKBUF_OK);
  chunkbuf_view* v = nullptr;
  ASSERT_EQ(chunkbuf_buffer_split_to(buf, 8, &v), CHUNKBUF_OK);
  const void* data = nullptr;
  size_t len = 0, n = 0;
  EXPECT_EQ(chunkbuf_view_data(v, &data, &len), CHUNKBUF_ESTATE);
  struct iovec iov[4];
  ASSERT_EQ(chunkbuf_view_segments(v, 0, iov, 4, &n), CHUNKBUF_OK);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(iov[0].iov_base, a);  // zero copy all the way
  EXPECT_EQ(iov[1].iov_base, b);
  ASSERT_EQ(chunkbuf_view_segments(v, 1, iov, 4, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(chunkbuf_view_segments(v, 3, iov, 4, &n), CHUNKBUF_ERANGE);
  chunkbuf_view* c = nullptr;
  ASSERT_EQ(chunkbuf_view_contiguous(v, &c), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_view_data(c, &data, &len), CHUNKBUF_OK);
  EXPECT_EQ(std::string(static_cast<const char*>(data), len), "zerocopy");
  int eq = 0;
  ASSERT_EQ(chunkbuf_view_equals_view(v, c, &eq), CHUNKBUF_OK);
  EXPECT_EQ(eq, 1);
  ASSERT_EQ(chunkbuf_view_retain(c), CHUNKBUF_OK);
  chunkbuf_view_release(c);
  chunkbuf_view_release(c);
  chunkbuf_view_release(v);
  chunkbuf_buffer_free(buf);
}

TEST(Api, KindsTenantsSharersAndDigest) {
  uint32_t pcm = 0;
  ASSERT_EQ(chunkbuf_kind_register("pcm16", &pcm), CHUNKBUF_OK);
  chunkbuf_view* v = nullptr;
  ASSERT_EQ(chunkbuf_view_from_bytes(nullptr, "abc", 3, &v), CHUNKBUF_OK);
  chunkbuf_view* t = nullptr;
  ASSERT_EQ(chunkbuf_view_retag(v, pcm, &t), CHUNKBUF_OK);
  uint32_t kind = 99;
  ASSERT_EQ(chunkbuf_view_kind(v, &kind), CHUNKBUF_OK);
  EXPECT_EQ(kind, CHUNKBUF_KIND_RAW);
  ASSERT_EQ(chunkbuf_view_kind(t, &kind), CHUNKBUF_OK);
  EXPECT_EQ(kind, pcm);
  size_t sharers = 0;
  ASSERT_EQ(chunkbuf_view_sharers(v, &sharers), CHUNKBUF_OK);
  EXPECT_EQ(sharers, 2u);  // v and its retagged twin share the block
  uint8_t d[32];
  if (chunkbuf_features() & CHUNKBUF_FEATURE_SHA256) {
    ASSERT_EQ(chunkbuf_view_sha256(t, d), CHUNKBUF_OK);
    EXPECT_EQ(d[0], 0xba);
    EXPECT_EQ(d[31], 0xad);
  } else {
    EXPECT_EQ(chunkbuf_view_sha256(t, d), CHUNKBUF_ENOTSUP);
  }
  chunkbuf_view_release(t);
  chunkbuf_view_release(v);
}

TEST(Api, FreeCallbackRunsOnFailureToo) {
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  o.max_bytes = 2;
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(&o, &buf), CHUNKBUF_OK);
  int calls = 0;
  auto count = [](void* ud) { ++*static_cast<int*>(ud); };
  EXPECT_EQ(chunkbuf_buffer_append_ref(buf, "abc", 3, count, &calls), CHUNKBUF_ELIMIT);
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(chunkbuf_buffer_append_ref(buf, "ab", 2, count, &calls), CHUNKBUF_OK);
  EXPECT_EQ(calls, 1);
  chunkbuf_buffer_free(buf);
  EXPECT_EQ(calls, 2);
}

// read_lines hands every line out as pointer+length, also a line that
// straddles two appended pieces (copied once); a line inside one piece
// points into it; the bytes stay valid until the view is released.
TEST(Api, ReadLinesHandsOutContiguousLines) {
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &buf), CHUNKBUF_OK);
  static const char first[] = "one\r\ntw";
  static const char second[] = "o\nthree\npart";
  int freed = 0;
  auto count = [](void* p) { ++*static_cast<int*>(p); };
  ASSERT_EQ(chunkbuf_buffer_append_ref(buf, first, sizeof first - 1, count, &freed), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append_ref(buf, second, sizeof second - 1, count, &freed), CHUNKBUF_OK);
  chunkbuf_line lines[8];
  size_t n = 0;
  chunkbuf_view* v = nullptr;
  ASSERT_EQ(chunkbuf_buffer_read_lines(buf, CHUNKBUF_EOL_CRLF, 0, lines, 8, &n, &v), CHUNKBUF_OK);
  ASSERT_EQ(n, 3u);
  const char* want[] = {"one", "two", "three"};
  const size_t eols[] = {2, 1, 1};
  for (size_t i = 0; i < n; ++i) {
    EXPECT_EQ(std::string(static_cast<const char*>(lines[i].data), lines[i].length), want[i]);
    EXPECT_EQ(lines[i].eol_length, eols[i]);
  }
  EXPECT_EQ(lines[0].data, first);       // in one piece: no copy
  EXPECT_EQ(lines[2].data, second + 2);  // likewise
  EXPECT_EQ(view_bytes(v), "one\r\ntwo\nthree\n");
  size_t len = 0;
  ASSERT_EQ(chunkbuf_buffer_len(buf, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, 4u);  // "part" waits for its end of line
  chunkbuf_view* none = v;
  ASSERT_EQ(chunkbuf_buffer_read_lines(buf, CHUNKBUF_EOL_CRLF, 0, lines, 8, &n, &none), CHUNKBUF_OK);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(none, nullptr);
  chunkbuf_buffer_free(buf);
  EXPECT_EQ(freed, 0);  // the view still holds both pieces
  chunkbuf_view_release(v);
  EXPECT_EQ(freed, 2);
}

// The peek variants report what take_lines / take_records would take, from
// the buffer's first byte, and change nothing; advancing by what was used
// leaves the rest for the next batch.
TEST(Api, PeekLinesAndRecordsConsumeNothing) {
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &buf), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append(buf, "one\r\ntwo\nthree", 14), CHUNKBUF_OK);
  chunkbuf_record rec[4];
  size_t n = 0;
  ASSERT_EQ(chunkbuf_buffer_peek_lines(buf, CHUNKBUF_EOL_CRLF, 0, rec, 4, &n), CHUNKBUF_OK);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(rec[0].offset, 0u);
  EXPECT_EQ(rec[0].length, 3u);
  EXPECT_EQ(rec[0].delim_length, 2u);
  EXPECT_EQ(rec[1].offset, 5u);
  EXPECT_EQ(rec[1].length, 3u);
  EXPECT_EQ(rec[1].delim_length, 1u);
  size_t len = 0;
  ASSERT_EQ(chunkbuf_buffer_len(buf, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, 14u);
  ASSERT_EQ(chunkbuf_buffer_peek_lines(buf, CHUNKBUF_EOL_LF, 0, rec, 1, &n), CHUNKBUF_OK);  // max_records
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(rec[0].length, 4u);  // LF only: the CR stays in the line
  EXPECT_EQ(chunkbuf_buffer_peek_lines(buf, CHUNKBUF_EOL_LF, 2, rec, 4, &n), CHUNKBUF_ELIMIT);
  ASSERT_EQ(chunkbuf_buffer_advance(buf, rec[0].offset + rec[0].length + rec[0].delim_length), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_peek_records(buf, "e", 1, 0, rec, 4, &n), CHUNKBUF_OK);
  ASSERT_EQ(n, 2u);  // "two\nthr" | "" ("three": t,h,r,e,e)
  EXPECT_EQ(rec[0].length, 7u);
  EXPECT_EQ(rec[1].offset, 8u);
  EXPECT_EQ(rec[1].length, 0u);
  ASSERT_EQ(chunkbuf_buffer_len(buf, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, 9u);
  chunkbuf_buffer_free(buf);
}


TEST(Api, ReadLineCopiesOneLineAndConsumesIt) {
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &buf), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append(buf, "one\r\ntwo and more\nthr", 21), CHUNKBUF_OK);
  char line[8];
  size_t len = 0;
  ASSERT_EQ(chunkbuf_buffer_read_line(buf, CHUNKBUF_EOL_CRLF, 0, line, sizeof line, &len), CHUNKBUF_OK);
  EXPECT_EQ(std::string(line, len), "one");
  EXPECT_EQ(chunkbuf_buffer_read_line(buf, CHUNKBUF_EOL_CRLF, 0, line, sizeof line, &len), CHUNKBUF_ERANGE);
  EXPECT_EQ(len, 12u);  // too long for line[]: its length, nothing consumed
  std::string big(len, '\0');
  ASSERT_EQ(chunkbuf_buffer_read_line(buf, CHUNKBUF_EOL_CRLF, 0, big.data(), big.size(), &len), CHUNKBUF_OK);
  EXPECT_EQ(big, "two and more");
  EXPECT_EQ(chunkbuf_buffer_read_line(buf, CHUNKBUF_EOL_CRLF, 0, line, sizeof line, &len), CHUNKBUF_ENEEDMORE);
  ASSERT_EQ(chunkbuf_buffer_append(buf, "ee\n", 3), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_read_line(buf, CHUNKBUF_EOL_CRLF, 0, line, sizeof line, &len), CHUNKBUF_OK);
  EXPECT_EQ(std::string(line, len), "three");
  ASSERT_EQ(chunkbuf_buffer_append(buf, "\n", 1), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_read_line(buf, CHUNKBUF_EOL_LF, 0, nullptr, 0, &len), CHUNKBUF_OK);  // an empty line
  EXPECT_EQ(len, 0u);
  ASSERT_EQ(chunkbuf_buffer_len(buf, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, 0u);
  chunkbuf_buffer_free(buf);
}

TEST(Api, BinaryReadersTakeAllOrNothing) {
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &buf), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append_ref(buf, "\x12\x34", 2, nullptr, nullptr), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append_ref(buf, "\x56\x78zz", 4, nullptr, nullptr), CHUNKBUF_OK);
  uint64_t v = 0;
  ASSERT_EQ(chunkbuf_buffer_read_uint(buf, 4, CHUNKBUF_LE, &v), CHUNKBUF_OK);
  EXPECT_EQ(v, 0x78563412u);
  EXPECT_EQ(chunkbuf_buffer_read_uint(buf, 4, CHUNKBUF_BE, &v), CHUNKBUF_ENEEDMORE);
  size_t len = 0;
  ASSERT_EQ(chunkbuf_buffer_len(buf, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, 2u);
  char out[4] = {};
  EXPECT_EQ(chunkbuf_buffer_read_exact(buf, out, 3), CHUNKBUF_ENEEDMORE);
  ASSERT_EQ(chunkbuf_buffer_peek_exact(buf, out, 2), CHUNKBUF_OK);
  EXPECT_EQ(std::string(out, 2), "zz");
  ASSERT_EQ(chunkbuf_buffer_read_exact(buf, out, 2), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_len(buf, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, 0u);
  chunkbuf_buffer_free(buf);
}
