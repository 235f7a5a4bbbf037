// Framers and the ring through the C API.
#include <gtest/gtest.h>

#include <chunkbuf.h>

#include "view_bytes.h"

#include <string>
#include <vector>

TEST(FramerApi, DelimiterFramerNeedMoreThenFrames) {
  struct iovec delims[2] = {{const_cast<char*>("\r\n"), 2}, {const_cast<char*>("\n"), 1}};
  chunkbuf_delimiter_framer_options o = CHUNKBUF_DELIMITER_FRAMER_OPTIONS_INIT;
  o.delimiters = delims;
  o.n_delimiters = 2;
  o.max_frame = 16;
  chunkbuf_framer* f = nullptr;
  ASSERT_EQ(chunkbuf_framer_new_delimiter(&o, &f), CHUNKBUF_OK);
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &buf), CHUNKBUF_OK);
  chunkbuf_view* v = nullptr;
  ASSERT_EQ(chunkbuf_buffer_append(buf, "PING", 4), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_framer_next(f, buf, 0, &v), CHUNKBUF_ENEEDMORE);
  ASSERT_EQ(chunkbuf_buffer_append(buf, "\r\nPONG\n", 7), CHUNKBUF_OK);
  chunkbuf_record recs[4];
  size_t n = 0;
  ASSERT_EQ(chunkbuf_framer_next_batch(f, buf, 0, recs, 4, &n, &v), CHUNKBUF_OK);
  ASSERT_EQ(n, 2u);
  std::string all = view_bytes(v);
  EXPECT_EQ(all.substr(recs[0].offset, recs[0].length), "PING");
  EXPECT_EQ(all.substr(recs[1].offset, recs[1].length), "PONG");
  chunkbuf_view_release(v);
  std::string big(20, 'x');
  ASSERT_EQ(chunkbuf_buffer_append(buf, big.data(), big.size()), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_framer_next(f, buf, 0, &v), CHUNKBUF_EFRAMELIMIT);
  size_t len = 0;
  ASSERT_EQ(chunkbuf_buffer_len(buf, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, 20u);
  chunkbuf_framer_free(f);
  chunkbuf_buffer_free(buf);
}

TEST(FramerApi, LengthFramerRoundTripZeroCopy) {
  chunkbuf_length_framer_options o = CHUNKBUF_LENGTH_FRAMER_OPTIONS_INIT;
  o.length_width = 2;
  o.order = CHUNKBUF_LE;
  o.strip = 2;
  chunkbuf_framer* f = nullptr;
  ASSERT_EQ(chunkbuf_framer_new_length(&o, &f), CHUNKBUF_OK);
  chunkbuf_buffer* wire = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &wire), CHUNKBUF_OK);
  chunkbuf_view* payload = nullptr;
  ASSERT_EQ(chunkbuf_view_from_bytes(nullptr, "frame body", 10, &payload), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_framer_encode(f, wire, payload), CHUNKBUF_OK);
  struct iovec iov[4];
  size_t n = 0;
  ASSERT_EQ(chunkbuf_buffer_peek(wire, 100, iov, 4, &n), CHUNKBUF_OK);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(iov[0].iov_len, 2u);
  EXPECT_EQ(std::string(static_cast<char*>(iov[0].iov_base), 2), std::string("\x0a\x00", 2));
  const void* pdata = nullptr;
  size_t plen = 0;
  ASSERT_EQ(chunkbuf_view_data(payload, &pdata, &plen), CHUNKBUF_OK);
  EXPECT_EQ(iov[1].iov_base, pdata);  // the payload was not copied
  chunkbuf_view* out = nullptr;
  ASSERT_EQ(chunkbuf_framer_next(f, wire, 0, &out), CHUNKBUF_OK);
  EXPECT_EQ(view_bytes(out), "frame body");
  chunkbuf_view_release(out);
  EXPECT_EQ(chunkbuf_framer_next(f, wire, 0, &out), CHUNKBUF_ENEEDMORE);
  chunkbuf_view_release(payload);
  chunkbuf_buffer_free(wire);
  chunkbuf_framer_free(f);
}

TEST(RingApi, BoundedWritesAndWrapAround) {
  chunkbuf_ring* r = nullptr;
  ASSERT_EQ(chunkbuf_ring_new(5, &r), CHUNKBUF_OK);
  size_t n = 0;
  ASSERT_EQ(chunkbuf_ring_write(r, "abcdefg", 7, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 5u);
  char out[8];
  ASSERT_EQ(chunkbuf_ring_read(r, out, 3, &n), CHUNKBUF_OK);
  EXPECT_EQ(std::string(out, n), "abc");
  ASSERT_EQ(chunkbuf_ring_write(r, "XYZ", 3, &n), CHUNKBUF_OK);  // wraps
  EXPECT_EQ(n, 3u);
  ASSERT_EQ(chunkbuf_ring_peek(r, out, 8, &n), CHUNKBUF_OK);
  EXPECT_EQ(std::string(out, n), "deXYZ");
  ASSERT_EQ(chunkbuf_ring_readable_amount(r, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 5u);
  ASSERT_EQ(chunkbuf_ring_writable_amount(r, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 0u);
  ASSERT_EQ(chunkbuf_ring_capacity(r, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 5u);
  ASSERT_EQ(chunkbuf_ring_read(r, out, 8, &n), CHUNKBUF_OK);
  EXPECT_EQ(std::string(out, n), "deXYZ");
  chunkbuf_ring_free(r);
}
