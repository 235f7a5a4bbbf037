// Stream hand-off between threads: round-trip latency (median, p99) beside
// a plain mutex+condvar ping-pong; throughput with 64 KiB writes (without
// and with a 1 MiB high-water mark) beside a pipe(2); bulk reads with 4 KiB
// and 64 KiB writes, where a blocked reader gets the writer's bytes copied
// straight into its array (one copy), beside the same data read through a
// view (the copy into pool memory and out again), a pipe(2), and memcpy of
// the same bytes (the one-copy limit); peak RSS while 1 GiB passes through
// in streaming mode.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "common.h"

namespace {

constexpr size_t kWrite = 64 * 1024;
constexpr size_t kThroughputTotal = 64u << 20;
constexpr uint64_t kRssTotal = 1ull << 30;
constexpr size_t kHighWater = 1u << 20;

chunkbuf_stream* new_stream(size_t high_water = 0, chunkbuf_pool* pool = nullptr) {
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.high_water = high_water;
  o.pool = pool;
  chunkbuf_stream* s = nullptr;
  bench::check(chunkbuf_stream_new(&o, &s), "stream_new");
  return s;
}

// Times each round trip of `round_trip` and reports p50/p99 as counters.
template <typename RoundTrip>
void timed_round_trips(benchmark::State& st, RoundTrip round_trip) {
  std::vector<int64_t> ns;
  ns.reserve(1 << 20);
  for (auto _ : st) {
    auto t0 = std::chrono::steady_clock::now();
    round_trip();
    ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ns.begin(), ns.end());
  st.counters["p50_ns"] = static_cast<double>(ns[ns.size() / 2]);
  st.counters["p99_ns"] = static_cast<double>(ns[ns.size() * 99 / 100]);
}

// One byte to the peer through `ping`, back through `pong`.
void handoff_chunkbuf(benchmark::State& st) {
  chunkbuf_stream* ping = new_stream();
  chunkbuf_stream* pong = new_stream();
  std::thread peer([&] {
    char c;
    size_t n = 0;
    while (chunkbuf_stream_read(ping, &c, 1, -1, &n) == CHUNKBUF_OK && n == 1) chunkbuf_stream_write(pong, &c, 1, -1);
  });
  timed_round_trips(st, [&] {
    char c = 'x';
    size_t n = 0;
    chunkbuf_stream_write(ping, &c, 1, -1);
    chunkbuf_stream_read(pong, &c, 1, -1, &n);
  });
  chunkbuf_stream_close(ping);
  peer.join();
  chunkbuf_stream_free(ping);
  chunkbuf_stream_free(pong);
}

// The same hand-off through a counter under a mutex and a condvar.
class Channel {
 public:
  void put() {
    std::lock_guard<std::mutex> lk(m_);
    ++n_;
    cv_.notify_one();
  }
  bool take() {
    std::unique_lock<std::mutex> lk(m_);
    cv_.wait(lk, [&] { return n_ > 0 || closed_; });
    if (n_ == 0) return false;
    --n_;
    return true;
  }
  void close() {
    std::lock_guard<std::mutex> lk(m_);
    closed_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  size_t n_ = 0;
  bool closed_ = false;
};

void handoff_condvar(benchmark::State& st) {
  Channel ping, pong;
  std::thread peer([&] {
    while (ping.take()) pong.put();
  });
  timed_round_trips(st, [&] {
    ping.put();
    pong.take();
  });
  ping.close();
  peer.join();
}

BENCHMARK(handoff_chunkbuf)->UseRealTime();
BENCHMARK(handoff_condvar)->UseRealTime();

// How the reader of pump_stream takes the bytes.
enum class Reader {
  read1,      // read1 into its array: a blocked reader is filled directly
  via_view,   // read_view, then copy_out: the bytes go through pool memory
};

// A writer thread sends `total` bytes in writes of `write` bytes; the
// caller reads them into a 64 KiB array.
void pump_stream(chunkbuf_stream* s, uint64_t total, size_t write = kWrite, Reader reader = Reader::read1) {
  std::thread writer([&] {
    std::vector<char> src(write, 'w');
    for (uint64_t off = 0; off < total; off += write) bench::check(chunkbuf_stream_write(s, src.data(), write, -1), "write");
    chunkbuf_stream_close(s);
  });
  std::vector<char> dst(kWrite);
  size_t n = 0;
  if (reader == Reader::read1) {
    do bench::check(chunkbuf_stream_read1(s, dst.data(), dst.size(), -1, &n), "read1");
    while (n > 0);
  } else {
    do {
      chunkbuf_view* v = nullptr;
      // waits for a byte like read1, then takes what is there, up to 64 KiB
      chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
      chunkbuf_handout h;
      bench::check(chunkbuf_stream_peek(s, 1, dst.size(), &w, &v, &h), "peek");
      const size_t len = h.length;  // a single reader: the consume cannot fail with ESTATE
      bench::check(chunkbuf_stream_consume(s, &h, len, nullptr), "consume");
      bench::check(chunkbuf_view_copy_out(v, 0, dst.data(), len, &n), "copy_out");
      chunkbuf_view_release(v);
    } while (n > 0);
  }
  writer.join();
}

// range(0): the stream's high-water mark (0: none, the writer never waits).
void throughput_chunkbuf(benchmark::State& st) {
  for (auto _ : st) {
    chunkbuf_stream* s = new_stream(static_cast<size_t>(st.range(0)));
    pump_stream(s, kThroughputTotal);
    chunkbuf_stream_free(s);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kThroughputTotal));
}

void throughput_pipe(benchmark::State& st) {
  for (auto _ : st) {
    int fd[2];
    if (pipe(fd) != 0) {
      st.SkipWithError("pipe failed");
      break;
    }
    std::thread writer([&] {
      std::vector<char> src(kWrite, 'w');
      for (size_t off = 0; off < kThroughputTotal;) {
        ssize_t r = write(fd[1], src.data(), kWrite);
        if (r <= 0) break;
        off += static_cast<size_t>(r);
      }
      close(fd[1]);
    });
    std::vector<char> dst(kWrite);
    while (read(fd[0], dst.data(), dst.size()) > 0) {
    }
    writer.join();
    close(fd[0]);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kThroughputTotal));
}

