// A layer of any dataset GDAL reads, as rows: attributes as text, the point as longitude and
// latitude cells, in WGS 84.

#include "rows.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/text/utf8.hpp"

#include "incidentmap/text/ascii.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <memory>

namespace incidentmap::incidents {

namespace {

struct DatasetCloser {
    void operator()(void* ds) const noexcept { GDALClose(ds); }
};
struct FeatureDestroyer {
    void operator()(void* f) const noexcept { OGR_F_Destroy(f); }
};
struct SrsReleaser {
    void operator()(void* s) const noexcept { OSRRelease(s); }
};
struct TransformDestroyer {
    void operator()(void* t) const noexcept { OCTDestroyCoordinateTransformation(t); }
};
using DatasetPtr = std::unique_ptr<void, DatasetCloser>;
using FeaturePtr = std::unique_ptr<void, FeatureDestroyer>;
using SrsPtr = std::unique_ptr<void, SrsReleaser>;
using TransformPtr = std::unique_ptr<void, TransformDestroyer>;

// GDAL's warnings (a driver's notes on a file) stay out of the import's output; its last error
// message goes into ours.
struct QuietErrors {
    QuietErrors() { CPLPushErrorHandler(CPLQuietErrorHandler); }
    QuietErrors(const QuietErrors&) = delete;
    QuietErrors& operator=(const QuietErrors&) = delete;
    ~QuietErrors() { CPLPopErrorHandler(); }
};

// A GDAL setting for this thread, restored at the end of the scope.
class ThreadConfig {
public:
    ThreadConfig(const char* key, const char* value) : m_key(key) {
        if (const char* old = CPLGetThreadLocalConfigOption(key, nullptr)) {
            m_old = old;
            m_had = true;
        }
        CPLSetThreadLocalConfigOption(key, value);
    }
    ThreadConfig(const ThreadConfig&) = delete;
    ThreadConfig& operator=(const ThreadConfig&) = delete;
    ~ThreadConfig() { CPLSetThreadLocalConfigOption(m_key, m_had ? m_old.c_str() : nullptr); }

private:
    const char* m_key;
    std::string m_old;
    bool m_had = false;
};

std::string number_text(double v) {
    std::array<char, 32> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    return ec == std::errc() ? std::string(buf.data(), end) : std::string();
}

// A field's value as the text a CSV file would carry: numbers as they round-trip, dates and
// date-times in ISO 8601 (GDAL's own text is 2023/03/13), other text as UTF-8.
std::string cell_text(OGRFeatureH f, int k, OGRFieldType type) {
    if (!OGR_F_IsFieldSetAndNotNull(f, k)) {
        return {};
    }
    switch (type) {
    case OFTInteger:
    case OFTInteger64:
        return std::to_string(OGR_F_GetFieldAsInteger64(f, k));
    case OFTReal:
        return number_text(OGR_F_GetFieldAsDouble(f, k));
    case OFTDate:
    case OFTDateTime:
    case OFTTime: {
        int y = 0, mo = 0, d = 0, h = 0, mi = 0, tz = 0;
        float s = 0;
        if (!OGR_F_GetFieldAsDateTimeEx(f, k, &y, &mo, &d, &h, &mi, &s, &tz)) {
            return {};
        }
        std::array<char, 40> buf{};
        if (type == OFTDate) {
            std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02d", y, mo, d);
        } else if (type == OFTTime) {
            std::snprintf(buf.data(), buf.size(), "%02d:%02d:%02d", h, mi, static_cast<int>(s));
        } else {
            std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi,
                          static_cast<int>(s));
        }
        return buf.data();
    }
    default: {
        std::string t = OGR_F_GetFieldAsString(f, k);
        return text::is_valid_utf8(t) ? t : detail::from_cp1252(t);
    }
    }
}

// The layer's features as rows: its attributes, then the point's longitude and latitude as the
// last two cells (when the layer has a geometry; attributes of those names are then known by
// another name, and read only where a feature has no geometry).
class GdalRows : public detail::RowSource {
public:
    GdalRows(OGRLayerH layer, std::string name) : m_layer(layer), m_name(std::move(name)) {
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
        const int n = OGR_FD_GetFieldCount(defn);
        for (int k = 0; k < n; ++k) {
            OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, k);
            m_types.push_back(OGR_Fld_GetType(fd));
            m_header.emplace_back(OGR_Fld_GetNameRef(fd));
        }
        m_geometry = OGR_FD_GetGeomFieldCount(defn) > 0;
        if (!m_geometry) {
            return;
        }
        for (std::size_t k = 0; k < m_header.size(); ++k) {
            const auto l = text::lower_ascii(m_header[k]);
            if (l == "longitude" || l == "lon" || l == "lng" || l == "long") {
                m_attribute_lon = static_cast<int>(k);
                m_header[k] += " (attribute)";
            } else if (l == "latitude" || l == "lat") {
                m_attribute_lat = static_cast<int>(k);
                m_header[k] += " (attribute)";
            }
        }
        m_header.emplace_back("longitude");
        m_header.emplace_back("latitude");
        OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
        if (srs == nullptr) {
            return; // no CRS said: taken as WGS 84 longitude, latitude (checked for range)
        }
        SrsPtr wgs84(OSRNewSpatialReference(nullptr));
        OSRImportFromEPSG(wgs84.get(), 4326);
        OSRSetAxisMappingStrategy(wgs84.get(), OAMS_TRADITIONAL_GIS_ORDER);
        SrsPtr source(OSRClone(srs));
        OSRSetAxisMappingStrategy(source.get(), OAMS_TRADITIONAL_GIS_ORDER);
        if (OSRIsSame(source.get(), wgs84.get())) {
            return;
        }
        m_transform.reset(OCTNewCoordinateTransformation(source.get(), wgs84.get()));
        if (!m_transform) {
            throw InvalidInput("the layer " + m_name +
                               "'s CRS cannot be transformed to WGS 84: " + CPLGetLastErrorMsg());
        }
    }

