#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace incidentmap::incidents::detail {

/// The byte span of one feature in a GeoJSON document, half-open.
struct Span {
    std::size_t begin;
    std::size_t end;
};

/// Splits a GeoJSON document into its features' byte spans (a top-level FeatureCollection, a
/// bare array of features, or a text sequence of one object per line) without building a DOM.
/// Throws InvalidInput when there is no features array.
std::vector<Span> feature_spans(const std::string& doc);

} // namespace incidentmap::incidents::detail
