#pragma once

#include "incidentmap/incidents/feature.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace incidentmap::incidents {

/// Writes an RFC 7946 FeatureCollection incrementally (no DOM): features are serialised as they
/// come and handed to the sink in chunks of about 64 KiB. Not thread-safe.
class GeoJsonWriter {
public:
    using Sink = std::function<void(std::string_view)>;

    /// `foreign_members` is raw JSON object content (without braces) written before "features",
    /// e.g. "\"numberMatched\":5".
    explicit GeoJsonWriter(Sink sink, const std::string& foreign_members = {});
    GeoJsonWriter(const GeoJsonWriter&) = delete;
    GeoJsonWriter& operator=(const GeoJsonWriter&) = delete;
    ~GeoJsonWriter();

    void add(const Incident& incident);
    /// Adds features rendered elsewhere: `count` Feature objects separated by commas, whose
    /// points span `bbox` (parallel exports render chunks on worker threads).
    void add_rendered(std::string_view features, std::size_t count, const geo::BBox& bbox);
    /// Closes the collection, writing `bbox` of all features and any trailing members.
    void finish(const std::string& trailing_members = {});
    [[nodiscard]] std::size_t count() const noexcept { return m_count; }

private:
    void flush_if_large();
    Sink m_sink;
    std::string m_buffer;
    std::size_t m_count = 0;
    geo::BBox m_bbox = geo::BBox::empty();
    bool m_finished = false;
};

/// Reads an incident from a GeoJSON Feature (properties as written by append_feature). Throws
/// InvalidInput naming the property.
Incident incident_from_feature(std::string_view json_text);

} // namespace incidentmap::incidents
