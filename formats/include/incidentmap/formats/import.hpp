#pragma once

#include "incidentmap/formats/csv.hpp"
#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/store/store.hpp"
#include "incidentmap/text/dates.hpp"

#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::incidents {

/// Import formats: a GeoJSON FeatureCollection (or GeoJSON text sequence, one Feature per line)
/// with incidentmap's or ACLED's property names, an ACLED CSV export, a UCDP GED CSV file, the
/// ACLED API's JSON ({"success":true,"count":N,"data":[{...}]}, every value a string), and a
/// layer of any dataset GDAL reads (import_dataset).
enum class ImportFormat { geojson, acled, ucdp, acled_json, gdal };

/// "geojson", "acled", "ucdp", "acled-json", "gdal". Throws InvalidInput for others.
ImportFormat parse_import_format(const std::string& name);

/// Guesses the format from the first bytes of a file: a JSON object whose top level has a
/// "data" array → ACLED API JSON; other JSON ('{' or '[') → GeoJSON; a CSV header with
/// event_id_cnty → ACLED; with type_of_violence → UCDP. Throws InvalidInput when unsure.
ImportFormat guess_import_format(std::string_view head);

/// True for a path that only GDAL reads: a GDAL virtual file (/vsizip/..., /vsigzip/...), a
/// zip, or the extension of a spreadsheet or GIS format (.xlsx, .ods, .gpkg, .shp, .kml, .kmz,
/// .fgb, .gml, .gdb, .dbf, .tab). Thread-safe.
bool is_gdal_path(std::string_view path) noexcept;

/// One column of a file read as one of the incident's fields (--map target=source).
struct ColumnMapping {
    Field target = Field::event_date;
    std::string source; ///< the file's column (attribute) name, compared without case
};

/// The fields a column can be mapped to: those an ACLED file carries (the ACLED layout's value
/// columns), the store's own (id, created, updated) aside. Thread-safe.
std::vector<Field> mappable_fields();

/// Parses "event_date=DATE,notes=DESC" (target=source pairs, targets named as in the field
/// table). Throws InvalidInput for a pair without '=', an empty source, a target given twice, or
/// an unknown target (the message lists the valid ones).
std::vector<ColumnMapping> parse_column_mapping(std::string_view text);

/// A row that could not be imported.
struct ImportError {
    std::size_t line = 0; ///< 1-based line of the row's first character
    std::string message;
};

struct ImportOptions {
    bool strict = false;  ///< any bad row → nothing is written
    bool dry_run = false; ///< read and check every row, write nothing
    /// Rows with a source id per transaction; the rows without one are written together, in
    /// the last, with their digest (ImportReport::unchanged).
    std::size_t batch_size = 5000;
    /// Maps a country name or code of the input to ISO 3166-1 alpha-2 ("" when unknown).
    std::function<std::string(std::string_view)> country_code;
    /// Called after each batch with the rows read so far.
    std::function<void(std::size_t rows)> progress;
    /// The day/month order of numeric dates (--dates); unknown: decided per date column from
    /// all of the file's rows, and a file that does not show it is refused.
    text::DayMonthOrder dates = text::DayMonthOrder::unknown;
    /// Columns of other names read as fields (--map); they win over columns of the field's own
    /// or ACLED name. A source the file lacks makes it unusable (InvalidInput).
    std::vector<ColumnMapping> columns;
    /// import_dataset: the layer to read (empty: the dataset's only layer).
    std::string layer;
};

/// How one date column of a CSV file was read.
struct DateConvention {
    std::string column;
    text::DayMonthOrder order = text::DayMonthOrder::unknown; ///< unknown: no numeric dates
    std::size_t numeric = 0;                                  ///< numeric dates in the column
    std::size_t showing = 0; ///< of them, those whose numbers show the order
    bool given = false;      ///< the order came from ImportOptions::dates
};

/// Rows rejected for one reason (the message with the values it quotes left out).
struct RejectionReason {
    std::string reason;
    std::size_t rows = 0;
    std::vector<std::size_t> first_lines; ///< the first five
};

struct ImportReport {
    std::size_t rows = 0;    ///< data rows or features read
    std::size_t created = 0; ///< new incidents
    std::size_t updated = 0; ///< incidents with the same source id, replaced
    /// rows without source ids not written: the store holds them from an import of the same
    /// rows (the same file, or a run of it that was killed after they committed)
    std::size_t unchanged = 0;
    std::size_t rejected = 0; ///< rows not imported (errors lists the first 1,000 of them)
    std::vector<ImportError> errors;
    std::vector<DateConvention> dates;    ///< CSV files: how each date column was read
    std::vector<RejectionReason> reasons; ///< every rejected row counted under its reason
    bool written =
        true; ///< false when nothing was written (strict mode found errors, or a dry run)
};

/// Reads incidents and upserts them by source id (event_id_cnty, UCDP "UCDP:<id>", or the
/// GeoJSON source_id), so that importing the same file twice changes nothing and an import
/// that stopped part-way is completed by running it again. Rows without a source id are written
/// in one transaction at the end with the digest of them all; the same rows imported again are
/// not written (counted as unchanged). A bad row is reported with its line and the rest
/// still imports (unless strict). Throws InvalidInput when the file as a whole is unusable (no
/// header, missing required columns, not GeoJSON, a date column whose day/month order its rows
/// do not show or contradict). CSV input is read twice (the date columns first), so `in` must
/// be seekable.
ImportReport import_incidents(IncidentStore& store, std::istream& in, ImportFormat format,
                              const ImportOptions& options = {});

/// Reads a layer of a dataset GDAL opens (GeoPackage, Shapefile, KML, FlatGeobuf, GeoJSON, CSV,
/// XLSX, ...; a path ending .zip is read through /vsizip/) as import_incidents does a CSV file:
/// attributes by the ACLED or, with type_of_violence, the UCDP column names (and
/// options.columns), text dates by the column's order decided from all features, date fields
/// as they are. The point is the feature's geometry, reprojected to WGS 84 when the layer has
/// another CRS, else the latitude/longitude attributes (spreadsheets). A feature whose geometry
/// is not a point (a MultiPoint of one point is one) is rejected: its centroid would be a place
/// the data never named. Errors name the feature's number in the layer. Throws InvalidInput
/// when GDAL cannot open the path, the layer is not there (or, with several, none is named) or
/// the columns lack what an incident needs.
ImportReport import_dataset(IncidentStore& store, const std::string& path,
                            const ImportOptions& options = {});

} // namespace incidentmap::incidents
