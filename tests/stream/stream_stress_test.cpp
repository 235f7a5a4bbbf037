// 4 writers and 4 readers through the C API. Writers send numbered lines in
// batches of random size (copy, by reference, as views; sometimes with
// EAGAIN/ETIMEDOUT retries against a high-water mark); readers take lines
// with readline/readlines and random short timeouts. Every line must arrive
// exactly once, intact, and in each writer's order.
//
// CHUNKBUF_STRESS_MIB sets the volume (default 8).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "chunkbuf.h"

namespace {

constexpr int kWriters = 4;
constexpr int kReaders = 4;

char payload_byte(int w, uint64_t seq, size_t i) { return static_cast<char>('a' + (w * 7 + seq * 13 + i) % 26); }

// "<writer> <seq> <len> <payload>\n"
void append_line(std::string& out, int w, uint64_t seq, size_t len) {
  char head[64];
  out.append(head, static_cast<size_t>(std::snprintf(head, sizeof head, "%d %llu %zu ", w,
                                                     static_cast<unsigned long long>(seq), len)));
  for (size_t i = 0; i < len; ++i) out.push_back(payload_byte(w, seq, i));
  out.push_back('\n');
}

int64_t pick_timeout(std::mt19937& rng) {
  static const int64_t kChoices[] = {-1, -1, 0, 1, 3};
  return kChoices[rng() % 5];
}

// Calls that hit EAGAIN/ETIMEDOUT and were repeated (reported, not checked).
std::atomic<uint64_t> g_retries{0};

bool retry(int rc) {
  bool again = rc == CHUNKBUF_EAGAIN || rc == CHUNKBUF_ETIMEDOUT;
  if (again) ++g_retries;
  return again;
}

void write_batch(chunkbuf_stream* s, const std::string& batch, std::mt19937& rng) {
  for (;;) {
    int64_t t = pick_timeout(rng);
    int rc;
    switch (rng() % 3) {
      case 0:
        rc = chunkbuf_stream_write(s, batch.data(), batch.size(), t);
        break;
      case 1: {
        auto* copy = new std::string(batch);  // freed by the stream, also when the write fails
        rc = chunkbuf_stream_write_ref(s, copy->data(), copy->size(),
                                       [](void* p) { delete static_cast<std::string*>(p); }, copy, t);
        break;
      }
      default: {
        chunkbuf_view* v = nullptr;
        ASSERT_EQ(chunkbuf_view_from_bytes(nullptr, batch.data(), batch.size(), &v), CHUNKBUF_OK);
        rc = chunkbuf_stream_write_view(s, v, t);
        chunkbuf_view_release(v);
      }
    }
    if (!retry(rc)) {
      ASSERT_EQ(rc, CHUNKBUF_OK) << chunkbuf_last_error();
      return;
    }
  }
}

struct ReaderLog {
  std::vector<std::vector<uint64_t>> seqs = std::vector<std::vector<uint64_t>>(kWriters);
  uint64_t bytes = 0;
};

// Checks one line (with its "\n") and logs its sequence number.
void check_line(const char* p, size_t n, ReaderLog& log) {
  ASSERT_GT(n, 0u);
  ASSERT_EQ(p[n - 1], '\n');
  int w = -1;
  unsigned long long seq = 0;
  size_t len = 0;
  int head = 0;
  std::string line(p, n);
  ASSERT_EQ(std::sscanf(line.c_str(), "%d %llu %zu%n", &w, &seq, &len, &head), 3) << line.substr(0, 40);
  ASSERT_EQ(line[head++], ' ');
  ASSERT_TRUE(w >= 0 && w < kWriters);
  ASSERT_EQ(static_cast<size_t>(head) + len + 1, n) << "line of writer " << w << " seq " << seq;
  size_t good = 0;
  while (good < len && p[head + good] == payload_byte(w, seq, good)) ++good;
  ASSERT_EQ(good, len) << "corrupt payload, writer " << w << " seq " << seq;
  std::vector<uint64_t>& mine = log.seqs[w];
  ASSERT_TRUE(mine.empty() || mine.back() < seq) << "writer " << w << " out of order";
  mine.push_back(seq);
  log.bytes += n;
}

std::string view_bytes(chunkbuf_view* v) {
  size_t len = 0, copied = 0;
  EXPECT_EQ(chunkbuf_view_len(v, &len), CHUNKBUF_OK);
  std::string out(len, '\0');
  EXPECT_EQ(chunkbuf_view_copy_out(v, 0, out.data(), len, &copied), CHUNKBUF_OK);
  chunkbuf_view_release(v);
  return out;
}

void read_all(chunkbuf_stream* s, ReaderLog& log, unsigned seed) {
  std::mt19937 rng(seed);
  chunkbuf_record recs[16];
  for (;;) {
    chunkbuf_view* v = nullptr;
    int64_t t = pick_timeout(rng);
    if (rng() % 2) {
      int rc = chunkbuf_stream_readline(s, 0, t, &v);
      if (retry(rc)) continue;
      ASSERT_EQ(rc, CHUNKBUF_OK) << chunkbuf_last_error();
      std::string line = view_bytes(v);
      if (line.empty()) return;  // EOF
      check_line(line.data(), line.size(), log);
    } else {
      size_t n = 0;
      int rc = chunkbuf_stream_readlines(s, recs, rng() % 16 + 1, t, &n, &v);
      if (retry(rc)) continue;
      ASSERT_EQ(rc, CHUNKBUF_OK) << chunkbuf_last_error();
      if (n == 0) return;  // EOF
      std::string all = view_bytes(v);
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(recs[i].delim_length, 1u);
        check_line(all.data() + recs[i].offset, recs[i].length + 1, log);
      }
    }
  }
}

