#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/framer.h"
#include "core/mem.h"
#include "test_util.h"

using namespace chunkbuf;
using chunkbuf::test::bytes_of;
using chunkbuf::test::contents;

namespace {

struct FramerPtr {
  Framer* f = nullptr;
  ~FramerPtr() {
    if (f) {
      f->~Framer();
      mem::free(f);
    }
  }
};

void make_delims(FramerPtr& fp, std::vector<std::string> delims, size_t max_frame = 0, bool include = false) {
  std::vector<struct iovec> iov;
  for (auto& d : delims) iov.push_back({d.data(), d.size()});
  DelimiterFramer* f = nullptr;
  ASSERT_EQ(DelimiterFramer::create(iov.data(), iov.size(), max_frame, include, &f), Status::Ok);
  fp.f = f;
}

// Feeds `input` cut at `cut` (two pieces), draining frames as they come,
// then flushes at EOF.
std::vector<std::string> frames_with_cut(Framer& f, const std::string& input, size_t cut) {
  Buffer b;
  std::vector<std::string> out;
  auto drain = [&](bool final) {
    ViewRep* v = nullptr;
    while (f.next(b, final, &v) == Status::Ok) {
      out.push_back(bytes_of(v));
      view_release(v);
    }
  };
  b.append(input.data(), cut);
  drain(false);
  b.append(input.data() + cut, input.size() - cut);
  drain(false);
  drain(true);
  return out;
}

}  // namespace

