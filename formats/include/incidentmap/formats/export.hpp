#pragma once

#include "incidentmap/store/store.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace incidentmap::incidents {

/// Export formats; all but GeoJSON go through GDAL/OGR.
enum class ExportFormat { geojson, geojsonseq, gpkg, csv, kml, fgb };

/// "geojson", "geojsonseq", "gpkg", "csv", "kml", "fgb". Throws InvalidInput for others.
ExportFormat parse_export_format(const std::string& name);
/// The media type and the file extension of a format.
const char* media_type(ExportFormat f) noexcept;
const char* file_extension(ExportFormat f) noexcept;
/// True when the format can be written to a stream (stdout, an HTTP response).
bool streams_to_stdout(ExportFormat f) noexcept;

/// Writes every incident matching the query (ignoring limit/offset) to `path` ("-" = stdout).
/// Columns use ACLED's names (event_id_cnty, event_date, latitude, longitude, ...). Returns the
/// count. Throws InvalidInput / StorageError (with GDAL's message).
std::size_t export_incidents(IncidentStore& store, const IncidentQuery& query, ExportFormat format,
                             const std::string& path);

/// Writes the export to a temporary file and hands its bytes to `sink` in chunks; for the HTTP
/// API. Returns the count.
std::size_t export_to_sink(IncidentStore& store, const IncidentQuery& query, ExportFormat format,
                           const std::function<void(std::string_view)>& sink);

namespace detail {
/// The GeoJSON export; tables whose id span exceeds `min_parallel_span` are read by one worker
/// per core (exposed for tests).
std::size_t export_geojson(IncidentStore& store, const IncidentQuery& query,
                           const std::function<void(std::string_view)>& sink,
                           std::int64_t min_parallel_span);
} // namespace detail

} // namespace incidentmap::incidents