TEST(StreamStress, FourWritersFourReadersEveryLineOnce) {
  const char* env = std::getenv("CHUNKBUF_STRESS_MIB");
  const uint64_t total = (env ? std::strtoull(env, nullptr, 10) : 8) << 20;
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.high_water = 256 << 10;
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);

  std::vector<uint64_t> lines(kWriters), written(kWriters);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      std::mt19937 rng(100 + w);
      while (written[w] < total / kWriters) {
        std::string batch;
        for (unsigned k = rng() % 8 + 1; k > 0; --k) append_line(batch, w, lines[w]++, rng() % 4000);
        write_batch(s, batch, rng);
        written[w] += batch.size();
      }
    });
  std::vector<ReaderLog> logs(kReaders);
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) readers.emplace_back([&, r] { read_all(s, logs[r], 200 + r); });
  for (auto& t : threads) t.join();
  ASSERT_EQ(chunkbuf_stream_close(s), CHUNKBUF_OK);
  for (auto& t : readers) t.join();

  uint64_t bytes_in = 0, bytes_out = 0;
  for (int w = 0; w < kWriters; ++w) {
    bytes_in += written[w];
    std::vector<int> seen(lines[w], 0);
    for (const ReaderLog& log : logs)
      for (uint64_t seq : log.seqs[w]) {
        ASSERT_LT(seq, lines[w]);
        ++seen[seq];
      }
    for (uint64_t q = 0; q < lines[w]; ++q) ASSERT_EQ(seen[q], 1) << "writer " << w << " line " << q;
  }
  for (const ReaderLog& log : logs) bytes_out += log.bytes;
  EXPECT_EQ(bytes_out, bytes_in);
  EXPECT_GE(bytes_in, total);
  std::printf("%llu bytes in %llu lines, %llu calls retried after EAGAIN/ETIMEDOUT\n",
              static_cast<unsigned long long>(bytes_in),
              static_cast<unsigned long long>(lines[0] + lines[1] + lines[2] + lines[3]),
              static_cast<unsigned long long>(g_retries.load()));
  int eof = 0;
  ASSERT_EQ(chunkbuf_stream_at_eof(s, &eof), CHUNKBUF_OK);
  EXPECT_EQ(eof, 1);
  chunkbuf_stream_free(s);
}

}  // namespace
