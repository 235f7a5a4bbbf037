// Limits under load: a producer faster than its consumer, with max_bytes,
// a high-water mark and a tenant quota, gets back-pressure and limit errors;
// memory stays under the quota and every accepted byte arrives in order.
#include <gtest/gtest.h>

#include <chunkbuf.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr size_t kChunk = 3000;
constexpr size_t kQuota = 256 * 1024;

// Fills a chunk with its sequence number so the reader can check order.
void fill(std::vector<unsigned char>& chunk, uint32_t seq) {
  for (size_t i = 0; i < chunk.size(); ++i) chunk[i] = static_cast<unsigned char>((seq * 131 + i) & 0xff);
}

}  // namespace

TEST(LimitsUnderLoad, FastProducerIsHeldBackAndLosesNothing) {
  chunkbuf_pool* pool = nullptr;
  ASSERT_EQ(chunkbuf_pool_new(nullptr, &pool), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_pool_set_tenant_quota(pool, 42, kQuota), CHUNKBUF_OK);
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.pool = pool;
  o.tenant = 42;
  o.high_water = 64 * 1024;
  o.max_bytes = 128 * 1024;
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);

  constexpr uint32_t kChunks = 2000;  // ~6 MiB through a 128 KiB window
  // The producer reports instead of asserting (a failed assertion in a
  // worker thread cannot fail the test cleanly): the main thread checks.
  std::atomic<size_t> refused{0}, max_tenant_live{0};
  std::atomic<int> unexpected{CHUNKBUF_OK};
  std::thread producer([&] {
    std::vector<unsigned char> chunk(kChunk);
    for (uint32_t seq = 0; seq < kChunks;) {
      fill(chunk, seq);
      int rc = chunkbuf_stream_write(s, chunk.data(), chunk.size(), 0);  // never wait
      if (rc == CHUNKBUF_OK) {
        ++seq;
      } else if (rc == CHUNKBUF_EAGAIN || rc == CHUNKBUF_ELIMIT) {
        ++refused;
        std::this_thread::yield();
      } else {
        unexpected = rc;  // EABORTED too: the reader gave up
        break;
      }
      size_t live = 0;
      chunkbuf_pool_tenant_usage(pool, 42, &live);
      if (live > max_tenant_live) max_tenant_live = live;
    }
    chunkbuf_stream_close(s);
  });

  // The reader runs here; on a failure it aborts the stream, so the producer
  // stops, and is joined before anything is asserted.
  auto consume = [&]() -> std::string {
    std::vector<unsigned char> got(kChunk), want(kChunk);
    for (uint32_t seq = 0;; ++seq) {
      size_t n = 0;
      int rc = chunkbuf_stream_read(s, got.data(), kChunk, 5000, &n);
      if (rc != CHUNKBUF_OK) return std::string("read: ") + chunkbuf_strerror(rc);
      if (n == 0)  // EOF exactly after the last accepted chunk
        return seq == kChunks ? "" : "EOF after " + std::to_string(seq) + " chunks";
      if (n != kChunk) return "chunk " + std::to_string(seq) + " has " + std::to_string(n) + " bytes";
      fill(want, seq);
      if (std::memcmp(got.data(), want.data(), kChunk) != 0) return "chunk " + std::to_string(seq) + " differs";
      if (seq % 64 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));  // a slow consumer
    }
  };
  std::string failure = consume();
  if (!failure.empty()) chunkbuf_stream_abort(s, 1);
  producer.join();
  EXPECT_EQ(failure, "");
  EXPECT_EQ(unexpected.load(), CHUNKBUF_OK) << chunkbuf_strerror(unexpected.load());
  EXPECT_GT(refused.load(), 0u);                 // the producer really was held back
  EXPECT_LE(max_tenant_live.load(), kQuota);     // and memory stayed under the quota
  chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
  ASSERT_EQ(chunkbuf_pool_stats_get(pool, &st), CHUNKBUF_OK);
  EXPECT_LE(st.peak_bytes_in_use, kQuota);
  chunkbuf_stream_free(s);
  size_t live = 1;
  ASSERT_EQ(chunkbuf_pool_tenant_usage(pool, 42, &live), CHUNKBUF_OK);
  EXPECT_EQ(live, 0u);
  chunkbuf_pool_free(pool);
}

TEST(LimitsUnderLoad, BufferQuotaRefusesWholeAppends) {
  chunkbuf_pool* pool = nullptr;
  ASSERT_EQ(chunkbuf_pool_new(nullptr, &pool), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_pool_set_tenant_quota(pool, 7, 64 * 1024), CHUNKBUF_OK);
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  o.pool = pool;
  o.tenant = 7;
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(&o, &b), CHUNKBUF_OK);
  std::vector<char> chunk(5000, 'q');
  size_t accepted = 0;
  int rc = CHUNKBUF_OK;
  while ((rc = chunkbuf_buffer_append(b, chunk.data(), chunk.size())) == CHUNKBUF_OK) accepted += chunk.size();
  EXPECT_EQ(rc, CHUNKBUF_ELIMIT);
  size_t len = 0, live = 0;
  ASSERT_EQ(chunkbuf_buffer_len(b, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, accepted);  // the refused append added nothing
  ASSERT_EQ(chunkbuf_pool_tenant_usage(pool, 7, &live), CHUNKBUF_OK);
  EXPECT_LE(live, 64u * 1024);
  EXPECT_GT(accepted, 32u * 1024);
  chunkbuf_buffer_free(b);
  chunkbuf_pool_free(pool);
}
