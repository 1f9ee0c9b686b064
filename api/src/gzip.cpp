#include "gzip.hpp"

#define ZLIB_CONST
#include <zlib.h>

#include <memory>

namespace incidentmap::api::detail {

namespace {

/// Ends a deflate stream (frees zlib's state), for a stream that deflateInit2 set up.
struct DeflateEnd {
    void operator()(z_stream* zs) const noexcept { deflateEnd(zs); }
};

} // namespace

std::optional<std::string> gzip_fast(std::string_view data) {
    z_stream zs{};
    // 15 + 16: the largest window, with a gzip header and trailer instead of zlib's.
    if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return std::nullopt;
    }
    const std::unique_ptr<z_stream, DeflateEnd> end(&zs); // also when the allocation throws
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
    zs.next_in = reinterpret_cast<const Bytef*>(data.data());
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
        return std::nullopt;
    }
    out.resize(zs.total_out);
    return out;
}

} // namespace incidentmap::api::detail