TEST(DelimiterFramer, LongestMatchAndDeferredEmission) {
  FramerPtr fp;
  make_delims(fp, {"\r", "\n", "\r\n"});
  Buffer b;
  ASSERT_EQ(b.append("one\r", 4), Status::Ok);
  ViewRep* v = nullptr;
  // "\r" could be the start of "\r\n": wait.
  EXPECT_EQ(fp.f->next(b, false, &v), Status::NeedMore);
  ASSERT_EQ(b.append("\ntwo\rthree\n", 11), Status::Ok);
  std::vector<std::string> got;
  while (fp.f->next(b, false, &v) == Status::Ok) {
    got.push_back(bytes_of(v));
    view_release(v);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(b.size(), 0u);
}

TEST(DelimiterFramer, FinalFlushEmitsTheTail) {
  FramerPtr fp;
  make_delims(fp, {"\r\n", "\r"});
  Buffer b;
  ASSERT_EQ(b.append("a\r\nb\r", 5), Status::Ok);
  ViewRep* v = nullptr;
  ASSERT_EQ(fp.f->next(b, false, &v), Status::Ok);
  EXPECT_EQ(bytes_of(v), "a");
  view_release(v);
  EXPECT_EQ(fp.f->next(b, false, &v), Status::NeedMore);
  ASSERT_EQ(fp.f->next(b, true, &v), Status::Ok);  // at EOF "\r" is complete
  EXPECT_EQ(bytes_of(v), "b");
  view_release(v);
  ASSERT_EQ(b.append("tail", 4), Status::Ok);
  ASSERT_EQ(fp.f->next(b, true, &v), Status::Ok);
  EXPECT_EQ(bytes_of(v), "tail");
  view_release(v);
  EXPECT_EQ(fp.f->next(b, true, &v), Status::NeedMore);
}

TEST(DelimiterFramer, SameFramesWhereverTheInputIsCut) {
  FramerPtr fp;
  make_delims(fp, {"\r", "\n", "\r\n", "--END--"});
  const std::string input = "GET\r\nHost\rX\n\n--END-x--END--last\r\r\n--END";
  std::vector<std::string> whole = frames_with_cut(*fp.f, input, input.size());
  EXPECT_EQ(whole, (std::vector<std::string>{"GET", "Host", "X", "", "--END-x", "last", "", "--END"}));
  for (size_t cut = 0; cut <= input.size(); ++cut)
    EXPECT_EQ(frames_with_cut(*fp.f, input, cut), whole) << "cut at " << cut;
}

TEST(DelimiterFramer, MaxFrameKeepsTheBytes) {
  FramerPtr fp;
  make_delims(fp, {"\n"}, 4);
  Buffer b;
  ASSERT_EQ(b.append("abcdef\n", 7), Status::Ok);
  ViewRep* v = nullptr;
  EXPECT_EQ(fp.f->next(b, false, &v), Status::FrameLimit);
  EXPECT_EQ(contents(b), "abcdef\n");
  Buffer c;
  ASSERT_EQ(c.append("abcde", 5), Status::Ok);  // no delimiter yet, already too long
  EXPECT_EQ(fp.f->next(c, false, &v), Status::FrameLimit);
  Buffer d;
  ASSERT_EQ(d.append("abcd", 4), Status::Ok);
  EXPECT_EQ(fp.f->next(d, false, &v), Status::NeedMore);
}

TEST(DelimiterFramer, IncludeDelimiterAndBatch) {
  FramerPtr fp;
  make_delims(fp, {"\r\n", "\n"}, 0, true);
  Buffer b;
  ASSERT_EQ(b.append("a\r\nbb\nccc", 9), Status::Ok);
  ViewRep* v = nullptr;
  ASSERT_EQ(fp.f->next(b, false, &v), Status::Ok);
  EXPECT_EQ(bytes_of(v), "a\r\n");
  view_release(v);
  ASSERT_EQ(b.append("\ndd", 3), Status::Ok);
  Record recs[4];
  size_t n = 0;
  ASSERT_EQ(fp.f->next_batch(b, false, recs, 4, &n, &v), Status::Ok);
  ASSERT_EQ(n, 2u);
  std::string all = bytes_of(v);
  EXPECT_EQ(all, "bb\nccc\n");
  EXPECT_EQ(all.substr(recs[1].offset, recs[1].length), "ccc");
  EXPECT_EQ(recs[1].delim_length, 1u);
  view_release(v);
  ASSERT_EQ(fp.f->next_batch(b, true, recs, 4, &n, &v), Status::Ok);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(bytes_of(v), "dd");
  view_release(v);
}

TEST(DelimiterFramer, EncodeAppendsTheFirstDelimiterWithoutCopyingThePayload) {
  FramerPtr fp;
  make_delims(fp, {"\r\n", "\n"});
  Buffer src;
  ASSERT_EQ(src.append("payload", 7), Status::Ok);
  ViewRep* p = nullptr;
  ASSERT_EQ(src.split_to(7, &p), Status::Ok);
  Buffer out;
  ASSERT_EQ(fp.f->encode(out, p), Status::Ok);
  EXPECT_EQ(contents(out), "payload\r\n");
  EXPECT_EQ(out.segs()[0].p, p->segs()[0].p);  // zero copy
  ViewRep* bad = nullptr;
  ASSERT_EQ(view_from_bytes(Pool::default_pool(), "a\nb", 3, &bad), Status::Ok);
  EXPECT_EQ(fp.f->encode(out, bad), Status::Inval);
  EXPECT_EQ(contents(out), "payload\r\n");
  view_release(bad);
  view_release(p);
}

TEST(DelimiterFramer, RejectsBadConfigurations) {
  DelimiterFramer* f = nullptr;
  EXPECT_EQ(DelimiterFramer::create(nullptr, 0, 0, false, &f), Status::Inval);
  struct iovec empty = {const_cast<char*>(""), 0};
  EXPECT_EQ(DelimiterFramer::create(&empty, 1, 0, false, &f), Status::Inval);
}

TEST(LengthFramer, BigAndLittleEndianWithAdjustAndStrip) {
  for (Order order : {Order::Big, Order::Little}) {
    for (size_t width : {1u, 2u, 4u, 8u}) {
      LengthFramerOptions o;
      o.length_width = width;
      o.order = order;
      o.strip = width;
      LengthFramer* f = nullptr;
      ASSERT_EQ(LengthFramer::create(o, &f), Status::Ok);
      FramerPtr fp;
      fp.f = f;
      Buffer wire;
      for (std::string msg : {"hello", "", "world!"}) {
        ViewRep* v = nullptr;
        ASSERT_EQ(view_from_bytes(Pool::default_pool(), msg.data(), msg.size(), &v), Status::Ok);
        ASSERT_EQ(f->encode(wire, v), Status::Ok);
        view_release(v);
      }
      EXPECT_EQ(wire.size(), 3 * width + 11);
      std::string bytes = contents(wire);
      // Decode with every cut of the byte stream.
      for (size_t cut = 0; cut <= bytes.size(); ++cut) {
        std::vector<std::string> got = frames_with_cut(*f, bytes, cut);
        EXPECT_EQ(got, (std::vector<std::string>{"hello", "", "world!"})) << "width " << width << " cut " << cut;
      }
    }
  }
}

TEST(LengthFramer, HeaderOffsetAdjustmentAndLimits) {
  // [type:1][len:2 BE, counting the whole frame][payload]
  LengthFramerOptions o;
  o.length_offset = 1;
  o.length_width = 2;
  o.length_adjust = -3;
  o.strip = 0;
  o.max_frame = 10;
  LengthFramer* f = nullptr;
  ASSERT_EQ(LengthFramer::create(o, &f), Status::Ok);
  FramerPtr fp;
  fp.f = f;
  Buffer b;
  ASSERT_EQ(b.append("T\x00\x06" "abcX", 7), Status::Ok);
  ViewRep* v = nullptr;
  ASSERT_EQ(f->next(b, false, &v), Status::Ok);
  EXPECT_EQ(bytes_of(v), std::string("T\x00\x06" "abc", 6));
  view_release(v);
  EXPECT_EQ(f->next(b, false, &v), Status::NeedMore);
  EXPECT_EQ(f->next(b, true, &v), Status::Inval);  // truncated at EOF
  Buffer big;
  ASSERT_EQ(big.append("T\x00\x20", 3), Status::Ok);  // 29-byte payload > max 10
  EXPECT_EQ(f->next(big, false, &v), Status::FrameLimit);
  EXPECT_EQ(big.size(), 3u);
  Buffer corrupt;
  ASSERT_EQ(corrupt.append("T\x00\x01", 3), Status::Ok);  // 1 < the 3-byte adjustment
  EXPECT_EQ(f->next(corrupt, false, &v), Status::Inval);
  ViewRep* payload = nullptr;
  ASSERT_EQ(view_from_bytes(Pool::default_pool(), "x", 1, &payload), Status::Ok);
  EXPECT_EQ(f->encode(b, payload), Status::Inval);  // cannot invent the type byte
  view_release(payload);
}

TEST(LengthFramer, EncodeChecksTheFieldWidth) {
  LengthFramerOptions o;
  o.length_width = 1;
  o.strip = 1;
  LengthFramer* f = nullptr;
  ASSERT_EQ(LengthFramer::create(o, &f), Status::Ok);
  FramerPtr fp;
  fp.f = f;
  std::string big(256, 'b');
  ViewRep* v = nullptr;
  ASSERT_EQ(view_from_bytes(Pool::default_pool(), big.data(), big.size(), &v), Status::Ok);
  Buffer out;
  EXPECT_EQ(f->encode(out, v), Status::FrameLimit);
  EXPECT_EQ(out.size(), 0u);
  view_release(v);
  o.length_width = 3;
  EXPECT_EQ(LengthFramer::create(o, &f), Status::Inval);
}

// A batch of thousands of frames over thousands of segments, with frames,
// delimiters and length fields cut across segments: both framers find every
// frame, walking the segments forward once (a scan from the first segment
// per frame was quadratic).
TEST(Framer, ABatchOverManySegmentsFindsEveryFrame) {
  const size_t count = 3000;
  std::vector<std::string> payloads;
  std::string delimited, prefixed;
  for (size_t i = 0; i < count; ++i) {
    payloads.push_back("frame" + std::to_string(i));
    delimited += payloads.back() + "\r\n";
    const size_t len = payloads.back().size();
    prefixed += std::string{static_cast<char>(len >> 8), static_cast<char>(len & 0xff)} + payloads.back();
  }
  for (int kind = 0; kind < 2; ++kind) {
    FramerPtr fp;
    if (kind == 0) {
      make_delims(fp, {"\r\n"});
    } else {
      LengthFramerOptions o;
      o.length_width = 2;
      o.strip = 2;
      LengthFramer* f = nullptr;
      ASSERT_EQ(LengthFramer::create(o, &f), Status::Ok);
      fp.f = f;
    }
    const std::string& input = kind == 0 ? delimited : prefixed;
    Buffer b;
    for (size_t off = 0, i = 0; off < input.size(); ++i) {  // pieces of 1 to 7 bytes, each its own segment
      const size_t k = std::min<size_t>(1 + i % 7, input.size() - off);
      ASSERT_EQ(b.append_ref(input.data() + off, k, nullptr, nullptr), Status::Ok);
      off += k;
    }
    std::vector<Record> recs(count);
    size_t n = 0;
    ViewRep* v = nullptr;
    ASSERT_EQ(fp.f->next_batch(b, true, recs.data(), count, &n, &v), Status::Ok) << "kind " << kind;
    ASSERT_EQ(n, count) << "kind " << kind;
    const std::string all = bytes_of(v);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(all.substr(recs[i].offset, recs[i].length), payloads[i]) << i;
    EXPECT_EQ(b.size(), 0u);
    view_release(v);
  }
}
