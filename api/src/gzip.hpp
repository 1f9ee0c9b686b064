#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace incidentmap::api::detail {

/// `data` as a gzip member, compressed at the fastest level (answers are made per request, so
/// speed matters more than the last percent); nullopt when zlib fails. Thread-safe.
std::optional<std::string> gzip_fast(std::string_view data);

} // namespace incidentmap::api::detail