BENCHMARK(throughput_chunkbuf)->Arg(0)->Arg(kHighWater)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(throughput_pipe)->UseRealTime()->Unit(benchmark::kMillisecond);

// Bulk reads into a 64 KiB array, range(0) bytes per write, 1 MiB
// high-water mark. range(1): 0 reads with read1 (one copy when the reader
// waits), 1 through a view (two copies, the path every read took before).
void bulk_chunkbuf(benchmark::State& st) {
  for (auto _ : st) {
    chunkbuf_stream* s = new_stream(kHighWater);
    pump_stream(s, kThroughputTotal, static_cast<size_t>(st.range(0)), st.range(1) ? Reader::via_view : Reader::read1);
    chunkbuf_stream_free(s);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kThroughputTotal));
}

// The same through a pipe(2).
void bulk_pipe(benchmark::State& st) {
  const size_t write_size = static_cast<size_t>(st.range(0));
  for (auto _ : st) {
    int fd[2];
    if (pipe(fd) != 0) {
      st.SkipWithError("pipe failed");
      break;
    }
    std::thread writer([&] {
      std::vector<char> src(write_size, 'w');
      for (size_t off = 0; off < kThroughputTotal;) {
        ssize_t r = write(fd[1], src.data(), write_size);
        if (r <= 0) break;
        off += static_cast<size_t>(r);
      }
      close(fd[1]);
    });
    std::vector<char> dst(kWrite);
    while (read(fd[0], dst.data(), dst.size()) > 0) {
    }
    writer.join();
    close(fd[0]);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kThroughputTotal));
}

// The physical limit of one copy: memcpy of the same bytes, in pieces of
// range(0), by one thread.
void bulk_memcpy(benchmark::State& st) {
  const size_t piece = static_cast<size_t>(st.range(0));
  std::vector<char> src(piece, 'w'), dst(kWrite);
  for (auto _ : st) {
    for (size_t off = 0; off < kThroughputTotal; off += piece) {
      std::memcpy(dst.data() + off % (kWrite / piece * piece), src.data(), piece);
      benchmark::DoNotOptimize(dst.data());
    }
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kThroughputTotal));
}

BENCHMARK(bulk_chunkbuf)->ArgsProduct({{4096, 65536}, {0, 1}})->ArgNames({"write", "via_view"})->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(bulk_pipe)->ArgName("write")->Arg(4096)->Arg(65536)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(bulk_memcpy)->ArgName("write")->Arg(4096)->Arg(65536)->UseRealTime()->Unit(benchmark::kMillisecond);

// A /proc/self/status field in KiB.
long status_kib(const char* field) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long v = -1;
  size_t k = std::char_traits<char>::length(field);
  while (std::fgets(line, sizeof line, f))
    if (std::strncmp(line, field, k) == 0) v = std::strtol(line + k, nullptr, 10);
  std::fclose(f);
  return v;
}

// Peak RSS growth while 1 GiB streams through with a 1 MiB high-water mark,
// and the peak of pool memory in use (a pool of its own).
void rss_streaming_1gib(benchmark::State& st) {
  long growth = 0;
  chunkbuf_pool* pool = nullptr;
  bench::check(chunkbuf_pool_new(nullptr, &pool), "pool_new");
  for (auto _ : st) {
    FILE* f = std::fopen("/proc/self/clear_refs", "w");  // "5" resets VmHWM to VmRSS
    if (!f || std::fputs("5", f) < 0 || std::fclose(f) != 0) {
      st.SkipWithError("cannot reset the peak RSS");
      break;
    }
    malloc_trim(0);  // earlier cases' freed heap would otherwise hide any growth
    long before = status_kib("VmRSS:");
    chunkbuf_stream* s = new_stream(kHighWater, pool);
    pump_stream(s, kRssTotal);
    chunkbuf_stream_free(s);
    growth = std::max(growth, status_kib("VmHWM:") - before);
  }
  chunkbuf_pool_stats stats = CHUNKBUF_POOL_STATS_INIT;
  bench::check(chunkbuf_pool_stats_get(pool, &stats), "pool_stats_get");
  chunkbuf_pool_free(pool);
  st.counters["peak_rss_growth_MiB"] = static_cast<double>(growth) / 1024.0;
  st.counters["pool_peak_MiB"] = static_cast<double>(stats.peak_bytes_in_use) / (1 << 20);
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kRssTotal));
}

BENCHMARK(rss_streaming_1gib)->UseRealTime()->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
