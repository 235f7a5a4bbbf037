// fork() from a busy process: while threads hammer the pools (blocks in and
// out of their magazines, stats and trims that hold the magazine registry,
// threads that start and exit), the test thread forks 200 times, and each
// child uses a Stream, Buffers and Pools. A child that deadlocks on a lock
// some parent thread held at the fork is killed at its deadline and fails
// the test.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "core/buffer.h"
#include "core/leaks.h"
#include "core/pool.h"
#include "core/stream.h"
#include "test_util.h"

using namespace chunkbuf;
using chunkbuf::test::run_in_child;

namespace {

constexpr int kRounds = 200;
constexpr int kChildDeadlineMs = 20000;  // a healthy child needs milliseconds

// What a child does: every object kind, on the shared pool, a new pool and
// the default pool, including the calls that walk other threads' caches.
int child_work(Pool* shared) {
  Pool* fresh = Pool::create(PoolOptions{});
  if (!fresh) return 2;
  for (Pool* p : {shared, fresh, Pool::default_pool()}) {
    Buffer b;
    BufferOptions o;
    o.pool = p;
    if (b.init(o) != Status::Ok) return 3;
    for (int i = 0; i < 200; ++i)
      if (b.append("line of text\n", 13) != Status::Ok) return 4;
    ViewRep* v = nullptr;
    if (b.take_line(Eol::Lf, 0, &v) != Status::Ok) return 5;
    view_release(v);
    Stream s;
    StreamOptions so;
    so.pool = p;
    if (s.init(so) != Status::Ok) return 6;
    if (s.write("ping\n", 5, -1) != Status::Ok || s.close() != Status::Ok) return 7;
    char got[8];
    size_t n = 0;
    if (s.read(got, sizeof got, -1, &n) != Status::Ok || n != 5 || std::memcmp(got, "ping\n", 5) != 0) return 8;
    (void)p->stats();
    p->trim();  // drains every thread's magazine of the pool
  }
  TenantRec* t = nullptr;
  if (shared->tenant(3, &t) != Status::Ok) return 9;
  fresh->release();
  return 0;
}

}  // namespace

TEST(Fork, ChildUsesEveryObjectAfterForkFromABusyParent) {
  Pool* shared = Pool::create(PoolOptions{});
  ASSERT_NE(shared, nullptr);
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> laps{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {  // blocks through the magazines and shards
      while (!stop.load(std::memory_order_relaxed)) {
        Buffer b;
        BufferOptions o;
        o.pool = shared;
        if (b.init(o) != Status::Ok) continue;
        for (int i = 0; i < 64; ++i) b.append("0123456789abcdef", 16);
        ViewRep* v = nullptr;
        if (b.split_to(b.size() / 2, &v) == Status::Ok) view_release(v);
        laps.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  threads.emplace_back([&] {  // the magazine registry and every shard lock
    while (!stop.load(std::memory_order_relaxed)) {
      (void)shared->stats();
      shared->trim();
      TenantRec* t = nullptr;
      (void)shared->tenant(5, &t);
    }
  });
  threads.emplace_back([&] {  // threads that register magazines and exit
    while (!stop.load(std::memory_order_relaxed)) {
      std::thread([&] {
        Buffer b;
        BufferOptions o;
        o.pool = shared;
        if (b.init(o) == Status::Ok) b.append("short-lived", 11);
      }).join();
    }
  });
  while (laps.load() < 100) std::this_thread::yield();  // the parent is busy before the first fork

  int failures = 0;
  std::string first;
  for (int round = 0; round < kRounds; ++round) {
    auto r = run_in_child([shared] { return child_work(shared); }, kChildDeadlineMs);
    if (!r.ok()) {
      if (failures++ == 0) first = "round " + std::to_string(round) + ": " + r.describe();
      if (r.timed_out) break;  // one hang is enough to fail; do not wait out 200 deadlines
    }
  }
  stop = true;
  for (auto& t : threads) t.join();
  shared->release();
  EXPECT_EQ(failures, 0) << first;
}

TEST(Fork, ParentKeepsWorkingAfterForks) {
  // The handlers release every lock in the parent too.
  Buffer b;
  for (int i = 0; i < 20; ++i) {
    auto r = run_in_child([] { return 0; }, kChildDeadlineMs);
    ASSERT_TRUE(r.ok()) << r.describe();
    ASSERT_EQ(b.append("x", 1), Status::Ok);
    (void)Pool::default_pool()->stats();
    Pool::default_pool()->trim();
  }
  EXPECT_EQ(b.size(), 20u);
}
