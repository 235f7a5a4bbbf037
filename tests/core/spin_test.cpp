// lock_spinning: the lock the stream's data calls take (spin, then block).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <thread>

#include "core/spin.h"

using chunkbuf::lock_spinning;

TEST(LockSpinning, TakesAFreeMutexAtOnce) {
  std::mutex m;
  {
    std::unique_lock<std::mutex> lk = lock_spinning(m, 100);
    EXPECT_TRUE(lk.owns_lock());
    EXPECT_FALSE(m.try_lock());
  }
  EXPECT_TRUE(m.try_lock());
  m.unlock();
}

// A holder that keeps the mutex longer than any spin: the caller blocks
// until it is released and then sees everything the holder did under it.
TEST(LockSpinning, BlocksUntilALongHolderReleases) {
  for (int spins : {0, 1, 100}) {
    std::mutex m;
    std::latch held(1);
    bool done = false;  // written under m only
    std::thread holder([&] {
      std::lock_guard<std::mutex> lk(m);
      held.count_down();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      done = true;
    });
    held.wait();
    std::unique_lock<std::mutex> lk = lock_spinning(m, spins);
    EXPECT_TRUE(lk.owns_lock());
    EXPECT_TRUE(done) << "spins " << spins;
    lk.unlock();
    holder.join();
  }
}

// Many threads counting under it lose no increment.
TEST(LockSpinning, ExcludesUnderContention) {
  std::mutex m;
  long count = 0;
  std::thread t[4];
  for (std::thread& th : t)
    th = std::thread([&] {
      for (int i = 0; i < 20000; ++i) {
        std::unique_lock<std::mutex> lk = lock_spinning(m, 100);
        ++count;
      }
    });
  for (std::thread& th : t) th.join();
  EXPECT_EQ(count, 4 * 20000);
}