    [[nodiscard]] const std::vector<std::string>& header() const override { return m_header; }

    void read(detail::RowVisitor& visitor) override {
        OGR_L_ResetReading(m_layer);
        std::vector<std::string> cells;
        std::size_t n = 0;
        while (FeaturePtr f{OGR_L_GetNextFeature(m_layer)}) {
            ++n;
            const std::string where = "feature " + std::to_string(n);
            cells.assign(m_header.size(), std::string());
            for (std::size_t k = 0; k < m_types.size(); ++k) {
                cells[k] = cell_text(f.get(), static_cast<int>(k), m_types[k]);
            }
            if (m_geometry) {
                if (auto message = point(f.get(), cells); !message.empty()) {
                    visitor.error(n, std::string(where).append(": ").append(message));
                    continue;
                }
            }
            visitor.row(cells, n, where);
        }
    }

private:
    // The feature's point into the last two cells; the reason when it has none.
    std::string point(OGRFeatureH f, std::vector<std::string>& cells) const {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        const std::size_t lon = cells.size() - 2;
        const std::size_t lat = cells.size() - 1;
        if (g == nullptr || OGR_G_IsEmpty(g)) {
            if (m_attribute_lon >= 0 && m_attribute_lat >= 0) {
                cells[lon] = cells[static_cast<std::size_t>(m_attribute_lon)];
                cells[lat] = cells[static_cast<std::size_t>(m_attribute_lat)];
                return {};
            }
            return "the feature has no geometry (and no latitude/longitude attributes)";
        }
        const auto type = wkbFlatten(OGR_G_GetGeometryType(g));
        if (type == wkbMultiPoint && OGR_G_GetGeometryCount(g) == 1) {
            g = OGR_G_GetGeometryRef(g, 0);
        } else if (type != wkbPoint) {
            // Its centroid would be a place the data never named (a road's, a region's); an
            // incident is stored at its point, so the reader says which features have none.
            return std::string("the geometry is a ") + OGR_G_GetGeometryName(g) +
                   ", not a point (make points with ogr2ogr -dialect SQLite -sql "
                   "\"SELECT PointOnSurface(geometry) AS geometry, * FROM layer\")";
        }
        double x = OGR_G_GetX(g, 0);
        double y = OGR_G_GetY(g, 0);
        if (m_transform && !OCTTransform(m_transform.get(), 1, &x, &y, nullptr)) {
            return "the point cannot be transformed to WGS 84";
        }
        cells[lon] = number_text(x);
        cells[lat] = number_text(y);
        return {};
    }

