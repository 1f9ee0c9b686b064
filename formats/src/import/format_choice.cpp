// Which reader a file goes to, and the options that name readers and columns: the format a
// path or the first bytes of a file show, --format and --map.

#include "incidentmap/error.hpp"
#include "incidentmap/formats/import.hpp"
#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/text/ascii.hpp"

#include "acled_columns.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::incidents {

using text::lower_ascii;
using text::trim_space;

bool is_gdal_path(std::string_view path) noexcept {
    if (path.size() >= 4 && path.substr(0, 4) == "/vsi") {
        return true;
    }
    const auto dot = path.rfind('.');
    if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) {
        return false;
    }
    std::string ext(path.substr(dot + 1));
    for (auto& c : ext) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    static constexpr std::array<std::string_view, 12> gdal_only{
        "zip", "xlsx", "ods", "gpkg", "shp", "kml", "kmz", "fgb", "gml", "gdb", "dbf", "tab"};
    return std::find(gdal_only.begin(), gdal_only.end(), ext) != gdal_only.end();
}

std::vector<Field> mappable_fields() {
    std::vector<Field> out;
    for (const auto& f : fields) {
        const bool has_column =
            std::any_of(detail::acled_columns.begin(), detail::acled_columns.end(),
                        [&](const detail::AcledColumn& c) {
                            return c.kind == detail::AcledColumnKind::value && c.field == f.field;
                        });
        if (!f.assigned && has_column) {
            out.push_back(f.field);
        }
    }
    return out;
}

std::vector<ColumnMapping> parse_column_mapping(std::string_view text) {
    std::vector<ColumnMapping> out;
    const auto valid = mappable_fields();
    while (!text.empty()) {
        const auto comma = text.find(',');
        const auto pair = trim_space(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        if (pair.empty()) {
            continue;
        }
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos || trim_space(pair.substr(eq + 1)).empty()) {
            throw InvalidInput("--map takes FIELD=COLUMN pairs separated by commas, not '" +
                               std::string(pair.substr(0, 60)) + "'");
        }
        const auto target = trim_space(pair.substr(0, eq));
        const FieldInfo* f = find_field(target);
        if (f == nullptr || std::find(valid.begin(), valid.end(), f->field) == valid.end()) {
            std::string names;
            for (auto v : valid) {
                names += (names.empty() ? "" : ", ") + std::string(info(v).name);
            }
            throw InvalidInput("--map: '" + std::string(target.substr(0, 40)) +
                               "' is not a field a column can be read as (those are: " + names +
                               ")");
        }
        if (std::any_of(out.begin(), out.end(),
                        [&](const ColumnMapping& m) { return m.target == f->field; })) {
            throw InvalidInput("--map: " + std::string(f->name) + " is given twice");
        }
        out.push_back({f->field, std::string(trim_space(pair.substr(eq + 1)))});
    }
    return out;
}

ImportFormat parse_import_format(const std::string& name) {
    if (name == "geojson" || name == "geojsonseq") {
        return ImportFormat::geojson;
    }
    if (name == "acled") {
        return ImportFormat::acled;
    }
    if (name == "ucdp") {
        return ImportFormat::ucdp;
    }
    if (name == "acled-json") {
        return ImportFormat::acled_json;
    }
    if (name == "gdal") {
        return ImportFormat::gdal;
    }
    throw InvalidInput("unknown import format '" + name.substr(0, 40) +
                       "' (use geojson, acled, ucdp, acled-json or gdal)");
}

namespace {

// Skips a JSON string whose opening quote is at `p`; the position after its closing quote, or
// npos when the text ends first.
std::size_t skip_json_string(std::string_view t, std::size_t p) {
    for (++p; p < t.size(); ++p) {
        if (t[p] == '\\') {
            ++p;
        } else if (t[p] == '"') {
            return p + 1;
        }
    }
    return std::string_view::npos;
}

// Whether the top-level object that `t` begins has a key "data" whose value is an array,
// looking only as far as `t` goes.
bool has_top_level_data_array(std::string_view t) {
    std::size_t p = 1; // after '{'
    int depth = 0;
    std::string_view key;
    bool expect_key = true;
    while (p < t.size()) {
        const char c = t[p];
        if (c == '"') {
            const auto end = skip_json_string(t, p);
            if (end == std::string_view::npos) {
                return false;
            }
            if (depth == 0 && expect_key) {
                key = t.substr(p + 1, end - p - 2);
            }
            p = end;
            continue;
        }
        if (depth == 0 && c == ':') {
            expect_key = false;
            auto q = t.find_first_not_of(" \t\r\n", p + 1);
            if (key == "data" && q != std::string_view::npos && t[q] == '[') {
                return true;
            }
        } else if (depth == 0 && c == ',') {
            expect_key = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth < 0) {
                return false;
            }
        }
        ++p;
    }
    return false;
}

} // namespace

ImportFormat guess_import_format(std::string_view head) {
    if (head.substr(0, 3) == "\xEF\xBB\xBF") {
        head.remove_prefix(3);
    }
    auto t = trim_space(head);
    if (!t.empty() && t.front() == '{' && has_top_level_data_array(t)) {
        return ImportFormat::acled_json;
    }
    if (!t.empty() && (t.front() == '{' || t.front() == '[' || t.front() == '\x1e')) {
        return ImportFormat::geojson;
    }
    auto first_line = lower_ascii(head.substr(0, head.find('\n')));
    if (first_line.find("event_id_cnty") != std::string::npos ||
        (first_line.find("event_type") != std::string::npos &&
         first_line.find("latitude") != std::string::npos)) {
        return ImportFormat::acled;
    }
    if (first_line.find("type_of_violence") != std::string::npos) {
        return ImportFormat::ucdp;
    }
    throw InvalidInput("cannot tell the input format (GeoJSON, ACLED CSV, ACLED API JSON or UCDP "
                       "GED CSV); give --format");
}

} // namespace incidentmap::incidents
