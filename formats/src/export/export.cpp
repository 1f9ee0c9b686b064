#include "incidentmap/formats/export.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/formats/geojson_writer.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/incidents/fields.hpp"

#include "acled_columns.hpp"

#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_api.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

namespace incidentmap::incidents {

namespace {

namespace fs = std::filesystem;

struct DatasetCloser {
    void operator()(GDALDatasetH ds) const noexcept { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<void, DatasetCloser>;

struct TranslateOptionsDeleter {
    void operator()(GDALVectorTranslateOptions* o) const noexcept {
        GDALVectorTranslateOptionsFree(o);
    }
};

// A column's key: `"name":`, after a comma but for the first.
void append_key(std::string& out, std::string_view name, bool& first) {
    if (!first) {
        out.push_back(',');
    }
    first = false;
    out.push_back('"');
    out += name;
    out += "\":";
}

// A column of the ACLED layout by what it carries; a null is left out.
void append_flat_column(std::string& out, const detail::AcledColumn& c, const Incident& i,
                        bool& first) {
    if (c.kind == detail::AcledColumnKind::evidence) {
        std::string evidence;
        for (const auto& e : i.evidence) {
            evidence += (evidence.empty() ? "" : " | ") + e.text;
        }
        append_key(out, c.name, first);
        geo::append_json_string(out, evidence);
        return;
    }
    const FieldValue v = get_field(i, c.field);
    if (v.null) {
        return;
    }
    append_key(out, c.name, first);
    const FieldType type = info(c.field).type;
    if (c.kind == detail::AcledColumnKind::year) {
        out += std::to_string(std::stoll(std::string(v.text.substr(0, 4))));
    } else if (c.field == Field::source_id) {
        // ACLED's event id: the source's own id when the incident came from a dataset.
        geo::append_json_string(out, !i.source_id.empty() ? i.source_id
                                                          : (i.country.empty() ? "XX" : i.country) +
                                                                std::to_string(i.id));
    } else if (is_textual(type)) {
        geo::append_json_string(out, v.text);
    } else if (type == FieldType::integer) {
        out += std::to_string(v.integer);
    } else {
        geo::append_coordinate(out, v.number);
    }
}

// A flat feature with ACLED's column names (detail::acled_columns), for formats without nested
// values.
void append_flat_feature(std::string& out, const Incident& i) {
    out += R"({"type":"Feature","geometry":{"type":"Point","coordinates":)";
    geo::append_position(out, i.point);
    out += R"(},"properties":{)";
    bool first = true;
    for (const auto& c : detail::acled_columns) {
        append_flat_column(out, c, i, first);
    }
    out += "}}";
}

const char* driver_of(ExportFormat f) {
    switch (f) {
    case ExportFormat::gpkg:
        return "GPKG";
    case ExportFormat::csv:
        return "CSV";
    case ExportFormat::kml:
        return "KML";
    case ExportFormat::fgb:
        return "FlatGeobuf";
    case ExportFormat::geojsonseq:
        return "GeoJSONSeq";
    case ExportFormat::geojson:
        return "GeoJSON";
    }
    return "GeoJSON";
}

std::string temp_path(const char* ext) {
    static std::atomic<unsigned> counter{0};
    return (fs::temp_directory_path() / ("incidentmap-export-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter++) + ext))
        .string();
}

std::size_t write_via_gdal(IncidentStore& store, const IncidentQuery& q, ExportFormat format,
                           const std::string& target) {
    GDALAllRegister();
    const std::string src = temp_path(".geojson");
    std::size_t n = 0;
    {
        std::ofstream out(src, std::ios::binary);
        if (!out) {
            throw StorageError("cannot write a temporary file in " +
                               fs::temp_directory_path().string());
        }
        std::string buf = R"({"type":"FeatureCollection","features":[)";
        n = store.for_each(q, [&](Incident& i) {
            if (buf.back() != '[') {
                buf.push_back(',');
            }
            append_flat_feature(buf, i);
            if (buf.size() > (1 << 16)) {
                out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
                buf.clear();
                buf.push_back(' ');
            }
        });
        buf += "]}";
        out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    }
    struct Cleanup {
        std::string path;
        ~Cleanup() {
            std::error_code ec;
            fs::remove(path, ec);
        }
    } cleanup{src};
    // Every format but GeoPackage (which has a DATE type) keeps ISO dates as text: GDAL would
    // write "2022/03/29" or a date-time otherwise.
    const bool text_dates = format != ExportFormat::gpkg;
    const char* open_opts[] = {"ARRAY_AS_STRING=YES", text_dates ? "DATE_AS_STRING=YES" : nullptr,
                               nullptr};
    DatasetPtr in(
        GDALOpenEx(src.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_opts, nullptr));
    if (!in) {
        throw StorageError(std::string("GDAL cannot read the intermediate GeoJSON: ") +
                           CPLGetLastErrorMsg());
    }
    std::vector<std::string> argv_s = {"-f", driver_of(format), "-nln", "incidents"};
    if (format == ExportFormat::csv) {
        argv_s.push_back("-lco");
        argv_s.push_back("GEOMETRY=AS_WKT");
    }
    if (format == ExportFormat::geojsonseq || format == ExportFormat::gpkg ||
        format == ExportFormat::fgb) {
        argv_s.push_back("-a_srs");
        argv_s.push_back("EPSG:4326");
    }
    std::vector<char*> argv;
    argv.reserve(argv_s.size() + 1);
    for (auto& a : argv_s) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::unique_ptr<GDALVectorTranslateOptions, TranslateOptionsDeleter> opts(
        GDALVectorTranslateOptionsNew(argv.data(), nullptr));
    std::error_code ec;
    fs::remove(target, ec);
    GDALDatasetH src_ds = in.get();
    int usage_error = 0;
    DatasetPtr out(
        GDALVectorTranslate(target.c_str(), nullptr, 1, &src_ds, opts.get(), &usage_error));
    if (!out || usage_error) {
        throw StorageError(std::string("GDAL export to ") + driver_of(format) +
                           " failed: " + CPLGetLastErrorMsg());
    }
    return n;
}

// A GeoJSON export on every core: the id range is cut into chunks that workers, each with its
// own connection, read and render; this thread writes the chunks in order. Workers stay at most
// a few chunks ahead of the writer, so memory stays bounded whatever the size of the export.
} // namespace

namespace {

// Reading connections for a parallel export of the ids in `bounds`, or none when one reader
// will do (one core, a small span, a store that cannot be shared). Each is opened for
// streaming (a small page cache: the caller's may be large, and filling it only page-faults).
std::vector<std::unique_ptr<IncidentStore>>
parallel_readers(IncidentStore& store,
                 const std::optional<std::pair<std::int64_t, std::int64_t>>& bounds,
                 std::int64_t min_parallel_span) {
    std::vector<std::unique_ptr<IncidentStore>> readers;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    if (bounds && cores > 1 && bounds->second - bounds->first > min_parallel_span) {
        for (unsigned k = 0; k < std::min(cores, 4u); ++k) {
            auto s = store.reopen();
            if (!s) {
                break;
            }
            readers.push_back(std::move(s));
        }
    }
    return readers;
}

// The matches of a query rendered by several readers, a chunk of ids each at a time, and
// written in id order: a reader renders at most `window` chunks ahead of the writer, so that
// the buffers in flight stay few.
class ParallelExport {
public:
    ParallelExport(const IncidentQuery& q, std::pair<std::int64_t, std::int64_t> bounds,
                   std::size_t readers)
        : m_query(q), m_lo(bounds.first), m_hi(bounds.second), m_window(readers * 3) {
        const auto span = static_cast<std::uint64_t>(m_hi - m_lo) + 1;
        // Chunks of 2,048 ids (about a megabyte of GeoJSON): the buffers in flight stay small.
        m_chunks =
            std::clamp<std::size_t>(static_cast<std::size_t>(span / 2048), readers * 4, 1 << 16);
        m_step = static_cast<std::int64_t>((span + m_chunks - 1) / m_chunks);
        m_done.resize(m_chunks);
    }

    // Runs the readers and writes their chunks in order; rethrows the first error of any.
    void run(const std::vector<std::unique_ptr<IncidentStore>>& readers, GeoJsonWriter& writer) {
        std::vector<std::thread> threads;
        threads.reserve(readers.size());
        for (const auto& r : readers) {
            threads.emplace_back([this, st = r.get()] { read_chunks(*st); });
        }
        try {
            write_chunks(writer);
        } catch (...) {
            fail(std::current_exception());
        }
        for (auto& t : threads) {
            t.join();
        }
        if (m_error) {
            std::rethrow_exception(m_error);
        }
    }

private:
    struct Chunk {
        std::string json;
        std::size_t count = 0;
        geo::BBox bbox = geo::BBox::empty();
        bool ready = false;
    };

    void fail(std::exception_ptr e) {
        std::lock_guard lock(m_mutex);
        if (!m_error) {
            m_error = std::move(e);
        }
        m_failed = true;
        m_changed.notify_all();
    }

    // The next chunk to render, once it is within the window; nullopt when none is left.
    std::optional<std::size_t> claim() {
        std::unique_lock lock(m_mutex);
        m_changed.wait(
            lock, [&] { return m_failed || m_next >= m_chunks || m_next < m_written + m_window; });
        if (m_failed || m_next >= m_chunks) {
            return std::nullopt;
        }
        return m_next++;
    }

    // A buffer the writer is done with (its pages are mapped already: fresh memory
    // page-faults on every first touch), with room for the largest chunk so far, so that
    // buffers grow to one size and stay there.
    std::string buffer() {
        std::string json;
        std::lock_guard lock(m_mutex);
        if (!m_buffers.empty()) {
            json = std::move(m_buffers.back());
            m_buffers.pop_back();
            json.clear();
        }
        json.reserve(m_expected_bytes);
        return json;
    }

    void read_chunks(IncidentStore& st) {
        try {
            while (const auto c = claim()) {
                IncidentQuery sub = m_query;
                const std::int64_t first = m_lo + static_cast<std::int64_t>(*c) * m_step;
                sub.id_range = std::make_pair(first, std::min(m_hi, first + m_step - 1));
                Chunk local;
                local.json = buffer();
                local.count = st.append_features(sub, local.json, local.bbox);
                {
                    std::lock_guard lock(m_mutex);
                    m_expected_bytes = std::max(m_expected_bytes,
                                                local.json.size() + local.json.size() / 8 + 4096);
                    m_done[*c] = std::move(local);
                    m_done[*c].ready = true;
                }
                m_changed.notify_all();
            }
        } catch (...) {
            fail(std::current_exception());
        }
    }

    void write_chunks(GeoJsonWriter& writer) {
        for (std::size_t c = 0; c < m_chunks; ++c) {
            Chunk chunk;
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [&] { return m_failed || m_done[c].ready; });
                if (m_failed) {
                    return;
                }
                chunk = std::move(m_done[c]);
                m_written = c + 1;
            }
            m_changed.notify_all();
            writer.add_rendered(chunk.json, chunk.count, chunk.bbox);
            std::lock_guard lock(m_mutex);
            m_buffers.push_back(std::move(chunk.json));
        }
    }

    const IncidentQuery& m_query;
    std::int64_t m_lo;
    std::int64_t m_hi;
    std::size_t m_window;
    std::size_t m_chunks = 0;
    std::int64_t m_step = 1;
    std::vector<Chunk> m_done;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::size_t m_next = 0;    // the next chunk a reader claims
    std::size_t m_written = 0; // chunks written so far
    bool m_failed = false;
    std::exception_ptr m_error;
    std::size_t m_expected_bytes = 1 << 20; // the largest chunk so far, with some room
    std::vector<std::string> m_buffers;     // written chunks' storage, for reuse
};

} // namespace

std::size_t detail::export_geojson(IncidentStore& store, const IncidentQuery& q,
                                   const std::function<void(std::string_view)>& sink,
                                   std::int64_t min_parallel_span) {
    GeoJsonWriter writer(sink);
    auto bounds = store.id_bounds();
    if (bounds && q.id_range) {
        bounds->first = std::max(bounds->first, q.id_range->first);
        bounds->second = std::min(bounds->second, q.id_range->second);
    }
    const auto readers = parallel_readers(store, bounds, min_parallel_span);
    if (readers.empty()) {
        store.for_each(q, [&](Incident& i) { writer.add(i); });
    } else {
        ParallelExport(q, *bounds, readers.size()).run(readers, writer);
    }
    writer.finish();
    return writer.count();
}

namespace {

std::size_t export_geojson(IncidentStore& store, const IncidentQuery& q,
                           const std::function<void(std::string_view)>& sink) {
    return detail::export_geojson(store, q, sink, 50000);
}

} // namespace

ExportFormat parse_export_format(const std::string& name) {
    if (name == "geojson" || name == "json")
        return ExportFormat::geojson;
    if (name == "geojsonseq" || name == "geojsonl")
        return ExportFormat::geojsonseq;
    if (name == "gpkg" || name == "geopackage")
        return ExportFormat::gpkg;
    if (name == "csv")
        return ExportFormat::csv;
    if (name == "kml")
        return ExportFormat::kml;
    if (name == "fgb" || name == "flatgeobuf")
        return ExportFormat::fgb;
    throw InvalidInput("unknown export format '" + name.substr(0, 30) +
                       "' (geojson, geojsonseq, gpkg, csv, kml, fgb)");
}

const char* media_type(ExportFormat f) noexcept {
    switch (f) {
    case ExportFormat::geojson:
        return "application/geo+json";
    case ExportFormat::geojsonseq:
        return "application/geo+json-seq";
    case ExportFormat::gpkg:
        return "application/geopackage+sqlite3";
    case ExportFormat::csv:
        return "text/csv; charset=utf-8";
    case ExportFormat::kml:
        return "application/vnd.google-earth.kml+xml";
    case ExportFormat::fgb:
        return "application/flatgeobuf";
    }
    return "application/octet-stream";
}

const char* file_extension(ExportFormat f) noexcept {
    switch (f) {
    case ExportFormat::geojson:
        return ".geojson";
    case ExportFormat::geojsonseq:
        return ".geojsons";
    case ExportFormat::gpkg:
        return ".gpkg";
    case ExportFormat::csv:
        return ".csv";
    case ExportFormat::kml:
        return ".kml";
    case ExportFormat::fgb:
        return ".fgb";
    }
    return ".bin";
}

bool streams_to_stdout(ExportFormat f) noexcept {
    return f == ExportFormat::geojson || f == ExportFormat::geojsonseq || f == ExportFormat::csv ||
           f == ExportFormat::kml;
}

std::size_t export_to_sink(IncidentStore& store, const IncidentQuery& q, ExportFormat format,
                           const std::function<void(std::string_view)>& sink) {
    if (format == ExportFormat::geojson) {
        return export_geojson(store, q, sink);
    }
    const std::string tmp = temp_path(file_extension(format));
    struct Cleanup {
        std::string path;
        ~Cleanup() {
            std::error_code ec;
            fs::remove(path, ec);
        }
    } cleanup{tmp};
    auto n = write_via_gdal(store, q, format, tmp);
    std::ifstream in(tmp, std::ios::binary);
    std::string buf(1 << 16, '\0');
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        auto got = static_cast<std::size_t>(in.gcount());
        if (got) {
            sink(std::string_view(buf.data(), got));
        }
    }
    return n;
}

std::size_t export_incidents(IncidentStore& store, const IncidentQuery& q, ExportFormat format,
                             const std::string& path) {
    if (path == "-") {
        return export_to_sink(store, q, format, [](std::string_view c) {
            std::cout.write(c.data(), static_cast<std::streamsize>(c.size()));
        });
    }
    if (format == ExportFormat::geojson) {
        std::ofstream out(path, std::ios::binary);
        if (!out) {
            throw StorageError("cannot write '" + path + "'");
        }
        return export_to_sink(store, q, format, [&](std::string_view c) {
            out.write(c.data(), static_cast<std::streamsize>(c.size()));
        });
    }
    return write_via_gdal(store, q, format, path);
}

} // namespace incidentmap::incidents
