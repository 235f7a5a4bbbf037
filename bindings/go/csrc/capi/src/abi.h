// Where the C types and the engine's types must agree, checked by the
// compiler, and the first released size of every struct that carries a
// struct_size. Internal to the C API shim.
#pragma once

#include <cstddef>
#include <type_traits>

#include "chunkbuf.h"
#include "core/buffer.h"
#include "core/framer.h"
#include "core/kinds.h"
#include "core/pool.h"
#include "core/short_read.h"
#include "core/status.h"
#include "core/stream.h"

namespace chunkbuf::capi {

// The size each struct had in 0.1, the first release: a caller built
// against it passes this struct_size, and the fields added since take
// their defaults. A struct grows only at its end (the ABI guard allows
// nothing else), so the first new field's offset is the old size.
inline constexpr size_t kPoolOptionsSize01 = sizeof(chunkbuf_pool_options);
inline constexpr size_t kPoolStatsSize01 = sizeof(chunkbuf_pool_stats);
inline constexpr size_t kBufferOptionsSize01 = sizeof(chunkbuf_buffer_options);
inline constexpr size_t kStreamOptionsSize01 = offsetof(chunkbuf_stream_options, low_water);
inline constexpr size_t kDelimiterFramerOptionsSize01 = sizeof(chunkbuf_delimiter_framer_options);
inline constexpr size_t kLengthFramerOptionsSize01 = sizeof(chunkbuf_length_framer_options);

// Status codes are the C codes.
static_assert(static_cast<int>(Status::Ok) == CHUNKBUF_OK);
static_assert(static_cast<int>(Status::Inval) == CHUNKBUF_EINVAL);
static_assert(static_cast<int>(Status::Handle) == CHUNKBUF_EHANDLE);
static_assert(static_cast<int>(Status::NoMem) == CHUNKBUF_ENOMEM);
static_assert(static_cast<int>(Status::Limit) == CHUNKBUF_ELIMIT);
static_assert(static_cast<int>(Status::State) == CHUNKBUF_ESTATE);
static_assert(static_cast<int>(Status::NeedMore) == CHUNKBUF_ENEEDMORE);
static_assert(static_cast<int>(Status::Closed) == CHUNKBUF_ECLOSED);
static_assert(static_cast<int>(Status::Again) == CHUNKBUF_EAGAIN);
static_assert(static_cast<int>(Status::TimedOut) == CHUNKBUF_ETIMEDOUT);
static_assert(static_cast<int>(Status::Aborted) == CHUNKBUF_EABORTED);
static_assert(static_cast<int>(Status::Range) == CHUNKBUF_ERANGE);
static_assert(static_cast<int>(Status::Io) == CHUNKBUF_EIO);
static_assert(static_cast<int>(Status::NotSup) == CHUNKBUF_ENOTSUP);
static_assert(static_cast<int>(Status::Version) == CHUNKBUF_EVERSION);
static_assert(static_cast<int>(Status::FrameLimit) == CHUNKBUF_EFRAMELIMIT);
static_assert(static_cast<int>(Status::NoReserve) == CHUNKBUF_ENORESERVE);
static_assert(static_cast<int>(Status::Canceled) == CHUNKBUF_ECANCELED);
static_assert(npos == CHUNKBUF_NPOS);

// Line arrays of the stream hand-outs are reinterpreted too.
static_assert(sizeof(Line) == sizeof(chunkbuf_line));
static_assert(offsetof(Line, data) == offsetof(chunkbuf_line, data));
static_assert(offsetof(Line, length) == offsetof(chunkbuf_line, length));
static_assert(offsetof(Line, eol_length) == offsetof(chunkbuf_line, eol_length));

// End-of-line styles and byte orders are cast across.
static_assert(static_cast<int>(Eol::Any) == CHUNKBUF_EOL_ANY);
static_assert(static_cast<int>(Eol::Crlf) == CHUNKBUF_EOL_CRLF);
static_assert(static_cast<int>(Eol::CrlfStrict) == CHUNKBUF_EOL_CRLF_STRICT);
static_assert(static_cast<int>(Eol::Lf) == CHUNKBUF_EOL_LF);
static_assert(static_cast<int>(Eol::Nul) == CHUNKBUF_EOL_NUL);

static_assert(kKindRaw == CHUNKBUF_KIND_RAW);
static_assert(kKindPcm16 == CHUNKBUF_KIND_PCM16);
static_assert(kKindMulaw8 == CHUNKBUF_KIND_MULAW8);
static_assert(kKindJpeg == CHUNKBUF_KIND_JPEG);
static_assert(static_cast<int>(Order::Big) == CHUNKBUF_BE);
static_assert(static_cast<int>(Order::Little) == CHUNKBUF_LE);
static_assert(static_cast<int>(Short::Raise) == CHUNKBUF_SHORT_RAISE);
static_assert(static_cast<int>(Short::Partial) == CHUNKBUF_SHORT_PARTIAL);
static_assert(static_cast<int>(Short::Block) == CHUNKBUF_SHORT_BLOCK);

// A C read policy as the core's, or Inval.
inline chunkbuf::Status short_policy(int policy, chunkbuf::Short* out, const char* fn) noexcept {
  if (policy < CHUNKBUF_SHORT_RAISE || policy > CHUNKBUF_SHORT_BLOCK)
    return chunkbuf::fail(chunkbuf::Status::Inval, "%s: unknown read policy %d", fn, policy);
  *out = static_cast<chunkbuf::Short>(policy);
  return chunkbuf::Status::Ok;
}

// Record arrays are reinterpreted: same size and the same field offsets.
static_assert(sizeof(Record) == sizeof(chunkbuf_record));
static_assert(offsetof(Record, offset) == offsetof(chunkbuf_record, offset));
static_assert(offsetof(Record, length) == offsetof(chunkbuf_record, length));
static_assert(offsetof(Record, delim_length) == offsetof(chunkbuf_record, delim_length));
static_assert(std::is_standard_layout_v<Record> && std::is_trivially_copyable_v<Record>);

// Pool geometry and stats.
static_assert(kClasses == CHUNKBUF_POOL_CLASSES);
static_assert(kMinBlock == CHUNKBUF_POOL_MIN_BLOCK);
static_assert(sizeof(PoolStats::hits) / sizeof(PoolStats::hits[0]) == CHUNKBUF_POOL_CLASSES);

// Options: every C field has a core field of a type that holds it, and the
// C defaults (the _INIT macros, whose zeros mean "the engine's default")
// agree with the core defaults where they are spelled out.
template <typename C, typename Core>
constexpr bool holds = sizeof(Core) >= sizeof(C) && std::is_signed_v<C> == std::is_signed_v<Core>;
static_assert(holds<decltype(chunkbuf_buffer_options::max_bytes), decltype(BufferOptions::max_bytes)>);
static_assert(holds<decltype(chunkbuf_buffer_options::min_chunk), decltype(BufferOptions::min_chunk)>);
static_assert(holds<decltype(chunkbuf_buffer_options::tenant), decltype(BufferOptions::tenant)>);
static_assert(holds<decltype(chunkbuf_stream_options::content_length), decltype(StreamOptions::content_length)>);
static_assert(holds<decltype(chunkbuf_stream_options::high_water), decltype(StreamOptions::high_water)>);
static_assert(holds<decltype(chunkbuf_stream_options::low_water), decltype(StreamOptions::low_water)>);
static_assert(holds<decltype(chunkbuf_stream_options::max_bytes), decltype(StreamOptions::max_bytes)>);
static_assert(holds<decltype(chunkbuf_stream_options::tenant), decltype(StreamOptions::tenant)>);
static_assert(CHUNKBUF_UNKNOWN_LENGTH == kUnknownLength);
inline constexpr chunkbuf_stream_options kStreamDefaults = CHUNKBUF_STREAM_OPTIONS_INIT;
static_assert(kStreamDefaults.content_length == StreamOptions{}.content_length);
static_assert(kStreamDefaults.high_water == StreamOptions{}.high_water);
static_assert(kStreamDefaults.low_water == StreamOptions{}.low_water);
inline constexpr chunkbuf_length_framer_options kLengthDefaults = CHUNKBUF_LENGTH_FRAMER_OPTIONS_INIT;
static_assert(kLengthDefaults.length_width == LengthFramerOptions{}.length_width);
static_assert(kLengthDefaults.length_offset == LengthFramerOptions{}.length_offset);
static_assert(kLengthDefaults.max_frame == LengthFramerOptions{}.max_frame);
static_assert(holds<decltype(chunkbuf_pool_options::max_cached_bytes_per_class),
                    decltype(PoolOptions::max_cached_bytes_per_class)>);
static_assert(holds<decltype(chunkbuf_length_framer_options::length_adjust),
                    decltype(LengthFramerOptions::length_adjust)>);
static_assert(holds<decltype(chunkbuf_length_framer_options::max_frame), decltype(LengthFramerOptions::max_frame)>);
static_assert(holds<decltype(chunkbuf_length_framer_options::strip), decltype(LengthFramerOptions::strip)>);
static_assert(holds<decltype(chunkbuf_length_framer_options::length_width),
                    decltype(LengthFramerOptions::length_width)>);
static_assert(holds<decltype(chunkbuf_length_framer_options::length_offset),
                    decltype(LengthFramerOptions::length_offset)>);

// Every struct_size-carrying struct starts with it.
static_assert(offsetof(chunkbuf_pool_options, struct_size) == 0);
static_assert(offsetof(chunkbuf_pool_stats, struct_size) == 0);
static_assert(offsetof(chunkbuf_buffer_options, struct_size) == 0);
static_assert(offsetof(chunkbuf_stream_options, struct_size) == 0);
static_assert(offsetof(chunkbuf_delimiter_framer_options, struct_size) == 0);
static_assert(offsetof(chunkbuf_length_framer_options, struct_size) == 0);

}  // namespace chunkbuf::capi
