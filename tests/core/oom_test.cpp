// Allocation-failure injection: a scenario that touches every allocating
// operation runs once for every N with the N-th allocation failing. Each
// failing call must report NoMem (or a clean error) and leave the buffer's
// bytes exactly as they were before it.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/buffer.h"
#include "core/framer.h"
#include "core/mem.h"
#include "test_util.h"

using namespace chunkbuf;
using chunkbuf::test::bytes_of;
using chunkbuf::test::contents;

namespace {

struct Step {
  const char* name;
  std::function<Status(Buffer&, std::vector<View>&)> run;
};

std::vector<Step> scenario() {
  static const std::string big(20000, 'b');
  return {
      {"append", [](Buffer& b, auto&) { return b.append("hello\nwor", 9); }},
      {"append big", [](Buffer& b, auto&) { return b.append(big.data(), big.size()); }},
      {"append_ref", [](Buffer& b, auto&) { return b.append_ref("ld\r\nmore\n", 9, nullptr, nullptr); }},
      {"split_to", [](Buffer& b, auto& keep) {
         ViewRep* v = nullptr;
         Status st = b.split_to(std::min<size_t>(3, b.size()), &v);
         if (st == Status::Ok) keep.emplace_back(v);
         return st;
       }},
      {"take_line", [](Buffer& b, auto& keep) {
         ViewRep* v = nullptr;
         Status st = b.take_line(Eol::Lf, 0, &v);
         if (st == Status::Ok) keep.emplace_back(v);
         return st;
       }},
      {"coalesce", [](Buffer& b, auto&) {
         const void* p = nullptr;
         return b.coalesce(std::min<size_t>(b.size(), 20010), &p);
       }},
      {"reserve+commit", [](Buffer& b, auto&) {
         struct iovec iov[2];
         size_t n = 0;
         Status st = b.reserve(70000, iov, 2, &n);
         if (st != Status::Ok) return st;
         std::memset(iov[0].iov_base, 'r', std::min<size_t>(iov[0].iov_len, 5));
         return b.commit(std::min<size_t>(iov[0].iov_len, 5));
       }},
      {"append_view", [](Buffer& b, auto& keep) {
         return keep.empty() ? Status::Ok : b.append_view(keep.front().get());
       }},
      {"take_lines", [](Buffer& b, auto& keep) {
         Record recs[4];
         size_t n = 0;
         ViewRep* v = nullptr;
         Status st = b.take_lines(Eol::Crlf, 0, recs, 4, &n, &v);
         if (st == Status::Ok && v) keep.emplace_back(v);
         return st;
       }},
      {"slice+concat", [](Buffer&, auto& keep) {
         if (keep.size() < 2) return Status::Ok;
         ViewRep* s = nullptr;
         Status st = view_slice(keep[0].get(), 0, 1, &s);
         if (st != Status::Ok) return st;
         View sv(s);
         const ViewRep* parts[] = {s, keep[1].get()};
         ViewRep* c = nullptr;
         st = view_concat(parts, 2, &c);
         if (st == Status::Ok) keep.emplace_back(c);
         return st;
       }},
  };
}

}  // namespace

TEST(OutOfMemory, EveryAllocationFailureLeavesTheBufferUnchanged) {
  int64_t n = 0;
  for (;; ++n) {
    Buffer b;
    std::vector<View> keep;
    size_t failures = 0;
    mem::fail_after(n);
    for (const Step& step : scenario()) {
      std::string before = contents(b);  // fail_never-safe: copy_out does not allocate
      size_t views_before = keep.size();
      Status st = step.run(b, keep);
      if (st == Status::NoMem) {
        ++failures;
        EXPECT_EQ(contents(b), before) << step.name << " with allocation " << n << " failing";
        EXPECT_EQ(keep.size(), views_before) << step.name;
        EXPECT_FALSE(b.reserved()) << step.name;
      } else {  // an earlier failure may leave no complete line to take
        EXPECT_TRUE(st == Status::Ok || st == Status::NeedMore) << step.name << ": " << last_error_detail();
      }
    }
    mem::fail_never();
    for (const View& v : keep) EXPECT_EQ(bytes_of(v.get()).size(), v.size());  // every view still readable
    if (failures == 0) break;  // the scenario ran through: every allocation was tried
  }
  EXPECT_GT(n, 5);  // the scenario allocates, so failures were really injected
}