    OGRLayerH m_layer;
    std::string m_name;
    std::vector<std::string> m_header;
    std::vector<OGRFieldType> m_types;
    bool m_geometry = false;
    int m_attribute_lon = -1;
    int m_attribute_lat = -1;
    TransformPtr m_transform;
};

} // namespace

ImportReport import_dataset(IncidentStore& store, const std::string& path,
                            const ImportOptions& options) {
    GDALAllRegister();
    QuietErrors quiet;
    std::string source = path;
    if (source.rfind("/vsi", 0) != 0 && source.size() > 4 &&
        text::lower_ascii(source.substr(source.size() - 4)) == ".zip") {
        source = "/vsizip/" + source;
    }
    // A spreadsheet's first row is its header, even where every cell is text (GDAL would then
    // take it for data and name the columns Field1, Field2, ...). GDAL reads sheets lazily, so
    // the setting holds for the whole import.
    const ThreadConfig xlsx_headers("OGR_XLSX_HEADERS", "FORCE");
    const ThreadConfig ods_headers("OGR_ODS_HEADERS", "FORCE");
    auto open = [](const std::string& name) {
        return DatasetPtr(
            GDALOpenEx(name.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    };
    DatasetPtr ds = open(source);
    if (!ds && source.rfind("/vsizip/", 0) == 0) {
        // A download's zip holds its data file beside a codebook or a readme: the one member
        // GDAL reads is the data.
        std::vector<std::string> readable;
        std::string members;
        char** list = VSIReadDirRecursive(source.c_str());
        for (char** m = list; m != nullptr && *m != nullptr; ++m) {
            members += (members.empty() ? "" : ", ") + std::string(*m);
            const std::string member = source + "/" + *m;
            VSIStatBufL stat{};
            if (VSIStatL(member.c_str(), &stat) != 0 || VSI_ISDIR(stat.st_mode)) {
                continue;
            }
            if (GDALIdentifyDriverEx(member.c_str(), GDAL_OF_VECTOR, nullptr, nullptr) != nullptr) {
                readable.push_back(member);
            }
        }
        CSLDestroy(list);
        if (readable.size() == 1) {
            ds = open(readable.front());
        } else if (readable.size() > 1) {
            throw InvalidInput("'" + path + "' holds several files GDAL reads (" + members +
                               "): give " + source + "/FILE");
        }
    }
    if (!ds) {
        const std::string why = CPLGetLastErrorMsg();
        throw InvalidInput("GDAL cannot read '" + path + "' as a vector dataset" +
                           (why.empty() ? std::string() : ": " + why));
    }
    const int layers = GDALDatasetGetLayerCount(ds.get());
    std::string names;
    for (int k = 0; k < layers; ++k) {
        names +=
            (k == 0 ? "" : ", ") + std::string(OGR_L_GetName(GDALDatasetGetLayer(ds.get(), k)));
    }
    OGRLayerH layer = nullptr;
    if (!options.layer.empty()) {
        layer = GDALDatasetGetLayerByName(ds.get(), options.layer.c_str());
        if (layer == nullptr) {
            throw InvalidInput("'" + path + "' has no layer " + options.layer +
                               " (its layers: " + names + ")");
        }
    } else if (layers == 1) {
        layer = GDALDatasetGetLayer(ds.get(), 0);
    } else {
        throw InvalidInput("'" + path + "' has " + std::to_string(layers) +
                           " layers; name one with --layer (" + names + ")");
    }
    GdalRows rows(layer, OGR_L_GetName(layer));
    bool ucdp = false;
    for (const auto& h : rows.header()) {
        ucdp = ucdp || text::lower_ascii(h) == "type_of_violence";
    }
    return detail::import_rows(store, rows, ucdp, options,
                               ucdp ? "a UCDP GED layer" : "an ACLED-style layer");
}

} // namespace incidentmap::incidents
